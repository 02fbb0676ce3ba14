"""A report published only as attachments: when the first file is dead, the next one stands in."""
from scrapy.http import Request
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.spiders.reports import ReportsSpider


def test_dead_attachment_falls_back_to_the_next_with_the_page_context():
    crawler = get_crawler(ReportsSpider)
    spider = ReportsSpider.from_crawler(crawler, start_urls="http://rst.example.gov.cn/")
    page = Request("http://rst.example.gov.cn/nb/t1.html", meta={"start_host": "rst.example.gov.cn"})
    first = spider._attachment_report("http://rst.example.gov.cn/nb/P01.pdf", ["http://rst.example.gov.cn/nb/P01.docx"],
                                      page.url, "<html>附件</html>", "某厅2023年政府信息公开工作年度报告", page)
    failure = Failure(ConnectionRefusedError("dead link"))
    failure.request = first

    [second] = list(spider.attachment_failed(failure))
    assert second.url == "http://rst.example.gov.cn/nb/P01.docx"
    assert (second.meta["page_url"], second.meta["page_html"], second.meta["link_title"], second.meta["start_host"]) == (
        page.url, "<html>附件</html>", "某厅2023年政府信息公开工作年度报告", "rst.example.gov.cn")
    assert second.meta["fallbacks"] == [] and second.errback == spider.attachment_failed
