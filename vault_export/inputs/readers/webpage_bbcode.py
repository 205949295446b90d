"""Pages that carry their post as BBCode inside a data attribute (store and game news pages that
draw the post with a script): the post's headline and its body as HTML.

Such a page's <body> shows no text; an element keeps a JSON list of posts in a `data-*`
attribute, each post an object with a BBCode `body` (`[p]`, `[b]`, `[url=...]`...) and often a
`headline`. The first post with a body is the page's post.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import bbcode
from lxml import html as lxml_html

BBCODE_TAG = re.compile(r"\[(?:p|b|i|u|h[1-6]|url|img|list|olist|quote|code)\b[^\]]*\]", re.IGNORECASE)
JSON_START = re.compile(r"^\s*[\[{]")
YOUTUBE_ID = re.compile(r"^[\w-]+")
# Block tags with an HTML twin, and image placeholders that a site's script resolves (there is
# no address to give them here, so such images are left out).
BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th")
UNRESOLVED_IMAGE = re.compile(r"\{[A-Z_]+\}")


@dataclass(frozen=True)
class Post:
    headline: str
    html: str


def embedded_post(tree: lxml_html.HtmlElement) -> Post | None:
    """The BBCode post a page without visible text keeps in a data attribute, if any."""
    body = tree.find("body")
    if body is None or body.text_content().strip():
        return None
    for value in _data_values(body):
        post = next(_posts(value), None)
        if post is not None:
            return post
    return None


def _data_values(body: lxml_html.HtmlElement) -> Iterator[object]:
    for element in body.iter():
        for name, value in element.attrib.items():
            if name.startswith("data-") and JSON_START.match(value) and BBCODE_TAG.search(value):
                try:
                    yield json.loads(value)
                except ValueError:
                    continue


def _posts(value: object) -> Iterator[Post]:
    """Objects with a BBCode body, depth first; a headline beside the body, or one level up."""
    if isinstance(value, list):
        for item in value:
            yield from _posts(item)
    elif isinstance(value, dict):
        text = value.get("body")
        if isinstance(text, str) and BBCODE_TAG.search(text):
            yield Post(str(value.get("headline") or ""), bbcode_to_html(text))
        for item in value.values():
            for post in _posts(item):
                yield post if post.headline else Post(str(value.get("headline") or ""), post.html)


def bbcode_to_html(text: str) -> str:
    return _parser().format(text.strip())


@lru_cache(maxsize=1)
def _parser() -> bbcode.Parser:
    parser = bbcode.Parser(replace_links=False)
    for tag in BLOCK_TAGS:
        parser.add_simple_formatter(tag, f"<{tag}>%(value)s</{tag}>", strip=tag != "p")
    parser.add_simple_formatter("strike", "<s>%(value)s</s>")
    parser.add_simple_formatter("olist", "<ol>%(value)s</ol>", transform_newlines=False, strip=True)
    parser.add_formatter("img", _image, replace_links=False, replace_cosmetic=False)
    parser.add_formatter("previewyoutube", _youtube, standalone=False)
    return parser


def _image(tag_name, value, options, parent, context) -> str:
    src = value.strip()
    return "" if UNRESOLVED_IMAGE.search(src) else f'<img src="{src}" alt="">'


def _youtube(tag_name, value, options, parent, context) -> str:
    """A YouTube preview as the image Obsidian shows as the video."""
    match = YOUTUBE_ID.match(options.get(tag_name, ""))
    return f'<img src="https://www.youtube.com/watch?v={match.group(0)}" alt="">' if match else value
