"""Drop the backslashes that change nothing, once the whole Markdown is known.

escape.py escapes each piece of text without knowing where it lands, so it escapes every sign
that could be markup somewhere: a '-' that may start a line, a '[' that may open a link. Once
the document is assembled, whether a sign is markup is decided by what is around it: its line
(a '-' starts a list only at the start of one), its block (a '$' is math only with a second
one, a '[' a link only when its ']' is followed by '('). Every rule here keeps a backslash
whenever it cannot tell: a needless backslash is noise in Obsidian's source view, a missing
one changes what the note shows.

Code, math, autolinks and link destinations are left alone (fenced code by the caller): all text signs are escaped, so
an unescaped backtick, '$' or '<' is markup the converter wrote.
"""

import re
import unicodedata
from html.entities import html5

from vault_export.convert.escape_context import ESCAPE, LINE_PREFIX, Block

_LIST_NUMBER = re.compile(r'\d{1,9}')  # CommonMark's: at most nine digits
_ENDS_LINE = re.compile(r'[ \t]|$')  # what must follow a list marker
# The rest of a line holding only this sign (escaped or not) and spaces: a rule or an underline.
_ONLY_SIGNS = {sign: re.compile(f'(?:[ \\t]*\\\\?{re.escape(sign)})*[ \\t]*$') for sign in '-*_='}
_BLOCK_ID = re.compile(r'[A-Za-z0-9-]+[ \t]*$')  # Obsidian's '^id' at the end of a block
# A character reference CommonMark reads: numeric, or named (the name is checked against html5).
_ENTITY = re.compile(r'&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|(\w+;))')
# A table's delimiter row, as GFM reads it: cells of '-' (and ':'), at least one '|'.
_DELIMITER_ROW = re.compile(r'[ >]*(?=[^\n]*\|)\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$')
# What Obsidian reads as part of a tag after '#'.
_TAG_CHARACTER = re.compile(r'[^\s!-,.:-@\[-^`{-~\u2000-\u206f\u2e00-\u2e7f]')
# The converter's tables: every row starts with '|'. A cell is inline text on its own.
_TABLE_ROW = re.compile(r'[ >]*\|')
_CELL = re.compile(r'((?<!\\)\|)')
# After '<': what may start an HTML tag, a comment, a declaration or an autolink.
_HTML_OR_AUTOLINK_START = re.compile(r'[A-Za-z/!?]')
# After '[x]:', a destination and then something a title cannot start with: not a definition.
_NOT_A_DEFINITION = re.compile(r'[ \t]*(?:<(?:\\.|[^<>\\\n])*>|[^\s<]\S*)[ \t]+[^"\'(\s]')


def drop_needless_escapes(markdown: str) -> str:
    """Markdown without fenced code (the caller leaves it out, see fences.py), without the
    backslashes whose removal would not change what Obsidian shows.

    Each run of lines between blank lines is read on its own: no inline markup spans a blank
    line. (A quote's blank lines, '>', do not split a run: a longer run only keeps more.)"""
    if not ESCAPE.search(markdown):
        return markdown
    return '\n\n'.join([_in_block(block) for block in markdown.split('\n\n')])


def _in_block(block: str, in_table: bool = False) -> str:
    if '\\' not in block or not ESCAPE.search(block) or block.startswith(('    ', '\t')):
        return block  # an indent of four may make code, where a backslash shows
    if not in_table and _TABLE_ROW.match(block):
        return '\n'.join([_in_row(row) if '\\' in row else row for row in block.split('\n')])
    context = Block(block, in_table)
    parts, position = [], 0
    for index in context.escapes():
        if not _needed(context, index):
            parts.append(block[position:index])
            position = index + 1
    parts.append(block[position:])
    return ''.join(parts)


def _in_row(row: str) -> str:
    return ''.join([_in_block(cell, True) for cell in _CELL.split(row)])


def _needed(block: Block, index: int) -> bool:
    rule = _RULES.get(block.text[index + 1])
    return True if rule is None else rule(block, index)


