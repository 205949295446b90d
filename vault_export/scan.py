"""Scanning: every input into saves (notes without their bodies); unchanged inputs come from the state."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .discover import InputFile
from .errors import VaultExportError
from .model import ReadFailure, Report, ReportItem, Status
from .plan import Save
from .remote import cache_file, fetch_to_cache, read_remote
from .state import InputCache, State


class Scanner:
    def __init__(self, state: State, report: Report, progress, feed_cache: Path):
        self.state = state
        self.report = report
        self.progress = progress
        self.feed_cache = feed_cache

    def scan(self, inputs: list[InputFile]) -> list[Save]:
        cache = self.state.cached_inputs()
        saves: list[Save] = []
        fresh = []
        self.state.begin()
        for item in sorted(inputs, key=_cache_key):  # the cache answers keys in order in one pass
            saves.extend(self._scan_one(item, cache, fresh))
            self.progress.advance()
        cache.close()
        self.state.save_inputs(fresh)
        self.state.commit()
        return saves

    def _scan_one(self, item: InputFile, cache: InputCache, fresh: list) -> list[Save]:
        if item.url:
            return self._scan_feed_url(item, cache, fresh)
        stat = os.stat(item.path)
        cached = cache.get(item.path)
        if cached and cached[:2] == (stat.st_size, stat.st_mtime_ns):
            saves = [Save.from_cache(fields, item.path) for fields in json.loads(cached[2])]
            if not item.forced or all(save.reader == item.forced.name for save in saves):
                return saves
        reader = item.reader()
        if reader is None:
            extension = os.path.splitext(item.path)[1] or "no extension"
            self._fail(item.path, f"not a note file this tool reads ({extension})")
            return []
        return self._read_saves(reader.name, reader.read(Path(item.path)), item.path,
                                (item.path, stat.st_size, stat.st_mtime_ns), fresh)

    def _scan_feed_url(self, item: InputFile, cache: InputCache, fresh: list) -> list[Save]:
        cached = cache.get(item.url)
        try:
            result = fetch_to_cache(item.url, self.state, self.feed_cache, cached is not None)
        except VaultExportError as error:
            self._fail(item.url, error.reason)
            return []
        self.state.save_feed(item.url, result.etag, result.modified)
        if result.status == "not-modified":
            return [Save.from_cache(fields, item.url) for fields in json.loads(cached[2])]
        path = cache_file(self.feed_cache, item.url)
        return self._read_saves("feed", read_remote(path, item.url), str(path), (item.url, -1, -1), fresh)

    def _read_saves(self, reader: str, found_items, path: str, cache_key: tuple, fresh: list) -> list[Save]:
        """Saves of every note read; the input is cached only when all of it could be read."""
        saves, failed = [], False
        for found in found_items:
            if isinstance(found, ReadFailure):
                self._fail(str(found.origin), found.reason)
                failed = True
            else:
                saves.append(Save.of(found, reader, path))
        if not failed:
            fresh.append((*cache_key, [save.cache_fields(cache_key[0]) for save in saves]))
        return saves

    def _fail(self, origin: str, reason: str) -> None:
        self.report.add(ReportItem(origin, Status.FAILED, None, reason))


def _cache_key(item: InputFile) -> str:
    return item.path or item.url
