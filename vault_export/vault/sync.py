"""Decide what a freshly rendered note does to the vault: create, update, merge, or keep theirs."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from vault_export.vault.conflicts import BACKUPS_DIR, CONFLICTS_DIR, ConflictBook, OpenConflict, conflict_note_path
from vault_export.vault.merge import MergeConflict, merge_note
from vault_export.model import Status
from vault_export.vault.state import Listing, State, TrackedNote
from vault_export.vault.writer import read_existing, vault_path, write_atomic

__all__ = ["BACKUPS_DIR", "CONFLICTS_DIR", "NoteSync", "Outcome", "Rendered"]


@dataclass(frozen=True)
class Outcome:
    status: Status
    path: str | None
    message: str | None = None
    tracked: TrackedNote | None = None  # what the state should now remember


@dataclass(frozen=True)
class Rendered:
    identity: str
    path: str
    render_key: str
    text: str
    text_z: bytes  # the text as compress_text makes it
    listing: Listing


class NoteSync:
    """Applies one rendered note to the vault, honouring the person's edits.

    The state keeps the clean text we last rendered (the base): a file still equal to it was not
    edited and may be replaced; any other file holds the person's words and is merged or kept.
    """

    def __init__(self, vault: Path, on_conflict: str, dry_run: bool, state: State):
        self.vault = vault
        self.base_text: Callable[[str], str | None] = state.base_text
        self.conflicts = ConflictBook(vault, state, dry_run)
        self.open_conflicts = state.open_conflict_identities()
        self.on_conflict = on_conflict
        self.dry_run = dry_run

    def apply(self, note: Rendered, tracked: TrackedNote | None) -> Outcome:
        target = vault_path(self.vault, note.path)
        existing = read_existing(target)
        conflict = self.conflicts.get(note.identity) if note.identity in self.open_conflicts else None
        if existing is None:
            if conflict:
                self.conflicts.close(conflict)
            return self._write(Status.CREATED, note, note.text, target)
        theirs = existing.decode("utf-8", errors="surrogateescape")
        if theirs == note.text:
            message = None
            if conflict:
                self.conflicts.close(conflict)
                message = "conflict resolved: the note now holds the new version"
            return Outcome(Status.UNCHANGED, note.path, message, self._remember(note, existing, target))
        if conflict:
            return self._open_conflict(note, theirs, conflict, target)
        base = self.base_text(note.identity) if tracked and tracked.render_key else None
        if theirs == base:
            return self._write(Status.UPDATED, note, note.text, target)
        return self._edited(note, theirs, base, target)

    def _open_conflict(self, note: Rendered, theirs: str, conflict: OpenConflict, target: Path) -> Outcome:
        """A note whose conflict is still open: resolved as the run or the person says, else reported again."""
        data = theirs.encode("utf-8", errors="surrogateescape")
        if self.on_conflict == "overwrite":
            outcome = self._overwrite(note, theirs, target, "conflict resolved: the new version is written")
            self.conflicts.close(conflict)
            return outcome
        if self.on_conflict == "keep":
            self.conflicts.close(conflict)
            return Outcome(Status.SKIPPED, note.path, "conflict resolved: your version is kept (--on-conflict keep)",
                           self._remember(note, data, target))
        if self.conflicts.note_deleted(conflict):
            self.conflicts.close(conflict)
            return Outcome(Status.UNCHANGED, note.path, "conflict resolved: its conflict note was deleted, "
                           "your version is kept", self._remember(note, data, target))
        if conflict.path != note.path:  # the person moved the note: its conflict note follows
            self.conflicts.close(conflict)
        since = conflict.since if conflict.path == note.path else None
        self.conflicts.open(note.identity, note.path, note.text, conflict.base, theirs, since)
        return Outcome(Status.CONFLICT, note.path, self._conflict_message("still open since " + conflict.since,
                                                                          note.path),
                       self._remember(note, data, target))

    def _conflict_message(self, why: str, path: str) -> str:
        if self.dry_run:
            return f"{why}; your file would be kept, and both versions shown in {conflict_note_path(path)}"
        return (f"{why}; your file is kept, both versions are in {conflict_note_path(path)} "
                f"(the new one alone in {CONFLICTS_DIR}/{path})")

    def _overwrite(self, note: Rendered, theirs: str, target: Path, why: str) -> Outcome:
        backup = self.conflicts.back_up(note.path, theirs)
        saved = f"would be saved to {BACKUPS_DIR}/ first" if self.dry_run else f"was saved to {backup}"
        return self._write(Status.UPDATED, note, note.text, target, f"{why}; your edited version {saved}")

    def _edited(self, note: Rendered, theirs: str, base: str | None, target: Path) -> Outcome:
        if self.on_conflict == "overwrite":
            return self._overwrite(note, theirs, target, "edited in the vault (--on-conflict overwrite)")
        if self.on_conflict == "keep":
            return Outcome(Status.SKIPPED, note.path, "edited in the vault; kept as it is (--on-conflict keep)")
        try:
            if base is None:
                raise MergeConflict("the vault's copy differs and no earlier version is known to merge from")
            merged = merge_note(base, theirs, note.text)
        except MergeConflict as conflict:
            # Remember our version as the base: their file stays the truth, later changes merge into it.
            self.conflicts.open(note.identity, note.path, note.text, base, theirs)
            return Outcome(Status.CONFLICT, note.path, self._conflict_message(str(conflict), note.path),
                           self._remember(note, theirs.encode("utf-8", errors="surrogateescape"), target))
        if merged == theirs:
            return Outcome(Status.UNCHANGED, note.path, None, self._remember(note, target.read_bytes(), target))
        return self._write(Status.UPDATED, note, merged, target, "merged with your edits")

    def _write(self, status: Status, note: Rendered, text: str, target: Path,
               message: str | None = None) -> Outcome:
        if self.dry_run:
            return Outcome(status, note.path, message)
        data = text.encode("utf-8", errors="surrogateescape")
        written = write_atomic(target, data)
        return Outcome(status, note.path, message, self._remember(note, data, target, written))

    def _remember(self, note: Rendered, data: bytes, target: Path,
                  written: os.stat_result | None = None) -> TrackedNote | None:
        if self.dry_run:
            return None
        return TrackedNote.of(note.identity, note.path, note.render_key, note.text_z, data,
                              written or target.stat(), note.listing)

