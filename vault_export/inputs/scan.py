"""Scanning: every input into saves (notes without their bodies); unchanged inputs come from the state."""
from __future__ import annotations

import json
import os
from operator import itemgetter
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Iterable, Iterator

from vault_export.inputs.discover import Found, InputFile, choose_reader
from vault_export.errors import VaultExportError
from vault_export.identity import save_identity
from vault_export.model import ReadFailure, Report, ReportItem, Status
from vault_export.model import Save
from vault_export.inputs.readers import Reader, reader_named
from vault_export.inputs.feeds import cache_file, fetch_to_cache, read_remote
from vault_export.vault.state import InputCache, State, files_digest
from vault_export.workers import Workers


CACHE_BATCH = 500


@dataclass(frozen=True, slots=True)
class ReadJob:
    path: str
    reader: str | None  # the reader --format names; None: chosen by the file's name and content
    size: int
    mtime_ns: int
    identity_keys: tuple[str, ...]  # the metadata keys that hold a record's id (config's `identity`)


@dataclass(frozen=True, slots=True)
class ReadResult:
    saves: tuple[Save, ...]
    failures: tuple[tuple[str, str], ...]  # (origin, reason) of each record or file not read
    warnings: tuple[str, ...] = ()  # what the reader repaired (say merge-conflict markers)


def read_input(job: ReadJob) -> ReadResult:
    """Read one input file into saves; run in worker processes."""
    try:
        reader = reader_named(job.reader) if job.reader else choose_reader(Path(job.path))
        if reader is None:
            extension = os.path.splitext(job.path)[1] or "no extension"
            return ReadResult((), ((job.path, f"not a note file this tool reads ({extension})"),))
        return _saves_of(reader.name, reader.read(Path(job.path)), job.path, job.identity_keys)
    except Exception as error:  # a bug or a hostile input must fail this file, not the run
        return ReadResult((), ((job.path, f"cannot read: {type(error).__name__}: {error}"),))


def _saves_of(reader: str, found_items: Iterable, path: str, identity_keys: tuple[str, ...]) -> ReadResult:
    saves, failures, warnings = [], [], []
    for found in found_items:
        if isinstance(found, ReadFailure):
            failures.append((str(found.origin), found.reason))
        else:
            saves.append(Save.of(found, reader, path, *save_identity(found, identity_keys)))
            warnings.extend(found.warnings)
    return ReadResult(tuple(saves), tuple(failures), tuple(warnings))


class InputStats:
    """The inputs of a run, by folder, each file with its (size, mtime_ns) or the reason it cannot
    be read; and the feed URLs. The state keeps a digest of each folder's cached files: a folder
    whose digest is the state's holds no new, changed or gone input, and its files are not looked
    at one by one."""

    def __init__(self, found: Iterable[Found]):
        self.folders: dict[str, dict[str, tuple[int, int] | str]] = {}
        self.forced: dict[str, Reader] = {}  # the reader --format names, by folder
        self.urls: list[str] = []
        for folder, paths, forced in found:
            if folder is None:
                self.urls += paths
                continue
            if forced:
                self.forced[folder] = forced
            stats = self.folders.get(folder)
            if stats is None:
                self.folders[folder] = dict(zip(paths, map(_stat, paths)))
            else:  # two sources name files of one folder (maybe the same file, which is one input)
                stats.update((path, _stat(path)) for path in paths if path not in stats)
                self.folders[folder] = dict(sorted(stats.items()))
        self.count = len(self.urls) + sum(map(len, self.folders.values()))

    def digest(self, folder: str) -> str | None:
        """The digest of the folder's files (see State.keep_input_folders); None when one cannot
        be read: it is never cached, so the folder's files are looked at."""
        stats = self.folders[folder].values()
        if str in map(type, stats):
            return None
        return files_digest(list(self.folders[folder]), map(itemgetter(0), stats), map(itemgetter(1), stats))

    def take(self, folders: Iterable[str] | None = None) -> list[tuple[InputFile, tuple[int, int] | str | None]]:
        """The inputs of these folders (all when None) and the URLs, in the order the cache
        answers them, given up: what the saves keep of them is all the run needs afterwards."""
        taken = self.folders.keys() if folders is None else folders
        entries = [(InputFile(path, self.forced.get(folder)), stat)
                   for folder in taken for path, stat in self.folders[folder].items()]
        entries += ((InputFile(None, url=url), None) for url in self.urls)
        self.folders, self.urls = {}, []
        return sorted(entries, key=lambda entry: _cache_key(entry[0]))


def _stat(path: str) -> tuple[int, int] | str:
    try:
        stat = os.stat(path)
    except OSError as error:
        return f"cannot read: {error.strerror}"
    if not S_ISREG(stat.st_mode):  # reading a named pipe would wait for a writer for ever
        return "cannot read: not a regular file (a pipe, socket or device)"
    return stat.st_size, stat.st_mtime_ns


