"""What a saved web page says about itself: its charset, title, URL, time, site and tags."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from vault_export.inputs.decode import BOMS, decode_text
from vault_export.inputs.readers.webpage_social import social_post_title

META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
HEAD_LENGTH = 4096  # how far into a page its charset and a browser's "saved from" note are looked for
# The HTML standard reads these labels as other encodings (a page cannot really be UTF-16 if its
# <meta> was readable as ASCII, and Latin-1 pages are windows-1252 in practice).
CHARSET_ALIASES = {"utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
                   "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
# A title's last " | ", " - ", " – ", " — ", " · ", " : " or " :: " and what follows it.
LAST_SEPARATOR = re.compile(r"^(.+?)\s+(?:[|\-–—·]|::?)\s+((?:(?!\s(?:[|\-–—·]|::?)\s).)+)$")
# A last part in capitals only, as "| MDN" or "- BBC": a brand's initials (a headline's last
# words are rarely a lone acronym).
BRAND_ACRONYM = re.compile(r"^[A-Z]{2,4}$")
PLACEHOLDER = re.compile(r"\{\{.*\}\}")
OFFSET_GAP = re.compile(r"\s+(?=(?:[+-]\d\d:?\d\d|Z)$)")  # "2024-05-17 10:00:00 +0200"


def decode_page(data: bytes, origin: object) -> str:
    """The page's text: by its BOM, else its <meta> charset when that decodes, else by detection."""
    charset = _declared_charset(data)
    if charset and not any(data.startswith(bom) for bom, _ in BOMS):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, origin)


def _declared_charset(data: bytes) -> str | None:
    match = META_CHARSET.search(data[:HEAD_LENGTH])
    if not match:
        return None
    label = match.group(1).decode("ascii", errors="ignore").lower()
    return CHARSET_ALIASES.get(label, label)


def parse_page(text: str) -> lxml_html.HtmlElement:
    """The whole document as an lxml tree (lxml refuses text that still declares a byte encoding)."""
    return lxml_html.document_fromstring(XML_DECLARATION.sub("", text, count=1))


def meta_values(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    """Every <meta property|name=... content=...>, by lower-cased key, values in page order."""
    values: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        content = _collapse(element.get("content") or "")
        if key and content:
            values.setdefault(key, []).append(content)
    return values


def page_title(tree: lxml_html.HtmlElement, meta: dict[str, list[str]], site: str | None) -> str:
    """A social post's title (see webpage_social); else og:title, else <title>, else the first
    <h1>; less a trailing ' | Brand' the page confirms."""
    title_element = tree.find(".//title")
    first_h1 = next(tree.iter("h1"), None)
    og_title = _first(meta, "og:title")
    if og_title and (PLACEHOLDER.search(og_title) or _is_site_name(og_title, site)):
        og_title = None  # a template left unfilled, or the brand where the headline should be
    social_title = social_post_title(tree, og_title)
    if social_title:
        return social_title
    candidates = [og_title,
                  _collapse(title_element.text_content()) if title_element is not None else None,
                  _collapse(first_h1.text_content()) if first_h1 is not None else None]
    title = next((candidate for candidate in candidates if candidate), "")
    return _without_brand_suffix(title, site, _headline_texts(tree))


def _without_brand_suffix(title: str, site: str | None, headlines: set[str]) -> str:
    """Drop the parts after the last separators that name the site or are an acronym; when
    there is none, and the page shows a headline that the title opens with (the rest being
    section or account names after separators), keep just that headline."""
    untouched = title
    while (match := LAST_SEPARATOR.match(title)) and \
            (_mentions_site(match.group(2), site) or BRAND_ACRONYM.match(match.group(2))):
        title = match.group(1)
    return _shown_headline(title, headlines) if title == untouched else title


def _shown_headline(title: str, headlines: set[str]) -> str:
    """The longest part of the title before a separator that the page shows as a headline."""
    head = title
    while match := LAST_SEPARATOR.match(head):
        head = match.group(1)
        if head.casefold() in headlines:
            return head
    return title


def _headline_texts(tree: lxml_html.HtmlElement) -> set[str]:
    """The texts of the page's headings and of elements its classes call a title or headline."""
    elements = tree.xpath("//body//*[self::h1 or self::h2 or contains(@class, 'title')"
                          " or contains(@class, 'headline')]")
    return {_collapse(element.text_content()).casefold() for element in elements}


def _site_names(site: str | None) -> set[str]:
    """The site's name, letters and digits only; for a domain also its main label."""
    if not site:
        return set()
    names = {_alnum(site)}
    if "." in site and " " not in site:
        names.add(_alnum(site.rsplit(".", 1)[0]))
    return {name for name in names if len(name) > 1}


def _is_site_name(text: str, site: str | None) -> bool:
    return _alnum(text) in _site_names(site)


def _mentions_site(text: str, site: str | None) -> bool:
    words = _alnum(text)
    return any(name in words for name in _site_names(site))


def _alnum(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def page_url(tree: lxml_html.HtmlElement, meta: dict[str, list[str]], text: str) -> str | None:
    """The canonical link, else og:url, else the address a browser noted when saving; absolute
    only (a relative canonical link is resolved against the others)."""
    canonical = next((link.get("href", "").strip() for link in tree.iter("link")
                      if "canonical" in (link.get("rel") or "").lower().split()), None)
    saved_from = SAVED_FROM.search(text[:HEAD_LENGTH])
    others = [_first(meta, "og:url"), saved_from.group(1) if saved_from else None]
    base = next((url for url in others if url and _is_absolute(url)), None)
    if canonical and base:
        canonical = urljoin(base, canonical)
    return next((url for url in [canonical, base] if url and _is_absolute(url)), None)


def link_base(tree: lxml_html.HtmlElement, url: str | None) -> str | None:
    """What the page's relative links resolve against: its <base href> (itself relative to the
    page's URL), else the URL."""
    base = tree.find(".//base[@href]")
    joined = urljoin(url or "", base.get("href").strip()) if base is not None else url
    return joined if joined and _is_absolute(joined) else url


def _is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def published_time(meta: dict[str, list[str]]) -> datetime | None:
    """article:published_time as an aware datetime; a time without offset is local time."""
    value = _first(meta, "article:published_time")
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(OFFSET_GAP.sub("", value).replace(" ", "T", 1))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.astimezone()


def file_time(mtime: float) -> datetime:
    return datetime.fromtimestamp(mtime, tz=timezone.utc)


def site_name(meta: dict[str, list[str]], url: str | None) -> str | None:
    """og:site_name, else the URL's host without 'www.'."""
    name = _first(meta, "og:site_name")
    if name:
        return name
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def article_tags(meta: dict[str, list[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(meta.get("article:tag", [])))


def description(meta: dict[str, list[str]]) -> str | None:
    return _first(meta, "og:description") or _first(meta, "description")


def _first(meta: dict[str, list[str]], key: str) -> str | None:
    values = meta.get(key)
    return values[0] if values else None


def _collapse(text: str) -> str:
    return " ".join(text.split())
