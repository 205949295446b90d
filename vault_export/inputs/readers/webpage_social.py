"""Titles of social posts, which have none of their own: the page's title names the author.

- An X (Twitter) long-form article shows its title in an element marked `twitter-article-title`.
- Any other X page of posts is "Post by @handle on X", after the first post's author.
- A Hacker News comment's page: "Comment by user: " and the comment's start.
- A Mastodon status's og:title is "Name (@user@instance)": "Post by Name on instance".
"""
from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from vault_export.inputs.readers.webpage_threads import comment_title

ARTICLE_TITLE = etree.XPath("//*[@data-testid='twitter-article-title']")
FIRST_POST_AUTHOR = etree.XPath("(//*[@data-testid='tweet'])[1]//*[@data-testid='User-Name']//a")
FEDIVERSE_AUTHOR = re.compile(r"^(?P<name>.+?) \(@[\w.-]+@(?P<instance>[\w.-]+\.\w+)\)$")
HANDLE = re.compile(r"^@\w+$")


def social_post_title(tree: lxml_html.HtmlElement, og_title: str | None) -> str | None:
    """The title a social post is known by, when the page is one."""
    hacker_news_comment = comment_title(tree)
    if hacker_news_comment:
        return hacker_news_comment
    article_title = ARTICLE_TITLE(tree)
    if article_title:
        return _collapse(article_title[0].text_content()) or None
    handles = [_collapse(link.text_content()) for link in FIRST_POST_AUTHOR(tree)]
    handle = next((text for text in handles if HANDLE.match(text)), None)
    if handle:
        return f"Post by {handle} on X"
    author = FEDIVERSE_AUTHOR.match(og_title or "")
    return f"Post by {author['name']} on {author['instance']}" if author else None


def _collapse(text: str) -> str:
    return " ".join(text.split())
