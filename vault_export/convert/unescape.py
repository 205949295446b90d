"""Drop the backslashes that change nothing, once the whole Markdown is known.

escape.py escapes each piece of text without knowing where it lands, so it escapes every sign
that could be markup somewhere: a '-' that may start a line, a '[' that may open a link. Once
the document is assembled, whether a sign is markup is decided by what is around it: its line
(a '-' starts a list only at the start of one), its block (a '$' is math only with a second
one, a '[' a link only when its ']' is followed by '('). Every rule here keeps a backslash
whenever it cannot tell: a needless backslash is noise in Obsidian's source view, a missing
one changes what the note shows.

Code, math, autolinks and link destinations are left alone: all text signs are escaped, so
an unescaped backtick, '$' or '<' is markup the converter wrote.
"""

import re
import unicodedata
from bisect import bisect_right
from functools import cached_property
from html.entities import html5

from vault_export.convert.fences import fenced_pieces

_ESCAPE = re.compile(r'\\[!-/:-@\[-`{-~]')
_TOKEN = re.compile(r'\\(?P<sign>[!-/:-@\[-`{-~])|(?P<ticks>`+)|(?P<dollars>\$+)|<[^<>\s]*>|\]\([^)\s]*\)')
# A line's container markers (quotes, list items) and indent: what follows starts its content.
_LINE_PREFIX = re.compile(r'(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*')
_LIST_NUMBER = re.compile(r'\d{1,9}')
_ENDS_LINE = re.compile(r'[ \t]|$')
_ONLY_SIGNS = {sign: re.compile(f'(?:[ \\t]*\\\\?{re.escape(sign)})*[ \\t]*$') for sign in '-*_='}
_BLOCK_ID = re.compile(r'[A-Za-z0-9-]+[ \t]*$')
_ENTITY = re.compile(r'&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|(\w+;))')
# A table's delimiter row, as GFM reads it: cells of '-' (and ':'), at least one '|'.
_DELIMITER_ROW = re.compile(r'[ >]*(?=[^\n]*\|)\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$')
_TAG_CHARACTER = re.compile(r'[^\s!-,.:-@\[-^`{-~\u2000-\u206f\u2e00-\u2e7f]')
# The converter's tables: every row starts with '|'. A cell is inline text on its own.
_TABLE_ROW = re.compile(r'[ >]*\|')
_CELL = re.compile(r'((?<!\\)\|)')
_HTML_OR_AUTOLINK_START = re.compile(r'[A-Za-z/!?]')


def drop_needless_escapes(markdown: str) -> str:
    """The Markdown without the backslashes whose removal would not change what Obsidian shows."""
    if not _ESCAPE.search(markdown):
        return markdown
    return ''.join(piece if in_code else _in_blocks(piece) for in_code, piece in fenced_pieces(markdown))


def _in_blocks(text: str) -> str:
    """Each run of lines between blank lines on its own: no inline markup spans a blank line.
    (A quote's blank lines, '>', do not split a run: a longer run only keeps more backslashes.)"""
    return '\n\n'.join([_in_block(block) for block in text.split('\n\n')])


def _in_block(block: str, in_table: bool = False) -> str:
    if '\\' not in block or not _ESCAPE.search(block) or block.startswith(('    ', '\t')):
        return block  # an indent of four may make code, where a backslash shows
    if not in_table and _TABLE_ROW.match(block):
        return '\n'.join(''.join(_in_block(cell, True) for cell in _CELL.split(row)) for row in block.split('\n'))
    context = _Block(block, in_table)
    parts, position = [], 0
    for index in context.escapes():
        if not context.needed(index):
            parts.append(block[position:index])
            position = index + 1
    parts.append(block[position:])
    return ''.join(parts)


