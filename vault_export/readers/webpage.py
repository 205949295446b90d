"""Saved web pages (.html, .htm): the page's metadata, and its main content found by trafilatura."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from ..errors import InputError
from ..model import BodyFormat, Note, Origin, ReadFailure
from . import register
from . import webpage_meta as meta_of

HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b",
                        re.IGNORECASE | re.DOTALL)
LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src", "data-actualsrc")
EXTRACTION_OPTIONS = dict(output_format="html", include_images=True, include_links=True,
                          include_tables=True, include_formatting=True, include_comments=False)


class WebPageReader:
    name = "webpage"
    extensions = (".html", ".htm")

    def sniff(self, head: str) -> bool:
        return bool(HTML_START.match(head.lstrip("\ufeff")))

    def read(self, path: Path) -> Iterator[Note | ReadFailure]:
        origin = Origin(str(path))
        try:
            yield read_page(path.read_bytes(), path.stat().st_mtime, origin)
        except InputError as error:
            yield ReadFailure(origin, error.reason)


def read_page(data: bytes, mtime: float, origin: Origin) -> Note:
    text = meta_of.decode_page(data, origin)
    if not HTML_START.match(text.lstrip("\ufeff")):
        raise InputError(origin, "not an HTML page: no <html>, <head> or <body> at the start")
    tree = meta_of.parse_page(text)
    meta = meta_of.meta_values(tree)
    url = meta_of.page_url(tree, meta, text)
    source = meta_of.site_name(meta, url)
    title = meta_of.page_title(tree, meta, source)
    body = main_content(tree, url)
    if not title and not body:
        raise InputError(origin, "no title and no readable content in the page")
    description = meta_of.description(meta)
    return Note(
        title=title, origin=origin, url=url, source=source,
        created=meta_of.published_time(meta) or meta_of.file_time(mtime),
        tags=meta_of.article_tags(meta), body=body, body_format=BodyFormat.HTML,
        extra=(("description", description),) if description else (),
    )


def main_content(tree: lxml_html.HtmlElement, url: str | None) -> str:
    """The article part of the page as an HTML fragment, its links and images absolute."""
    _promote_lazy_images(tree)
    extracted = trafilatura.extract(tree, url=url, **EXTRACTION_OPTIONS)
    if not extracted:
        return ""
    content = lxml_html.fromstring(extracted)
    if url:
        content.make_links_absolute(url, resolve_base_href=False)
    return _inner_html(content.find("body") if content.tag == "html" else content)


def _promote_lazy_images(tree: lxml_html.HtmlElement) -> None:
    """Give lazily loaded images their real address, kept in a data-* attribute."""
    for image in tree.iter("img"):
        lazy = next((image.get(name) for name in LAZY_SOURCES if image.get(name)), None)
        src = image.get("src", "")
        if lazy and (not src or src.startswith("data:")):
            image.set("src", lazy)


def _inner_html(element: lxml_html.HtmlElement | None) -> str:
    if element is None:
        return ""
    parts = [element.text or ""] + [etree.tostring(child, encoding="unicode", method="html")
                                    for child in element]
    return "".join(parts).strip()


register(WebPageReader())
