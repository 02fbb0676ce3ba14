"""decode() picks the charset really used; repair_text() undoes what survived decoding, and only that."""
import pytest

from pipelines.repair import decode, repair_text

RARE_NAMES = "朱镕基、王喆和张堃出席了政府信息公开工作年度报告会议。"


def _page(charset_tag: str, body: str) -> str:
    return f'<html><head>{charset_tag}<title>年度报告</title></head><body><p>{body}</p></body></html>'


def test_gbk_bytes_declaring_gb2312_keep_gbk_only_characters():
    body = _page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', RARE_NAMES).encode("gbk")
    decoded = decode(body)
    assert decoded.charset == "gb18030"
    assert RARE_NAMES in decoded.text
    assert decoded.repairs == ()


def test_utf8_bytes_with_gb2312_meta_decode_as_utf8():
    body = _page('<meta charset="gb2312">', RARE_NAMES).encode("utf-8")
    decoded = decode(body)
    assert (decoded.charset, RARE_NAMES in decoded.text) == ("utf-8", True)


def test_gbk_bytes_with_utf8_header_fall_back():
    body = _page("", RARE_NAMES).encode("gbk")
    decoded = decode(body, header_charset="utf-8")
    assert decoded.charset == "gb18030"
    assert RARE_NAMES in decoded.text
    assert "\ufffd" not in decoded.text


def test_override_wins_when_it_fits():
    body = _page('<meta charset="utf-8">', "政府信息公开").encode("gb18030")
    assert decode(body, override="GBK", header_charset="utf-8").charset == "gb18030"


def test_bom_and_header_order():
    assert decode(b"\xef\xbb\xbf" + "报告".encode("utf-8"), header_charset="gbk").text == "报告"
    assert decode("报告内容".encode("gbk"), header_charset="GB2312").charset == "gb18030"


def test_undeclared_gbk_detected():
    decoded = decode(("本年度报告中使用数据统计期限为2022年1月1日至12月31日。" * 3).encode("gbk"))
    assert decoded.charset == "gb18030"
    assert decoded.text.startswith("本年度报告")


def test_latin1_mojibake_of_gbk_text_repaired():
    garbled = RARE_NAMES.encode("gbk").decode("latin-1")
    assert repair_text(garbled) == (RARE_NAMES, ("mojibake",))


def test_cp1252_mojibake_of_gbk_text_inside_correct_text_repaired():
    garbled = "泉州市人力资源和社会保障局".encode("gbk").decode("cp1252", errors="replace")
    assert "\ufffd" not in garbled  # every byte survived this cp1252 decoding
    assert repair_text("发布机构：" + garbled) == ("发布机构：泉州市人力资源和社会保障局", ("mojibake",))


def test_utf8_read_as_gbk_repaired():
    garbled = "政府信息公开工作年度报告".encode("utf-8").decode("gb18030")
    assert repair_text(garbled) == ("政府信息公开工作年度报告", ("mojibake",))


def test_utf8_read_as_gbk_with_lost_bytes_repaired_piecewise():
    garbled = "本年度报告的电子版可在门户网站下载".encode("utf-8").decode("gbk", errors="replace")
    text, repairs = repair_text(garbled)
    assert repairs == ("mojibake",)
    assert "电子版\ufffd在门户网站下\ufffd" in text  # 可 and 载 lost a byte each: marked, never guessed
    assert "鍙" not in text


def test_utf8_read_as_latin1_repaired_by_ftfy():
    garbled = "政府信息公开工作年度报告".encode("utf-8").decode("latin-1")
    assert repair_text(garbled) == ("政府信息公开工作年度报告", ("mojibake",))


@pytest.mark.parametrize("correct", [
    RARE_NAMES, "王喆", "朱镕基", "（一）主动公开：“公开为常态”", "cafe 2024-01-26 index.jsp?id=1",
    "乾燥的天气里，著名的干部来了。",  # simplified text t2s would change (乾→干): must be left alone
    "如对本报告有任何疑问？请与办公室联系。",
    "号召(call)，国家统计局（NBS）",
])
def test_correct_text_is_byte_identical(correct):
    assert repair_text(correct) == (correct, ())


def test_traditional_with_pinyin_annotations():
    text, repairs = repair_text("索??引??號(hào): | 1162042101391301xj/1970-172822 |\n所屬機(jī)構(gòu): | 靖遠縣融媒體中心 |")
    assert text == "索引号: | 1162042101391301xj/1970-172822 |\n所属机构: | 靖远县融媒体中心 |"
    assert repairs == ("pinyin_annotations", "traditional_to_simplified", "lost_spaces")


def test_full_width_pinyin_brackets_removed():
    assert repair_text("發布機構（jī gòu）")[0] == "发布机构"


def test_lost_spaces_in_label_padding_and_cells():
    text, repairs = repair_text("文???????号: | 关键字:\n?\n信息?5条 | ? |\n0? |")
    assert text == "文号: | 关键字:\n\n信息 5条 |  |\n0  |"
    assert repairs == ("lost_spaces",)


def test_real_question_mark_stays():
    assert repair_text("如对本报告有任何疑问？")[0] == "如对本报告有任何疑问？"
    assert repair_text("是否收费?请咨询")[0] == "是否收费?请咨询"


SEED_001 = "/work/shared/seeds/001_26d78d44b29d2cd6.txt"


@pytest.mark.parametrize("fragment", ["索引号", "发布机构", "政府信息公开条例", "主动公开政府信息26条"])
def test_seed_001_contains_after_repair(fragment):
    assert fragment in repair_text(open(SEED_001, encoding="utf-8").read())[0]


@pytest.mark.parametrize("fragment", ["(hào)", "號", "(jī)", "??"])
def test_seed_001_free_of_after_repair(fragment):
    assert fragment not in repair_text(open(SEED_001, encoding="utf-8").read())[0]


def test_seed_001_repairs_named():
    assert repair_text(open(SEED_001, encoding="utf-8").read())[1] == (
        "pinyin_annotations", "traditional_to_simplified", "lost_spaces")
