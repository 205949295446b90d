"""What on a page is not its content: navigation and other parts by their element or role, parts
hidden by style or by utility classes, boxes around the post named by their class (related
posts, newsletter, share, call to action), and tables of contents.
"""
from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# Parts of a page that are never its content, and parts that are not unless they hold it all
# (a page may hide its text until a script shows it, or wrap everything in one form). MathJax 2
# keeps formulas in scripts of type math/tex: the converter makes them TeX.
NOT_CONTENT = ("self::nav or self::footer or self::script[not(starts-with(@type, 'math/tex'))] or"
               " self::style or self::template or"
               " @role='navigation' or @role='banner' or @role='contentinfo' or"
               " @role='complementary' or @role='search'")
REGEX_NAMESPACE = {"re": "http://exslt.org/regular-expressions"}
IS_NOT_CONTENT = etree.XPath(f"boolean(self::*[{NOT_CONTENT}])")
HIDDEN_OR_FORM = (r"self::form or @hidden or"
                  r" re:test(@style, 'display\s*:\s*none|visibility\s*:\s*hidden', 'i')")
# Parts whose class or id names them as what surrounds a post: links to other posts, sign-up
# and share boxes, calls to action (words of a name are split at '-' and '_': css-related-box).
CHROME_WORDS = frozenset({"related", "newsletter", "subscribe", "subscription", "signup", "cta",
                          "share", "sharing", "promo", "recommended", "sponsored", "toc"})
OUTER_LISTS = etree.XPath(".//*[self::ul or self::ol][not(ancestor::ul or ancestor::ol)]")
MIN_CONTENTS_LINKS = 3
HEADING_IDS = etree.XPath("//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
                          " or self::section or parent::h2 or parent::h3 or parent::h4]/@id")
FOLDING_WORDS = frozenset({"callout", "collapse", "collapsible", "accordion", "spoiler", "expandable"})
CLASS_WORD = re.compile(r"[a-z0-9]+")
CLASSED_PARTS = etree.XPath(".//*[@class or @id]")
NOT_CONTENT_PARTS = etree.XPath(f".//*[{NOT_CONTENT}]")
HIDDEN_PARTS_AND_FORMS = etree.XPath(f".//*[{HIDDEN_OR_FORM}]", namespaces=REGEX_NAMESPACE)
# Utility classes that hide an element on a desktop screen: Tailwind's `hidden` (unless a
# `md:block`-like class shows it again) or `md:hidden`, Bootstrap's `d-none`. Such parts are
# screen-reader or mobile copies that would double the text.
HIDING_CLASS = re.compile(r"^(?:hidden|d-none|[\w-]+:hidden)$")
SHOWING_CLASS = re.compile(r"^(?:[\w-]+:(?:block|flex|inline|inline-block|grid|table|contents)"
                           r"|d-[\w]+-(?:block|flex|inline|inline-block|grid|table))$")


def drop_boilerplate(root: lxml_html.HtmlElement, kept: dict[lxml_html.HtmlElement, int]) -> None:
    """Drop from the content root what is not content; `kept` counts, for each element, the
    words of it the extractor kept (a part holding most of them stays, whatever it is)."""
    for element in NOT_CONTENT_PARTS(root):
        element.drop_tree()
    for element in CLASSED_PARTS(root):
        names = f'{element.get("class") or ""} {element.get("id") or ""}'.split()
        if any(_names_chrome(name) for name in names) and kept.get(element, 0) <= kept[root] / 2 \
                and element.getparent() is not None:
            _drop_with_emptied_parents(element, root)
    for element in HIDDEN_PARTS_AND_FORMS(root):
        if kept.get(element, 0) <= kept[root] / 2 and not _is_folded(element):
            element.drop_tree()
    for contents in [listed for listed in OUTER_LISTS(root) if _is_table_of_contents(listed)]:
        _drop_with_emptied_parents(contents, root)


def _drop_with_emptied_parents(element: lxml_html.HtmlElement, root: lxml_html.HtmlElement) -> None:
    """Drop the element, and the elements around it that it leaves showing nothing (the
    cells of a layout table, say)."""
    while (parent := element.getparent()) is not None and element is not root:
        element.drop_tree()
        if parent is root or parent.text_content().strip() or parent.find(".//img") is not None:
            return
        element = parent


def _is_table_of_contents(listed: lxml_html.HtmlElement) -> bool:
    """A list of links, nothing else, each to a heading of this page (the note has its outline)."""
    links = listed.findall(".//a")
    if len(links) < MIN_CONTENTS_LINKS or any(not (link.get("href") or "").startswith("#") for link in links):
        return False
    targets = set(HEADING_IDS(listed))
    linked_text = sum(len("".join(link.text_content().split())) for link in links)
    return {link.get("href")[1:] for link in links} <= targets and \
        linked_text >= 0.9 * len("".join(listed.text_content().split()))


def _is_folded(element: lxml_html.HtmlElement) -> bool:
    """Whether a hidden part is the folded body of a callout, accordion or spoiler, which a
    click opens (and which the note shows, as a <details> would)."""
    parent = element.getparent()
    names = f'{element.get("class") or ""} {parent.get("class") or "" if parent is not None else ""}'
    return bool(FOLDING_WORDS.intersection(CLASS_WORD.findall(names.lower())))


def _names_chrome(name: str) -> bool:
    """Whether a class or id names a part around the post; 'h1-related', like 'X-related' in
    prose, says related to something, not related posts."""
    words = CLASS_WORD.findall(name.lower())
    return bool(CHROME_WORDS.intersection(words)) and not (len(words) > 1 and words[-1] == "related")


def drop_class_hidden(body: lxml_html.HtmlElement) -> None:
    """Drop what utility classes hide, before the extractor reads it; unless it is most of the
    page (a page may hide its text until a script shows it)."""
    page_length = len(body.text_content())
    for element in body.xpath(".//*[@class]"):
        classes = element.get("class").split()
        hidden = any(HIDING_CLASS.match(name) for name in classes) and \
            not any(SHOWING_CLASS.match(name) for name in classes)
        if hidden and element.getparent() is not None and \
                len(element.text_content()) <= page_length / 2:
            element.drop_tree()
