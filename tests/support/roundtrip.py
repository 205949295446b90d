"""What a reader sees, in HTML and in Markdown rendered as Obsidian would: to judge a conversion.

``reading_of_html(html)`` and ``reading_of_markdown(markdown)`` give a ``Reading``: the visible
text (whitespace normalised, blocks separated by a space), the marks (bold, italic, strike, code)
with their text, the links (href, text), the images' srcs (a video's poster counts), and the
Obsidian syntax: for HTML the checkboxes (tasks) and the TeX its text writes between dollars
(a command, a brace, a sub- or superscript, or one letter: `$\\Theta(n)$`, `$n$`, which the
conversion is to write as Obsidian math, while `$5 and $10` stays text), for Markdown what CommonMark leaves as text
(``obsidian_syntax``). A faithful conversion gives equal readings. Markdown is rendered by markdown-it-py with CommonMark, GFM
tables and strikethrough; Obsidian's own syntax (tags, highlights, comments, wikilinks, embeds,
math, block ids, footnotes, tasks, callouts) is found in the text CommonMark leaves, escaped
characters excepted.

``needless_escapes(markdown)`` lists the backslashes whose removal changes nothing a reader sees
(rendered HTML and Obsidian syntax alike). Nothing here imports ``vault_export``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment
from markdown_it import MarkdownIt

from vault_export.convert.tex_text import tex_spans

__all__ = ['Reading', 'holds_tex', 'needless_escapes', 'obsidian_syntax', 'reading_of_html', 'reading_of_markdown', 'render']

RENDERER = MarkdownIt('commonmark').enable(['table', 'strikethrough'])
_TOKENS = MarkdownIt('commonmark').enable(['table', 'strikethrough']).disable('text_join')
_MARKS = {'b': 'bold', 'strong': 'bold', 'i': 'italic', 'em': 'italic', 's': 'strike', 'del': 'strike',
          'strike': 'strike', 'code': 'code', 'kbd': 'code', 'samp': 'code', 'pre': 'code'}
_BLOCKS = frozenset('p div section article blockquote ul ol li dl dt dd table thead tbody tfoot tr td th '
                    'h1 h2 h3 h4 h5 h6 pre hr br header footer figure figcaption main aside nav'.split())
_HIDDEN = frozenset({'script', 'style', 'template', 'head', 'title', 'noscript'})
_WHITESPACE = re.compile(r'\s+')
_ESCAPED = '\x00'  # put before an escaped character, so that no Obsidian pattern matches it
# Obsidian's syntax inside text, as a reader of the source sees it ('\x00' marks an escaped sign).
_OBSIDIAN = {
    'tag': re.compile(r'(?:^|(?<=\s))#[^\s!-,.:-@\[-^`{-~\u2000-\u206f\u2e00-\u2e7f\x00]+'),
    'highlight': re.compile(r'(?<!\x00)==(?=[^\s=])(?:[^\x00]|\x00.)*?(?<=[^\s=\x00])==(?!=)'),
    'comment': re.compile(r'(?<!\x00)%%'),  # unclosed, it hides the rest of the note
    # Link scanners such as obsidiantools find '[[' unless both brackets are escaped.
    'wikilink': re.compile(r'(?<!\x00)\[\x00?\[|\x00\[\['),
    'math': re.compile(r'(?<!\x00)\$\$(?:[^\x00]|\x00.)+?(?<!\x00)\$\$'
                       r'|(?<![$\x00])\$(?=[^\s$])(?:[^$\x00]|\x00.)*?(?<=[^\s\x00])\$'),
    'block id': re.compile(r'(?:^|(?<=\s))\^[A-Za-z0-9-]+\s*$'),
    'footnote': re.compile(r'(?<!\x00)\[\^|(?<!\x00)\^\['),
}
# TeX written in text: '$' then no space, '$' after no space and before no digit (money: '$5-$8').
_TEX_IN_TEXT = re.compile(r'(?<![$\\])\$(?=[^\s$])([^$]*?)(?<=\S)\$(?![\d$])')
_TEX_SIGN = re.compile(r'[\\{}^_]|^[A-Za-z]$')
_CODE = frozenset({'code', 'pre', 'kbd', 'samp'})
_TASK_BOX = re.compile(r'^((?:> ?)*[ \t]*(?:[-*+]|\d{1,9}[.)]) )\[[ xX]\] ', re.MULTILINE)
_TASK = re.compile(r'\[.\](?:\s|$)')
_CALLOUT = re.compile(r'\[!')


@dataclass
class Reading:
    text: str
    marks: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    obsidian: list[tuple[str, str]] = field(default_factory=list)


def render(markdown: str) -> str:
    return RENDERER.render(markdown)


def reading_of_markdown(markdown: str) -> Reading:
    # A task's box is Obsidian syntax (found by obsidian_syntax), not text the item shows.
    reading = reading_of_html(render(_TASK_BOX.sub(r'\1', markdown)))
    reading.obsidian = obsidian_syntax(markdown)
    return reading


def reading_of_html(html: str) -> Reading:
    soup = BeautifulSoup(html, 'lxml')
    reading = Reading(_normalised(_visible_text(soup)))
    for element in soup.find_all(True):
        name = element.name
        if _is_hidden(element):
            continue
        kind = _MARKS.get(name)
        if kind and not _has_ancestor_kind(element, kind):
            text = _normalised(_visible_text(element))
            if text:
                reading.marks.append((kind, text))
        elif name == 'a' and element.get('href'):
            reading.links.append((element['href'], _normalised(_visible_text(element))))
        elif name == 'img' and element.get('src'):
            reading.images.append(element['src'])
        elif name == 'video':  # a reader sees the poster, and a player of the video
            source = element.get('src') or next((item['src'] for item in element.find_all('source', src=True)), None)
            reading.images += [url for url in (element.get('poster'), source) if url]
        elif name == 'input' and element.get('type') == 'checkbox':
            reading.obsidian.append(('task', '[x]' if element.has_attr('checked') else '[ ]'))
    reading.marks = _merged(reading.marks)
    reading.obsidian += _tex_in_text(soup)
    return reading


def _tex_in_text(soup) -> list[tuple[str, str]]:
    texts = (node for node in soup.find_all(string=True) if type(node) is NavigableString
             and not any(parent.name in _CODE or parent.name in _HIDDEN for parent in node.parents))
    return [('math', found.group(0)) for text in texts for found in _TEX_IN_TEXT.finditer(text)
            if _TEX_SIGN.search(found.group(1))]


def _merged(marks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Per kind, all its marked text run together without whitespace: '<i>a</i><i>b</i>' and
    '<i>ab</i>' look the same."""
    kinds = {}
    for kind, text in marks:
        kinds[kind] = kinds.get(kind, '') + _WHITESPACE.sub('', text)
    return sorted(kinds.items())


