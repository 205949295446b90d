"""The export, stage by stage: discover and scan the inputs, plan one note per identity, triage
what needs rendering, render and write it a batch at a time, then the daily pages and the state."""
from __future__ import annotations

import gc
from collections import deque
from contextlib import contextmanager, nullcontext
from typing import Iterator

from pathlib import Path

from vault_export.config import Config
from vault_export.errors import EmptySourceError, UsageError
from vault_export.inputs.discover import empty_folders
from vault_export.inputs.scan import InputStats, Scan, Scanner
from vault_export.model import NO_PROGRESS, Progress, Report
from vault_export.render.note import NoteRenderer, identity_keys, url_keys
from vault_export.render.jobs import RenderJob, render_job
from vault_export.workers import batched
from vault_export.vault.batch import BatchWriter
from vault_export.vault.daily import DailyTemplates
from vault_export.vault.keys import Keys
from vault_export.vault.legacy import migrate_identities
from vault_export.vault.locate import NoteLocator
from vault_export.vault.lock import vault_lock
from vault_export.vault.pages import write_daily_pages
from vault_export.vault.property_types import WrittenTypes, register_types
from vault_export.vault.plan import PathTemplates, PlannedNote, group_saves, shared_id_warnings
from vault_export.vault.session import RunSession
from vault_export.vault.replan import Plan, Replan, plans_of
from vault_export.vault.triage import BATCH, Todo, Triage
from vault_export.vault.views import write_bases_file_once


def export(config: Config, progress: Progress = NO_PROGRESS) -> Report:
    """Export every source into the vault and return what happened to each input."""
    run = ExportRun(config, progress)
    _check_paths(config, run.session.vault)
    with _fewer_collections(), nullcontext() if config.dry_run else vault_lock(run.session.vault, config.wait):
        return run.run()


def _check_paths(config: Config, vault: Path) -> None:
    """The vault and the sources can be used, checked before anything (even the lock) is written:
    a UsageError for a vault that is a file or a missing source, EmptySourceError for a source
    folder without notes, unless the configuration allows that."""
    existing = next(folder for folder in (vault, *vault.parents) if folder.exists())
    if not existing.is_dir():
        raise UsageError(existing, "the vault must be a folder, and this is a file" if existing == vault
                         else f"is a file, so the vault {vault} cannot be a folder in it")
    empty = empty_folders(config.sources, vault)
    if empty and not config.allow_empty:
        raise EmptySourceError(empty)


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
        self.progress = progress
        self.zone = config.zone()
        # Templates are compiled now, so a broken one stops the run before anything is written.
        self.paths = PathTemplates(config.notes, self.zone)
        self.keys = Keys(config, NoteRenderer(config).template_source)
        DailyTemplates(config.daily)
        self.session = RunSession(config)
        self.touched_days: set[str] = set()  # days whose daily page may need rewriting
        self.deleted: set[str] = set()  # identities of notes the person deleted from the vault
        self.written_types = WrittenTypes()  # of the properties of the notes rendered and written

    def run(self) -> Report:
        with self.session as session:
            stats = InputStats(session.inputs())
            session.open_state()
            migrate_identities(session.state, self.config.identity)
            replan = Replan(session.state, str(session.vault), self.keys.run, self.config.on_conflict != "merge",
                            lists_unchanged=self.config.report is not None or self.config.dry_run)
            planned, plans = self.plan(replan, stats)
            triage = self.triage(planned)
            self.sync_notes(planned, triage)
            triage.locator.finish()
            triage.refiler.finish(session.report)
            write_daily_pages(session.vault, self.config, session.state, session.report, self.deleted,
                              self.touched_days)
            register_types(session.vault, self.config, self.written_types, session.report)
            if not self.config.dry_run:
                write_bases_file_once(session.vault, self.config, session.state, session.report)
            replan.record(plans, session.report)
        return session.report

    def plan(self, replan: Replan, stats: InputStats) -> tuple[list[PlannedNote], list[Plan]]:
        """The notes this run plans (see replan.py), and what the state keeps of them."""
        saves, inputs = replan.saves(self.scan(stats, replan.everything), self.session.report)
        planned = group_saves(saves, self.zone)
        self.session.report.warnings += shared_id_warnings(planned)
        return planned, plans_of(planned, inputs)

    def scan(self, stats: InputStats, everything: bool) -> Scan:
        self.progress.start("Reading", stats.count)
        session = self.session
        return Scanner(session.state, session.report, self.progress, session.feed_cache, session.workers,
                       self.config.identity).scan(stats, everything)

    def triage(self, planned: list[PlannedNote]) -> Triage:
        session = self.session
        locator = NoteLocator(session.vault, session.state, self.config.restore_deleted, self.config.dry_run,
                              identity_keys(self.config), url_keys(self.config), planned)
        self.deleted = locator.deleted
        if locator.rebuilding:
            session.report.warnings.append("no sync state found: rebuilt it from the notes' front matter")
        days = {note.day for note in planned if note.day}
        triage = Triage(self.config, session.state, self.keys, self.paths, locator, days, session.report,
                        self.touched_days)
        return triage

    def sync_notes(self, planned: list[PlannedNote], triage: Triage) -> None:
        """Render what the triage lets through (in the workers) and write it a batch at a time."""
        session = self.session
        writer = BatchWriter(session.vault, self.config, session.state, self.keys, session.report,
                             self.touched_days)
        self.progress.start("Writing", len(planned))
        sent: deque[Todo] = deque()  # triaged and sent to be rendered, in order
        results = session.workers.map(render_job, _render_jobs(triage.todo(planned, self.progress), sent),
                                      len(planned))
        for batch in batched(results, BATCH):
            writer.write([(sent.popleft(), result) for result in batch])
            self.progress.advance(len(batch))
        self.written_types = writer.written_types


def _render_jobs(todo: Iterator[Todo], sent: deque) -> Iterator[RenderJob]:
    for item in todo:
        sent.append(item)
        note = item.note
        latest = note.latest
        yield RenderJob(latest.reader, latest.path, latest.label, latest.position, note.first.created,
                        note.day.isoformat() if note.day else None, note.path)
