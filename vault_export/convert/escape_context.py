"""A run of Markdown lines around an escape, as the rules of unescape.py read it: lines and
their content starts, runs of a sign, the converter's own (unescaped) link brackets."""

import re
from bisect import bisect_right

ESCAPE = re.compile(r'\\[!-/:-@\[-`{-~]')
# An escape, or what the converter wrote in which escapes are not text: code spans and math
# (their closing runs are searched for), autolinks and link destinations.
_TOKEN = re.compile(r'\\(?P<sign>[!-/:-@\[-`{-~])|(?P<ticks>`+)|(?P<dollars>\$+)|<[^<>\s]*>|\]\([^)\s]*\)')
# A line's container markers (quotes, list items) and indent: what follows starts its content.
LINE_PREFIX = re.compile(r'(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*')


class Block:
    """A run of lines, and what the rules need to know about it."""

    def __init__(self, text: str, in_table: bool):
        self.text, self.in_table = text, in_table  # in_table: the text of one table cell
        self.line_starts = [0] + [match.end() for match in re.finditer('\n', text)] if '\n' in text else [0]
        self._runs = {}
        self._link_brackets = None

    def _find_link_brackets(self) -> tuple[list[int], list[int]]:
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
                # In code a backslash is itself, so it may stand before the closing run; in math
                # it escapes a '$'.
                sign = re.escape(run[0])
                behind = sign if run[0] == '`' else f'\\\\{sign}'
                closing = re.compile(f'(?<![{behind}]){re.escape(run)}(?!{sign})')
                end = closing.search(text, position)
                if end is None:
                    return  # code or math that goes on past the block: leave the rest alone
                position = end.end()

    # What surrounds the escaped sign at `index` (its backslash's index).
    def line_of(self, index: int) -> tuple[int, int]:
        number = bisect_right(self.line_starts, index) - 1
        start = self.line_starts[number]
        end = self.text.find('\n', start)
        return start, len(self.text) if end < 0 else end

    def content_start(self, index: int) -> int:
        start, _ = self.line_of(index)
        return LINE_PREFIX.match(self.text, start).end()

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
        if following == '\\' and ESCAPE.match(text, position + 1):
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
        if after == '\\' and ESCAPE.match(self.text, end):
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
        if self._link_brackets is None:
            self._link_brackets = self._find_link_brackets()
        positions, depths = self._link_brackets
        before = bisect_right(positions, index - 1)
        return depths[before - 1] if before else 0
