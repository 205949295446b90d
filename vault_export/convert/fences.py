"""Which lines of Markdown are fenced code: the one rule for all that must leave code alone.

CommonMark's: a fence is a run of 3 or more ``` ` ``` or ``~`` indented at most 3 spaces (a backtick
fence's info string holds no backtick); the block ends at a line of the same character, at least as
long, with nothing after it but spaces, or where its container ends, or at the end of the text.
Containers are followed as far as fences need: blockquote markers, which every line of a quoted block
repeats, and list items, whose lines are indented to the item's content (so a fence in a nested item
may stand far to the right). Lazy continuation lines are taken as ending their container.
"""
from __future__ import annotations

import re
from itertools import groupby
from operator import itemgetter
from typing import Iterator

_QUOTE_MARKER = re.compile(r" {0,3}> ?")
_LIST_MARKER = re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?= |$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_CLOSING_FENCE = re.compile(r" {0,3}(`{3,}|~{3,}) *$")
_MAY_OPEN = frozenset(">-+*0123456789`~")  # what a line that opens a container or a fence starts with
_QUOTE = None  # a blockquote on the container stack; a list item is the column its content starts at


def fenced_code_lines(text: str) -> list[bool]:
    """For each line of the text (split at '\\n'), whether it belongs to a fenced code block, the fences included."""
    if "```" not in text and "~~~" not in text:
        return [False] * (text.count("\n") + 1)
    lines = text.split("\n")
    flags = [False] * len(lines)
    containers: list[int | None] = []
    fence: tuple[str, int] | None = None  # the open block's fence character and length
    fence_depth = 0  # how many containers the open block is inside
    for index, line in enumerate(lines):
        if not containers:  # the quick answers for the most common lines
            first = line.lstrip(" ")[:1]
            if fence is None and first not in _MAY_OPEN:
                continue  # prose
            if fence is not None and first != fence[0]:
                flags[index] = True  # code that cannot be a closing fence
                continue
        if "\t" in line:
            line = line.expandtabs(4)  # CommonMark's tab stops; columns are all that matter here
        depth, rest = _continue_containers(line, containers)
        if fence is not None:
            if depth >= fence_depth:
                flags[index] = True
                if _closes(rest, fence):
                    fence = None
                continue
            fence = None  # its container ended, and the block with it
        del containers[depth:]
        rest = _open_containers(rest, containers)
        opening = _FENCE.match(rest)
        if opening and not (opening[1][0] == "`" and "`" in opening[2]):
            flags[index] = True
            fence, fence_depth = (opening[1][0], len(opening[1])), len(containers)
    return flags


def fenced_pieces(text: str) -> Iterator[tuple[bool, str]]:
    """The text in runs of whole lines, each (True, fenced code) or (False, the rest), which join back into it."""
    if "```" not in text and "~~~" not in text:
        yield False, text
        return
    lines = text.split("\n")
    ended = [line + "\n" for line in lines[:-1]] + [lines[-1]]
    for in_code, run in groupby(zip(fenced_code_lines(text), ended), key=itemgetter(0)):
        if piece := "".join(line for _, line in run):
            yield in_code, piece


def _continue_containers(line: str, containers: list[int | None]) -> tuple[int, str]:
    """How many of the open containers the line continues, and what is left of it after their marks."""
    rest = line
    for depth, container in enumerate(containers):
        if container is _QUOTE:
            marker = _QUOTE_MARKER.match(rest)
            if marker is None:
                return depth, rest
            rest = rest[marker.end():]
        elif rest.strip():
            if len(rest) - len(rest.lstrip(" ")) < container:
                return depth, rest
            rest = rest[container:]
        else:  # a blank line goes on in a list item
            rest = ""
    return len(containers), rest


def _open_containers(rest: str, containers: list[int | None]) -> str:
    """The line after the blockquote and list markers it starts, each pushed on `containers`."""
    while True:
        if marker := _QUOTE_MARKER.match(rest):
            containers.append(_QUOTE)
            rest = rest[marker.end():]
            continue
        marker = _LIST_MARKER.match(rest)
        if marker is None:
            return rest
        content = rest[marker.end():]
        spaces = len(content) - len(content.lstrip(" "))
        if not content.strip() or spaces > 4:  # nothing after the marker yet, or indented code
            spaces = 1
        containers.append(marker.end() + spaces)
        rest = content[spaces:]


def _closes(rest: str, fence: tuple[str, int]) -> bool:
    closing = _CLOSING_FENCE.match(rest)
    return bool(closing) and closing[1][0] == fence[0] and len(closing[1]) >= fence[1]