class _Block:
    """A run of lines, and what the rules need to know about it."""

    def __init__(self, text: str, in_table: bool):
        self.text, self.in_table = text, in_table  # in_table: the text of one table cell
        self._runs = {}

    @cached_property
    def line_starts(self) -> list[int]:
        return [0] + [match.end() for match in re.finditer('\n', self.text)]

    @cached_property
    def _link_brackets(self) -> tuple[list[int], list[int]]:
        """The positions of the converter's (unescaped) brackets, and the depth after each."""
        positions, depths, depth = [], [], 0
        for match in re.finditer(r'\\.|[\[\]]', self.text):
            sign = match.group()
            if sign == '[' or sign == ']' and depth:
                depth += 1 if sign == '[' else -1
                positions.append(match.start())
                depths.append(depth)
        return positions, depths

    def escapes(self):
        """The index of each backslash escape outside code, math, autolinks and destinations."""
        text, position = self.text, 0
        while match := _TOKEN.search(text, position):
            position = match.end()
            if match['sign']:
                yield match.start()
            elif match['ticks'] or match['dollars']:
                run = match.group()
                closing = re.compile(f'(?<![\\\\{run[0]}]){re.escape(run)}(?!{re.escape(run[0])})')
                end = closing.search(text, position)
                position = end.end() if end else position

    def needed(self, index: int) -> bool:
        sign = self.text[index + 1]
        rule = _RULES.get(sign)
        return True if rule is None else rule(self, index)

    # What surrounds the escaped sign at `index` (its backslash's index).
    def line_of(self, index: int) -> tuple[int, int]:
        number = bisect_right(self.line_starts, index) - 1
        start = self.line_starts[number]
        end = self.text.find('\n', start)
        return start, len(self.text) if end < 0 else end

    def content_start(self, index: int) -> int:
        start, _ = self.line_of(index)
        return _LINE_PREFIX.match(self.text, start).end()

    def at_line_start(self, index: int) -> bool:
        return not self.in_table and self.content_start(index) == index

    def rest_of_line(self, index: int) -> str:
        _, end = self.line_of(index)
        return self.text[index + 2:end]

    def before(self, index: int) -> str:
        return self.around(index + 1)[0]

    def after(self, index: int) -> str:
        return self.around(index + 1)[1]

    def around(self, position: int) -> tuple[str, str]:
        """The characters before and after the sign at `position` (before its backslash, if
        escaped; the sign after it, if that is escaped); a line break at the block's edges."""
        text = self.text
        start = position - 1 if position and text[position - 1] == '\\' else position
        following = text[position + 1:position + 2]
        if following == '\\' and _ESCAPE.match(text, position + 1):
            following = text[position + 2]
        return (text[start - 1] if start else '\n'), following or '\n'

    def runs(self, sign: str) -> list[tuple[int, int]]:
        """Where runs of `sign`, escaped or not, start (at a backslash) and end."""
        if sign not in self._runs:
            pattern = re.compile(f'(?:\\\\?{re.escape(sign)})+')
            self._runs[sign] = [match.span() for match in pattern.finditer(self.text)]
        return self._runs[sign]

    def run_at(self, position: int) -> tuple[int, int]:
        sign = self.text[position]
        return next((start, end) for start, end in self.runs(sign) if start <= position < end)

    def around_run(self, run: tuple[int, int]) -> tuple[str, str]:
        """The characters before and after a run; the sign, if the one after is escaped."""
        start, end = run
        after = self.text[end:end + 1]
        if after == '\\' and _ESCAPE.match(self.text, end):
            after = self.text[end + 1]
        return (self.text[start - 1] if start else '\n'), after or '\n'

    def unescaped_in(self, run: tuple[int, int]) -> bool:
        text = self.text[run[0]:run[1]]
        return len(text) > 2 * text.count('\\')

    def previous_line(self, index: int) -> str | None:
        start, _ = self.line_of(index)
        if start == 0:
            return None
        previous_start, _ = self.line_of(start - 1)
        return self.text[previous_start:start - 1]

    def open_links(self, index: int) -> int:
        """How many '[' the converter wrote (unescaped) are still open before `index`."""
        positions, depths = self._link_brackets
        before = bisect_right(positions, index - 1)
        return depths[before - 1] if before else 0


def _starts_item(block: _Block, index: int) -> bool:
    """A '-', '+' or '*' at the start of a line's content that would start a list item, a
    thematic break or a setext heading underline."""
    if not block.at_line_start(index):
        return False
    return _ENDS_LINE.match(block.rest_of_line(index)) is not None or _starts_rule(block, index)


def _starts_rule(block: _Block, index: int) -> bool:
    """Whether the line is a thematic break (three '-', '*' or '_') or, after a paragraph's
    line, a setext heading underline ('-' or '=')."""
    sign, rest = block.text[index + 1], block.rest_of_line(index)
    if sign not in _ONLY_SIGNS or not block.at_line_start(index) or not _ONLY_SIGNS[sign].match(rest):
        return False
    return sign in '-=' and block.previous_line(index) is not None or sign != '=' and rest.count(sign) >= 2


def _dash_or_plus(block: _Block, index: int) -> bool:
    if _starts_item(block, index):
        return True
    start, end = block.line_of(index)
    return block.text[index + 1] == '-' and _DELIMITER_ROW.match(block.text[start:end].replace('\\', '')) is not None


def _quote_marker(block: _Block, index: int) -> bool:
    return block.at_line_start(index)


def _setext_or_highlight(block: _Block, index: int) -> bool:
    if _starts_rule(block, index):
        return True
    return _breaks_pair(block, index) and _paired(block, index, _flanking, shortest=2)


