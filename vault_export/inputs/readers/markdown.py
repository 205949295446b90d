"""Markdown notes with YAML front matter, such as Obsidian Web Clipper's: the body is kept as it is."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import frontmatter
import yaml

from vault_export.inputs.decode import decode_text
from vault_export.errors import InputError
from vault_export.model import Note, Origin, ReadFailure
from vault_export.inputs.readers import register
from vault_export.inputs.readers.fields import RecordError, note_from_record

FRONT_MATTER_START = re.compile(r"-{3,}[ \t]*\n")
TITLE_HEADING = re.compile(r"# +(.+?)(?: +#+)? *")
FENCE = re.compile(r" {0,3}(```|~~~)")
TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
BLANK_LINE_RUNS = re.compile(r"\n{3,}")


class MarkdownReader:
    name = "markdown"
    extensions = (".md", ".markdown")

    def sniff(self, head: str) -> bool:
        return bool(FRONT_MATTER_START.match(head))

    def read(self, path: Path) -> Iterator[Note | ReadFailure]:
        origin = Origin(str(path))
        try:
            yield parse_markdown(decode_text(path.read_bytes(), path), path, origin)
        except InputError as error:
            yield ReadFailure(origin, error.reason)
        except RecordError as error:
            yield ReadFailure(origin, str(error))


def parse_markdown(text: str, path: Path, origin: Origin) -> Note:
    properties, content = split_front_matter(text, origin)
    body = normalise_body(content)
    fallback_title = first_heading(body) or path.stem
    return note_from_record(properties, origin, markdown_body=body, fallback_title=fallback_title)


def split_front_matter(text: str, origin: Origin) -> tuple[dict[str, Any], str]:
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError) as error:
        raise InputError(origin, f"invalid front matter: {_problem(error)}") from None
    return post.metadata, post.content


def first_heading(body: str) -> str | None:
    """The text of the first '# ' heading outside fenced code (where '#' starts a shell comment)."""
    in_code = False
    for line in body.split("\n"):
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code and (heading := TITLE_HEADING.fullmatch(line)):
            return heading.group(1)
    return None


def normalise_body(text: str) -> str:
    """No trailing spaces, no runs of blank lines, no blank lines around; nothing else changes."""
    text = TRAILING_SPACE.sub("", text)
    return BLANK_LINE_RUNS.sub("\n\n", text).strip("\n")


def _problem(error: Exception) -> str:
    problem, mark = getattr(error, "problem", None), getattr(error, "problem_mark", None)
    # The YAML text starts right after the opening '---' (on its line), so mark lines are 0-based file lines.
    return f"{problem} (line {mark.line + 1})" if problem and mark else str(error)


register(MarkdownReader())
