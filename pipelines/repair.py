"""Bytes to clean simplified-Chinese text: pick the charset that is really used, then undo what survived.

decode() chooses the charset; repair_text() undoes mojibake, traditional-Chinese mirrors with pinyin
annotations and spaces lost as '?'. Both are pure: no Scrapy, no I/O.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

import ftfy

from pipelines.model import Decoded

# Declared names that mean "some GBK": GBK-only characters (镕 喆 堃) need the superset GB18030.
GB_ALIASES = {"gb2312", "gbk", "cp936", "x-gbk", "gb_2312-80", "gb_2312", "euc-cn", "euccn", "csgb2312",
              "ms936", "windows-936", "936", "hz-gb-2312", "gb18030"}
# Charsets that decode any bytes: a header naming one is a server default, not a statement.
SINGLE_BYTE_DEFAULTS = {"iso8859-1", "latin-1", "cp1252", "windows-1252"}
# Declared Big5 means Microsoft's superset (裏 F9D8 and the other cp950 additions).
BIG5_ALIASES = {"big5", "big5-tw", "csbig5", "x-x-big5"}
META_WINDOW = 4096  # bytes of the head searched for <meta charset> / http-equiv
META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

# Repair names as recorded in Decoded.repairs / reports.repairs.
MOJIBAKE, TRADITIONAL, PINYIN, LOST_SPACES = ("mojibake", "traditional_to_simplified",
                                              "pinyin_annotations", "lost_spaces")
MIN_GAIN = 0.3          # a mojibake repair must raise the common-hanzi share by this much…
MIN_REPAIRED_SHARE = 0.5  # …and reach at least this share
CLEAN_SHARE = 0.85       # text this rich in common hanzi, with no Latin-1 letters, is left alone
TRADITIONAL_SHARE = 0.05  # share of hanzi t2s changes above which a text is really traditional

HANZI = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
PINYIN_SYLLABLE = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
                   r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|üan|ai|an|ao|ei|en|er|ia|ie|in|iu"
                   r"|ou|ua|ue|ve|üe|ui|un|uo|a|e|i|o|u|v|ü)")
# 號(hào), 機(jī)構(gòu), 號（hào）: a bracketed pinyin word right after a hanzi; 号召(call) and （NBS） do not match.
PINYIN_ANNOTATION = re.compile(rf"(?<=[{HANZI}])\s?[(（]([a-z{TONED}ü]{{1,7}}(?: [a-z{TONED}ü]{{1,7}})*)[)）]")
UNTONED_ANNOTATION = re.compile(rf"(?<=[{HANZI}])[(（][a-z]{{1,6}}[)）]")
MIN_UNTONED_ANNOTATIONS = 10
# Lost spaces: a run of ?/？ inside label padding or between words (索??引??號, 信息?5條) …
QUESTION_RUN = re.compile(rf"(?<=[{HANZI}\d:：|])[?？]+(?=[{HANZI}\d|\s]|$)")
# … or a whole line / table cell / HTML cell holding nothing else.
QUESTION_CELL = re.compile(r"(?:^|(?<=[|>]))([ \t\u3000\xa0]*)[?？]+(?=[ \t\u3000\xa0]*(?:$|\||<))", re.M)
# … or the padding before a number at the start of a cell (Word's "&nbsp;0" once the nbsp is lost).
QUESTION_BEFORE_NUMBER = re.compile(r"(?:^|(?<=[>|\s\u3000\xa0]))[?？]+(?=\d)")
# Words that make the clause before a '?' a real question (如对本报告有任何疑问？ stays).
QUESTION_WORDS = re.compile(r"[吗呢么吧嘛谁哪几何否問问]|多少|怎样|怎麼|怎么|如何|是否|为什么|為什麼")
CLAUSE_END = re.compile(r"[。；;！!，,、\n|]")


# ---------------------------------------------------------------- decode

def decode(body: bytes, *, header_charset: str | None = None, override: str | None = None) -> Decoded:
    """Decode body by override, BOM, HTTP header, <meta>, detection (in that order), then repair the text."""
    charset = _choose_charset(body, header_charset, override)
    text = body.decode(charset, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    repaired, repairs = repair_text(text)
    return Decoded(text=repaired, charset=charset, repairs=repairs)


def _choose_charset(body: bytes, header_charset: str | None, override: str | None) -> str:
    """The first declared charset that really fits the bytes, else the detected one.

    A single-byte header (ISO-8859-1, the default of Tomcat and of error pages) fits any bytes and so
    says nothing: it is used only when neither the page nor detection finds a Chinese charset.
    """
    override = _fitting(body, override)
    bom = _bom_charset(body)
    header = _fitting(body, header_charset)
    weak_header = header if header in SINGLE_BYTE_DEFAULTS else None
    header = None if weak_header else header
    meta = _fitting(body, _meta_charset(body))
    return override or bom or header or meta or _detected_charset(body, header_charset, _meta_charset(body),
                                                                    fallback=weak_header)


def normalise_charset(name: str | None) -> str | None:
    """Lower-case codec name ('utf-8', 'gb18030', 'big5', …); any GBK alias becomes gb18030; None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in GB_ALIASES:
        return "gb18030"
    if name in BIG5_ALIASES:
        return "cp950"
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return "gb18030" if canonical in GB_ALIASES else canonical.replace("_", "-")


