"""Markdown that someone wrote, such as a language model's summary of a note, as the vault's
Markdown: bold, italics, lists, links, tables and code as written, and TeX (see tex_text) as
formulas; raw HTML, headings and Obsidian's own syntax ('[[', '%%', '#tag') shown literally.

markdown-it reads it as CommonMark, with a single newline as a line break, as Obsidian shows
it; the HTML it makes is converted as every other HTML body is, which escapes what must stay
literal.
"""

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline

from vault_export.convert import html_to_markdown, text_to_markdown
from vault_export.convert.tex_text import tex_span_at

TEX = 'tex_formula'  # the token of a formula
# Text in which none of these occurs reads as Markdown just as it reads as plain text (most
# summaries): marks, links, HTML, entities, escapes, and blocks that a line's start opens.
_MARKDOWN_SIGN = re.compile(r'[\\`*_\[\]<>&~|]|^[ \t]*(?:[-+*>#=]|\d{1,9}[.)])|^(?: {4}|\t)', re.MULTILINE)


def written_markdown_to_markdown(text: str) -> str:
    """Markdown as a person or a model wrote it, as the vault's Markdown."""
    if not _MARKDOWN_SIGN.search(text):
        return text_to_markdown(text)  # reads the same, several times quicker
    return html_to_markdown(_PARSER.render(text)).markdown


def _formula(state: StateInline, silent: bool) -> bool:
    """A TeX formula at the position (see tex_text), read before emphasis and backslash escapes,
    which would take its '*', '_' and '\\{'."""
    if state.src[state.pos] not in '$\\' or (span := tex_span_at(state.src, state.pos)) is None:
        return False
    if span.end() > state.posMax:
        return False
    if not silent:
        state.push(TEX, '', 0).content = span.group()
    state.pos = span.end()
    return True


def _render_formula(renderer, tokens, index, options, env) -> str:
    """The formula as written, as text: the HTML conversion writes it as Obsidian's math, as it
    writes the formulas of every text."""
    return escapeHtml(tokens[index].content)


# Headings are off: a line starting with '#' is shown as written (Obsidian would read a tag).
_PARSER = MarkdownIt('commonmark', {'html': False, 'breaks': True}).enable(['table', 'strikethrough']) \
    .disable(['heading', 'lheading'])
_PARSER.inline.ruler.before('escape', TEX, _formula)
_PARSER.add_render_rule(TEX, _render_formula)
