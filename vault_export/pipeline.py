"""The export, stage by stage: discover, scan, plan, render and sync, daily pages, state."""
from __future__ import annotations

import gc
import os
import tempfile
from collections import deque
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import cached_property
from itertools import chain, islice
from pathlib import Path
from typing import Iterator, NamedTuple, Protocol

from vault_export.config import Config
from vault_export.inputs.discover import InputFile, discover
from vault_export.errors import InputError, WriteError
from vault_export.vault.images import ImageLocalizer
from vault_export.vault.keys import Keys
from vault_export.vault.lock import vault_lock
from vault_export.model import Report, ReportItem, Status
from vault_export.vault.daily import DailyTemplates, daily_stem
from vault_export.vault.pages import write_daily_pages
from vault_export.inputs.scan import InputStats, Scanner
from vault_export.vault.settled import SettledRun, inputs_digest
from vault_export.vault.paths import NameRegistry, stem_of
from vault_export.vault.plan import PathTemplates, PlannedNote, Save, group_saves
from vault_export.render.note import NoteRenderer
from vault_export.inputs.feeds import FEED_CACHE
from vault_export.vault.runlog import write_run_log
from vault_export.vault.state import TrackedNote, open_state
from vault_export.vault.sync import NoteSync, Outcome, Rendered
from vault_export.vault.index import VaultIndex, note_stems
from vault_export.render.workers import IN_PROCESS_BELOW, RenderJob, RenderResult, Workers, batched, render_job
from vault_export.vault.writer import flush_to_disk, forget_resolved_folders, sweep_temp_files, write_attachment

BATCH = 500
RETRY_IMAGES = "+retry-images"


class Todo(NamedTuple):
    """A note to render and sync."""

    note: PlannedNote
    key: str | None  # the render key; a new note's is made when it is synced, not held all run
    tracked: TrackedNote | None


class Progress(Protocol):
    def start(self, phase: str, total: int) -> None: ...
    def advance(self, count: int = 1) -> None: ...


