"""Final clean-up of converted Markdown, and the marks the converter leaves for it.

Whether a space or a line break is wanted often depends on what ends up next to it, which a
`convert_*` method cannot see. The converter writes these marks instead and `tidy` resolves
them once the whole document is known. The marks are Unicode noncharacters, which are
reserved for internal use and are removed from the input before conversion.
"""

import re
import unicodedata
from collections.abc import Callable

from vault_export.convert.fences import fenced_code_lines, fenced_pieces
from vault_export.convert.unescape import drop_needless_escapes

SOFT_SPACE = '\ufdd0'  # one space, merged with neighbouring spaces, dropped at line edges
HARD_BREAK = '\ufdd1'  # a <br>: a backslash line break, unless a paragraph ends there anyway
LINE_START = '\ufdd2'  # the start of a line after a break: spaces after it are dropped
# Beside an emphasis delimiter whose text starts or ends with punctuation: a space if a letter
# or digit is on its other side, since '中**“x”**中' is not emphasis in CommonMark.
FLANK_GUARD = '\ufdd3'
MARKS = SOFT_SPACE + HARD_BREAK + LINE_START + FLANK_GUARD
_EDGE_CHARACTERS = ' \t\r\n' + MARKS  # what strip_marks strips

_SPACES_AFTER_LINE_START = re.compile(f'{LINE_START}[ {SOFT_SPACE}]*')
_SOFT_SPACE_AFTER_INDENT = re.compile(f'^( *){SOFT_SPACE}[ {SOFT_SPACE}]*', re.MULTILINE)
_SOFT_SPACE_RUN = re.compile(f'[ {SOFT_SPACE}]*{SOFT_SPACE}[ {SOFT_SPACE}]*')
_SPACES_BEFORE_BREAK = re.compile(f' +{HARD_BREAK}')
_BREAK_BEFORE_BLANK_LINE = re.compile(f'{HARD_BREAK}(?=\\n[ >{SOFT_SPACE}]*(?:\\n|$)|$)')
_BREAK_AT_LINE_START = re.compile(f'^([ >{SOFT_SPACE}]*){HARD_BREAK}\\n[ >]*', re.MULTILINE)
_BLANK_LINE_RUN = re.compile(r'\n{3,}')
# Not the indent after a quote marker. The pattern starts with a space, not the lookbehind,
# so that the regex engine skips quickly to the next space: ten times quicker.
_SPACE_RUN_IN_LINE = re.compile(r' (?<=[^\s>] ) +(?=\S)')
_LIST_MARKERS = r'(?:(?:[-+*]|\d{1,9}[.)]) +)*'
_QUOTE_START = re.compile(f' *{_LIST_MARKERS}>')
_QUOTE_CONTINUATION = re.compile(r' *>')
_QUOTE_AFTER_BLANK_LINE = re.compile(r'\n\n *>')


def tidy(markdown: str) -> str:
    """Resolve the marks; drop trailing spaces, runs of blank lines and edge blank lines;
    collapse runs of spaces outside code; join blockquotes split only by a blank line; drop
    the backslashes that escape nothing where they landed."""
    # Each pass runs only where what it changes can occur: most notes need few of them.
    if LINE_START in markdown:
        markdown = _SPACES_AFTER_LINE_START.sub('', markdown)
    for step in (_resolve_hard_breaks, _resolve_soft_spaces, _resolve_flank_guards):
        markdown = step(markdown)
    markdown = '\n'.join([line.rstrip() for line in markdown.split('\n')])  # trailing whitespace
    if '\n\n\n' in markdown:  # not in code, whose blank lines show
        markdown = _outside_code_blocks(_collapse_blank_lines, markdown)
    if '  ' in markdown or '\\' in markdown:
        markdown = _outside_code_blocks(_tidy_prose, markdown)
    if _QUOTE_AFTER_BLANK_LINE.search(markdown):
        markdown = _join_adjacent_quotes(markdown)
    return markdown.strip('\n')


def strip_marks(text: str) -> str:
    """Strip whitespace and marks from both ends of a block's text."""
    return text.strip(_EDGE_CHARACTERS)


def split_edges(text: str) -> tuple[str, str, str]:
    """Split text into leading whitespace/marks, content, trailing whitespace/marks."""
    content = strip_marks(text)
    if not content:
        return text, '', ''
    lead = text[:len(text) - len(text.lstrip(_EDGE_CHARACTERS))]
    return lead, content, text[len(lead) + len(content):]


def _resolve_soft_spaces(markdown: str) -> str:
    if SOFT_SPACE not in markdown:
        return markdown
    markdown = _SOFT_SPACE_AFTER_INDENT.sub(_first_group, markdown)
    return _SOFT_SPACE_RUN.sub(' ', markdown)


def _resolve_hard_breaks(markdown: str) -> str:
    if HARD_BREAK not in markdown:
        return markdown
    markdown = _SPACES_BEFORE_BREAK.sub(HARD_BREAK, markdown)
    markdown = _BREAK_BEFORE_BLANK_LINE.sub('', markdown)
    markdown = _BREAK_AT_LINE_START.sub(_first_group, markdown)
    return markdown.replace(HARD_BREAK, '\\')


def _first_group(match: re.Match) -> str:
    """As the template r'\\1', which Python 3.11 expands in Python code, several times slower."""
    return match.group(1)


def _resolve_flank_guards(markdown: str) -> str:
    return re.sub(FLANK_GUARD, _flank_guard_space, markdown) if FLANK_GUARD in markdown else markdown


def _flank_guard_space(guard: re.Match) -> str:
    text, start = guard.string, guard.start()
    neighbours = text[max(start - 1, 0):start] + text[start + 1:start + 2]
    return ' ' if any(_is_word_like(char) for char in neighbours) else ''


def _is_word_like(char: str) -> bool:
    """Neither whitespace nor punctuation, as CommonMark's emphasis rules define them."""
    return not (char in MARKS or char.isspace() or unicodedata.category(char)[0] in 'PS')


def _join_adjacent_quotes(markdown: str) -> str:
    """Join blockquotes that only a blank line separates (Markdown linters flag the blank line)."""
    lines = markdown.split('\n')
    in_code = fenced_code_lines(markdown)
    for index in range(1, len(lines) - 1):
        if lines[index] or in_code[index]:
            continue
        column = _quote_column(lines[index - 1], _QUOTE_START)
        if column is not None and column == _quote_column(lines[index + 1], _QUOTE_CONTINUATION):
            lines[index] = ' ' * column + '>'
    return '\n'.join(lines)


def _quote_column(line: str, pattern: re.Pattern) -> int | None:
    match = pattern.match(line)
    return match.end() - 1 if match else None


def _collapse_blank_lines(markdown: str) -> str:
    return _BLANK_LINE_RUN.sub('\n\n', markdown)


def _tidy_prose(markdown: str) -> str:
    """Runs of spaces inside a line become one, as HTML shows them; needless backslashes go."""
    if '  ' in markdown:
        markdown = _SPACE_RUN_IN_LINE.sub(' ', markdown)
    return drop_needless_escapes(markdown)


def _outside_code_blocks(change: Callable[[str], str], markdown: str) -> str:
    """`change` (which works line by line) applied to all but fenced code."""
    return ''.join(piece if in_code else change(piece) for in_code, piece in fenced_pieces(markdown))
