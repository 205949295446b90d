"""Where the notes the state knows are now: as the state left them, moved by the person, adopted
from the vault after the state was lost, or deleted."""
from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

from vault_export.vault.index import VaultIndex, note_stems
from vault_export.vault.plan import PlannedNote
from vault_export.vault.state import State, TrackedNote


class NoteLocator:
    def __init__(self, vault: Path, state: State, restore_deleted: bool, url_key: str = "url"):
        self.vault = vault
        self.url_key = url_key  # the property notes hold their URL in
        self.state = state
        self.restore_deleted = restore_deleted
        self.deleted: set[str] = set()  # identities of notes the person deleted from the vault
        self.rebuilding = not state.has_notes() and any(note_stems(vault))

    @cached_property
    def _index(self) -> VaultIndex:
        """The vault's notes by URL and content, read only when a note is not where the state left it."""
        return VaultIndex(self.vault, self.url_key)

    def unchanged(self, tracked: dict[str, TrackedNote]) -> dict[str, bool]:
        """For each note whose file is where the state left it: whether it is as the state left it."""
        return {identity: same for identity, note in tracked.items() if (same := self._file_unchanged(note)) is not None}

    def locate(self, batch: list[PlannedNote], tracked: dict[str, TrackedNote],
               unchanged: dict[str, bool]) -> dict[str, str]:
        """The vault paths of the batch's known notes: where the state left them or where the person
        moved them; notes of a lost state adopted by their URL; notes not found are deleted."""
        known = {identity: note.path for identity, note in tracked.items()}
        missing = [identity for identity, note in tracked.items() if note.render_key and identity not in unchanged]
        for identity in missing:
            found = self._index.find(identity, self.state.written_hash(identity))
            if found:
                known[identity] = found
            elif not self.restore_deleted:
                self.deleted.add(identity)
        if self.rebuilding:
            known.update((note.identity, self._index.by_url[note.identity]) for note in batch
                         if note.identity in self._index.by_url)
        return known

    def _file_unchanged(self, note: TrackedNote) -> bool | None:
        try:
            stat = os.lstat(f"{self.vault}/{note.path}")
        except OSError:
            return None
        return (stat.st_size, stat.st_mtime_ns) == (note.size, note.mtime_ns)
