"""The collector's note format: '# title', '**URL**:', then HTML, AI summary and metadata sections."""
from __future__ import annotations

import html
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from vault_export.inputs.merge_markers import read_resolved
from vault_export.errors import InputError
from vault_export.model import BodyFormat, Note, Origin, ReadFailure
from vault_export.inputs.readers.fields import RecordError, parse_catalog_date, parse_saved_time, parse_tags
from vault_export.inputs.readers.markup import guessed_body

SECTION_NAMES = {
    "原始摘要": "body", "originalsummary": "body",
    "ai摘要": "summary", "aisummary": "summary",
    "元数据": "meta", "metadata": "meta",
}
FIELD_NAMES = {
    "来源": "source", "source": "source",
    "类型": "type", "type": "type",
    "保存时间": "created", "savedat": "created",
    "目录日期": "date", "catalogdate": "date",
    "标签": "tags", "tags": "tags",
}
URL_LINE = re.compile(r"^\*\*URL\*\*\s*[:：]\s*(.*)$", re.IGNORECASE)
META_LINE = re.compile(r"^\s*[-*+]\s+\*\*(.+?)\*\*\s*[:：]?\s*(.*)$")
SINGLE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")
SECTION_LINE = re.compile(r"^##\s+(.+?)\s*#*\s*$")


@lru_cache(maxsize=1024)  # a few labels and section names, in every note
def _key(text: str) -> str:
    return re.sub(r"[\s:：_]+", "", text).lower()


class CollectorReader:
    name = "collector"
    extensions = (".txt", ".md", ".markdown")

    def sniff(self, head: str) -> bool:
        first = head.lstrip("\ufeff\n\t ").split("\n", 1)[0]
        return first.startswith("# ") and any(
            _key(match) in SECTION_NAMES for match in re.findall(r"^##\s+(.+)$", head, re.M)
        ) or bool(re.search(r"^\*\*URL\*\*", head, re.M))

    def read(self, path: Path) -> Iterator[Note | ReadFailure]:
        origin = Origin(str(path))
        try:
            text, warnings = read_resolved(path)
            note = parse_note(text, origin)
            yield replace(note, warnings=warnings) if warnings else note
        except InputError as error:
            yield ReadFailure(origin, error.reason)


def parse_note(text: str, origin: Origin) -> Note:
    lines = text.split("\n")
    title_index, title = _title(lines, origin)
    header, sections = _split_sections(lines[title_index + 1:])
    fields, extra = _metadata(sections.get("meta", ""), origin)
    return Note(
        title=title, origin=origin, url=_url(header) or fields.pop("url", None),
        source=fields.get("source"), type=fields.get("type"),
        created=fields.get("created"), date=fields.get("date"), tags=fields.get("tags", ()),
        summary=sections.get("summary") or None, extra=tuple(extra),
        **_body(sections.get("body", "")),
    )


def _body(text: str) -> dict:
    """The section is HTML, or HTML-escaped plain text (every arXiv abstract), whose lines
    HTML would join: its blank lines still separate paragraphs."""
    text, body_format = guessed_body(text)
    if body_format is BodyFormat.TEXT:
        text = SINGLE_NEWLINE.sub(" ", text)
    return {"body": text, "body_format": body_format}


def _title(lines: list[str], origin: Origin) -> tuple[int, str]:
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if not line.startswith("# "):
            raise InputError(origin, "no title: the first line must be '# <title>'")
        title = " ".join(html.unescape(line[2:]).split())
        if not title:
            raise InputError(origin, "no title: the '# ' line is empty")
        return index, title
    raise InputError(origin, "empty file")


def _split_sections(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    header: list[str] = []
    sections: dict[str, list[str]] = {}
    current = header
    for line in lines:
        match = SECTION_LINE.match(line) if line.startswith("##") else None
        name = SECTION_NAMES.get(_key(match.group(1))) if match else None
        if name:
            current = sections.setdefault(name, [])
        else:
            current.append(line)
    return header, {name: "\n".join(body).strip() for name, body in sections.items()}


def _url(header: list[str]) -> str | None:
    for line in header:
        match = URL_LINE.match(line.strip())
        if match and match.group(1).strip():
            return match.group(1).strip()
    return None


def _metadata(text: str, origin: Origin) -> tuple[dict, list[tuple[str, str]]]:
    fields: dict = {}
    extra: list[tuple[str, str]] = []
    for line in text.split("\n"):
        match = META_LINE.match(line)
        if not match:
            continue
        label, value = match.group(1).strip().rstrip(":："), match.group(2).strip()
        name = FIELD_NAMES.get(_key(label)) or ("url" if _key(label) == "url" else None)
        if name is None:
            extra.append((label, value))
        elif value:
            fields[name] = _field_value(name, label, value, origin)
    return fields, extra


FIELD_PARSERS = {"created": parse_saved_time, "date": parse_catalog_date, "tags": parse_tags}


def _field_value(name: str, label: str, value: str, origin: Origin):
    parse = FIELD_PARSERS.get(name)
    try:
        return parse(value, label) if parse else value
    except RecordError as error:
        raise InputError(origin, str(error)) from None


READER = CollectorReader()
