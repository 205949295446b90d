"""Discussion threads whose markup, not their layout, says who answers whom: Hacker News items and
old Reddit posts.

The item is a story, shown as the link it submits and its text, or a post or comment, shown as
its text (after its byline, for a comment). Its comments become quotes nested as the thread
is: `> **user** · [date](link) · N points`, then the comment; a rule between threads.
A Hacker News comment's page is titled "Comment by user: " and its first 50 characters.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

from lxml import etree
from lxml import html as lxml_html

TITLE_EXCERPT = 50
DATE = re.compile(r"^\d{4}-\d\d-\d\d")
INDENT_PIXELS = 40  # Hacker News indents a comment 40 pixels a level


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@dataclass(frozen=True)
class Site:
    item: etree.XPath  # the story or post the page is about
    comments: etree.XPath  # its comments, in reading order
    user: str  # paths, below an item or comment
    age: str
    score: str
    text: str
    story_link: str | None
    item_byline: bool  # whether the item is shown after its byline, as a comment is
    depth: Callable[[lxml_html.HtmlElement], int]
    permalink: Callable[[lxml_html.HtmlElement], str]


def _indent_depth(row: lxml_html.HtmlElement) -> int:
    indent = _first(row, f".//td[{_has_class('ind')}]")
    if indent is None:
        return 0
    if indent.get("indent", "").isdigit():
        return int(indent.get("indent"))
    spacer = indent.find(".//img")
    width = spacer.get("width", "0") if spacer is not None else "0"
    return int(width) // INDENT_PIXELS if width.isdigit() else 0


def _age_link(part: lxml_html.HtmlElement) -> str:
    link = _first(part, f".//*[{_has_class('age')}]//a")
    return link.get("href", "") if link is not None else ""


HACKER_NEWS = Site(
    item=etree.XPath(f"//table[{_has_class('fatitem')}]"),
    comments=etree.XPath(f"//table[{_has_class('comment-tree')}]//tr[{_has_class('comtr')}]"),
    user=f".//a[{_has_class('hnuser')}]", age=f".//*[{_has_class('age')}]",
    score=f".//*[{_has_class('score')}]", text=f".//*[contains(@class, 'commtext')]",
    story_link=f".//*[{_has_class('titleline')}]/a", item_byline=True, depth=_indent_depth,
    permalink=_age_link)
OLD_REDDIT = Site(
    item=etree.XPath(f"//div[{_has_class('thing')} and {_has_class('link')}]"),
    comments=etree.XPath(f"//*[{_has_class('commentarea')}]//div[{_has_class('thing')}"
                         f" and {_has_class('comment')}]"),
    user=f"./*[{_has_class('entry')}]//a[{_has_class('author')}]",
    age=f"./*[{_has_class('entry')}]//time", score=f"./*[{_has_class('entry')}]//*[{_has_class('score')}]",
    text=f"./*[{_has_class('entry')}]//*[{_has_class('usertext-body')}]/*[{_has_class('md')}]",
    story_link=None, item_byline=False,
    depth=lambda thing: len(thing.xpath(f"ancestor::div[{_has_class('thing')}]")),
    permalink=lambda thing: thing.get("data-permalink", ""))
SITES = (HACKER_NEWS, OLD_REDDIT)


def thread_html(tree: lxml_html.HtmlElement) -> str | None:
    """The item and its comments as HTML, when the page is a thread of a site known here."""
    for site in SITES:
        items = site.item(tree)
        if items:
            comments = _comments_html(site, site.comments(tree))
            parts = [_item_html(site, items[0]), f"<hr><h2>Comments</h2>{comments}" if comments else ""]
            return "".join(parts) or None
    return None


def comment_title(tree: lxml_html.HtmlElement) -> str | None:
    """"Comment by user: text..." when the page's item is a Hacker News comment."""
    items = HACKER_NEWS.item(tree)
    text = _first(items[0], HACKER_NEWS.text) if items else None
    if text is None or _first(items[0], HACKER_NEWS.story_link) is not None:
        return None
    words = " ".join(text.text_content().split())
    excerpt = words if len(words) <= TITLE_EXCERPT else words[:TITLE_EXCERPT] + "..."
    return f"Comment by {_text(items[0], HACKER_NEWS.user)}: {excerpt}"


def _item_html(site: Site, item: lxml_html.HtmlElement) -> str:
    link = _first(item, site.story_link) if site.story_link else None
    if link is not None:
        href = html.escape(link.get("href") or "")
        top = _first(item, f".//*[{_has_class('toptext')}]")
        return f'<p><a href="{href}">{href}</a></p>' + (_inner(top) if top is not None else "")
    text = _first(item, site.text)
    if text is None:
        return ""
    return (_byline(site, item) if site.item_byline else "") + _inner(text)


def _comments_html(site: Site, comments: list[lxml_html.HtmlElement]) -> str:
    """Each comment a <blockquote>, its answers nested inside it; a rule between threads (two
    quotes in a row would read as one)."""
    out, depth_stack = [], []
    for comment in comments:
        depth = site.depth(comment)
        while depth_stack and depth_stack[-1] >= depth:
            out.append("</blockquote>")
            depth_stack.pop()
        if out and not depth_stack:
            out.append("<hr>")
        text = _first(comment, site.text)
        out.append("<blockquote>" + _byline(site, comment) + (_inner(text) if text is not None else ""))
        depth_stack.append(depth)
    out.extend("</blockquote>" for _ in depth_stack)
    return "".join(out)


def _byline(site: Site, part: lxml_html.HtmlElement) -> str:
    """**user** · [date](link) · N points"""
    pieces = [f"<strong>{html.escape(_text(part, site.user))}</strong>"]
    age = _first(part, site.age)
    if age is not None:
        date = DATE.match(age.get("title") or age.get("datetime") or "")
        shown = html.escape(date.group(0) if date else " ".join(age.text_content().split()))
        href = html.escape(site.permalink(part))
        pieces.append(f'<a href="{href}">{shown}</a>' if href else shown)
    score = _text(part, site.score)
    if score:
        pieces.append(html.escape(score))
    return "<p>" + " · ".join(pieces) + "</p>"


def _inner(element: lxml_html.HtmlElement) -> str:
    """The element's content as HTML, in a <div> (Hacker News puts paragraphs in a <span>)."""
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
