"""The truth of what a page states. A report's 索引号, 生成日期, 发布机构 and 发布日期 are in the truth only
where the served page prints them (spec/dataset.md: null if the page states none), read from the bytes
actually served, in whatever script, charset or date style the archetype used."""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import opencc

_T2S = opencc.OpenCC("t2s.json")
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
TAG = re.compile(r"<[^>]+>")
META = re.compile(r"<meta\b[^>]*>", re.I)
ATTR = re.compile(r"(name|content)\s*=\s*[\"']([^\"']*)[\"']", re.I)
CN_DIGITS = "〇一二三四五六七八九"
# 发布机构 and its spellings, the 来源 line and the ContentSource meta: a publisher is stated only by these.
PUBLISHER_LABEL = r"(发布机构|发文机关|发布单位|来源|ContentSource)"
GENERATED_LABEL = r"(生成日期|成文日期|发文日期|产生日期)[:：]?"


def page_text(portal, url: str) -> str | None:
    """The served page as simplified text: tags out, meta contents kept, pinyin and lost-space marks gone."""
    res = portal.routes.get(_path(url))
    if res is None:
        return None
    raw = res.get_body().decode(portal.spec.options.get("charset", "utf-8"), "replace")
    metas = "\n".join(_meta_line(m.group(0)) for m in META.finditer(raw))
    text = html.unescape(TAG.sub(" ", raw)) + " " + metas
    return _T2S.convert(PINYIN.sub("", text)).replace("?", "").replace("\u3000", " ").replace("\xa0", " ")


def _meta_line(tag: str) -> str:
    """`<meta content="X" name="N">` in either attribute order, as the line `N: X`."""
    attrs = {k.lower(): v for k, v in ATTR.findall(tag)}
    return f"{attrs.get('name', '')}: {attrs.get('content', '')}"


def as_stated(truth: dict, text: str | None) -> dict:
    """A copy of a report's truth with every field the page does not print set to None."""
    t = dict(truth)
    text = text or ""
    squeezed = re.sub(r"\s+", "", text)
    if t.get("index_number") and t["index_number"] not in text:
        t["index_number"] = None
    if t.get("generated_date") and not _date_printed(t["generated_date"], squeezed, label=GENERATED_LABEL):
        t["generated_date"] = None
    if t.get("publisher") and not re.search(PUBLISHER_LABEL + r"[^\n]{0,60}?" + re.escape(t["publisher"]), text):
        t["publisher"] = None
    if text and t.get("published_date") and not _date_printed(t["published_date"], squeezed):
        t["published_date"] = None   # (a file straight from a listing keeps the listing's date)
    return t


def _date_printed(iso: str, squeezed: str, label: str = "") -> bool:
    """Whether a date appears (right after `label`, if given) in any of the styles portals print."""
    y, m, d = (int(x) for x in iso.split("-"))
    cn = lambda n: "".join(CN_DIGITS[int(c)] for c in str(n))
    styles = [f"{y}-{m:02d}-{d:02d}", f"{y}-{m}-{d}", f"{y}年{m:02d}月{d:02d}日", f"{y}年{m}月{d}日",
              f"{y}/{m:02d}/{d:02d}", f"{y}.{m:02d}.{d:02d}", f"{cn(y)}年{_cn_small(m)}月{_cn_small(d)}日"]
    styles.append(styles[-1].replace("〇", "○"))
    return any(re.search(label + re.escape(s), squeezed) for s in styles)


def _cn_small(n: int) -> str:
    """1..31 in Chinese numerals as dates print them (十二, 二十八)."""
    digits = "〇一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (digits[ones] if ones else "")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
