"""Markdown that someone wrote, such as a language model's summary of a note, as the vault's
Markdown: bold, italics, lists, links, tables and code as written, and TeX between dollars as
formulas; raw HTML, headings and Obsidian's own syntax ('[[', '%%', '#tag') shown literally.

markdown-it reads it as CommonMark, with a single newline as a line break, as Obsidian shows
it; the HTML it makes is converted as every other HTML body is, which escapes what must stay
literal.
"""

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from vault_export.convert import html_to_markdown
from vault_export.convert.tex_text import tex_span_at

TEX = 'tex_formula'  # the token of a formula


def written_markdown_to_markdown(text: str) -> str:
    """Markdown as a person or a model wrote it, as the vault's Markdown."""
    return html_to_markdown(_PARSER.render(text)).markdown


def _formula(state: StateInline, silent: bool) -> bool:
    """A TeX span at the position (see tex_text); before emphasis, which would read its '*' and '_'."""
    if state.src[state.pos] != '$' or (span := tex_span_at(state.src, state.pos)) is None:
        return False
    if span.end() > state.posMax:
        return False
    if not silent:
        token = state.push(TEX, '', 0)
        token.content = span['inline'] if span['inline'] is not None else span['display']
        token.meta = {'display': span['inline'] is None}
    state.pos = span.end()
    return True


def _render_formula(renderer, tokens, index, options, env) -> str:
    """As MathJax 2 writes a formula, which the HTML conversion turns back into `$...$` or `$$...$$`."""
    token = tokens[index]
    kind = 'math/tex; mode=display' if token.meta['display'] else 'math/tex'
    return f'<script type="{kind}">{token.content}</script>'  # tex_text lets no '</' into a formula


# Headings are off: a line starting with '#' is shown as written (Obsidian would read a tag).
_PARSER = MarkdownIt('commonmark', {'html': False, 'breaks': True}).enable(['table', 'strikethrough']) \
    .disable(['heading', 'lheading'])
_PARSER.inline.ruler.before('escape', TEX, _formula)
_PARSER.add_render_rule(TEX, _render_formula)