def _comment(block: _Block, index: int) -> bool:
    """'%%' opens an Obsidian comment, which runs to the end of the note when not closed."""
    start, end = block.run_at(index + 1)
    return end - start > 2 and _breaks_pair(block, index)


def _strike(block: _Block, index: int) -> bool:
    if block.at_line_start(index) and block.text[index + 2:index + 6] == '\\~\\~':
        return True  # a code fence
    return _breaks_pair(block, index) and _paired(block, index, _flanking, shortest=2)


def _breaks_pair(block: _Block, index: int) -> bool:
    """For '~~', '==' and '%%', which a single sign does not make: whether the escape
    is one of those that leave no two unescaped signs together in its run (from the left: the
    first escape, and each one after an unescaped sign)."""
    start, end = block.run_at(index + 1)
    kept, previous_open = False, False
    for position in range(start, end):
        if block.text[position] == '\\':
            kept = previous_open or not kept
            previous_open = not kept
            if position == index:
                return kept
        elif position == start or block.text[position - 1] != '\\':
            kept, previous_open = False, True
    return True


def _emphasis(block: _Block, index: int) -> bool:
    sign = block.text[index + 1]
    if sign == '*' and _starts_item(block, index):
        return True
    if sign == '_' and _starts_rule(block, index):
        return True
    return _paired(block, index, _underscore_delimiter if sign == '_' else _flanking) or _lint_pair(block, index)


def _lint_pair(block: _Block, index: int) -> bool:
    """markdownlint (MD037) reads two '*' or '_' with a space beside them on one line, as in
    '5 * 3 * 2', as emphasis with spaces inside: the first of them keeps its backslash."""
    run = block.run_at(index + 1)
    before, after = block.around_run(run)
    _, line_end = block.line_of(index)
    return (before.isspace() or after.isspace()) and block.text[index + 1] in block.text[run[1]:line_end]


def _math(block: _Block, index: int) -> bool:
    return _paired(block, index, _math_delimiter)


def _math_delimiter(before: str, after: str, length: int) -> tuple[bool, bool]:
    """'$$' opens and closes display math anywhere; '$' inline math only next to a non-space."""
    return (True, True) if length > 1 else (not after.isspace(), not before.isspace())


def _paired(block: _Block, index: int, delimiter, shortest: int = 1) -> bool:
    """For signs that are markup only in pairs ('*', '_', '~~', '==', '$'): whether the run of
    signs holding the one at `index` may open and a later run may close, or it may close a run
    the converter wrote (unescaped) before it. Escaping the opener of a pair is enough."""
    sign = block.text[index + 1]
    runs = [run for run in block.runs(sign) if block.text.count(sign, *run) >= shortest]
    here = next((number for number, (start, end) in enumerate(runs) if start <= index < end), None)
    if here is None:
        return False
    if block.unescaped_in(runs[here]):
        return True  # next to the converter's own markup, the run would grow

    def may(run, closing):
        return delimiter(*block.around_run(run), block.text.count(sign, *run))[closing]
    if may(runs[here], False) and any(may(run, True) for run in runs[here + 1:]):
        return True
    return may(runs[here], True) and any(may(run, False) and block.unescaped_in(run) for run in runs[:here])


def _flanking(before: str, after: str, length: int = 1) -> tuple[bool, bool]:
    """Whether a delimiter run between these characters is left- and right-flanking (CommonMark)."""
    left = not after.isspace() and (_is_word_like(after) or not _is_word_like(before))
    right = not before.isspace() and (_is_word_like(before) or not _is_word_like(after))
    return left, right


def _underscore_delimiter(before: str, after: str, length: int) -> tuple[bool, bool]:
    """Whether a run of '_' may open and may close: not inside a word (CommonMark)."""
    left, right = _flanking(before, after)
    return left and (not right or not _is_word_like(before)), right and (not left or not _is_word_like(after))


def _is_word_like(char: str) -> bool:
    return not (char.isspace() or unicodedata.category(char)[0] in 'PS')


def _ordered_item(block: _Block, index: int) -> bool:
    """'1.' or '1)' at the start of a line's content; a number but 1 cannot interrupt a
    paragraph, so it is text on a line after a hard line break."""
    start = block.content_start(index)
    number = block.text[start:index]
    if block.in_table or not _LIST_NUMBER.fullmatch(number) or not _ENDS_LINE.match(block.rest_of_line(index)):
        return False
    return int(number) == 1 or not _continues_paragraph(block, index)


def _continues_paragraph(block: _Block, index: int) -> bool:
    previous = block.previous_line(index)
    if previous is None or not _ends_with_hard_break(previous):
        return False
    line_start, _ = block.line_of(index)
    prefix = block.text[line_start:block.content_start(index)]
    previous_prefix = _LINE_PREFIX.match(previous).group()
    content = previous[len(previous_prefix):]
    return previous_prefix == prefix and not content.startswith(('#', '|'))


