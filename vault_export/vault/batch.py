"""Rendered notes synced into the vault a batch at a time, in two transactions: a new note's
identity and path are recorded before its file is written, so a killed run's file is found again;
the batch's files are flushed to disk before the state records them."""
from __future__ import annotations

from pathlib import Path

from vault_export.config import HOTLINKED, Config
from vault_export.errors import WriteError
from vault_export.model import Report, Status
from vault_export.model import RenderResult
from vault_export.render.note import COVER, property_name
from vault_export.vault.images import HOTLINKED_HOSTS, ImageLocalizer
from vault_export.vault.keys import Keys
from vault_export.vault.links import attachment_folder
from vault_export.vault.property_types import WrittenTypes
from vault_export.vault.state import State, TrackedNote
from vault_export.vault.sync import NoteSync, Outcome, Rendered
from vault_export.vault.triage import Todo, report_note
from vault_export.vault.writer import flush_to_disk, write_attachment

RETRY_IMAGES = "+retry-images"
WRITTEN = (Status.CREATED, Status.UPDATED, Status.UNCHANGED)  # the note in the vault has what was rendered


class BatchWriter:
    def __init__(self, vault: Path, config: Config, state: State, keys: Keys, report: Report,
                 touched_days: set[str]):
        self.vault, self.config, self.state, self.keys, self.report = vault, config, state, keys, report
        self.touched_days = touched_days
        self.sync = NoteSync(vault, config.on_conflict, config.dry_run, state)
        hosts = HOTLINKED_HOSTS if config.download_images == HOTLINKED else None
        self.images = ImageLocalizer(vault, config.attachments_folder, state, config.dry_run, links=config.links,
                                     hosts=hosts, cover=property_name(COVER, config.properties))
        self.written_types = WrittenTypes()  # of the properties in the notes as they are now in the vault

    def write(self, batch: list[tuple[Todo, RenderResult]]) -> None:
        batch = [(self._keyed(todo), result) for todo, result in batch]
        if self.config.download_images:
            batch = self._localize_images(batch)
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

    def _keyed(self, todo: Todo) -> Todo:
        return todo if todo.key else todo._replace(key=self.keys.render(todo.note))

    def _localize_images(self, batch: list[tuple[Todo, RenderResult]]) -> list[tuple[Todo, RenderResult]]:
        """Remote images into the attachments folder, embeds rewritten. A note that keeps a remote
        image the next run may fetch is remembered under a render key no run computes, so the next
        run renders it again and tries once more."""
        results, warnings = self.images.localize_results([result for _, result in batch],
                                                         [todo.note.path for todo, _ in batch])
        self.report.warnings.extend(warnings)
        localized = []
        for (todo, _), result in zip(batch, results):
            if self.images.worth_retrying(result.text):
                todo = todo._replace(key=todo.key + RETRY_IMAGES)
            localized.append((todo, result))
        return localized

    def _apply(self, note, key: str, tracked: TrackedNote | None, result: RenderResult) -> None:
        self.touched_days.update(day for day in (note.listing.day, tracked and tracked.day) if day)
        try:
            outcome = self._outcome(note, key, result, tracked)
        except WriteError as error:
            if error.fatal:
                raise
            outcome = Outcome(Status.FAILED, None, error.message)
        if outcome.tracked:
            self.state.save_note(outcome.tracked)
        if outcome.status in WRITTEN:
            self.written_types.add(result.property_types)
        report_note(self.report, note, outcome.status, outcome.path, outcome.message)

    def _outcome(self, note, key: str, result: RenderResult, tracked: TrackedNote | None) -> Outcome:
        if result.error:
            return Outcome(Status.FAILED, None, result.error)
        if not self.config.dry_run:
            folder = attachment_folder(self.config.attachments_folder, note.path)
            for attachment in result.attachments:
                write_attachment(self.vault, folder, attachment)
        return self.sync.apply(Rendered(note.identity, note.path, key, result.text, result.text_z, note.listing),
                               tracked)
