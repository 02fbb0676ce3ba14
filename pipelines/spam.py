"""Spam injected into report pages (gambling, lottery sites, porn, fake invoices): find it, never keep it silently.

Only specific phrases count: 彩票 alone is legitimate in a 民政/体育 report (福利彩票公益金).
"""
from __future__ import annotations

import re

# A short site name glued to a spam keyword: 中国足彩网, 澳门娱乐城, 皇冠现金网. The keyword is searched
# first and the two characters before it looked at after (a leading class would be tried at every offset).
# 彩票网点 / 赌博网站 / 彩票网络 are what a 体育局 or 公安局 report says about its own work: not spam.
SPAM_SITE = re.compile(r"(?:足彩网|福彩网|体彩网|竞彩网|彩票网|彩票平台|购彩网|娱乐城|娱乐网|娱乐平台|棋牌网|棋牌游戏|"
                       r"棋牌平台|赌场|赌博网|博彩网|博彩公司|现金网|投注网|体育投注|真人视讯|真人娱乐)(?![点站络])")
SITE_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# Phrases that have no place in a government report at all.
PHRASES = ("六合彩 时时彩 北京赛车 北京pk10 幸运飞艇 百家乐 老虎机 葡京 威尼斯人娱乐 金沙娱乐 太阳城集团 澳门赌 网上赌 "
           "网络赌博平台 代开发票 代开增值税 发票代开 代开各类发票 办假证 代办证件 裸聊 约炮 一夜情 成人影院 成人视频 "
           "成人网站 色情视频 av在线 av视频 黄色网站").split()
# The betting brands of the 2020s link farms (开云体育(中国)官方网站-IOS/安卓通用版/手机APP下载).
BRANDS = ("开云体育 开云娱乐 九游会 九游娱乐 华体会 乐鱼体育 米乐体育 米乐m6 半岛体育 爱游戏体育 星空体育 亚博体育 "
          "必威体育 雷竞技 乐动体育 宝博体育 kok体育 bob体育 沙巴体育 威廉希尔 伟德国际 金宝博 澳门银河 "
          "真人游戏 电子游艺 捕鱼游戏").split()
PHRASES += BRANDS
SPAM_PHRASES = re.compile("|".join(PHRASES), re.I)
# URLs whose host says casino/lottery/porn (ordinary non-gov links such as people.com.cn are fine).
SPAM_URL = re.compile(r"(?:https?://|www\.)(?:[\w.-]*(?:bet|casino|poker|lottery|caipiao|dubo|yule|qipai|xpj|porn|sex|"
                      r"\d{3,}[a-z]*\.com)[\w./?=&%-]*|[\w.-]+\.(?:bet|casino|porn|sex|vip|xyz)\b)", re.I)


def find_injected_text(text: str) -> list[str]:
    """Spam phrases found in text, each once, in reading order (葡京 inside 葡京娱乐城 is not listed again)."""
    text = text or ""
    found = [_with_site_name(text, match) for match in SPAM_SITE.finditer(text)]
    # The two long patterns cost ~0.2 µs a character; plain substring tests skip them on clean pages.
    lowered = text.lower()
    patterns = ([SPAM_PHRASES] if any(p in lowered for p in PHRASES) else []) + \
        ([SPAM_URL] if "http" in lowered or "www." in lowered else [])
    for pattern in patterns:
        found += [(match.start(), match.group(0)) for match in pattern.finditer(text)]
    phrases = list(dict.fromkeys(phrase for _, phrase in sorted(found)))
    return [p for p in phrases if not any(p != other and p in other for other in phrases)]


def _with_site_name(text: str, match: re.Match) -> tuple[int, str]:
    """A keyword with up to two name characters glued before it (中国足彩网 from 足彩网)."""
    start = match.start()
    while start > match.start() - 2 and start > 0 and SITE_NAME_CHAR.match(text[start - 1]):
        start -= 1
    return start, text[start:match.end()]
