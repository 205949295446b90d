"""The site a URL belongs to, in the words people call it by: 微博, 微信公众号, arXiv, GitHub, else its host."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

# Domain -> the site's name; a domain also names its subdomains (m.weibo.cn, export.arxiv.org).
KNOWN_SITES = {
    "weibo.com": "微博", "weibo.cn": "微博",
    "mp.weixin.qq.com": "微信公众号",
    "zhihu.com": "知乎",
    "bilibili.com": "哔哩哔哩", "b23.tv": "哔哩哔哩",
    "douban.com": "豆瓣",
    "xiaohongshu.com": "小红书",
    "arxiv.org": "arXiv",
    "github.com": "GitHub",
    "huggingface.co": "Hugging Face",
    "news.ycombinator.com": "Hacker News",
    "x.com": "X", "twitter.com": "X",
    "youtube.com": "YouTube", "youtu.be": "YouTube",
    "substack.com": "Substack",
    "medium.com": "Medium",
    "reddit.com": "Reddit",
    "wikipedia.org": "Wikipedia",
}


_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")


def site_of(url: str | None) -> str | None:
    """The site's name for a known site, else the URL's host without `www.`; None without a host."""
    authority = _AUTHORITY.match(url) if url else None
    return _site_of_authority(authority[1]) if authority else None


@lru_cache(maxsize=4096)  # a daily page asks for the site of each of its notes, mostly of a few hosts
def _site_of_authority(authority: str) -> str | None:
    try:
        host = urlsplit(f"//{authority}").hostname
    except ValueError:  # such as a broken IPv6 address
        return None
    if not host:
        return None
    host = host.rstrip(".").removeprefix("www.")
    parts = host.split(".")
    for start in range(len(parts) - 1):
        name = KNOWN_SITES.get(".".join(parts[start:]))
        if name:
            return name
    return host
