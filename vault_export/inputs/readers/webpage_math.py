"""Formulas that a page shows as images: the TeX they were drawn from, as MathJax's script form
(`<script type="math/tex">`), which the converter writes as `$...$` or `$$...$$`.

The TeX is the image's alt text when that holds a TeX command (`\\frac`, `\\alpha`), or when
it has no word of prose and the image calls itself a formula (a class that says latex, tex or math, an address
that says latex); else it
is in the address of a service that draws TeX: the query ('svg.image?\\frac{a}{b}'), one of its
parameters ('chart?cht=tx&chl=...', 'latex.php?latex=...') or the last part of the path.
An image alone in its paragraph is a displayed formula, one within text an inline one.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

TEX_COMMAND = re.compile(r"\\[a-zA-Z]{2,}|\\[{}|,;!]")
FORMULA_CLASS = re.compile(r"^(?:latex|tex|math|formula|equation)", re.IGNORECASE)
FORMULA_ADDRESS = re.compile(r"latex|mathtex|[?&]cht=tx\b|/tex[/?]", re.IGNORECASE)
# A word of four letters or more, not a TeX command: alt text that describes the formula in
# words ("E equals mc squared") rather than writes it.
PROSE_WORD = re.compile(r"(?<![\\a-zA-Z])[a-zA-Z]{4,}")
BLOCKS = ("p", "div", "figure", "center", "dd", "li", "td")


def formula_images_to_tex(root: lxml_html.HtmlElement) -> None:
    for image in list(root.iter("img")):
        tex = _tex_of(image)
        if tex and image.getparent() is not None:
            _replace(image, tex)


def _tex_of(image: lxml_html.HtmlElement) -> str | None:
    alt = " ".join((image.get("alt") or "").split())
    src = image.get("src") or ""
    says_formula = bool(FORMULA_ADDRESS.search(src)) or \
        any(FORMULA_CLASS.match(name) for name in (image.get("class") or "").split())
    if alt and (TEX_COMMAND.search(alt) or says_formula and not PROSE_WORD.search(alt)):
        return alt
    in_address = (text for text in _address_parts(src) if TEX_COMMAND.search(text))
    return next(in_address, None)


def _address_parts(src: str) -> list[str]:
    """Where a TeX-drawing service keeps the formula: parameters, the query, the last path part."""
    parts = urlsplit(src)
    if parts.scheme not in ("http", "https", ""):
        return []
    values = [value for _, value in parse_qsl(parts.query)]
    return [*values, unquote(parts.query), unquote(parts.path.rsplit("/", 1)[-1])]


def _replace(image: lxml_html.HtmlElement, tex: str) -> None:
    display = _alone_in_block(image)
    script = lxml_html.Element("script", type="math/tex; mode=display" if display else "math/tex")
    script.text = tex
    script.tail = image.tail
    image.getparent().replace(image, script)


def _alone_in_block(image: lxml_html.HtmlElement) -> bool:
    node = image
    while (parent := node.getparent()) is not None and parent.tag in ("a", "span"):
        node = parent
    block = node.getparent()
    if block is None or block.tag not in BLOCKS:
        return False
    others = [child for child in block.iterchildren(etree.Element) if child is not node]
    text = (block.text or "") + (node.tail or "") + "".join(child.tail or "" for child in others)
    return not others and not text.strip()
