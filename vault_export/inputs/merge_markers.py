"""Unresolved merge conflicts in an input file: git's markers, left by a merge or a sync tool.

    <<<<<<< HEAD            the current side: kept
    ...
    ||||||| base            (diff3 style, optional) the common ancestor: dropped
    ...
    =======
    ...                     the other side: dropped
    >>>>>>> other

Left in, the markers and both sides would show in the note, mixed with its markup. A marker
counts only at the start of a line, exactly seven characters long, with nothing after it but a
label, and, in a Markdown text, outside fenced code (a clipped article on git shows markers in its
examples); a conflict that does not close before the end of the file is left as it is.
"""
from __future__ import annotations

import re
from pathlib import Path

from vault_export.convert.fences import fenced_code_lines
from vault_export.inputs.decode import decode_text

_MARKERS = {
    "current": re.compile(r"<{7}(?:[ \t].*)?"),
    "base": re.compile(r"\|{7}(?:[ \t].*)?"),
    "other": re.compile(r"={7}[ \t]*"),
    "end": re.compile(r">{7}(?:[ \t].*)?"),
}
# Inside a conflict: the part each marker may follow, and the part it starts.
_NEXT_PART = {"current": {"base": "base", "other": "other"}, "base": {"other": "other"},
              "other": {"end": None}}


def resolve_conflicts(text: str, markdown: bool = True) -> tuple[str, int]:
    """The text with each complete conflict replaced by its current side, and how many there were.
    `markdown`: lines in fenced code hold no markers."""
    if "<<<<<<<" not in text:
        return text, 0
    kept: list[str] = []
    conflict: list[str] = []  # the lines of the open conflict, markers included
    current: list[str] = []  # its current side
    part = None  # the part of the open conflict the lines belong to; None: outside any
    resolved = 0
    lines = text.split("\n")
    in_code = fenced_code_lines(text) if markdown else [False] * len(lines)
    for line, code in zip(lines, in_code):
        marker = None if code else _marker(line)
        if part is None:
            if marker == "current":
                part, conflict, current = "current", [line], []
            else:
                kept.append(line)
            continue
        conflict.append(line)
        if marker in _NEXT_PART[part]:
            part = _NEXT_PART[part][marker]
            if part is None:
                kept.extend(current)
                resolved += 1
        elif part == "current":
            current.append(line)
    if part is not None:
        kept.extend(conflict)
    return "\n".join(kept), resolved


def _marker(line: str) -> str | None:
    if len(line) < 7 or line[0] not in "<|=>":
        return None
    return next((name for name, pattern in _MARKERS.items() if pattern.fullmatch(line)), None)


def read_resolved(path: Path, markdown: bool = True) -> tuple[str, tuple[str, ...]]:
    """The file's text (see decode_text) with its conflicts resolved, and the warning that says so
    if there were any."""
    text = decode_text(path.read_bytes(), path)
    resolved, count = resolve_conflicts(text, markdown)
    if not count:
        return text, ()
    conflicts = "an unresolved merge conflict" if count == 1 else f"{count} unresolved merge conflicts"
    return resolved, (f"{path}: {conflicts}: exported the current side (between <<<<<<< and =======) "
                      f"and dropped the other; resolve the conflict in the file to choose",)