def holds_tex(text: str) -> bool:
    """Whether the text writes a TeX formula by the converter's own rule, which becomes Obsidian's
    math (tests/test_tex_and_summaries.py checks that rule both ways): what the properties of
    text that must stay text leave out."""
    return any(tex_spans(text))


def obsidian_syntax(markdown: str) -> list[tuple[str, str]]:
    """Obsidian syntax that CommonMark leaves as text: (kind, what matched), in order."""
    found = []
    tokens = _TOKENS.parse(markdown)
    for index, token in enumerate(tokens):
        if token.type != 'inline':
            continue
        text = _source_text(token)
        found += [(kind, match.group()) for kind, pattern in _OBSIDIAN.items() for match in pattern.finditer(text)]
        opener = tokens[index - 2] if index >= 2 else None
        if opener is not None and opener.type == 'list_item_open' and _TASK.match(text):
            found.append(('task', text[:3]))
        if _quote_starts_at(tokens, index) and _CALLOUT.match(text):
            found.append(('callout', text[:2]))
    return found


def needless_escapes(markdown: str) -> list[str]:
    """Each backslash before punctuation whose removal changes neither the rendered HTML nor the
    Obsidian syntax, shown with some context."""
    expected = (render(markdown), obsidian_syntax(markdown))
    needless = []
    for match in re.finditer(r'\\(?=[!-/:-@\[-`{-~])', markdown):
        position = match.start()
        if position and markdown[position - 1] == '\\' and _escaped_at(markdown, position - 1):
            continue  # this backslash is itself escaped
        changed = markdown[:position] + markdown[position + 1:]
        if (render(changed), obsidian_syntax(changed)) == expected:
            needless.append(markdown[max(0, position - 12):position + 12])
    return needless


def _escaped_at(markdown: str, position: int) -> bool:
    """Whether the backslash at `position` escapes the next character (an odd run ends there)."""
    run = len(markdown[:position + 1]) - len(markdown[:position + 1].rstrip('\\'))
    return run % 2 == 1


def _source_text(inline) -> str:
    """The text of an inline token's children outside code, links' destinations and autolinks,
    with escaped characters marked and line breaks as newlines."""
    parts, in_autolink = [], False
    for child in inline.children or ():
        if child.type == 'link_open':
            in_autolink = child.markup == 'autolink'
        elif child.type == 'link_close':
            in_autolink = False
        elif in_autolink:
            continue
        elif child.type == 'text':
            parts.append(child.content)
        elif child.type == 'text_special':  # an escaped character or an entity
            parts.append(_ESCAPED + child.content)
        elif child.type in ('softbreak', 'hardbreak'):
            parts.append('\n')
        elif child.type == 'code_inline':
            parts.append(' ')
    return ''.join(parts)


def _quote_starts_at(tokens, index: int) -> bool:
    return index >= 2 and tokens[index - 1].type == 'paragraph_open' and tokens[index - 2].type == 'blockquote_open'


def _visible_text(element) -> str:
    parts = []
    for node in element.descendants:
        if isinstance(node, Comment) or not isinstance(node, NavigableString):
            if isinstance(node, Tag) and node.name in _BLOCKS:
                parts.append(' ')
            continue
        if not _is_hidden(node.parent):
            parts.append(str(node))
    return ''.join(parts)


def _is_hidden(element) -> bool:
    return any(isinstance(parent, Tag) and parent.name in _HIDDEN for parent in [element, *element.parents])


def _has_ancestor_kind(element: Tag, kind: str) -> bool:
    return any(_MARKS.get(parent.name) == kind for parent in element.parents)


def _normalised(text: str) -> str:
    return _WHITESPACE.sub(' ', text).strip()