class _Silent:
    def start(self, phase: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


def export(config: Config, progress: Progress | None = None) -> Report:
    """Export every source into the vault and return what happened to each input."""
    run = ExportRun(config, progress or _Silent())
    with _fewer_collections():
        if config.dry_run:
            return run.execute()
        with vault_lock(run.vault, config.wait):
            return run.execute()


@contextmanager
def _fewer_collections():
    """A run keeps a few small objects per note until it ends, none of them in reference cycles;
    at the default thresholds the garbage collector walks all of them again and again, which
    costs a fifth of a re-sync with nothing to do."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class ExportRun:
    def __init__(self, config: Config, progress: Progress):
        self.config = config
        self.vault = Path(os.path.abspath(config.vault.expanduser()))
        self.zone = config.zone()
        self.progress = progress
        self.report = Report()
        forget_resolved_folders()  # the person may have changed folders into links since the last run
        self.touched_days: set[str] = set()  # days whose daily page may need rewriting
        self.deleted: set[str] = set()  # identities of notes the person deleted from the vault
        self.retrying = False  # whether a note keeps a remote image the next run tries again
        # Templates are compiled now, so a broken one stops the run before anything is written.
        self.path_templates = PathTemplates(config.notes, self.zone)
        self.keys = Keys(config, NoteRenderer(config).template_source)
        DailyTemplates(config.daily)
        # A dry run keeps fetched feeds out of the vault, in a folder removed at the end.
        self._scratch = tempfile.TemporaryDirectory(prefix="vault-export-") if config.dry_run else None
        self.feed_cache = Path(self._scratch.name) if self._scratch else self.vault / FEED_CACHE

    def execute(self) -> Report:
        started = _now()
        with Workers(self.config) as self.workers:
            stats = InputStats(self._inputs())
            self.state = open_state(self.vault, self.config.dry_run)
            self._execute(started, stats)
        return self.report

    def _inputs(self) -> Iterator[InputFile]:
        inputs = iter(discover(self.config.sources, self.vault, self.config.input_format))
        first = list(islice(inputs, IN_PROCESS_BELOW))
        if len(first) == IN_PROCESS_BELOW:  # a run big enough for workers: they start before its data
            self.workers.start()
        return chain(first, inputs)

    def _execute(self, started: str, stats: InputStats) -> None:
        self.sync = NoteSync(self.vault, self.config.on_conflict, self.config.dry_run, self.state.base_text)
        self.images = ImageLocalizer(self.vault, self.config.attachments_folder, self.state, self.config.dry_run)
        try:
            last_run_finished = self.state.start_run()
            if not last_run_finished and not self.config.dry_run:
                sweep_temp_files(self.vault)
            settled = SettledRun(self.state, str(self.vault), inputs_digest(self.keys.run, stats))
            replayed = last_run_finished and settled.replay(self.report)
            if not replayed:
                settled.forget()
                self.progress.start("Reading", len(stats.entries))
                self.sync_notes(self.plan(self.scan(stats)))
            write_daily_pages(self.vault, self.config, self.state, self.report, self.deleted, self.touched_days)
            if not replayed and not self.retrying:
                settled.record(self.report)
        finally:
            self._finish(started)

    def scan(self, stats: InputStats) -> list[Save]:
        return Scanner(self.state, self.report, self.progress, self.feed_cache, self.workers).scan(stats)

    # -- plan: one note per identity, each with a path unique in the vault. Notes unchanged on
    #    disk, or deleted by the person, are reported here and go no further.
    def plan(self, saves: list[Save]) -> list[PlannedNote]:
        planned = group_saves(saves, self.zone)
        self.days = {note.day for note in planned if note.day}
        self.rebuilding = not self.state.has_notes() and any(note_stems(self.vault))
        if self.rebuilding:
            self.report.warnings.append("no sync state found: rebuilt it from the notes' front matter")
        return planned

    def _todo(self, planned: list[PlannedNote]) -> Iterator[Todo]:
        """The notes to render, placed a batch at a time as rendering asks for them, so that the
        workers render while this process plans; each batch is let go of once taken."""
        for start in range(0, len(planned), BATCH):
            batch = planned[start:start + BATCH]
            planned[start:start + BATCH] = [None] * len(batch)
            tracked = self.state.tracked_notes([note.identity for note in batch])
            unchanged = {identity: same for identity, note in tracked.items()
                         if (same := self._file_unchanged(note)) is not None}
            known = self._locate_moved_or_lost(batch, tracked, unchanged)
            for note in batch:
                todo = self._plan_note(note, known, tracked.get(note.identity), unchanged)
                if todo:
                    yield todo
                else:
                    self.progress.advance()

    def _plan_note(self, note: PlannedNote, known: dict[str, str], tracked: TrackedNote | None,
                   unchanged: dict[str, bool]) -> Todo | None:
        try:
            path = known.get(note.identity) or self.path_templates.path_for(note, self.names)
        except InputError as error:
            self._report_note(note, Outcome(Status.FAILED, None, error.reason))
            return None
        note = note.placed_at(path)
        if tracked is None:
            return Todo(note, None, None)
        key = self.keys.render(note)
        return None if self._settled(note, key, tracked, unchanged) else Todo(note, key, tracked)

    @cached_property
    def names(self) -> NameRegistry:
        """File names taken, read only when a note needs a new name: the vault's notes and daily
        pages, and every note the state tracks (a deleted note may be restored to its path)."""
        tracked = {stem_of(path) for path in self.state.tracked_paths()}
        daily = {daily_stem(day, self.config.daily) for day in self.days}
        return NameRegistry(note_stems(self.vault) | tracked | daily)

    @cached_property
    def vault_index(self) -> VaultIndex:
        return VaultIndex(self.vault)

    def _locate_moved_or_lost(self, batch: list[PlannedNote], tracked: dict[str, TrackedNote],
                              unchanged: dict[str, bool]) -> dict[str, str]:
        """The vault paths of the batch's known notes: where the state left them or where the person
        moved them; notes of a lost state adopted by their URL; notes not found are deleted.
        `unchanged` holds the notes whose files are where the state left them."""
        known = {identity: note.path for identity, note in tracked.items()}
        missing = [identity for identity, note in tracked.items() if note.render_key and identity not in unchanged]
        for identity in missing:
            found = self.vault_index.find(identity, self.state.written_hash(identity))
            if found:
                known[identity] = found
            elif not self.config.restore_deleted:
                self.deleted.add(identity)
        if self.rebuilding:
            known.update((note.identity, self.vault_index.by_url[note.identity]) for note in batch
                         if note.identity in self.vault_index.by_url)
        return known

    def _file_unchanged(self, note: TrackedNote) -> bool | None:
        """Whether the note's file is as the state left it; None when it is not there."""
        try:
            stat = os.lstat(f"{self.vault}/{note.path}")
        except OSError:
            return None
        return (stat.st_size, stat.st_mtime_ns) == (note.size, note.mtime_ns)

    # -- render and sync
    def sync_notes(self, planned: list[PlannedNote]) -> None:
        self.progress.start("Writing", len(planned))
        sent: deque[Todo] = deque()  # planned and sent to be rendered, in order
        results = self.workers.map(render_job, self._render_jobs(self._todo(planned), sent), len(planned))
        for batch in batched(results, BATCH):
            self._sync_batch([(self._keyed(sent.popleft()), result) for result in batch])
            self.progress.advance(len(batch))

    def _render_jobs(self, todo: Iterator[Todo], sent: deque) -> Iterator[RenderJob]:
        for item in todo:
            sent.append(item)
            yield self._job(item.note)

    def _keyed(self, todo: Todo) -> Todo:
        return todo if todo.key else todo._replace(key=self.keys.render(todo.note))

    def _sync_batch(self, batch: list) -> None:
        if self.config.download_images:  # remote images into the attachments folder, embeds rewritten
            results, warnings = self.images.localize_results([result for _, result in batch])
            batch = [(self._retrying_images(todo, result), result) for (todo, _), result in zip(batch, results)]
            self.report.warnings.extend(warnings)
        self.state.begin()
        for (note, _, tracked), _result in batch:
            if tracked is None:
                self.state.save_note(TrackedNote.pending(note.identity, note.path))
        self.state.commit()
        self.state.begin()
        try:
            for todo, result in batch:
                self._apply(*todo, result)
        finally:
            if not self.config.dry_run:
                flush_to_disk(self.vault)
            self.state.commit()

    def _retrying_images(self, todo: Todo, result: RenderResult) -> Todo:
        """A note that keeps a remote image the next run may fetch is remembered under a render key
        no run will compute, so that the next run renders it again and tries once more."""
        if not self.images.worth_retrying(result.text):
            return todo
        self.retrying = True
        return todo._replace(key=todo.key + RETRY_IMAGES)

    def _settled(self, note: PlannedNote, key: str, tracked: TrackedNote, unchanged: dict[str, bool]) -> bool:
        """Report notes that need no rendering: deleted by the person, or unchanged on disk."""
        if note.identity in self.deleted:
            self.touched_days.add(tracked.day or "")
            self._report_note(note, Outcome(Status.SKIPPED, note.path,
                                            "deleted from the vault; --restore-deleted brings it back"))
            return True
        if tracked.path != note.path or tracked.render_key != key:
            return False
        if not unchanged.get(note.identity):
            return False
        self._report_note(note, Outcome(Status.UNCHANGED, note.path))
        return True

    def _apply(self, note: PlannedNote, key: str, tracked: TrackedNote | None, result: RenderResult) -> None:
        self.touched_days.update(day for day in (note.listing.day, tracked and tracked.day) if day)
        try:
            outcome = self._outcome(note, key, result, tracked)
        except WriteError as error:
            if error.fatal:
                raise
            outcome = Outcome(Status.FAILED, None, error.message)
        if outcome.tracked:
            self.state.save_note(outcome.tracked)
        self._report_note(note, outcome)

    def _outcome(self, note: PlannedNote, key: str, result: RenderResult, tracked) -> Outcome:
        if result.error:
            return Outcome(Status.FAILED, None, result.error)
        if not self.config.dry_run:
            for attachment in result.attachments:
                write_attachment(self.vault, self.config.attachments_folder, attachment)
        return self.sync.apply(Rendered(note.identity, note.path, key, result.text, result.text_z, note.listing),
                               tracked)

    def _job(self, note: PlannedNote) -> RenderJob:
        latest = note.latest
        return RenderJob(latest.reader, latest.path, latest.label, latest.position, note.first.created,
                         note.day.isoformat() if note.day else None)

    # -- report and records
    def _report_note(self, note: PlannedNote, outcome: Outcome) -> None:
        self.report.add(ReportItem(note.latest.origin_text, outcome.status, outcome.path, outcome.message))
        for save in note.saves[:-1]:
            self.report.add(ReportItem(save.origin_text, Status.DUPLICATE, outcome.path,
                                       f"an earlier save of the same URL; the note has the latest save's "
                                       f"content, from {note.latest.origin_text}"))

    def _finish(self, started: str) -> None:
        try:
            if not self.config.dry_run:
                exit_code = 1 if self.report.failed else 0
                self.state.begin()
                self.state.record_run(started, _now(), exit_code, self.report.summary())
                self.state.commit()
                write_run_log(self.vault, started, _now(), exit_code, self.report)
        finally:
            self.state.close()
            if self._scratch:
                self._scratch.cleanup()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