def _starts_item(block: Block, index: int) -> bool:
    """A '-', '+' or '*' at the start of a line's content that would start a list item, a
    thematic break or a setext heading underline."""
    if not block.at_line_start(index):
        return False
    return _ENDS_LINE.match(block.rest_of_line(index)) is not None or _starts_rule(block, index)


def _starts_rule(block: Block, index: int) -> bool:
    """Whether the line is a thematic break (three '-', '*' or '_') or, after a paragraph's
    line, a setext heading underline ('-' or '=')."""
    sign, rest = block.text[index + 1], block.rest_of_line(index)
    if sign not in _ONLY_SIGNS or not block.at_line_start(index) or not _ONLY_SIGNS[sign].match(rest):
        return False
    return sign in '-=' and block.previous_line(index) is not None or sign != '=' and rest.count(sign) >= 2


def _dash_or_plus(block: Block, index: int) -> bool:
    if _starts_item(block, index):
        return True
    start, end = block.line_of(index)
    return block.text[index + 1] == '-' and _DELIMITER_ROW.match(block.text[start:end].replace('\\', '')) is not None


def _quote_marker(block: Block, index: int) -> bool:
    return block.at_line_start(index)


def _setext_or_highlight(block: Block, index: int) -> bool:
    if _starts_rule(block, index):
        return True
    return _breaks_pair(block, index) and _paired(block, index, _flanking, shortest=2)


def _comment(block: Block, index: int) -> bool:
    """'%%' opens an Obsidian comment, which runs to the end of the note when not closed."""
    start, end = block.run_at(index + 1)
    return end - start > 2 and _breaks_pair(block, index)


def _strike(block: Block, index: int) -> bool:
    if block.at_line_start(index) and block.text[index + 2:index + 6] == '\\~\\~':
        return True  # a code fence
    return _breaks_pair(block, index) and _paired(block, index, _flanking, shortest=2)


def _breaks_pair(block: Block, index: int) -> bool:
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


def _emphasis(block: Block, index: int) -> bool:
    sign = block.text[index + 1]
    if sign == '*' and _starts_item(block, index):
        return True
    if sign == '_' and _starts_rule(block, index):
        return True
    return _paired(block, index, _underscore_delimiter if sign == '_' else _flanking) or _lint_pair(block, index)


def _lint_pair(block: Block, index: int) -> bool:
    """markdownlint (MD037) reads two '*' or '_' with a space beside them on one line, as in
    '5 * 3 * 2', as emphasis with spaces inside: the first of them keeps its backslash."""
    run = block.run_at(index + 1)
    before, after = block.around_run(run)
    _, line_end = block.line_of(index)
    return (before.isspace() or after.isspace()) and block.text[index + 1] in block.text[run[1]:line_end]


def _math(block: Block, index: int) -> bool:
    return _paired(block, index, _math_delimiter)


def _math_delimiter(before: str, after: str, length: int) -> tuple[bool, bool]:
    """'$$' opens and closes display math anywhere; '$' inline math only next to a non-space."""
    return (True, True) if length > 1 else (not after.isspace(), not before.isspace())


def _paired(block: Block, index: int, delimiter, shortest: int = 1) -> bool:
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


def _ordered_item(block: Block, index: int) -> bool:
    """'1.' or '1)' at the start of a line's content; a number but 1 cannot interrupt a
    paragraph, so it is text on a line after a hard line break."""
    start = block.content_start(index)
    number = block.text[start:index]
    if block.in_table or not _LIST_NUMBER.fullmatch(number) or not _ENDS_LINE.match(block.rest_of_line(index)):
        return False
    return int(number) == 1 or not _continues_paragraph(block, index)


def _continues_paragraph(block: Block, index: int) -> bool:
    previous = block.previous_line(index)
    if previous is None or not _ends_with_hard_break(previous):
        return False
    line_start, _ = block.line_of(index)
    prefix = block.text[line_start:block.content_start(index)]
    previous_prefix = LINE_PREFIX.match(previous).group()
    content = previous[len(previous_prefix):]
    return previous_prefix == prefix and not content.startswith(('#', '|'))