@dataclass
class Scan:
    """What a scan found: the saves of each input (path or feed URL) read now, and of each
    unchanged one too when the whole run is planned; the inputs read again, failing now or gone
    since the last run, and (when not the whole run is planned) the identities their saves of then
    had."""

    saves: dict[str, list[Save]] = field(default_factory=dict)
    left: set[str] = field(default_factory=set)
    was: set[str] = field(default_factory=set)


class Scanner:
    def __init__(self, state: State, report: Report, progress, feed_cache: Path, workers: Workers,
                 identity_keys: tuple[str, ...]):
        self.identity_keys = identity_keys
        self.state = state
        self.report = report
        self.progress = progress
        self.feed_cache = feed_cache
        self.workers = workers

    def scan(self, stats: InputStats, everything: bool) -> Scan:
        """Inputs whose stat changed (new, changed, gone) are read, in the workers; the cached
        saves of the others are given only when `everything` is planned."""
        digests = None if everything else self.state.input_folder_digests()
        if digests is None:  # every input is looked at, and every folder's digest made again
            looked_at = None
            known, entries = self.state.input_stats(), stats.take()
        else:
            changed = [folder for folder in stats.folders if digests.get(folder) != stats.digest(folder)]
            # the folders whose cached files may differ: changed ones, and those no longer listed
            looked_at = set(changed) | (digests.keys() - stats.folders.keys())
            known, entries = self.state.input_stats(looked_at), stats.take(changed)
        cache = self.state.cached_inputs() if everything else None
        scan, fresh, to_read = Scan(), [], []  # fresh: cache rows of the inputs read
        self.state.begin()
        for item, stat in entries:  # in the cache's order: it answers them in one pass
            key = _cache_key(item)
            cached_stat = known.pop(key, None)
            if cached_stat is not None and (item.url or cached_stat != stat):
                scan.left.add(key)  # read again, or failing now
            if item.url:
                scan.saves[key] = self._scan_feed_url(item, cached_stat is not None, fresh)
            elif isinstance(stat, str):
                self._fail(item.path, stat)
            elif cached_stat == stat and not everything:
                pass  # unchanged, and its saves are not needed
            elif cached_stat == stat and (saves := self._cached(item, cache)) is not None:
                scan.saves[key] = saves
            else:
                to_read.append(ReadJob(item.path, item.forced.name if item.forced else None, *stat, self.identity_keys))
        self.progress.advance(stats.count - len(to_read))
        if cache:
            cache.close()
        scan.left.update(known)  # gone since the last run
        if not everything:
            scan.was = {fields[0] for key in scan.left for fields in self.state.input_saves(key)}
        self.state.forget_inputs(known)
        for job, result in zip(to_read, self.workers.map(read_input, to_read, len(to_read))):
            scan.saves[job.path] = self._record(result, (job.path, job.size, job.mtime_ns), fresh)
            self.progress.advance()
            if len(fresh) >= CACHE_BATCH:  # the cache cursor is closed: rows can go in as they come
                self.state.save_inputs(fresh)
                fresh.clear()
        self.state.save_inputs(fresh)
        self.state.keep_input_folders(looked_at)
        self.state.commit()
        return scan

    @staticmethod
    def _cached(item: InputFile, cache: InputCache) -> list[Save] | None:
        """The input's cached saves; None when --format asks for another reader than the one that read them."""
        saves = [Save.from_cache(fields, item.path) for fields in json.loads(cache.get(item.path)[2])]
        return saves if not item.forced or all(save.reader == item.forced.name for save in saves) else None

    def _scan_feed_url(self, item: InputFile, cached: bool, fresh: list) -> list[Save]:
        try:
            result = fetch_to_cache(item.url, self.state, self.feed_cache, cached)
        except VaultExportError as error:
            self._fail(item.url, error.reason)
            return []
        self.state.save_feed(item.url, result.etag, result.modified)
        if result.status == "not-modified":
            return [Save.from_cache(fields, item.url) for fields in self.state.input_saves(item.url)]
        path = cache_file(self.feed_cache, item.url)
        saves = _saves_of("feed", read_remote(path, item.url), str(path), self.identity_keys)
        return self._record(saves, (item.url, -1, -1), fresh)

    def _record(self, result: ReadResult, cache_key: tuple, fresh: list) -> list[Save]:
        """Report what could not be read or was repaired; the input is cached only when all of it
        could be read as it is, so that the next run reports it again.

        The saves are kept as the cache would give them back: a worker's saves arrive with
        strings of their own, and the cached form shares the input's path and repeated values."""
        for origin, reason in result.failures:
            self._fail(origin, reason)
        self.report.warnings.extend(result.warnings)
        rows = [save.cache_fields(cache_key[0]) for save in result.saves]
        if not result.failures and not result.warnings:
            fresh.append((*cache_key, rows))
        return [Save.from_cache(fields, cache_key[0]) for fields in rows]

    def _fail(self, origin: str, reason: str) -> None:
        self.report.add(ReportItem(origin, Status.FAILED, None, reason))


def _cache_key(item: InputFile) -> str:
    return item.path or item.url
