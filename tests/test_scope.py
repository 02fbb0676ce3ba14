"""What counts as a report of the portal's own bodies (pipelines.scope)."""
import pytest

from pipelines.scope import is_report, reposted_from_above


@pytest.mark.parametrize("region, portal_region, agency, portal_name, reposted", [
    ("350000", "350500", "福建省人民政府", "泉州市人力资源和社会保障局", True),       # a province's, on a city portal
    ("350000", "350000", "福建省人民政府", "福建省人力资源和社会保障厅", True),       # the government's, on its department's
    ("350300", "350300", "莆田市审计局", "莆田市人民政府", False),                  # a department's, on its city portal
    ("620422", "620422", "会宁县人民政府办公室", "会宁县人民政府", False),
    ("350505", "350000", "泉州市泉港区人力资源和社会保障局", "福建省人力资源和社会保障厅", False),  # lower: kept
    ("330600", "350500", "绍兴市人力资源和社会保障局", "泉州市人力资源和社会保障局", False),       # unrelated: kept
    (None, "350500", None, "泉州市人力资源和社会保障局", False),
])
def test_reposted_from_above(region, portal_region, agency, portal_name, reposted):
    assert reposted_from_above(region, portal_region, agency, portal_name) is reposted


def test_report_by_title_or_by_sections():
    assert is_report("泉州市人力资源和社会保障局2023年政府信息公开工作年度报告", "", False)
    assert not is_report("关于《2023年政府信息公开工作年度报告》的解读", "主动公开政府信息 依申请公开", True)
    assert is_report(None, "二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况", False)
    assert not is_report(None, "新闻", False)
