"""TeX formulas written in text, as arXiv abstracts and AI summaries write them
('$\\Theta_{\\epsilon}(\\log n)$', '\\(x^2\\)'), told apart from dollars that are money ('$5 and $10').

A formula is TeX when it holds a sign of TeX (a command, a brace, a sub- or superscript), is one
letter or number ('$n$', '$2$'), or is made of such and operators ('$d=2$'). Between dollars it
must also be delimited as Pandoc and Obsidian read math: no space just inside a single '$', no
digit just after the closing one. TeX is written as Obsidian's math ('$...$',
'$$...$$'), for Obsidian to typeset; every other '$' stays literal.
"""

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

_SPAN = re.compile(
    r'(?<![\\$])\$\$(?P<display>[^$]+?)(?<!\\)\$\$(?!\$)'
    r'|(?<![\\$])\$(?P<inline>[^\s$](?:[^$]*?[^\s$\\])?)\$(?![$\d])'
    r'|(?<!\\)\\\((?P<paren>[^$]+?)\\\)'
    r'|(?<!\\)\\\[(?P<bracket>[^$]+?)\\\]')
_DISPLAYS = ('display', 'bracket')
_DELIMITED = ('paren', 'bracket')  # by TeX's own delimiters
_TEX_SIGN = re.compile(r'\\[A-Za-z]|[\^_{}]')
_OPERATOR = re.compile(r'[=+\-*/<>]')
# A formula of one-letter names, numbers and operators ('d=2', 'x + y'): no word of prose.
_SYMBOLS = re.compile(r"(?:(?<![A-Za-z])[A-Za-z](?![A-Za-z])|\d+(?:\.\d+)?|[\s=+\-*/<>()',.])+")
_ONE_SYMBOL = re.compile(r'[A-Za-z]|\d+(?:\.\d+)?')
# What would end the formula early or be read before it: a table cell's '|', a code span's
# backtick, HTML, Obsidian's links and comments; and CJK text, which is prose, not a formula.
_NOT_IN_TEX = re.compile(r'[|`]|<[A-Za-z/!?]|\[\[|]]|%%|[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]')
# Stands for a formula while the text around it is escaped: a noncharacter, so no input holds
# it once conversion has removed them, and no escape rule matches it.
_PLACEHOLDER = '\ufdd4'


def may_hold_tex(text: str) -> bool:
    return '$' in text or '\\' in text


def tex_spans(text: str) -> Iterator[re.Match]:
    """The spans of `text` that are TeX formulas, in order."""
    if not may_hold_tex(text):
        return
    position = 0
    while (span := _SPAN.search(text, position)) is not None:
        tex = _is_tex(span)
        if tex:
            yield span
        # A span that is no TeX ('$149, then $x_1$') may end where a formula starts.
        position = span.end() if tex else span.start() + 1


def tex_span_at(text: str, position: int) -> re.Match | None:
    """The TeX formula starting at `position`, if one does."""
    span = _SPAN.match(text, position)
    return span if span is not None and _is_tex(span) else None


def formula_of(span: re.Match) -> tuple[str, bool]:
    """A TeX span's formula, on one line, and whether it is displayed as a block."""
    return ' '.join(span[span.lastgroup].split()), span.lastgroup in _DISPLAYS


def obsidian_math(span: re.Match) -> str:
    """A TeX span as Obsidian's math: '$...$', or '$$...$$' for a displayed formula."""
    tex, display = formula_of(span)
    return f'$${tex}$$' if display else f'${tex}$'


def _is_tex(span: re.Match) -> bool:
    """Whether the span holds TeX: a sign of TeX, one name or number, or an operator, between
    dollars among names and numbers only ('$d=2$'; 'paid $5 and got +$' is prose), between '\\('
    and '\\)' or '\\[' and '\\]' anywhere ('\\[F = ma\\]'; 'write \\( and \\) in a regex' holds none)."""
    formula = span[span.lastgroup].strip()
    if not formula or _NOT_IN_TEX.search(formula):
        return False
    if _TEX_SIGN.search(formula) or _ONE_SYMBOL.fullmatch(formula):
        return True
    if span.lastgroup in _DELIMITED:
        return _OPERATOR.search(formula) is not None
    return _SYMBOLS.fullmatch(formula) is not None and _OPERATOR.search(formula) is not None


def escape_around_tex(text: str, escape: Callable[[str], str]) -> str:
    """`escape(text)`, but for its TeX formulas, which are written as Obsidian's math."""
    spans = list(tex_spans(text)) if _PLACEHOLDER not in text else []
    if not spans:
        return escape(text)
    starts, ends = [0, *(span.end() for span in spans)], [*(span.start() for span in spans), len(text)]
    outside = _PLACEHOLDER.join(text[start:end] for start, end in zip(starts, ends))
    pieces = escape(outside).split(_PLACEHOLDER)
    return ''.join(piece + formula for piece, formula in zip(pieces, [*map(obsidian_math, spans), '']))


def tex_as_text(text: str) -> str:
    """`text` with each TeX span as plain text reads it: 'a $\\texttt{SAILOR}$' -> 'a SAILOR',
    'Dual$^2$' -> 'Dual²', '$\\alpha$' -> 'α'."""
    pieces, position = [], 0
    for span in tex_spans(text):
        pieces += [text[position:span.start()], _plain(formula_of(span)[0])]
        position = span.end()
    return ''.join(pieces) + text[position:]


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
