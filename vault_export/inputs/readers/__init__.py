"""Input formats: each reader turns one input file into notes (or per-record failures).

A reader is a small object with a ``name``, the file ``extensions`` it claims, a ``sniff`` that
recognises its content when the extension is ambiguous, and ``read``. Readers register in
``READERS``; the first whose extension matches and whose ``sniff`` accepts the head of the file wins.
The built-in ones register the same way, each named with its extensions and a module of this
package holding its ``READER``, which is imported only when a file of its kind is sniffed or
read: a run that reads nothing new loads no parser.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
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


@dataclass(frozen=True)
class BuiltIn:
    """A built-in reader by name and extensions, its module imported when first used."""

    name: str
    extensions: tuple[str, ...]
    module: str

    @cached_property
    def reader(self) -> Reader:
        return importlib.import_module(f"{__name__}.{self.module}").READER

    def sniff(self, head: str) -> bool:
        return self.reader.sniff(head)

    def read(self, path: Path) -> Iterator[Note | ReadFailure]:
        return self.reader.read(path)


READERS: list[Reader] = []


def register(reader: Reader) -> Reader:
    READERS.append(reader)
    return reader


# in the order they are asked: collector files and Markdown notes share .md, the collector's sniff decides
for _built_in in (BuiltIn("collector", (".txt", ".md", ".markdown"), "collector"),
                  BuiltIn("feed", (".rss", ".atom", ".xml", ".rdf"), "feed"),
                  BuiltIn("webpage", (".html", ".htm"), "webpage"),
                  BuiltIn("json", (".json", ".jsonl", ".ndjson"), "jsonrecords"),
                  BuiltIn("markdown", (".md", ".markdown"), "markdown"),
                  BuiltIn("enex", (".enex",), "enex")):
    register(_built_in)


def reader_named(name: str) -> Reader | None:
    return next((reader for reader in READERS if reader.name == name), None)


def candidates_for(path: Path) -> list[Reader]:
    suffix = path.suffix.lower()
    return [reader for reader in READERS if suffix in reader.extensions]


def known_extensions() -> set[str]:
    return {ext for reader in READERS for ext in reader.extensions}
