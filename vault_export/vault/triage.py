"""Which planned notes need rendering. Each gets its path (where it is, or a new unique name);
notes deleted by the person, unchanged on disk, or whose path cannot be made, are reported here
and go no further."""
from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Iterator, NamedTuple

from vault_export.config import Config
from vault_export.errors import InputError
from vault_export.model import Progress, Report, Status
from vault_export.vault.conflicts import ConflictBook
from vault_export.vault.daily import daily_stem
from vault_export.vault.keys import Keys
from vault_export.vault.locate import NoteLocator
from vault_export.vault.paths import NameRegistry, stem_of
from vault_export.vault.plan import PathTemplates, PlannedNote
from vault_export.vault.refile import Refiler
from vault_export.vault.state import State, TrackedNote

BATCH = 500


class Todo(NamedTuple):
    """A note to render and sync."""

    note: PlannedNote
    key: str | None  # the render key; a new note's is made when it is synced, not held all run
    tracked: TrackedNote | None


class Triage:
    def __init__(self, config: Config, state: State, keys: Keys, paths: PathTemplates, locator: NoteLocator,
                 days: set[date], report: Report, touched_days: set[str]):
        self.config, self.state, self.keys, self.paths = config, state, keys, paths
        self.locator, self.days, self.report, self.touched_days = locator, days, report, touched_days
        self.refiler = Refiler(locator.vault, state, paths, config)

    def todo(self, planned: list[PlannedNote], progress: Progress) -> Iterator[Todo]:
        """The notes to render, placed a batch at a time as rendering asks for them, so that the
        workers render while this process plans; each batch is let go of once taken."""
        for start in range(0, len(planned), BATCH):
            batch = planned[start:start + BATCH]
            planned[start:start + BATCH] = [None] * len(batch)
            tracked = self.state.tracked_notes([note.identity for note in batch])
            self.locator.adopt(batch, tracked)
            unchanged = self.locator.unchanged(tracked)
            known = self.locator.locate(batch, tracked, unchanged)
            for note in batch:
                todo = self._triage(note, known, tracked.get(note.identity), unchanged)
                if todo:
                    yield todo
                else:
                    progress.advance()

    def _triage(self, note: PlannedNote, known: dict[str, str], tracked: TrackedNote | None,
                unchanged: dict[str, bool]) -> Todo | None:
        try:
            path = (self.refiler.place(note, known.get(note.identity), tracked, unchanged)
                    or self.paths.path_for(note, self._names))
        except InputError as error:
            report_note(self.report, note, Status.FAILED, None, error.reason)
            return None
        note = note.placed_at(path)
        if note.identity in self.locator.deleted:
            self._deleted(note, tracked)
            return None
        if tracked is None:
            return Todo(note, None, None)
        key = self.keys.render(note)
        return None if self._settled(note, key, tracked, unchanged) else Todo(note, key, tracked)

    def _deleted(self, note: PlannedNote, tracked: TrackedNote | None) -> None:
        """Report a note the person deleted (known to the state, or to the deleted notes' journal alone)."""
        if tracked is not None:
            self.touched_days.add(tracked.day or "")
            if note.identity in self._open_conflicts:  # deleting the note resolves its conflict
                book = ConflictBook(self.locator.vault, self.state, self.config.dry_run)
                book.close(book.get(note.identity))
        report_note(self.report, note, Status.SKIPPED, note.path,
                    "deleted from the vault; --restore-deleted brings it back")

    def _settled(self, note: PlannedNote, key: str, tracked: TrackedNote, unchanged: dict[str, bool]) -> bool:
        """Report notes that need no rendering: unchanged on disk."""
        if tracked.path != note.path or tracked.render_key != key or not unchanged.get(note.identity):
            return False
        if note.identity in self._open_conflicts:  # reported by every run until it is resolved
            return False
        report_note(self.report, note, Status.UNCHANGED, note.path)
        return True

    @cached_property
    def _open_conflicts(self) -> set[str]:
        return self.state.open_conflict_identities()

    @cached_property
    def _names(self) -> NameRegistry:
        """File names taken, read only when a note needs a new name: the vault's notes and daily
        pages (those of this run's days and of every tracked note's day, whose page a run may
        make again), and every note the state tracks (a deleted note may be restored to its path)."""
        notes = {stem_of(path) for path in self.locator.tracked_paths.union(self.locator.note_paths)}
        zone = self.config.zone()
        days = self.days | {date.fromisoformat(day) for day in self.state.days()}
        daily = {daily_stem(day, self.config.daily, zone).rpartition("/")[2] for day in days}
        return NameRegistry(notes | daily)


def report_note(report: Report, note: PlannedNote, status: Status, path: str | None, message: str | None = None) -> None:
    report.add_note([save.origin_text for save in note.saves], status, path, message)
