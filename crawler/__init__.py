"""Spiders discover; this package navigates portals and hands raw bytes to the item pipelines."""
from tldextract import TLDExtract
import scrapy.downloadermiddlewares.cookies as _cookies

# Scrapy's cookie middleware builds a TLDExtract that downloads the public-suffix list on first use.
# A crawler must not call hosts it was not asked to crawl (and offline it stalls): use the bundled copy.
_cookies._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)
