"""Decide what a freshly rendered note does to the vault: create, update, leave, or keep theirs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import Status
from .state import STATE_DIR, TrackedNote
from .writer import content_hash, read_existing, vault_path, write_atomic

CONFLICTS_DIR = f"{STATE_DIR}/conflicts"
BACKUPS_DIR = f"{STATE_DIR}/backups"


@dataclass(frozen=True)
class Outcome:
    status: Status
    path: str
    message: str | None = None
    tracked: TrackedNote | None = None  # what the state should now remember


class NoteSync:
    """Applies one rendered note to the vault, honouring the person's edits."""

    def __init__(self, vault: Path, on_conflict: str, dry_run: bool):
        self.vault = vault
        self.on_conflict = on_conflict
        self.dry_run = dry_run

    def apply(self, identity: str, path: str, render_key: str, text: str,
              tracked: TrackedNote | None) -> Outcome:
        target = vault_path(self.vault, path)
        existing = read_existing(target)
        ours = text.encode()
        if existing is None:
            return self._write(Status.CREATED, identity, path, render_key, ours, target)
        if existing == ours:
            return Outcome(Status.UNCHANGED, path, None, self._remember(identity, path, render_key, ours, target))
        if tracked is not None and content_hash(existing) == tracked.written_hash:
            return self._write(Status.UPDATED, identity, path, render_key, ours, target)
        return self._edited(identity, path, render_key, ours, existing, tracked, target)

    def _edited(self, identity, path, render_key, ours: bytes, theirs: bytes,
                tracked: TrackedNote | None, target: Path) -> Outcome:
        if self.on_conflict == "overwrite":
            self._save_copy(BACKUPS_DIR, path, theirs)
            return self._write(Status.UPDATED, identity, path, render_key, ours, target,
                               f"your edits were saved to {BACKUPS_DIR}/{path}")
        if self.on_conflict == "keep":
            return Outcome(Status.SKIPPED, path, "edited in the vault; kept as it is (--on-conflict keep)")
        return self._conflict(path, ours)

    def _conflict(self, path: str, ours: bytes) -> Outcome:
        self._save_copy(CONFLICTS_DIR, path, ours)
        return Outcome(Status.CONFLICT, path,
                       f"edited in the vault and changed in the input; your file is kept, "
                       f"the new version is in {CONFLICTS_DIR}/{path}")

    def _write(self, status: Status, identity: str, path: str, render_key: str, data: bytes,
               target: Path, message: str | None = None) -> Outcome:
        if self.dry_run:
            return Outcome(status, path, message)
        write_atomic(target, data)
        return Outcome(status, path, message, self._remember(identity, path, render_key, data, target))

    def _remember(self, identity, path, render_key, data: bytes, target: Path) -> TrackedNote | None:
        if self.dry_run:
            return None
        return TrackedNote.of(identity, path, render_key, data, target.stat())

    def _save_copy(self, folder: str, path: str, data: bytes) -> None:
        if not self.dry_run:
            write_atomic(vault_path(self.vault, f"{folder}/{path}"), data)