def _fitting(body: bytes, declared: str | None) -> str | None:
    """The declared charset if the bytes decode cleanly with it and it is not clearly wrong."""
    charset = normalise_charset(declared)
    if charset is None or not _decodes_strictly(body, charset):
        return None  # e.g. a "utf-8" header on GBK bytes
    if charset != "utf-8" and _is_utf8_text(body):
        return None  # e.g. a gb2312 meta on UTF-8 bytes: decoding it would give 鏈遍晻-style text
    return charset


def _decodes_strictly(body: bytes, charset: str) -> bool:
    """True when body decodes with charset without a single error."""
    try:
        body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _is_utf8_text(body: bytes) -> bool:
    """Non-ASCII bytes that decode strictly as UTF-8: GBK text almost never does."""
    if body.isascii() or not _decodes_strictly(body, "utf-8"):
        return False
    return any(ord(ch) > 0x2E7F for ch in body.decode("utf-8"))


def _bom_charset(body: bytes) -> str | None:
    """Charset announced by a byte-order mark."""
    return next((name for bom, name in BOMS if body.startswith(bom)), None)


def _meta_charset(body: bytes) -> str | None:
    """Charset of <meta charset> or http-equiv Content-Type in the first few KB."""
    match = META_CHARSET.search(body[:META_WINDOW])
    return match.group(1).decode("ascii", "replace") if match else None


def _detected_charset(body: bytes, *declared: str | None, fallback: str | None = None) -> str:
    """UTF-8 or GB18030 when one fits, else the fallback, else charset-normalizer, else the least damaging
    candidate."""
    for candidate in ("utf-8", "gb18030"):
        if _decodes_strictly(body, candidate):
            return candidate
    if fallback:
        return fallback
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    detected = normalise_charset(best.encoding) if best else None
    if detected and _decodes_strictly(body, detected):
        return detected
    candidates = [normalise_charset(name) for name in (*declared, detected)] + ["utf-8", "gb18030"]
    return min((c for c in candidates if c), key=lambda c: body.decode(c, errors="replace").count("\ufffd"))


# ---------------------------------------------------------------- repair

