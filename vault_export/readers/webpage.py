"""Saved web pages (.html, .htm): the page's metadata, and its main content as an HTML fragment.

trafilatura decides what the main content is. Its own output is text-minded (code blocks lose
their lines, footnotes and callouts go), so the fragment is cut from the page itself: the
element that holds nearly all the text trafilatura kept, less navigation, forms, footers and
hidden parts it did not keep.
"""
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
EXTRACTION_OPTIONS = dict(output_format="txt", include_comments=True, include_tables=True,
                          favor_recall=True, fast=True)
# The content root is the deepest element holding this share of the text the extractor kept.
CONTENT_SHARE = 0.95
MIN_MATCHED_TEXT = 3  # shorter text nodes ("a", "|") say nothing about where the content is
BOILERPLATE = etree.XPath(
    ".//nav | .//footer | .//form | .//script | .//style | .//template | .//*[@role='navigation'"
    " or @role='banner' or @role='contentinfo' or @role='complementary' or @role='search']")
HIDDEN = etree.XPath(
    r".//*[@hidden or re:test(@style, 'display\s*:\s*none|visibility\s*:\s*hidden', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"})
LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src", "data-actualsrc")


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
    """The page's main content as an HTML fragment, its links and images absolute."""
    body = tree.body
    _promote_lazy_images(body)
    extracted = " ".join((trafilatura.extract(tree, url=url, **EXTRACTION_OPTIONS) or "").split())
    kept = _kept_words(body, extracted)
    root = _content_root(body, kept)
    _drop_boilerplate(root, kept)
    if not root.text_content().strip() and root.find(".//img") is None:
        return ""
    if url:
        root.make_links_absolute(url, resolve_base_href=False)
    if root is body:
        root.tag = "div"
    return etree.tostring(root, encoding="unicode", method="html", with_tail=False).strip()


def _kept_words(body: lxml_html.HtmlElement, extracted: str) -> dict:
    """For every element, how many of its words are in text the extractor kept."""
    kept: dict = {}
    for element in reversed(list(body.iter(tag=etree.Element))):
        pieces = [element.text] + [child.tail for child in element]
        own = sum(_matched_words(piece, extracted) for piece in pieces)
        kept[element] = own + sum(kept[child] for child in element if child in kept)
    return kept


def _matched_words(piece: str | None, extracted: str) -> int:
    text = " ".join((piece or "").split())
    return len(text.split()) if len(text) >= MIN_MATCHED_TEXT and text in extracted else 0


def _content_root(body: lxml_html.HtmlElement, kept: dict) -> lxml_html.HtmlElement:
    """The deepest element that still holds nearly all the kept text (the body if none is kept)."""
    node = body
    while kept[node]:
        best = max((child for child in node if child in kept), key=kept.__getitem__, default=None)
        if best is None or kept[best] < CONTENT_SHARE * kept[node]:
            break
        node = best
    return node


def _drop_boilerplate(root: lxml_html.HtmlElement, kept: dict) -> None:
    """Navigation, forms, footers and scripts go, and hidden parts unless they hold the content
    (pages that reveal their text with a script hide it until then)."""
    for element in BOILERPLATE(root):
        element.drop_tree()
    for element in HIDDEN(root):
        if kept.get(element, 0) <= kept[root] / 2:
            element.drop_tree()


def _promote_lazy_images(body: lxml_html.HtmlElement) -> None:
    """Give lazily loaded images their real address: a data-* attribute, or a <noscript> twin."""
    for image in body.iter("img"):
        lazy = next((image.get(name) for name in LAZY_SOURCES if image.get(name)), None)
        if lazy and _is_placeholder(image):
            image.set("src", lazy)
    for fallback in list(body.iter("noscript")):
        _promote_noscript_image(fallback)


def _promote_noscript_image(fallback: lxml_html.HtmlElement) -> None:
    image = fallback.find(".//img")
    placeholder = fallback.getprevious()
    if image is None or placeholder is None or placeholder.tag != "img":
        return
    if _is_placeholder(placeholder) and not _is_placeholder(image):
        placeholder.set("src", image.get("src"))
        fallback.drop_tree()


def _is_placeholder(image: lxml_html.HtmlElement) -> bool:
    src = (image.get("src") or "").strip()
    return not src or src.startswith("data:")


register(WebPageReader())
