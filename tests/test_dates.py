"""parse_date / find_date on every printed form the portals use."""
from datetime import date

import pytest

from pipelines.dates import find_date, parse_date


@pytest.mark.parametrize("printed, expected", [
    ("2024-01-26", date(2024, 1, 26)),
    ("2024-1-6", date(2024, 1, 6)),
    ("2024/1/26", date(2024, 1, 26)),
    ("2024.01.26", date(2024, 1, 26)),
    ("2019 年 10 月 30 日", date(2019, 10, 30)),
    ("2015年01月28日", date(2015, 1, 28)),
    ("[2017-04-24]", date(2017, 4, 24)),
    ("2017-01-06 19:37", date(2017, 1, 6)),
    ("发布时间:2023年12月30日", date(2023, 12, 30)),
    ("发布时间：2022-01-13 11:47", date(2022, 1, 13)),
    ("二〇一七年一月六日", date(2017, 1, 6)),
    ("二〇一五年一月二十八日", date(2015, 1, 28)),
    ("二○一五年十月三十一日", date(2015, 10, 31)),
    ("二〇二四年一月二十六日", date(2024, 1, 26)),
    ("1970-01-01", date(1970, 1, 1)),
    ("20240126", date(2024, 1, 26)),
])
def test_parse_date_forms(printed, expected):
    assert parse_date(printed) == expected


@pytest.mark.parametrize("printed", ["2024-13-01", "2023-02-30", "2023年12月", "二〇二三年十三月一日", "", "   ",
                                     "发布时间：", "浏览次数：25", "0000-00-00"])
def test_parse_date_rejects_impossible_and_partial(printed):
    assert parse_date(printed) is None


def test_find_date_after_label_skips_prose_mentions():
    text = "规范发布时间、有效性等信息。\n生成日期: | 2017-01-06 |\n发布时间：2018-02-01 10:00"
    assert find_date(text, ["发布时间"]) == date(2018, 2, 1)
    assert find_date(text, ["生成日期"]) == date(2017, 1, 6)


def test_find_date_spaced_label():
    assert find_date("发 布 日 期：2024年1月5日", ["发布日期"]) == date(2024, 1, 5)


def test_common_forms_never_reach_dateparser(monkeypatch):
    """The common Chinese forms are read by the regex path (dateparser is ~400x slower and misreads them)."""
    import pipelines.dates as dates

    def refuse(value):
        raise AssertionError(f"dateparser asked for {value!r}")

    monkeypatch.setattr(dates, "_dateparser_fallback", refuse)
    values = ["2024-01-26", "2019 年 10 月 30 日", "二〇一五年一月二十八日", "发布时间:2023年12月30日", "2024.01.26"]
    assert [parse_date(v) for v in values] == [date(2024, 1, 26), date(2019, 10, 30), date(2015, 1, 28),
                                               date(2023, 12, 30), date(2024, 1, 26)]
