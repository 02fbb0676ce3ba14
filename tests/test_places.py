"""resolve_region on body names, printed codes, and the false friends around them."""
import pytest

from pipelines.places import Place, region_candidates, resolve_region


@pytest.mark.parametrize("name, province, region", [
    ("泉州市人力资源和社会保障局", "35", "350500"),
    ("靖远县人力资源和社会保障局", "62", "620421"),
    ("天津市东丽区人力资源和社会保障局", "12", "120110"),
    ("福建省人力资源和社会保障厅", "35", "350000"),
    ("莆田市审计局", "35", "350300"),
    ("莆田市民宗局", "35", "350300"),
    ("内蒙古自治区人民政府", "15", "150000"),
    ("中共莆田市委办公室", "35", "350300"),
    ("绍兴市人力资源和社会保障局", "33", "330600"),
    ("襄樊市人民政府", "42", "420600"),  # an old name still resolves
])
def test_body_name_resolves(name, province, region):
    assert resolve_region(publisher=name) == (province, resolve_region(publisher=name).province_name, region)
    assert resolve_region(publisher=name).region_code == region


def test_province_names_are_official():
    assert resolve_region(publisher="天津市东丽区人力资源和社会保障局").province_name == "天津市"
    assert resolve_region(publisher="内蒙古自治区人民政府").province_name == "内蒙古自治区"
    assert resolve_region(publisher="莆田市审计局").province_name == "福建省"


@pytest.mark.parametrize("name", ["人力资源和社会保障部", "中华人民共和国人力资源和社会保障部", "国务院办公厅",
                                  "国家统计局", "教育部", "海关总署"])
def test_central_bodies_are_00(name):
    assert resolve_region(publisher=name) == Place("00", "中央", None)


def test_ministry_does_not_match_ziyuan_county():
    assert region_candidates("人力资源和社会保障部") == frozenset()


@pytest.mark.parametrize("name", ["中华人民共和国", "市统计局", "市府办", "鼓楼区人民政府", "朝阳区人民政府"])
def test_no_place_or_ambiguous_is_unknown(name):
    assert resolve_region(publisher=name) == Place("unknown", None, None)


def test_ambiguous_name_settled_by_site_code():
    assert resolve_region(publisher="鼓楼区人民政府", site_id_code="3501000001").region_code == "350102"


@pytest.mark.parametrize("site_id, province, region", [
    ("3503000001", "35", "350300"), ("1201100002", "12", "120110"), ("6200000052", "62", "620000"),
    ("bm10000001", "00", None),
])
def test_site_id_code(site_id, province, region):
    place = resolve_region(site_id_code=site_id)
    assert (place.province_code, place.region_code) == (province, region)


def test_police_record_gives_province_and_weak_region():
    assert resolve_region(police_record="闽公网安备35010202000072号") == Place("35", "福建省", "350102")
    assert resolve_region(agency="莆田市审计局", police_record="闽公网安备35010202000072号").region_code == "350300"


@pytest.mark.parametrize("icp, province", [("闽ICP备05009235号", "35"), ("津ICP备17009684号-1", "12"),
                                           ("陇ICP备1号", "62"), ("浙ICP备1号", "33"), ("蒙ICP备1号", "15")])
def test_icp_gives_province_only(icp, province):
    assert resolve_region(icp=icp) == (province, resolve_region(icp=icp).province_name, None)


def test_publisher_name_wins_over_codes():
    place = resolve_region(publisher="泉州市人力资源和社会保障局", site_id_code="3503000001", icp="津ICP备1号")
    assert place.region_code == "350500"


def test_registry_and_domain_are_fallbacks():
    assert resolve_region(registry_region="福建").province_code == "35"
    assert resolve_region(registry_region="33").province_code == "33"
    assert resolve_region(domain="www.putian.gov.cn").region_code == "350300"
    assert resolve_region(domain="rst.gansu.gov.cn").province_code == "62"
    assert resolve_region() == Place("unknown", None, None)
