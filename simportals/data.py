"""Structured report data: the numbers of the three tables, their labels, and the free text.

Everything here is pure and seeded, so a test that builds the same web gets the same truth.
Keys follow /work/shared/spec/tables.md; labels follow annual_report_forms.json.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

APPLICANTS = ["natural_person", "enterprise", "research", "public_interest", "legal_service", "other_org"]
REQ_COLS = APPLICANTS + ["total"]

WITHHELD = ["state_secret", "prohibited_by_law", "security_stability", "third_party",
            "internal_affairs", "process_info", "enforcement_file", "admin_query"]
UNAVAILABLE = ["not_held", "needs_creation", "unclear"]
NOT_PROCESSED = ["petition", "duplicate", "publication", "excessive", "confirmation"]
OTHER_2021 = ["no_correction", "unpaid_fee", "other"]


def result_rows(form: str) -> list[str]:
    rows = ["granted", "partly_granted"]
    rows += [f"withheld.{k}" for k in WITHHELD]
    rows += [f"unavailable.{k}" for k in UNAVAILABLE]
    rows += [f"not_processed.{k}" for k in NOT_PROCESSED]
    rows += [f"other.{k}" for k in OTHER_2021] if form == "2021" else ["other"]
    return rows


def request_rows(form: str) -> list[str]:
    return ["new", "carried_over"] + result_rows(form) + ["total", "carried_forward"]


# Row labels of table 3 as printed; (group label, sub label) so the renderers can merge cells.
REQ_LABELS = {
    "granted": ("", "（一）予以公开"),
    "partly_granted": ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    "withheld.state_secret": ("（三）不予公开", "1.属于国家秘密"),
    "withheld.prohibited_by_law": ("（三）不予公开", "2.其他法律行政法规禁止公开"),
    "withheld.security_stability": ("（三）不予公开", "3.危及“三安全一稳定”"),
    "withheld.third_party": ("（三）不予公开", "4.保护第三方合法权益"),
    "withheld.internal_affairs": ("（三）不予公开", "5.属于三类内部事务信息"),
    "withheld.process_info": ("（三）不予公开", "6.属于四类过程性信息"),
    "withheld.enforcement_file": ("（三）不予公开", "7.属于行政执法案卷"),
    "withheld.admin_query": ("（三）不予公开", "8.属于行政查询事项"),
    "unavailable.not_held": ("（四）无法提供", "1.本机关不掌握相关政府信息"),
    "unavailable.needs_creation": ("（四）无法提供", "2.没有现成信息需要另行制作"),
    "unavailable.unclear": ("（四）无法提供", "3.补正后申请内容仍不明确"),
    "not_processed.petition": ("（五）不予处理", "1.信访举报投诉类申请"),
    "not_processed.duplicate": ("（五）不予处理", "2.重复申请"),
    "not_processed.publication": ("（五）不予处理", "3.要求提供公开出版物"),
    "not_processed.excessive": ("（五）不予处理", "4.无正当理由大量反复申请"),
    "not_processed.confirmation": ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    "other.no_correction": ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    "other.unpaid_fee": ("（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    "other.other": ("（六）其他处理", "3.其他"),
    "other": ("", "（六）其他处理"),
    "total": ("", "（七）总计"),
}
REQ_HEAD_LABELS = {
    "2021": {"new": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
             "carried_forward": "四、结转下年度继续办理"},
    "2019": {"new": "一、本年度新收政府信息公开申请数量", "carried_over": "二、上年度结转政府信息公开申请数量",
             "carried_forward": "四、结转下年度继续办理"},
}
APPLICANT_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

REVIEW_GROUPS = ["review", "suit_direct", "suit_after_review"]
REVIEW_PARTS = ["upheld", "corrected", "other", "pending", "total"]
REVIEW_PART_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

# Table 2: list of (group label, column labels, [(row key, row label, [col keys])]).
ACTIVE_2021 = [
    ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
     [("rules", "规章", ["issued", "repealed", "in_force"]),
      ("normative_docs", "行政规范性文件", ["issued", "repealed", "in_force"])]),
    ("第二十条第（五）项", ["本年处理决定数量"], [("licensing", "行政许可", ["decisions"])]),
    ("第二十条第（六）项", ["本年处理决定数量"],
     [("punishment", "行政处罚", ["decisions"]), ("enforcement", "行政强制", ["decisions"])]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("fees", "行政事业性收费", ["amount_10k_yuan"])]),
]
ACTIVE_2019 = [
    ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
     [("rules", "规章", ["made", "published", "total_public"]),
      ("normative_docs", "规范性文件", ["made", "published", "total_public"])]),
    ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
     [("licensing", "行政许可", ["items_last_year", "items_change", "decisions"]),
      ("other_services", "其他对外管理服务事项", ["items_last_year", "items_change", "decisions"])]),
    ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
     [("punishment", "行政处罚", ["items_last_year", "items_change", "decisions"]),
      ("enforcement", "行政强制", ["items_last_year", "items_change", "decisions"])]),
    ("第二十条第（八）项", ["上一年项目数量", "本年增/减"],
     [("fees", "行政事业性收费", ["items_last_year", "items_change"])]),
    ("第二十条第（九）项", ["采购项目数量", "采购总金额"],
     [("procurement", "政府集中采购", ["count", "amount_10k_yuan"])]),
]


def active_layout(form: str):
    return ACTIVE_2021 if form == "2021" else ACTIVE_2019


def form_for_year(year: int) -> str:
    return "2021" if year >= 2021 else "2019" if year >= 2019 else "pre2019"


# ---------------------------------------------------------------- numbers

def _split(rng: random.Random, total: int, parts: int, weights: list[float] | None = None) -> list[int]:
    """Split total into parts (weighted multinomial), so sums hold exactly."""
    weights = weights or [1.0] * parts
    out = [0] * parts
    for _ in range(total):
        out[rng.choices(range(parts), weights)[0]] += 1
    return out


def make_cells(rng: random.Random, form: str, scale: int = 1) -> dict:
    """All cells of one report in the given form; identities hold."""
    if form == "pre2019":
        return {"active": {}, "requests": {}, "review": {}}
    active: dict[str, float | int | None] = {}
    for _group, _cols, rows in active_layout(form):
        for row, _label, cols in rows:
            for col in cols:
                if col == "amount_10k_yuan":
                    v = rng.choice([None, 0, round(rng.uniform(1, 3000), 2)])
                elif col in ("in_force", "total_public", "items_last_year"):
                    v = rng.randint(0, 120)
                elif col == "items_change":
                    v = rng.randint(-3, 5)
                else:
                    v = rng.choice([0, 0, rng.randint(0, 40 * scale)])
                if rng.random() < 0.06 and col not in ("in_force",):
                    v = None  # an empty or dashed cell
                active[f"{row}.{col}"] = v

    rows = result_rows(form)
    weights = [30, 6] + [0.3] * 8 + [6, 1.5, 1] + [1.5, 1, 0.5, 0.5, 0.5] + [0.5] * (len(rows) - 18)
    req: dict[str, int | None] = {}
    col_share = [20, 4, 0.5, 0.5, 1, 1.5]
    new_all = rng.randint(0, 60 * scale)
    news = _split(rng, new_all, 6, col_share)
    for i, c in enumerate(APPLICANTS):
        new = news[i]
        co = rng.choice([0, 0, 0, rng.randint(0, 3)]) if new else 0
        cf = rng.choice([0, 0, rng.randint(0, min(3, new + co))]) if new + co else 0
        done = new + co - cf
        parts = _split(rng, done, len(rows), weights)
        req[f"new.{c}"] = new
        req[f"carried_over.{c}"] = co
        for r, v in zip(rows, parts):
            req[f"{r}.{c}"] = v
        req[f"total.{c}"] = done
        req[f"carried_forward.{c}"] = cf
    for r in request_rows(form):
        req[f"{r}.total"] = sum(req[f"{r}.{c}"] for c in APPLICANTS)

    review: dict[str, int | None] = {}
    for g in REVIEW_GROUPS:
        four = [rng.choice([0, 0, 0, rng.randint(0, 3)]) for _ in range(4)]
        for part, v in zip(REVIEW_PARTS, four + [sum(four)]):
            review[f"all.{g}.{part}"] = v
    return {"active": active, "requests": req, "review": review}


def broken_identities(cells: dict) -> list[str]:
    """Names of the identities a report breaks, as flags (`identity_broken:requests.total`)."""
    req = cells.get("requests") or {}
    out: list[str] = []
    if req:
        form = "2021" if "other.other.total" in req else "2019"
        v = lambda k: req.get(k) or 0  # noqa: E731
        for c in REQ_COLS:
            if v(f"new.{c}") + v(f"carried_over.{c}") != v(f"total.{c}") + v(f"carried_forward.{c}") or \
                    v(f"total.{c}") != sum(v(f"{r}.{c}") for r in result_rows(form)):
                out.append("identity_broken:requests.total")
                break
        for r in request_rows(form):
            if v(f"{r}.total") != sum(v(f"{r}.{c}") for c in APPLICANTS):
                if "identity_broken:requests.total" not in out:
                    out.append("identity_broken:requests.total")
                break
    rev = cells.get("review") or {}
    for g in REVIEW_GROUPS:
        if rev and (rev.get(f"all.{g}.total") or 0) != sum(rev.get(f"all.{g}.{p}") or 0 for p in REVIEW_PARTS[:4]):
            out.append(f"identity_broken:review.{g}.total")
    return out


def break_identity(cells: dict) -> str:
    """Plant a break on purpose: the grand total is off by one (a typo seen in real reports)."""
    cells["requests"]["total.total"] = (cells["requests"]["total.total"] or 0) + 1
    return "identity_broken:requests.total"


def fmt_num(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


# ---------------------------------------------------------------- report records

@dataclass
class Report:
    """One report of one body, before a portal decides how to publish it."""
    agency: str
    year: int
    form: str
    title: str
    publisher: str | None
    index_number: str | None
    generated_date: date | None
    published_date: date
    cells: dict
    flags: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)   # text blocks; "##TABLES##" marks where tables go
    appendix: list[list[str]] | None = None               # pre-2019 附表 rows
    kind: str = "report"                                   # or "decoy"
    decoy_reason: str | None = None
    source_type: str = "html"


TITLE_PATTERNS = [
    "{a}{y}年政府信息公开工作年度报告",
    "{a}{y}年度政府信息公开工作年度报告",
    "{a}{y}年政府信息公开年度报告",
    "{y}年度{a}政府信息公开工作年度报告",
    "{a}{y}年信息公开工作年度报告",
]
PRE2019_PATTERNS = TITLE_PATTERNS + ["{a}{y}年政务信息公开年度报告"]

CN_DIGITS = "〇一二三四五六七八九"


def cn_date(d: date) -> str:
    """二〇一五年一月二十八日 as written at the end of old reports."""
    def num(n: int) -> str:
        if n <= 10:
            return "十" if n == 10 else CN_DIGITS[n]
        t, u = divmod(n, 10)
        return (CN_DIGITS[t] if t > 1 else "") + "十" + (CN_DIGITS[u] if u else "")
    return "".join(CN_DIGITS[int(ch)] for ch in str(d.year)) + f"年{num(d.month)}月{num(d.day)}日"


def make_report(rng: random.Random, agency: str, year: int, *, publisher: str | None, index_prefix: str | None,
                serial: int, title_pattern: str | None = None, scale: int = 1) -> Report:
    form = form_for_year(year)
    pattern = title_pattern or rng.choice(PRE2019_PATTERNS if form == "pre2019" else TITLE_PATTERNS)
    title = pattern.format(a=agency, y=year)
    # Reports are due by 31 March (2007 rules) and by 31 January since 2019.
    last = 89 if form == "pre2019" else 30
    published = date(year + 1, 1, 5) + timedelta(days=rng.randint(0, last - 5))
    generated = published - timedelta(days=rng.randint(0, 6)) if rng.random() < 0.8 else None
    index_number = f"{index_prefix}/{year + 1}-{serial:05d}" if index_prefix else None
    cells = make_cells(rng, form, scale)
    rep = Report(agency=agency, year=year, form=form, title=title, publisher=publisher,
                 index_number=index_number, generated_date=generated, published_date=published, cells=cells)
    rep.paragraphs = report_paragraphs(rng, rep)
    if form == "pre2019" and rng.random() < 0.5:
        rep.appendix = pre2019_appendix(rng)
    return rep   # pre-2019 reports carry no standard tables by law: not a `no_tables` flag (issue 4)


def report_paragraphs(rng: random.Random, r: Report) -> list[str]:
    a, y = r.agency, r.year
    if r.form == "pre2019":
        n_active = rng.randint(20, 400)
        n_req = rng.randint(0, 30)
        return [
            f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{a}编制。全文包括概述，主动公开政府信息情况，"
            f"依申请公开政府信息办理情况，政府信息公开的收费及减免情况，因政府信息公开申请行政复议、行政诉讼的情况，"
            f"存在的主要问题及改进措施等。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
            "一、概述",
            f"{y}年，我局认真贯彻落实《条例》，坚持“公开为原则，不公开为例外”，不断完善政府信息公开工作机制。",
            "二、主动公开政府信息情况",
            f"{y}年我局主动公开政府信息{n_active}条，其中通过政府网站公开{n_active - rng.randint(0, 10)}条。",
            "三、依申请公开政府信息办理情况",
            f"全年共受理政府信息公开申请{n_req}件，均已按期答复。",
            "四、政府信息公开的收费及减免情况",
            "本年度未收取任何费用。",
            "五、因政府信息公开申请行政复议、行政诉讼的情况",
            "本年度未发生因政府信息公开申请提起行政复议、行政诉讼的情况。",
            "六、存在的主要问题及改进措施",
            "政府信息公开的及时性有待提高。下一步，我局将进一步加强制度建设，提高公开质量。",
            f"{a}",
            cn_date(r.published_date) if rng.random() < 0.5 else f"{r.published_date.year}年{r.published_date.month:02d}月{r.published_date.day:02d}日",
        ]
    req = r.cells["requests"]
    return [
        f"本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息公开办公室关于政府信息公开工作年度报告的有关要求，"
        f"由{a}编制。报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
        "一、总体情况",
        f"{y}年，{a}认真贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，"
        f"全年共收到政府信息公开申请{req['new.total']}件，均已依法依规按时答复。",
        "二、主动公开政府信息情况",
        "##TABLE:active##",
        "三、收到和处理政府信息公开申请情况",
        "##TABLE:requests##",
        "四、政府信息公开行政复议、行政诉讼情况",
        "##TABLE:review##",
        "五、存在的主要问题及改进情况",
        "一是政策解读形式不够丰富；二是信息发布的及时性有待提高。下一步将加强培训，提升公开质量。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。" if r.form == "2021" else "无其他需要报告的事项。",
    ]


def pre2019_appendix(rng: random.Random) -> list[list[str]]:
    rows = [["指标名称", "计量单位", "年末统计"]]
    for name, unit in [("一、主动公开情况", ""), ("（一）主动公开政府信息数", "条"), ("其中：政府网站公开数", "条"),
                       ("二、依申请公开情况", ""), ("（一）收到申请数", "件"), ("三、行政复议数量", "件"),
                       ("四、行政诉讼数量", "件")]:
        rows.append([name, unit, "" if not unit else str(rng.randint(0, 80))])
    return rows


SPAM = ["中国足彩网", "澳门新葡京", "网上赌场", "皇冠体育在线投注", "百家乐真人娱乐"]

CORNER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
