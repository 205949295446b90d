"""TeX written between dollars in text, as arXiv abstracts and AI summaries write formulas
('$\\Theta_{\\epsilon}(\\log n)$'), told apart from dollars that are money ('$5 and $10').

A span is TeX when it is delimited as Pandoc and Obsidian read math (no space just inside a
single '$', no digit just after the closing one) and holds a sign of TeX: a command, a brace,
a sub- or superscript, or it is one letter ('$n$'). It is kept as written, so that Obsidian
typesets it; every other '$' stays literal.
"""

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

_SPAN = re.compile(
    r'(?<![\\$])(?:\$\$(?P<display>[^$]+?)(?<!\\)\$\$'
    r'|\$(?P<inline>[^\s$](?:[^$]*?[^\s$\\])?)\$)(?![$\d])')
_TEX_SIGN = re.compile(r'\\[A-Za-z]|[\^_{}]|^[A-Za-z]$')
# What would end the formula early or be read before it: a table cell's '|', a code span's
# backtick, HTML, Obsidian's links and comments; and CJK text, which is prose, not a formula.
_NOT_IN_TEX = re.compile(r'[|`\n]|<[A-Za-z/!?]|\[\[|]]|%%|[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]')
# Stands for a formula while the text around it is escaped: a noncharacter, so no input holds
# it once conversion has removed them, and no escape rule matches it.
_PLACEHOLDER = '\ufdd4'


def tex_spans(text: str) -> Iterator[re.Match]:
    """The '$...$' and '$$...$$' spans of `text` that are TeX, in order."""
    if '$' not in text:
        return
    for match in _SPAN.finditer(text):
        if is_tex(_formula(match)):
            yield match


def tex_span_at(text: str, position: int) -> re.Match | None:
    """The TeX span starting at `position`, if one does."""
    match = _SPAN.match(text, position)
    return match if match is not None and is_tex(_formula(match)) else None


def is_tex(formula: str) -> bool:
    """Whether the text between the dollars reads as a TeX formula."""
    return _TEX_SIGN.search(formula) is not None and _NOT_IN_TEX.search(formula) is None


def escape_around_tex(text: str, escape: Callable[[str], str]) -> str:
    """`escape(text)`, but for its TeX spans, which are kept as they are."""
    spans = list(tex_spans(text)) if _PLACEHOLDER not in text else []
    if not spans:
        return escape(text)
    starts, ends = [0, *(span.end() for span in spans)], [*(span.start() for span in spans), len(text)]
    outside = _PLACEHOLDER.join(text[start:end] for start, end in zip(starts, ends))
    pieces = escape(outside).split(_PLACEHOLDER)
    return ''.join(piece + formula for piece, formula in zip(pieces, [*(span.group() for span in spans), '']))


def _formula(span: re.Match) -> str:
    return span['inline'] if span['inline'] is not None else span['display']


def tex_as_text(text: str) -> str:
    """`text` with each TeX span as plain text reads it: 'a $\\texttt{SAILOR}$' -> 'a SAILOR',
    'Dual$^2$' -> 'Dual²', '$\\alpha$' -> 'α'."""
    if '$' not in text:
        return text
    return _SPAN.sub(lambda span: _plain(_formula(span)) if is_tex(_formula(span)) else span.group(), text)


def _plain(formula: str) -> str:
    text = _plain_reader().latex_to_text(formula)
    text = _SCRIPT_DIGITS.sub(lambda digits: digits[2].translate(_SCRIPTS[digits[1]]), text)
    return text.replace('^', '')


_SCRIPT_DIGITS = re.compile(r'([\^_])(\d+)')
_SCRIPTS = {'^': str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'), '_': str.maketrans('0123456789', '₀₁₂₃₄₅₆₇₈₉')}


@lru_cache(maxsize=1)
def _plain_reader():
    """pylatexenc's reader of TeX as text, made on first use (few texts hold TeX); it drops
    \\texttt's argument unless told to keep it."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
    context = get_default_latex_context_db()
    context.add_context_category('kept', prepend=True, macros=[MacroTextSpec('texttt', discard=False)])
    return LatexNodes2Text(latex_context=context, math_mode='verbatim')
