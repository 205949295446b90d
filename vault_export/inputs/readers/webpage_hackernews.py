"""Hacker News item pages, whose tables of layout say nothing of who answers whom.

The item (a `table.fatitem`) is a story, shown as the link it submits and its text, or a
comment, shown as its author, date and text. Its comments (`table.comment-tree`, each row
indented 40 pixels a level) become quotes nested as the thread is:
`> **user** · [date](link) · N points`, then the comment.
A comment's page is titled "Comment by user: " and the comment's first 50 characters.
"""
from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

ITEM = etree.XPath("//table[contains(concat(' ', @class, ' '), ' fatitem ')]")
COMMENT_ROWS = etree.XPath("//table[contains(concat(' ', @class, ' '), ' comment-tree ')]"
                           "//tr[contains(concat(' ', @class, ' '), ' comtr ')]")
USER = ".//a[contains(@class, 'hnuser')]"
INDENT_PIXELS = 40
TITLE_EXCERPT = 50
DATE = re.compile(r"^\d{4}-\d\d-\d\d")


def hacker_news_thread(tree: lxml_html.HtmlElement) -> str | None:
    """The item and its comments as HTML, when the page is a Hacker News item."""
    items = ITEM(tree)
    if not items:
        return None
    parts = [_item_html(items[0])]
    comments = _comments_html(COMMENT_ROWS(tree))
    if comments:
        parts.append(f"<hr><h2>Comments</h2>{comments}")
    return "".join(part for part in parts if part) or None


def comment_title(tree: lxml_html.HtmlElement) -> str | None:
    """"Comment by user: text..." when the item is a comment."""
    items = ITEM(tree)
    text = _first(items[0], ".//*[contains(@class, 'commtext')]") if items else None
    if text is None or _first(items[0], ".//*[@class='titleline']") is not None:
        return None
    words = " ".join(text.text_content().split())
    excerpt = words if len(words) <= TITLE_EXCERPT else words[:TITLE_EXCERPT] + "..."
    return f"Comment by {_text(items[0], USER)}: {excerpt}"


def _item_html(item: lxml_html.HtmlElement) -> str:
    link = _first(item, ".//*[@class='titleline']/a")
    if link is not None:
        href = html.escape(link.get("href") or "")
        top = _first(item, ".//*[contains(@class, 'toptext')]")
        return f'<p><a href="{href}">{href}</a></p>' + (_inner(top) if top is not None else "")
    text = _first(item, ".//*[contains(@class, 'commtext')]")
    return _byline(item) + _inner(text) if text is not None else ""


def _comments_html(rows: list[lxml_html.HtmlElement]) -> str:
    """Each comment a <blockquote>, its answers nested inside it; a rule between threads (two
    quotes in a row would read as one)."""
    out, depth_stack = [], []
    for row in rows:
        depth = _depth(row)
        while depth_stack and depth_stack[-1] >= depth:
            out.append("</blockquote>")
            depth_stack.pop()
        if out and not depth_stack:
            out.append("<hr>")
        text = _first(row, ".//*[contains(@class, 'commtext')]")
        out.append("<blockquote>" + _byline(row) + (_inner(text) if text is not None else ""))
        depth_stack.append(depth)
    out.extend("</blockquote>" for _ in depth_stack)
    return "".join(out)


def _depth(row: lxml_html.HtmlElement) -> int:
    indent = _first(row, ".//td[contains(@class, 'ind')]")
    if indent is None:
        return 0
    if indent.get("indent", "").isdigit():
        return int(indent.get("indent"))
    spacer = indent.find(".//img")
    width = spacer.get("width", "0") if spacer is not None else "0"
    return int(width) // INDENT_PIXELS if width.isdigit() else 0


def _byline(part: lxml_html.HtmlElement) -> str:
    """**user** · [date](link) · N points"""
    pieces = [f"<strong>{html.escape(_text(part, USER))}</strong>"]
    age = _first(part, ".//*[contains(@class, 'age')]")
    if age is not None:
        date = DATE.match(age.get("title") or "")
        link = age.find(".//a")
        shown = html.escape(date.group(0) if date else " ".join(age.text_content().split()))
        href = html.escape(link.get("href") or "") if link is not None else ""
        pieces.append(f'<a href="{href}">{shown}</a>' if href else shown)
    score = _text(part, ".//*[contains(@class, 'score')]")
    if score:
        pieces.append(html.escape(score))
    return "<p>" + " · ".join(pieces) + "</p>"


def _inner(element: lxml_html.HtmlElement) -> str:
    """The element's content as HTML, in a <div> (HN puts paragraphs in a <span>)."""
    content = (html.escape(element.text or "") +
               "".join(etree.tostring(child, encoding="unicode", method="html")
                       for child in element if not _is_reply_link(child)))
    return f"<div>{content}</div>"


def _is_reply_link(child) -> bool:
    return isinstance(child.tag, str) and "reply" in (child.get("class") or "").split()


def _first(element, path: str):
    found = element.xpath(path)
    return found[0] if found else None


def _text(element, path: str) -> str:
    found = _first(element, path)
    return " ".join(found.text_content().split()) if found is not None else ""