def _ends_with_hard_break(line: str) -> bool:
    return (len(line) - len(line.rstrip('\\'))) % 2 == 1


def _opening_bracket(block: Block, index: int) -> bool:
    """'[' opens a link only if its ']' is followed by '(': without reference definitions
    (which stay escaped) '[x]' and '[x][y]' are text. '[[' is a wikilink, '[^' a footnote;
    at a line start, '[x]' is a task in a list item, '[!' a callout in a quote and '[x]:' a
    definition."""
    closed_at = _closing_bracket_end(block, index + 2)
    closing = block.text[closed_at:closed_at + 1] if closed_at is not None else ''
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
    definition = closing == ':' and _may_define(block, index, closed_at + 1)
    return definition or bool(task) or block.after(index) == '!' and '>' in prefix


def _may_define(block: Block, index: int, rest: int) -> bool:
    """Whether '[x]:' at a line start may be a link reference definition: not on a line that
    goes on a paragraph (a definition cannot interrupt one), and not when what follows the
    destination cannot be a title (a title or the destination itself may be on the next line)."""
    line_end = block.text.find('\n', rest)
    after = block.text[rest:line_end if line_end >= 0 else len(block.text)]
    return not _continues_paragraph(block, index) and not _NOT_A_DEFINITION.match(after)


def _closing_bracket_end(block: Block, position: int) -> int | None:
    """Where the text goes on after the ']' that would close a '[' before `position`; None if
    none does. An escaped ']' closes only where its backslash goes (outside the converter's links)."""
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
            return position + match.end()
    return None


def _closing_bracket(block: Block, index: int) -> bool:
    """']' matters inside a link text the converter wrote."""
    return block.open_links(index) > 0


def _image(block: Block, index: int) -> bool:
    return block.text[index + 2:index + 3] == '['


def _heading_or_tag(block: Block, index: int) -> bool:
    if _TAG_CHARACTER.match(block.after(index)):
        return True
    # The signs after it may be escaped too: each backslash is judged with the others in place.
    if block.at_line_start(index) and re.match(r'(?:\\?#){0,5}(?:[ \t]|$)', block.rest_of_line(index)):
        return True
    # The closing sequence of a heading; and markdownlint reads '#tag text#' as a closed heading.
    line_start, _ = block.line_of(index)
    in_heading = block.text.startswith('#', block.content_start(line_start))
    return in_heading and block.rest_of_line(index).strip(' \t#') == ''


def _block_id_or_footnote(block: Block, index: int) -> bool:
    return block.text[index + 2:index + 3] == '[' or bool(_BLOCK_ID.match(block.rest_of_line(index)))


def _code(block: Block, index: int) -> bool:
    """A run of backticks opens a code span if any backtick follows: the run after it may close it.
    At a line's start, three or more open a fenced code block, closed or not."""
    start, end = block.run_at(index + 1)
    if block.at_line_start(index) and block.text.count('`', start, end) >= 3:
        return True
    return '`' in block.text[end:]


def _entity(block: Block, index: int) -> bool:
    match = _ENTITY.match(block.text, index + 1)
    return match is not None and (match[1] is None or match[1] in html5)


def _html_or_autolink(block: Block, index: int) -> bool:
    """Inline HTML and autolinks close with '>'; at a line's start, '<?', '<!', '<div' and the
    like open an HTML block without one."""
    if _HTML_OR_AUTOLINK_START.match(block.text, index + 2) is None:
        return False
    return block.at_line_start(index) or '>' in block.text[index + 2:]


def _backslash(block: Block, index: int) -> bool:
    """A backslash shows as itself but before ASCII punctuation or a line break."""
    return ESCAPE.match(block.text, index + 1) is not None or block.text[index + 2:index + 3] == '\n'


def _table_pipe(block: Block, index: int) -> bool:
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