def repair_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Undo mojibake, pinyin annotations, traditional characters and lost spaces; name each repair applied."""
    repairs = []
    for name, step in ((MOJIBAKE, fix_mojibake), (PINYIN, strip_pinyin_annotations),
                       (TRADITIONAL, to_simplified), (LOST_SPACES, restore_lost_spaces)):
        fixed = step(text)
        if fixed != text:
            text = fixed
            repairs.append(name)
    return text, tuple(repairs)


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """GB2312 level-1 hanzi (3,755 most common characters): mojibake is made of rarer ones."""
    chars = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


# Characters that count when judging mojibake: non-ASCII, minus spaces and CJK/full-width/general punctuation.
COUNTED_CHARS = re.compile(r"[^\x00-\x7f\s\u2000-\u206f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff5b-\uff65]")


def common_hanzi_share(text: str) -> float:
    """Share of common hanzi among the non-ASCII, non-punctuation characters of text (U+FFFD counts against)."""
    counted = COUNTED_CHARS.findall(text)
    return sum(map(_common_hanzi().__contains__, counted)) / len(counted) if counted else 0.0


def _clearly_better(candidate: str, original: str) -> bool:
    """A repair is kept only when it clearly raises the share of common hanzi."""
    new, old = common_hanzi_share(candidate), common_hanzi_share(original)
    return new >= MIN_REPAIRED_SHARE and new - old >= MIN_GAIN


def fix_mojibake(text: str) -> str:
    """Best of: GBK read as latin-1/cp1252, UTF-8 read as GBK, ftfy.fix_encoding; text if none is clearly better."""
    if _plainly_clean(text):
        return text
    candidates = [_gbk_from_latin(text), _utf8_from_gbk(text)]
    better = [c for c in candidates if c != text and _clearly_better(c, text)]
    if better:
        return max(better, key=common_hanzi_share)
    fixed = ftfy.fix_encoding(text)  # never fix_text: its defaults turn ：（）“” into ASCII
    return fixed if common_hanzi_share(fixed) >= common_hanzi_share(text) else text


# Latin-1 letters and symbols, minus those real Chinese pages use (nbsp © ® ° ± · × ÷).
LATIN1_HIGH = re.compile(r"[\x80-\x9f\xa1-\xa8\xaa-\xad\xaf\xb2-\xb6\xb8-\xd6\xd8-\xf6\xf8-\xff]")


def _plainly_clean(text: str) -> bool:
    """Mostly common hanzi and no Latin-1 high characters: no mojibake kind can look like this (fast path)."""
    return not LATIN1_HIGH.search(text) and common_hanzi_share(text) >= CLEAN_SHARE


def _single_bytes(segment: str) -> bytes | None:
    """The bytes a latin-1/cp1252 decoder turned into segment, or None if it cannot have come from one."""
    out = bytearray()
    for ch in segment:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            out.append(ord(ch))  # 0x81, 0x8D, … are undefined in cp1252 and pass through as C1 controls
    return bytes(out)


SINGLE_BYTE_RUN = re.compile(r"[\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                             r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+")


def _gbk_from_latin(text: str) -> str:
    """Re-decode runs of latin-1/cp1252 characters as GB18030, run by run, where the result is clearly Chinese."""
    def fix(match: re.Match) -> str:
        run = match.group(0)
        if run.isascii():
            return run
        raw = _single_bytes(run)
        if raw is None or raw.isascii():
            return run
        try:
            fixed = raw.decode("gb18030")
        except UnicodeDecodeError:
            return run
        return fixed if _clearly_better(fixed, run) else run
    return SINGLE_BYTE_RUN.sub(fix, text)


def _utf8_from_gbk(text: str) -> str:
    """UTF-8 that was read as GBK, re-decoded line by line; a lost byte (U+FFFD) spoils only its own character."""
    return "\n".join(_line_utf8_from_gbk(line) for line in text.split("\n"))


def _line_utf8_from_gbk(line: str) -> str:
    """One line back through GB18030 bytes to UTF-8, kept only if clearly more Chinese."""
    if line.isascii():
        return line
    try:  # 0xFF never occurs in UTF-8: it marks each byte the GBK decoder lost
        raw = b"\xff".join(piece.encode("gb18030") for piece in line.split("\ufffd"))
    except UnicodeEncodeError:
        return line
    fixed = re.sub("\ufffd+", "\ufffd", raw.decode("utf-8", errors="replace"))
    return fixed if _clearly_better(fixed, line) else line


# ---------------------------------------------------------------- traditional mirrors

def strip_pinyin_annotations(text: str) -> str:
    """Remove (hào)/(jī)-style pinyin right after a hanzi; English glosses like 号召(call) stay. A doubled
    annotation (會(hui)(hui)) goes too: the pass repeats while it removes something."""
    if "(" not in text and "（" not in text:
        return text
    dense = len(re.findall(rf"[(（][a-z]*[{TONED}]", text)) >= 3 or \
        len(UNTONED_ANNOTATION.findall(text)) >= MIN_UNTONED_ANNOTATIONS
    for _ in range(3):
        fixed = PINYIN_ANNOTATION.sub(lambda m: "" if _is_pinyin(m.group(1), dense) else m.group(0), text)
        if fixed == text:
            break
        text = fixed
    return text


def _is_pinyin(word: str, dense: bool) -> bool:
    """Tone-marked syllables always; unmarked ones (de, men) only in a text full of annotations."""
    syllables = [_untoned(s) for s in word.split()]
    if not all(re.fullmatch(f"(?:{PINYIN_SYLLABLE})+", s) for s in syllables):
        return False
    if any(ch in TONED for ch in word):
        return True
    # unmarked syllables (de, men): only in a text full of annotations (`dense`), tone-marked or not
    # (mirrors of the 2020s annotate without tone marks: 來(lai)源(yuan))
    return dense


def _untoned(syllable: str) -> str:
    """Pinyin without tone marks: 'hào' -> 'hao'."""
    plain = unicodedata.normalize("NFD", syllable)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).replace("ü", "v")


@lru_cache(maxsize=1)
def _t2s():
    """The OpenCC traditional-to-simplified converter (built once)."""
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t():
    """The OpenCC simplified-to-traditional converter, used only to tell which script a text is in."""
    import opencc

    return opencc.OpenCC("s2t")


def _changed_chars(text: str, converted: str) -> int:
    """How many characters a one-to-one conversion changed."""
    return sum(a != b for a, b in zip(text, converted))


# Traditional-only forms of the commonest characters: a traditional text of any length has some of them,
# so a text with none is simplified and the two OpenCC conversions below can be skipped.
TRADITIONAL_MARKERS = re.compile("[們這說為國會發機開關資報與數來時後對從個學實進過還點種條據請應該辦縣區處務環"
                                 "產業稅費務義權際總統將當體現經網頁號標準護]")


def is_traditional(text: str) -> bool:
    """More characters would change going to simplified than going to traditional (乾燥 alone is not enough)."""
    if not TRADITIONAL_MARKERS.search(text):
        return False
    sample = "".join(re.findall(f"[{HANZI}]", text))[:5000]
    if not sample:
        return False
    to_simple = _changed_chars(sample, _t2s().convert(sample))
    to_traditional = _changed_chars(sample, _s2t().convert(sample))
    return to_simple > to_traditional and to_simple >= TRADITIONAL_SHARE * len(sample)


def to_simplified(text: str) -> str:
    """Convert a really traditional text to simplified; simplified text is left alone (t2s would change 乾燥)."""
    return _t2s().convert(text) if is_traditional(text) else text


# ---------------------------------------------------------------- lost spaces

def restore_lost_spaces(text: str) -> str:
    """'?' runs standing for lost spaces become a space or nothing (whole cell/line: emptied); real questions stay."""
    if "?" not in text and "？" not in text:
        return text
    # Line by line, and only lines holding a '?': the patterns open with a lookbehind, which the regex
    # engine tries at every position of a 100 KB page. Nothing they look at crosses a line break.
    return "\n".join(_restore_line(line) if "?" in line or "？" in line else line for line in text.split("\n"))


def _restore_line(line: str) -> str:
    line = QUESTION_BEFORE_NUMBER.sub(" ", QUESTION_CELL.sub(r"\1", line))
    return QUESTION_RUN.sub(lambda m: m.group(0) if _ends_question(line, m) else _lost_space(line, m), line)


def _lost_space(text: str, match: re.Match) -> str:
    """Nothing between two hanzi (索??引??號 -> 索引号: Chinese has no spaces), one space elsewhere."""
    between_hanzi = re.match(f"[{HANZI}]", text[match.end():match.end() + 1]) and \
        re.match(f"[{HANZI}]", text[match.start() - 1:match.start()])
    return "" if between_hanzi else " "


def _ends_question(text: str, match: re.Match) -> bool:
    """A single '?' closing a clause that asks something (…有任何疑问？) is a real question mark."""
    if len(match.group(0)) > 1:
        return False
    clause = CLAUSE_END.split(text[max(0, match.start() - 60):match.start()])[-1]
    return bool(QUESTION_WORDS.search(clause))
