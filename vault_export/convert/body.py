"""A note's body to Markdown: HTML (parsed, cleaned, converted and tidied) or plain text."""

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bs4 import BeautifulSoup

from vault_export.convert.clean import TreeCleaner
from vault_export.convert.escape import escape_text
from vault_export.convert.markdown import LeanObsidianConverter, ObsidianConverter
from vault_export.convert.parse import discard_tree, parse_html
from vault_export.convert.tidy import tidy
from vault_export.convert.unescape import drop_needless_escapes
from vault_export.convert.urls import WEIBO_BASE_URL, looks_like_weibo
from vault_export.render.tags import normalize_tag

# Control characters, lone surrogates, noncharacters (the converter's own marks live there) and stray BOMs.
_UNUSABLE_CHARACTERS = re.compile(r'[\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]')
_BLANK_LINES = re.compile(r'\n\s*\n')
TOPIC_STYLES = ('tag', 'link', 'text')
# Whether conversions use the libraries' own paths unless told (any value but '' and '0': yes).
PLAIN_LIBRARIES = os.environ.get('VAULT_EXPORT_PLAIN_LIBRARIES', '') not in ('', '0')
_CONVERTERS = {style: LeanObsidianConverter(topics=style) for style in TOPIC_STYLES}
_PLAIN_CONVERTERS = {style: ObsidianConverter(topics=style) for style in TOPIC_STYLES}


@dataclass(frozen=True)
class Converted:
    markdown: str  # clean Markdown body, no trailing newline, '' when empty
    tags: tuple[str, ...]  # normalised tags of the Weibo topics, unique, in order of appearance


def html_to_markdown(
    html: str,
    base_url: str | None = None,
    *,
    tag_rule: Callable[[str], str | None] = normalize_tag,
    topics: str = 'tag',
    topic_link: Callable[[str], str] | None = None,
    plain_libraries: bool | None = None,
) -> Converted:
    """Convert an HTML body to Markdown and collect the tags of its Weibo topics.

    `tag_rule` maps a topic's text (without the surrounding '#') to its tag, or to None to keep
    the topic as literal text. `topics` says what a topic becomes in the body: an inline tag
    ('tag'), a link to the note named after its tag ('link', `[[tag]]`) or literal text ('text');
    its tag is returned in every case. `topic_link`, for 'link', makes the link from the tag
    instead; it must compare by value (a converter is kept for each). Relative links resolve
    against `base_url`, which defaults to https://weibo.com for Weibo markup; other relative
    links become plain text.
    `plain_libraries` parses and converts on the libraries' own paths, which give the same
    Markdown more slowly; None: as VAULT_EXPORT_PLAIN_LIBRARIES says (see the package's doc).
    """
    html = _UNUSABLE_CHARACTERS.sub('', html)
    if base_url is None and looks_like_weibo(html):
        base_url = WEIBO_BASE_URL
    plain = PLAIN_LIBRARIES if plain_libraries is None else plain_libraries
    # The newline changes nothing, and stops bs4 warning that a short body looks like a URL.
    soup = BeautifulSoup(html + '\n', 'lxml') if plain else parse_html(html + '\n')
    tags = TreeCleaner(soup, base_url, tag_rule).clean()
    converter = _linking_converter(plain, topic_link) if topic_link and topics == 'link' else \
        (_PLAIN_CONVERTERS if plain else _CONVERTERS)[topics]
    markdown = tidy(converter.convert_soup(soup))
    if not plain:
        discard_tree(soup)
    return Converted(markdown, tuple(dict.fromkeys(tags)))


@lru_cache(maxsize=64)
def _linking_converter(plain: bool, topic_link: Callable[[str], str]) -> ObsidianConverter:
    return (ObsidianConverter if plain else LeanObsidianConverter)(topics='link', topic_link=topic_link)


def text_to_markdown(text: str) -> str:
    """Plain text to Markdown that shows it literally.

    Blank lines separate paragraphs; other newlines become backslash line breaks.
    """
    text = _UNUSABLE_CHARACTERS.sub('', text.replace('\r\n', '\n').replace('\r', '\n'))
    paragraphs = (_paragraph(block) for block in _BLANK_LINES.split(text))
    return drop_needless_escapes('\n\n'.join(paragraph for paragraph in paragraphs if paragraph))


def _paragraph(block: str) -> str:
    lines = (escape_text(line.strip()) for line in block.split('\n'))
    return '\\\n'.join(line for line in lines if line)
