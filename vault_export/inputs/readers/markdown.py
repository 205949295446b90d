"""Markdown notes with YAML front matter, such as Obsidian Web Clipper's: the body is kept as it is."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from vault_export.convert.fences import fenced_code_lines
from vault_export.inputs.merge_markers import read_resolved
from vault_export.errors import InputError
from vault_export.model import Note, Origin, ReadFailure
from vault_export.inputs.readers.fields import RecordError, note_from_record
from vault_export.render.properties import (FRONT_MATTER_OPENINGS, FrontMatterError, parse_properties,
                                            split_front_matter)

TITLE_HEADING = re.compile(r"# +(.+?)(?: +#+)? *")
TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
BLANK_LINE_RUNS = re.compile(r"\n{3,}")


class MarkdownReader:
    name = "markdown"
    extensions = (".md", ".markdown")

    def sniff(self, head: str) -> bool:
        return head.startswith(FRONT_MATTER_OPENINGS)

    def read(self, path: Path) -> Iterator[Note | ReadFailure]:
        origin = Origin(str(path))
        try:
            text, warnings = read_resolved(path)
            yield replace(parse_markdown(text, path, origin), warnings=warnings)
        except InputError as error:
            yield ReadFailure(origin, error.reason)
        except RecordError as error:
            yield ReadFailure(origin, str(error))


def parse_markdown(text: str, path: Path, origin: Origin) -> Note:
    front_matter, content = split_front_matter(text)
    try:
        properties = parse_properties(front_matter)
    except FrontMatterError as error:
        raise InputError(origin, f"invalid front matter: {error}") from None
    body = normalise_body(content)
    fallback_title = first_heading(body) or path.stem
    return note_from_record(properties, origin, markdown_body=body, fallback_title=fallback_title)


def first_heading(body: str) -> str | None:
    """The text of the first '# ' heading outside fenced code (where '#' starts a shell comment)."""
    for line, in_code in zip(body.split("\n"), fenced_code_lines(body)):
        if not in_code and (heading := TITLE_HEADING.fullmatch(line)):
            return heading.group(1)
    return None


def normalise_body(text: str) -> str:
    """No trailing spaces, no runs of blank lines, no blank lines around; nothing else changes."""
    text = TRAILING_SPACE.sub("", text)
    return BLANK_LINE_RUNS.sub("\n\n", text).strip("\n")


READER = MarkdownReader()
