"""Saved web pages (.html, .htm): the page's metadata, and its main content as an HTML fragment.

trafilatura decides what the main content is. Its own output is text-minded (code blocks lose
their lines, footnotes and callouts go), so the fragment is cut from the page itself: the
element that holds nearly all the text trafilatura kept (or the part a page marks as its
post: a feed's permalinked unit, a LaTeXML paper), less what is not content (webpage_chrome).
Its footnotes, formula images and code line numbers are then put right (webpage_footnotes,
webpage_math, webpage_code). Pages that draw their post with a script from BBCode, and Hacker
News and old Reddit threads, are read from their own markup (webpage_bbcode, webpage_threads).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from lxml import etree
from lxml import html as lxml_html

from vault_export.errors import InputError
from vault_export.model import BodyFormat, Note, Origin, ReadFailure
from vault_export.inputs.readers import webpage_meta as meta_of
from vault_export.inputs.readers.webpage_bbcode import embedded_post
from vault_export.inputs.readers.webpage_chrome import (
    IS_NOT_CONTENT, REGEX_NAMESPACE, drop_boilerplate, drop_class_hidden,
)
from vault_export.inputs.readers.webpage_code import drop_line_numbers
from vault_export.inputs.readers.webpage_footnotes import gather_footnotes
from vault_export.inputs.readers.webpage_threads import thread_html
from vault_export.inputs.readers.webpage_math import formula_images_to_tex

HTML_START = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*"
                        r"<(!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE | re.DOTALL)
# fast: trafilatura's own algorithm only, without its readability/jusText fallbacks (measured
# better and quicker on the saved-page benchmark); comments kept, as people clip threads too.
EXTRACTION_OPTIONS = dict(output_format="txt", include_comments=True, include_tables=True, fast=True)
# The content root is the deepest element holding this share of the text the extractor kept.
CONTENT_SHARE = 0.95
MIN_MATCHED_TEXT = 3  # shorter text nodes ("a", "|") say nothing about where the content is
RUN_LENGTH = 3  # a text node counts as kept when its runs of this many words are in the kept text
# Words for that comparison: runs of letters, runs of digits (a footnote mark glued to a word
# is apart), and each CJK character on its own (those scripts put no spaces between words).
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
WORD = re.compile(rf"[{CJK}]|[^\W\d_{CJK}]+|\d+")
PERMALINK_UNIT = etree.XPath(r".//*[re:test(@class, '(^|\s)\w*[pP]ermalink(Unit|Item|Post|Entry)')]",
                             namespaces=REGEX_NAMESPACE)
# A paper converted by LaTeXML (arXiv's HTML papers): the whole document is the content; the
# extractor leaves out paragraphs dense with citation links.
LATEXML_DOCUMENT = etree.XPath(".//*[contains(concat(' ', @class, ' '), ' ltx_page_content ')]")
LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src", "data-actualsrc")

WordCounts = dict[lxml_html.HtmlElement, int]


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
    base_url = meta_of.link_base(tree, url)
    post = embedded_post(tree)
    thread = thread_html(tree) if post is None else None
    if post is not None:  # drawn by a script from BBCode the page keeps in a data attribute
        title, body = post.headline or title, post.html
    elif thread is not None:
        body = _with_absolute_links(thread, base_url)
    else:
        body = main_content(tree, base_url, title)
    if not title and not body:
        raise InputError(origin, "no title and no readable content in the page")
    description = meta_of.description(meta)
    return Note(
        title=title or Path(origin.path).stem, origin=origin, url=url, source=source,
        created=meta_of.published_time(meta) or meta_of.file_time(mtime),
        tags=meta_of.article_tags(meta), body=body, body_format=BodyFormat.HTML,
        extra=(("description", description),) if description else (),
    )


def _with_absolute_links(fragment: str, base_url: str | None) -> str:
    if not base_url:
        return fragment
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(base_url, resolve_base_href=False)
    return etree.tostring(root, encoding="unicode", method="html")


def main_content(tree: lxml_html.HtmlElement, base_url: str | None, title: str = "") -> str:
    """The page's main content as an HTML fragment, its links and images absolute, without a
    heading that repeats the title (the note's title is shown already)."""
    body = tree.find("body")
    if body is None:
        return ""
    _promote_lazy_images(body)
    drop_class_hidden(body)
    import trafilatura  # imported here: it takes a third of a second, and most runs read no pages

    extracted = trafilatura.extract(tree, url=base_url, **EXTRACTION_OPTIONS) or ""
    kept = _kept_words(body, extracted)
    marked = _permalink_unit(body)
    if marked is None:
        marked = next(iter(LATEXML_DOCUMENT(body)), None)
    root = _content_root(body, kept) if marked is None else marked
    gather_footnotes(body, root)
    formula_images_to_tex(root)
    drop_line_numbers(root)
    drop_boilerplate(root, kept)
    _drop_title_heading(root, title)
    if not root.text_content().strip() and root.find(".//img") is None:
        return ""
    if base_url:
        root.make_links_absolute(base_url, resolve_base_href=False)
    if root is body:
        root.tag = "div"
    return etree.tostring(root, encoding="unicode", method="html", with_tail=False).strip()


def _kept_words(body: lxml_html.HtmlElement, extracted: str) -> WordCounts:
    """For every element, how many of its words are in text the extractor kept."""
    runs = _word_runs(_words(extracted))
    kept: WordCounts = {}
    for element in reversed(list(body.iter(tag=etree.Element))):
        pieces = [element.text] + [child.tail for child in element]
        own = sum(_matched_words(piece, runs) for piece in pieces)
        kept[element] = own + sum(kept[child] for child in element if child in kept)
    return kept


def _words(text: str | None) -> list[str]:
    return WORD.findall(text.casefold()) if text else []


def _word_runs(words: list[str]) -> set[tuple[str, ...]]:
    """Every run of up to RUN_LENGTH consecutive words."""
    return {tuple(words[start:start + length]) for length in range(1, RUN_LENGTH + 1)
            for start in range(len(words) - length + 1)}


def _matched_words(piece: str | None, runs: set[tuple[str, ...]]) -> int:
    """The number of words in a text piece when all its runs of words are in the kept text."""
    words = _words(piece)
    if len("".join(words)) < MIN_MATCHED_TEXT:
        return 0
    length = min(RUN_LENGTH, len(words))
    starts = range(len(words) - length + 1)
    return len(words) if all(tuple(words[start:start + length]) in runs for start in starts) else 0


def _content_root(body: lxml_html.HtmlElement, kept: WordCounts) -> lxml_html.HtmlElement:
    """The deepest element that still holds nearly all the kept text (the body if none is kept)."""
    node = body
    while kept[node]:
        best = max((child for child in node if child in kept), key=kept.__getitem__, default=None)
        if best is None or kept[best] < CONTENT_SHARE * kept[node] or IS_NOT_CONTENT(best):
            break
        node = best
    return node


def _permalink_unit(body: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """On a feed page opened at one post (a note, a status), the one element whose class names
    it the permalinked unit: the other posts around it are the feed."""
    units = PERMALINK_UNIT(body)
    if len(units) != 1 or units[0].find("*") is None:
        return None
    unit = units[0]
    children = list(unit.iterchildren(etree.Element))
    post = max(children, key=lambda child: len(child.text_content()))
    for child in children:  # the byline and the counts of likes around the post go
        if child is not post and (child.text_content().strip() or child.find(".//img") is None):
            child.drop_tree()
    return unit


def _drop_title_heading(root: lxml_html.HtmlElement, title: str) -> None:
    heading = next(root.iter("h1"), None)
    if heading is not None and " ".join(heading.text_content().split()).casefold() == title.casefold():
        heading.drop_tree()


def _promote_lazy_images(body: lxml_html.HtmlElement) -> None:
    """Give lazily loaded images their real address: a data-* attribute, or a <noscript> twin."""
    for image in body.iter("img"):
        lazy = next((image.get(name) for name in LAZY_SOURCES if image.get(name)), None)
        if lazy and _is_placeholder(image):
            image.set("src", lazy)
        for name in LAZY_SOURCES:
            image.attrib.pop(name, None)
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


READER = WebPageReader()
