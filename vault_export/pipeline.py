"""The export, stage by stage: discover, scan, plan, render and sync, daily pages, state."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
import time
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Protocol

from . import __version__
from .config import Config
from .daily import DailyEntry, merge_page, render_region
from .discover import InputFile, discover
from .errors import VaultExportError
from .model import ReadFailure, Report, ReportItem, Status
from .plan import PlannedNote, Save, assign_paths, group_saves
from .state import State
from .sync import NoteSync, Outcome
from .vaultscan import VaultIndex, note_stems
from .workers import RenderJob, batched, render_all
from .writer import content_hash, flush_to_disk, read_existing, sweep_temp_files, vault_path, write_atomic

BATCH = 500


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, count: int = 1) -> None: ...


class _Silent:
    def start(self, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


def export(config: Config, progress: Progress | None = None) -> Report:
    """Export every source into the vault and return what happened to each input."""
    run = ExportRun(config, progress or _Silent())
    return run.execute()


class ExportRun:
    def __init__(self, config: Config, progress: Progress):
        self.config = config
        self.vault = config.vault.expanduser().absolute()
        self.zone = config.zone()
        self.progress = progress
        self.report = Report()
        self.sync = NoteSync(self.vault, config.on_conflict, config.dry_run)

    def execute(self) -> Report:
        started = _now()
        inputs = list(discover(self.config.sources, self.vault, self.config.input_format))
        self.state = State.open(self.vault, read_only=self.config.dry_run)
        try:
            if not self.config.dry_run:
                sweep_temp_files(self.vault)
            self.progress.start(len(inputs))
            planned = self.plan(self.scan(inputs))
            present = self.sync_notes(planned)
            self.write_daily_pages([note for note in planned if note.identity in present])
            self._record(started)
        finally:
            self.state.close()
        return self.report

    # -- scan: every input into saves, unchanged inputs straight from the state's cache
    def scan(self, inputs: list[InputFile]) -> list[Save]:
        cache = self.state.cached_inputs()
        saves: list[Save] = []
        fresh = []
        for item in inputs:
            saves.extend(self._scan_one(item, cache, fresh))
            self.progress.advance()
        self.state.begin()
        self.state.save_inputs(fresh)
        self.state.commit()
        return saves

    def _scan_one(self, item: InputFile, cache: dict, fresh: list) -> list[Save]:
        path = Path(os.path.abspath(item.path))
        if item.reader is None:
            self._fail(str(path), f"not a note file this tool reads ({item.path.suffix or 'no extension'})")
            return []
        stat = path.stat()
        cached = cache.get(str(path))
        if cached and cached[:2] == (stat.st_size, stat.st_mtime_ns):
            return [Save(**fields) for fields in json.loads(cached[2])]
        saves, failed = [], False
        for found in item.reader.read(path):
            if isinstance(found, ReadFailure):
                self._fail(str(found.origin), found.reason)
                failed = True
            else:
                saves.append(Save.of(found, item.reader.name))
        if not failed:
            fresh.append((str(path), stat.st_size, stat.st_mtime_ns, [asdict(save) for save in saves]))
        return saves

    # -- plan: one note per identity, each with a path that is unique in the vault
    def plan(self, saves: list[Save]) -> list[PlannedNote]:
        planned = group_saves(saves, self.zone)
        self.tracked = self.state.tracked_notes()
        known = {identity: note.path for identity, note in self.tracked.items()}
        self.deleted = self._locate_moved_or_lost(planned, known)
        taken = note_stems(self.vault) | {self._daily_stem(note.day) for note in planned if note.day}
        return assign_paths(planned, known, taken, self.config.notes.folder)

    def _locate_moved_or_lost(self, planned: list[PlannedNote], known: dict[str, str]) -> set[str]:
        """Follow notes the person moved; adopt notes of a lost state; return identities deleted."""
        missing = [note.identity for note in planned if note.identity in known
                   and not (self.vault / known[note.identity]).exists()]
        rebuilding = not self.tracked and self.vault.is_dir() and any(self.vault.iterdir())
        if not missing and not rebuilding:
            return set()
        index = VaultIndex(self.vault)
        deleted = set()
        for identity in missing:
            found = index.find(identity, self.tracked[identity].written_hash)
            if found:
                known[identity] = found
            elif not self.config.restore_deleted:
                deleted.add(identity)
        if rebuilding:
            known.update((note.identity, index.by_url[note.identity]) for note in planned
                         if note.identity in index.by_url)
        return deleted

    # -- render and sync: only notes whose inputs, dates, path or settings changed
    def sync_notes(self, planned: list[PlannedNote]) -> set[str]:
        present: set[str] = set()
        todo: list[tuple[PlannedNote, str]] = []
        for note in planned:
            key = self._render_key(note)
            if self._settled(note, key, present):
                continue
            todo.append((note, key))
        results = render_all([self._job(note) for note, _ in todo], self.config)
        for batch in batched(zip(todo, results), BATCH):
            self.state.begin()
            for (note, key), result in batch:
                self._apply(note, key, result, present)
            if not self.config.dry_run:
                flush_to_disk()
            self.state.commit()
        return present

    def _settled(self, note: PlannedNote, key: str, present: set[str]) -> bool:
        """Report notes that need no rendering: deleted by the person, or unchanged on disk."""
        if note.identity in self.deleted:
            self._report_note(note, Outcome(Status.SKIPPED, note.path,
                                            "deleted from the vault; --restore-deleted brings it back"))
            return True
        tracked = self.tracked.get(note.identity)
        if tracked is None or tracked.path != note.path or tracked.render_key != key:
            return False
        try:
            stat = os.lstat(self.vault / note.path)
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (tracked.size, tracked.mtime_ns):
            return False
        present.add(note.identity)
        self._report_note(note, Outcome(Status.UNCHANGED, note.path))
        return True

    def _apply(self, note: PlannedNote, key: str, result, present: set[str]) -> None:
        tracked = self.tracked.get(note.identity)
        if result.error:
            if tracked is not None:
                present.add(note.identity)
            self._report_note(note, Outcome(Status.FAILED, None, result.error))
            return
        try:
            outcome = self.sync.apply(note.identity, note.path, key, result.text, tracked)
        except VaultExportError as error:
            outcome = Outcome(Status.FAILED, None, error.reason)
        if outcome.tracked:
            self.state.save_note(outcome.tracked)
        if outcome.status is not Status.FAILED or tracked is not None:
            present.add(note.identity)
        self._report_note(note, outcome)

    def _job(self, note: PlannedNote) -> RenderJob:
        latest = note.latest
        return RenderJob(latest.reader, latest.path, latest.position, note.first.created,
                         note.day.isoformat() if note.day else None)

    def _render_key(self, note: PlannedNote) -> str:
        parts = [__version__, self._settings_key, note.latest.fingerprint, note.first.created,
                 note.day.isoformat() if note.day else None, note.path]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    @property
    def _settings_key(self) -> str:
        c = self.config
        return repr((c.timezone, time.tzname, time.timezone, c.notes, c.properties, c.tags))

    # -- daily pages: a marked region per day, the rest of the page is the person's
    def write_daily_pages(self, notes: list[PlannedNote]) -> None:
        by_day: dict = {}
        for note in notes:
            if note.day:
                entry = DailyEntry(note.day, note.latest.source, note.sort_key, note.stem, note.latest.title)
                by_day.setdefault(note.day, []).append(entry)
        self.state.begin()
        for day, entries in sorted(by_day.items()):
            self._write_daily_page(day, entries)
        self.state.commit()

    def _write_daily_page(self, day, entries: list[DailyEntry]) -> None:
        relative = f"{self.config.daily.folder.strip('/')}/{self._daily_stem(day)}.md".lstrip("/")
        try:
            target = vault_path(self.vault, relative)
            existing = read_existing(target)
            text = merge_page(existing.decode("utf-8", errors="strict") if existing else None,
                              render_region(entries))
        except (VaultExportError, UnicodeDecodeError) as error:
            self.report.warnings.append(f"{relative}: daily page not updated: {error}")
            return
        data = text.encode()
        if data != existing and not self.config.dry_run:
            write_atomic(target, data)
            self.state.save_page(relative, content_hash(data))
            self.report.daily_pages.append(relative)

    def _daily_stem(self, day) -> str:
        return day.strftime(self.config.daily.format)

    # -- report
    def _report_note(self, note: PlannedNote, outcome: Outcome) -> None:
        self.report.add(ReportItem(str(note.latest.origin), outcome.status, outcome.path, outcome.message))
        for save in note.saves[:-1]:
            self.report.add(ReportItem(str(save.origin), Status.DUPLICATE, outcome.path,
                                       f"same URL as {note.latest.origin}, whose content the note has"))

    def _fail(self, origin: str, reason: str) -> None:
        self.report.add(ReportItem(origin, Status.FAILED, None, reason))

    def _record(self, started: str) -> None:
        if self.config.dry_run:
            return
        self.state.begin()
        self.state.record_run(started, _now(), 1 if self.report.failed else 0, self.report.summary())
        self.state.commit()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
