"""Walk the sources and pick a reader for every input file."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from vault_export.inputs.decode import BOMS
from vault_export.errors import UsageError
from vault_export.inputs.feeds import is_url
from vault_export.inputs.merge_markers import resolve_conflicts
from vault_export.inputs.readers import Reader, candidates_for, known_extensions, reader_named

SNIFF_BYTES = 4096


class InputFile(NamedTuple):  # a tuple: a run makes one per input, 100,000 of them are quick to make
    path: str | None  # absolute; None for a feed URL
    forced: Reader | None = None  # the reader --format names
    url: str | None = None  # a feed given as an http(s) URL

    def reader(self) -> Reader | None:
        """The reader for this input (it may look at the file's first bytes); None when none reads it."""
        if self.url:
            return reader_named("feed")
        return self.forced or choose_reader(Path(self.path))


class Found(NamedTuple):
    """Inputs found together: the input files of one folder of a source folder (sorted), a file
    given as a source, or a feed URL given as a source (its folder None)."""
    folder: str | None
    paths: list[str]  # absolute; [the URL] for a feed URL
    forced: Reader | None  # the reader --format names


def discover(sources: list[str], exclude: Path | None = None, format_name: str | None = None,
             warn: Callable[[str], None] | None = None) -> Iterator[InputFile]:
    """Every input under the sources, in the order of `discover_folders`."""
    for found in discover_folders(sources, exclude, format_name, warn):
        if found.folder is None:
            yield InputFile(None, url=found.paths[0])
        else:
            yield from (InputFile(path, found.forced) for path in found.paths)


def discover_folders(sources: list[str], exclude: Path | None = None, format_name: str | None = None,
                     warn: Callable[[str], None] | None = None) -> Iterator[Found]:
    """The inputs under the sources, folder by folder; hidden and foreign files skipped. Linked
    folders are followed, each folder read once: `warn` is told of a link to one already read (a loop)."""
    forced = _forced_reader(format_name)
    for source in sources:
        path = Path(source).expanduser()
        if is_url(source):
            yield Found(None, [source], None)
        elif _kind(source) == "folder":
            for folder, names in _walk(path, exclude, warn):
                prefix = os.path.join(folder, "")
                yield Found(folder, [prefix + name for name in names], forced)
        else:
            file = os.path.abspath(path)
            yield Found(file.rpartition(os.sep)[0], [file], forced)  # the folder, as the state groups inputs


def empty_folders(sources: list[str], exclude: Path | None = None) -> list[str]:
    """The source folders holding no note file; a UsageError for a source that is missing, or is
    neither a file, a folder nor a URL. Done before the vault is touched."""
    empty = []
    for source in sources:
        if _kind(source) == "folder" and next(_walk(Path(source).expanduser(), exclude), None) is None:
            empty.append(source)
    return empty


def _kind(source: str) -> str:
    """"url", "folder" or "file"; a UsageError for anything else."""
    if is_url(source):
        return "url"
    path = Path(source).expanduser()
    if path.is_dir():
        return "folder"
    if path.is_file():
        return "file"
    if path.exists():
        raise UsageError(source, "not a regular file or folder (a pipe, socket or device)")
    raise UsageError(source, "no such file or folder")


def _forced_reader(format_name: str | None) -> Reader | None:
    if format_name is None:
        return None
    reader = reader_named(format_name)
    if reader is None:
        raise UsageError(None, f"unknown format {format_name!r}")
    return reader


def _walk(root: Path, exclude: Path | None, warn: Callable[[str], None] | None = None
          ) -> Iterator[tuple[str, list[str]]]:
    """Each folder holding input files, with their names, sorted."""
    extensions = tuple(known_extensions())  # each one dot and lowercase: what ends a name is its extension
    excluded = os.path.realpath(exclude) if exclude else None
    root = os.path.abspath(root)
    seen = {_identity(root)}  # the folders read or about to be
    own: set | None = None  # the source's own folders, found when it has a link to a folder
    for folder, dirs, files in os.walk(root, followlinks=True):
        kept = []
        for name in sorted(dirs):
            path = os.path.join(folder, name)
            if name.startswith(".") or os.path.realpath(path) == excluded:
                continue
            identity = _identity(path)
            if identity is None:
                continue
            if os.path.islink(path):
                # a link to a folder the source holds anyway (a loop, or a second name): its notes
                # are read once, under the folder's own name
                own = _folders(root, excluded) if own is None else own
                if identity in own or identity in seen:
                    if warn:
                        warn(f"{path}: a link to a folder read already (a loop or a second name): skipped")
                    continue
            elif identity in seen:
                continue
            seen.add(identity)
            kept.append(name)
        dirs[:] = kept
        names = [name for name in files if name[0] != "." and name.lower().endswith(extensions)]
        if names:
            names.sort()
            yield folder, names


def _folders(root: str, excluded: str | None) -> set[tuple[int, int]]:
    """The identities of the folders under root, links not followed (hidden ones left out)."""
    found = {_identity(root)}
    for folder, dirs, _ in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d))
                   and os.path.realpath(os.path.join(folder, d)) != excluded]
        found.update(_identity(os.path.join(folder, d)) for d in dirs)
    return found


def _identity(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def choose_reader(path: Path) -> Reader | None:
    """The reader for a file: by extension, and by content when several claim the extension."""
    candidates = candidates_for(path)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    head, _ = resolve_conflicts(_head(path))  # as the readers see it
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
