"""Decide what a freshly rendered note does to the vault: create, update, merge, or keep theirs."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from vault_export.vault.merge import MergeConflict, merge_note
from vault_export.model import Status
from vault_export.vault.state import STATE_DIR, Listing, TrackedNote
from vault_export.vault.writer import read_existing, vault_path, write_atomic

CONFLICTS_DIR = f"{STATE_DIR}/conflicts"
BACKUPS_DIR = f"{STATE_DIR}/backups"


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

    def __init__(self, vault: Path, on_conflict: str, dry_run: bool, base_text: Callable[[str], str | None]):
        self.vault = vault
        self.base_text = base_text
        self.on_conflict = on_conflict
        self.dry_run = dry_run

    def apply(self, note: Rendered, tracked: TrackedNote | None) -> Outcome:
        target = vault_path(self.vault, note.path)
        existing = read_existing(target)
        if existing is None:
            return self._write(Status.CREATED, note, note.text, target)
        theirs = existing.decode("utf-8", errors="surrogateescape")
        if theirs == note.text:
            return Outcome(Status.UNCHANGED, note.path, None, self._remember(note, existing, target))
        base = self.base_text(note.identity) if tracked and tracked.render_key else None
        if theirs == base:
            return self._write(Status.UPDATED, note, note.text, target)
        return self._edited(note, theirs, base, target)

    def _edited(self, note: Rendered, theirs: str, base: str | None, target: Path) -> Outcome:
        if self.on_conflict == "overwrite":
            self._save_copy(BACKUPS_DIR, note.path, theirs)
            saved = (f"would be saved to {BACKUPS_DIR}/ first" if self.dry_run
                     else f"was saved to {BACKUPS_DIR}/{note.path}")
            return self._write(Status.UPDATED, note, note.text, target, f"your edited version {saved}")
        if self.on_conflict == "keep":
            return Outcome(Status.SKIPPED, note.path, "edited in the vault; kept as it is (--on-conflict keep)")
        try:
            if base is None:
                raise MergeConflict("the vault's copy differs and no earlier version is known to merge from")
            merged = merge_note(base, theirs, note.text)
        except MergeConflict as conflict:
            # Remember our version as the base: their file stays the truth, later changes merge into it.
            self._save_copy(CONFLICTS_DIR, note.path, note.text)
            kept = ("your file would be kept, and the new version put in the conflicts folder" if self.dry_run
                    else f"your file is kept, the new version is in {CONFLICTS_DIR}/{note.path}")
            return Outcome(Status.CONFLICT, note.path, f"{conflict}; {kept}",
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

    def _save_copy(self, folder: str, path: str, text: str) -> None:
        if not self.dry_run:
            write_atomic(vault_path(self.vault, f"{folder}/{path}"), text.encode("utf-8", errors="surrogateescape"))
