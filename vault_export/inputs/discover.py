"""Walk the sources and pick a reader for every input file."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from vault_export.inputs.decode import BOMS
from vault_export.errors import UsageError
from vault_export.inputs.feeds import is_url
from vault_export.inputs.readers import Reader, candidates_for, known_extensions, reader_named

SNIFF_BYTES = 4096


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str | None  # absolute; None for a feed URL
    forced: Reader | None = None  # the reader --format names
    url: str | None = None  # a feed given as an http(s) URL

    def reader(self) -> Reader | None:
        """The reader for this input (it may look at the file's first bytes); None when none reads it."""
        if self.url:
            return reader_named("feed")
        return self.forced or choose_reader(Path(self.path))


def discover(sources: list[str], exclude: Path | None = None,
             format_name: str | None = None) -> Iterator[InputFile]:
    """Every input under the sources, sorted; hidden and foreign files skipped."""
    forced = _forced_reader(format_name)
    for source in sources:
        path = Path(source).expanduser()
        if is_url(source):
            yield InputFile(None, url=source)
        elif path.is_dir():
            yield from (InputFile(found, forced) for found in _walk(path, exclude))
        elif path.is_file():
            yield InputFile(os.path.abspath(path), forced)
        elif path.exists():
            raise UsageError(source, "not a regular file or folder (a pipe, socket or device)")
        else:
            raise UsageError(source, "no such file or folder")


def _forced_reader(format_name: str | None) -> Reader | None:
    if format_name is None:
        return None
    reader = reader_named(format_name)
    if reader is None:
        raise UsageError(None, f"unknown format {format_name!r}")
    return reader


def _walk(root: Path, exclude: Path | None) -> Iterator[str]:
    extensions = known_extensions()
    excluded = os.path.realpath(exclude) if exclude else None
    for folder, dirs, files in os.walk(os.path.abspath(root)):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and os.path.realpath(os.path.join(folder, d)) != excluded)
        prefix = os.path.join(folder, "")
        for name in sorted(files):
            if not name.startswith(".") and _extension(name) in extensions:
                yield prefix + name


def _extension(name: str) -> str:
    """What os.path.splitext gives, lowercased, for a name that does not start with a dot."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def choose_reader(path: Path) -> Reader | None:
    """The reader for a file: by extension, and by content when several claim the extension."""
    candidates = candidates_for(path)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    head = _head(path)
    return next((reader for reader in candidates if reader.sniff(head)), candidates[-1])


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(SNIFF_BYTES)
    except OSError:
        return ""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    return data.decode("utf-8", errors="replace")
