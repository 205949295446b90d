"""Input formats: each reader turns one input file into notes (or per-record failures).

A reader is a small object with a ``name``, the file ``extensions`` it claims, a ``sniff`` that
recognises its content when the extension is ambiguous, and ``read``. Readers register in
``READERS``; the first whose extension matches and whose ``sniff`` accepts the head of the file wins.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Protocol

from vault_export.model import Note, ReadFailure


class Reader(Protocol):
    name: str
    extensions: tuple[str, ...]

    def sniff(self, head: str) -> bool:
        """Whether the start of a file's text looks like this format."""

    def read(self, path: Path) -> Iterator[Note | ReadFailure]:
        """Every note in the file, in file order; a broken record yields a ReadFailure."""


READERS: list[Reader] = []


def register(reader: Reader) -> Reader:
    READERS.append(reader)
    return reader


def reader_named(name: str) -> Reader | None:
    return next((reader for reader in READERS if reader.name == name), None)


def candidates_for(path: Path) -> list[Reader]:
    suffix = path.suffix.lower()
    return [reader for reader in READERS if suffix in reader.extensions]


def known_extensions() -> set[str]:
    return {ext for reader in READERS for ext in reader.extensions}


from vault_export.inputs.readers import collector, feed, webpage, jsonrecords, markdown, enex  # noqa: E402,F401  (built-in readers register themselves on import)
