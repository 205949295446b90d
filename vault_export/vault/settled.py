"""Replaying a settled run: when the inputs and settings are those of the last run that left
everything settled, and every note file is as that run left it, that run's report holds again.

A scheduled run over a big vault that nothing touched then costs a stat of every input and
every note, without reading the inputs' cached saves or planning a single note.
"""
from __future__ import annotations

import hashlib
import json
import os
from typing import Iterable

from vault_export.model import Report, ReportItem, Status
from vault_export.inputs.scan import InputStats
from vault_export.model import compress, decompress
from vault_export.vault.state import State
from vault_export.workers import batched

CHUNK = 500
# What an item's status becomes when it is replayed: nothing is written the second time.
_REPLAYED = {**{status.value: status for status in Status},
             Status.CREATED.value: Status.UNCHANGED, Status.UPDATED.value: Status.UNCHANGED}
_DUPLICATE, _SKIPPED = Status.DUPLICATE.value, Status.SKIPPED.value
_SETTLED_STATUSES = {Status.CREATED, Status.UPDATED, Status.UNCHANGED, Status.DUPLICATE, Status.SKIPPED}


def inputs_digest(settings: str, stats: InputStats) -> str | None:
    """What the run's result depends on besides the vault: the settings and each input's stat.
    None when that cannot be told from stats (a feed URL must be fetched)."""
    if stats.urls:
        return None
    digest = hashlib.sha256(settings.encode())
    for batch in batched(stats.entries, CHUNK):  # a piece at a time: one string of them all is large
        digest.update(repr([(item.path, stat) for item, stat in batch]).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class SettledRun:
    """The last settled run of a vault, as the state keeps it."""

    def __init__(self, state: State, vault: str, digest: str | None):
        self.state = state
        self.vault = vault
        self.digest = digest

    def replay(self, report: Report) -> bool:
        """Add the settled run's items to the report, when it still holds; else change nothing."""
        if self.digest is None or self.state.settled_digest() != self.digest:
            return False
        items: list[ReportItem] = []
        left = self.state.note_stats()
        for chunk in self.state.settled_chunks():
            rows = json.loads(decompress(chunk))
            if not self._files_as_left(rows, left):
                return False
            items.extend(ReportItem(input, _REPLAYED[status], output, message)
                         for input, status, output, message in rows)
        report.items.extend(items)
        return True

    def record(self, report: Report) -> None:
        """Keep this run as the settled one, when it left nothing that the next run must retry."""
        if self.digest is None or not _settled(report) or not self._deleted_files_gone(report.items):
            return
        chunks = (compress(json.dumps([[item.input, item.status.value, item.output, item.message]
                                       for item in batch], ensure_ascii=False).encode())
                  for batch in batched(report.sorted_items(), CHUNK))
        self._save(self.digest, chunks)

    def forget(self) -> None:
        self._save(None, ())

    def _save(self, digest: str | None, chunks: Iterable[bytes]) -> None:
        self.state.begin()
        self.state.save_settled(digest, chunks)
        self.state.commit()

    def _files_as_left(self, rows: list, left: dict[str, tuple[int, int]]) -> bool:
        """Whether the notes of these items are as the state left them, and the deleted ones still gone."""
        for _, status, output, _ in rows:
            if status == _DUPLICATE:
                continue
            found = _stat(f"{self.vault}/{output}")
            if found != (None if status == _SKIPPED else left.get(output, False)):
                return False
        return True

    def _deleted_files_gone(self, items: Iterable[ReportItem]) -> bool:
        """A note is skipped either because the person deleted it or because they edited it under
        --on-conflict keep; only the first is settled."""
        return all(_stat(f"{self.vault}/{item.output}") is None
                   for item in items if item.status is Status.SKIPPED)


def _settled(report: Report) -> bool:
    return not report.warnings and not report.failed_pages and all(item.status in _SETTLED_STATUSES for item in report.items)


def _stat(path: str) -> tuple[int, int] | None:
    try:
        stat = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return (-1, -1)  # matches no state: the run is not replayed
    return stat.st_size, stat.st_mtime_ns
