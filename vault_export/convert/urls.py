"""Link and image addresses: make them absolute, unwrap redirects, refuse unsafe schemes."""

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from vault_export.convert.escape import escape_text

WEIBO_BASE_URL = 'https://weibo.com'
LINK_SCHEMES = frozenset({'http', 'https', 'mailto', 'ftp', 'tel'})
IMAGE_SCHEMES = frozenset({'http', 'https'})

_SCHEME = re.compile(r'([A-Za-z][A-Za-z0-9+.-]*):')
# Browsers ignore these inside a URL, so 'java\tscript:' is still javascript.
_IGNORED_INSIDE = re.compile(r'[\t\n\r]')
_CONTROL_AND_SPACE = ''.join(chr(code) for code in range(0x21))
_WEIBO_THUMBNAIL = re.compile(
    r'^(https?://[^/]*\.sinaimg\.cn/)'
    r'(?:(?:orj|osj|mw|thumb|wap|nmw)\d+|bmiddle|small|square|thumbnail|woriginal|crop\.[\d.]+)/'
)
_WEIBO_DOMAINS = ('weibo.cn', 'weibo.com')
_WEIBO_TOPIC_PATHS = ('/search', '/k/')
_WEIBO_MARKERS = ('weibo.c', 'sinaimg.cn', 'surl-text', 'url-icon')
_WEIBO_MENTION = re.compile(r'href=["\']?/n/')
_UNSAFE_IN_DESTINATION = re.compile(r'[\s()<>|\\]')
# The formats Obsidian plays from an embed.
_PLAYABLE = re.compile(r'\.(?:mp4|webm|ogv|mov|mkv|m4v|3gp|mp3|wav|m4a|ogg|oga|opus|flac|aac)$', re.IGNORECASE)
_PLAYED_PAGE = re.compile(r'https?://(?:(?:www|m)\.)?(?:youtube\.com|youtu\.be|twitter\.com|x\.com)/', re.IGNORECASE)
_AUTOLINKABLE = re.compile(r'(?:https?|ftp)://[^\s<>|]+')  # '|' would split a table cell


def looks_like_weibo(html: str) -> bool:
    """Whether the HTML was saved from Weibo, whose relative links are relative to weibo.com."""
    return any(marker in html for marker in _WEIBO_MARKERS) or bool(_WEIBO_MENTION.search(html))


def is_weibo_url(url: str | None) -> bool:
    try:
        host = urlsplit(url or '').hostname or ''
    except ValueError:
        return False
    return any(host == domain or host.endswith('.' + domain) for domain in _WEIBO_DOMAINS)


def is_weibo_topic_url(url: str | None) -> bool:
    """Whether the address is Weibo's page of a topic: a search for it (m.weibo.cn/search,
    s.weibo.com/weibo?q=...) or its own page (weibo.com/k/..., huati.weibo.com)."""
    if not is_weibo_url(url):
        return False
    parts = urlsplit(url)
    host = parts.hostname or ''
    return host.startswith(('s.', 'huati.')) or parts.path.startswith(_WEIBO_TOPIC_PATHS)


def is_played(url: str) -> bool:
    """Whether Obsidian plays an embed of this address instead of showing an image: a media file,
    or the page of a YouTube video or an X post."""
    return is_playable(url) or bool(_PLAYED_PAGE.match(url))


def is_playable(src: str) -> bool:
    """Whether the address is of a media file Obsidian plays from an embed."""
    try:
        return bool(_PLAYABLE.search(urlsplit(src).path))
    except ValueError:
        return False


def clean_link(href: str | None, base_url: str | None) -> str | None:
    """The absolute address a link should point to, or None when it must not be a link."""
    url = _squeeze(href)
    if not url or url.startswith('#'):
        return None
    return _absolute(_unwrap_redirect(url), base_url, LINK_SCHEMES)


def clean_image(src: str | None, base_url: str | None) -> str | None:
    """The absolute address of the full-size image, or None when there is no usable one."""
    url = _absolute(_squeeze(src), base_url, IMAGE_SCHEMES)
    thumbnail = url and _WEIBO_THUMBNAIL.match(url)
    return f'{thumbnail.group(1)}large/{url[thumbnail.end():]}' if thumbnail else url


def markdown_url(url: str) -> str:
    """Percent-encode what would end or break a Markdown link destination or a table cell."""
    return _UNSAFE_IN_DESTINATION.sub(lambda match: f'%{ord(match.group()):02X}', url)


def bare_link(href: str) -> str:
    """A link that shows its own address."""
    if _AUTOLINKABLE.fullmatch(href):
        return f'<{href}>'
    return f'[{escape_text(href, autolink=False)}]({markdown_url(href)})'


def _squeeze(url: str | None) -> str:
    return _IGNORED_INSIDE.sub('', url or '').strip(_CONTROL_AND_SPACE)


def _unwrap_redirect(url: str) -> str:
    """Weibo wraps outgoing links as weibo.cn/sinaurl?u=<real url>."""
    if not is_weibo_url(url):
        return url
    parts = urlsplit(url)
    if parts.path == '/sinaurl':
        return _squeeze(parse_qs(parts.query).get('u', [url])[0])
    return url


def _absolute(url: str, base_url: str | None, schemes: frozenset[str]) -> str | None:
    if url.startswith('//'):
        url = 'https:' + url
    scheme = _SCHEME.match(url)
    if scheme:
        return url if scheme.group(1).lower() in schemes else None
    if not url or not base_url:
        return None
    try:
        return urljoin(base_url, url)
    except ValueError:
        return None