def _ends_with_hard_break(line: str) -> bool:
    return (len(line) - len(line.rstrip('\\'))) % 2 == 1


def _opening_bracket(block: _Block, index: int) -> bool:
    """'[' opens a link only if its ']' is followed by '(': without reference definitions
    (which stay escaped) '[x]' and '[x][y]' are text. '[[' is a wikilink, '[^' a footnote;
    at a line start, '[x]' is a task in a list item, '[!' a callout in a quote and '[x]:' a
    definition."""
    closing = _after_closing_bracket(block, index + 2)
    if closing == '(' or block.open_links(index):
        return True  # a link may follow, or the converter's link text holds it
    if '[' in (block.before(index), block.after(index)):
        return True  # '[[': link scanners such as obsidiantools take '\\[[' or '[\\[' for a wikilink
    if block.after(index) == '^' or block.before(index) == '^':
        return True  # '[^' a footnote, '^[' an inline one
    if not block.at_line_start(index):
        return False
    line_start, _ = block.line_of(index)
    prefix = block.text[line_start:index]
    task = re.match(r'(?:\\?.)\\?\](?:[ \t]|$)', block.text[index + 2:]) and prefix.strip(' \t>')
    return closing == ':' or bool(task) or block.after(index) == '!' and '>' in prefix


def _after_closing_bracket(block: _Block, position: int) -> str:
    """The character after the ']' that would close a '[' before `position`, '' if none does.
    An escaped ']' closes only where its backslash goes (outside the converter's links)."""
    depth, text = 0, block.text
    for match in re.finditer(r'\\?[\[\]]', text[position:]):
        bracket = match.group()
        if bracket[-1] == '[':
            depth += 1
        elif bracket == '\\]' and block.open_links(position + match.start()):
            continue
        elif depth:
            depth -= 1
        else:
            return text[position + match.end():position + match.end() + 1]
    return ''


def _closing_bracket(block: _Block, index: int) -> bool:
    """']' matters inside a link text the converter wrote."""
    return block.open_links(index) > 0


def _image(block: _Block, index: int) -> bool:
    return block.text[index + 2:index + 3] == '['


def _heading_or_tag(block: _Block, index: int) -> bool:
    if _TAG_CHARACTER.match(block.after(index)):
        return True
    if block.at_line_start(index) and re.match(r'#{0,5}(?:[ \t]|$)', block.rest_of_line(index)):
        return True
    # The closing sequence of a heading; and markdownlint reads '#tag text#' as a closed heading.
    line_start, _ = block.line_of(index)
    in_heading = block.text.startswith('#', block.content_start(line_start))
    return in_heading and block.rest_of_line(index).strip(' \t#') == ''


def _block_id_or_footnote(block: _Block, index: int) -> bool:
    return block.text[index + 2:index + 3] == '[' or bool(_BLOCK_ID.match(block.rest_of_line(index)))


def _code(block: _Block, index: int) -> bool:
    """A run of backticks opens a code span if any backtick follows: the run after it may close it."""
    _, end = block.run_at(index + 1)
    return '`' in block.text[end:]


def _entity(block: _Block, index: int) -> bool:
    match = _ENTITY.match(block.text, index + 1)
    return match is not None and (match[1] is None or match[1] in html5)


def _html_or_autolink(block: _Block, index: int) -> bool:
    return _HTML_OR_AUTOLINK_START.match(block.text, index + 2) is not None and '>' in block.text[index + 2:]


def _backslash(block: _Block, index: int) -> bool:
    """A backslash shows as itself but before ASCII punctuation or a line break."""
    return _ESCAPE.match(block.text, index + 1) is not None or block.text[index + 2:index + 3] == '\n'


def _table_pipe(block: _Block, index: int) -> bool:
    """'|' splits cells in tables, and a paragraph's line before a delimiter row is a table's
    head: such a row, once the backslashes go, keeps them all."""
    return block.in_table or any(_DELIMITER_ROW.match(line) for line in block.text.replace('\\', '').split('\n'))


# The rule for each sign; a sign not here keeps its backslash.
_RULES = {
    '-': _dash_or_plus, '+': _dash_or_plus, '>': _quote_marker, '=': _setext_or_highlight,
    '%': _comment, '~': _strike, '.': _ordered_item, ')': _ordered_item, '*': _emphasis,
    '_': _emphasis, '[': _opening_bracket, ']': _closing_bracket, '!': _image,
    '#': _heading_or_tag, '^': _block_id_or_footnote, '$': _math, '`': _code, '&': _entity,
    '<': _html_or_autolink, '|': _table_pipe, '\\': _backslash,
}
