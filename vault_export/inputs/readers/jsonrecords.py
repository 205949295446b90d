"""JSON (an array of records, or an object holding one under `items`) and JSON Lines exports."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from vault_export.inputs.merge_markers import read_resolved
from vault_export.errors import InputError
from vault_export.model import Note, Origin, ReadFailure
from vault_export.inputs.readers.fields import RecordError, note_from_record

LINE_EXTENSIONS = (".jsonl", ".ndjson")


class JsonReader:
    name = "json"
    extensions = (".json", *LINE_EXTENSIONS)

    def sniff(self, head: str) -> bool:
        return head.lstrip().startswith(("[", "{"))

    def read(self, path: Path) -> Iterator[Note | ReadFailure]:
        try:
            text, warnings = read_resolved(path, markdown=False)  # a JSON string holds no line break
        except InputError as error:
            yield ReadFailure(Origin(str(path)), error.reason)
            return
        items = read_lines(text, path) if path.suffix.lower() in LINE_EXTENSIONS else read_document(text, path)
        yield from _warning_on_first_note(items, warnings)


def _warning_on_first_note(items: Iterator[Note | ReadFailure], warnings: tuple[str, ...]
                           ) -> Iterator[Note | ReadFailure]:
    """The file's warnings go with its first note, so that the run reports them once."""
    for item in items:
        if warnings and isinstance(item, Note):
            item, warnings = replace(item, warnings=warnings), ()
        yield item


def read_document(text: str, path: Path) -> Iterator[Note | ReadFailure]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        # Objects one after another: JSON Lines under a .json name.
        if error.msg == "Extra data" and text.lstrip().startswith("{"):
            yield from read_lines(text, path)
        else:
            yield ReadFailure(Origin(str(path)), f"invalid JSON: {error}")
        return
    yield from _records(document, path)


def _records(document: Any, path: Path) -> Iterator[Note | ReadFailure]:
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        document = document["items"]
    if isinstance(document, dict):
        yield _note(document, Origin(str(path)), "")
    elif isinstance(document, list):
        for number, record in enumerate(document, start=1):
            yield _note(record, Origin(str(path), number), f"record {number}: ")
    else:
        yield ReadFailure(Origin(str(path)), f"expected an array of records or an object, not {_kind(document)}")


def read_lines(text: str, path: Path) -> Iterator[Note | ReadFailure]:
    """One record per line; a record's position is its line number, so blank lines count too."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        origin, label = Origin(str(path), number), f"line {number}: "
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield ReadFailure(origin, f"{label}invalid JSON: {error.msg} at column {error.colno}")
        else:
            yield _note(record, origin, label)


def _note(record: Any, origin: Origin, label: str) -> Note | ReadFailure:
    if not isinstance(record, dict):
        return ReadFailure(origin, f"{label}expected an object of fields, not {_kind(record)}")
    try:
        return note_from_record(record, origin)
    except RecordError as error:
        return ReadFailure(origin, f"{label}{error}")


def _kind(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}
    return names.get(type(value), "a number")


READER = JsonReader()
