"""Where the notes of a run are in the vault: as the state left them, moved by the person, found
by their identity (a lost state, another device's copy, Web Clipper's note, an older version's
state), or deleted."""
from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

from vault_export.vault.index import VaultIndex, VaultListing
from vault_export.vault.legacy import migrated, migrating
from vault_export.vault.plan import PlannedNote
from vault_export.vault.state import State, TrackedNote
from vault_export.vault.tombstones import Tombstones


class NoteLocator:
    def __init__(self, vault: Path, state: State, restore_deleted: bool, dry_run: bool,
                 keys: tuple[str, ...], url_keys: tuple[str, ...], planned: list[PlannedNote]):
        self.vault = vault
        self.keys, self.url_keys = keys, url_keys  # the properties notes hold their identity in
        self.state = state
        self.restore_deleted = restore_deleted
        self.deleted: set[str] = set()  # identities of notes the person deleted from the vault
        self.adopted: dict[str, str] = {}  # identity -> a vault note the state did not know
        self.taken: set[str] = set()  # the paths adopted this run: a file is one note's
        self.tombstones = Tombstones(vault, dry_run)
        self.rebuilding = not state.has_notes() and bool(self.note_paths)
        self.migrating = migrating(state)
        # While migrating, the notes the state knows are read too; a row is renamed only when no
        # note of this run has its identity.
        self.planned = {note.identity for note in planned} if self.migrating else set()

    @cached_property
    def listing(self) -> VaultListing:
        """The notes in the vault, listed once a run asks (names only: no file is opened)."""
        return VaultListing(self.vault, self.state)

    @property
    def note_paths(self) -> list[str]:
        return self.listing.paths

    @cached_property
    def tracked_paths(self) -> set[str]:
        """The paths of every note the state tracks, read once a run asks."""
        return set(self.state.tracked_paths())

    @cached_property
    def _index(self) -> VaultIndex:
        """The vault's notes the state does not track (all of them while migrating), read only
        when a note is new to the state or not where the state left it."""
        tracked = set() if self.migrating else self.tracked_paths
        paths = [path for path in self.note_paths if path not in tracked]
        return VaultIndex(self.vault, paths, self.state, self.keys, self.url_keys)

    def adopt(self, batch: list[PlannedNote], tracked: dict[str, TrackedNote]) -> None:
        """Before a batch is triaged, each of its notes the state does not know is matched to the
        note of its identity in the vault: a tracked one under an older identity is renamed (and
        added to `tracked`), another is adopted; one the person deleted stays deleted."""
        for note in batch:
            if note.identity in tracked:
                continue
            owner = self._owner(note)
            if owner is not None:
                self.state.rename_identity(owner, note.identity)
                tracked.update(self.state.tracked_notes([note.identity]))
            elif note.identity in self.adopted:  # in the vault again, whatever the journal says
                self.tombstones.raise_again(note.identity)
            elif (buried := self.tombstones.path_of(note.identity)) is not None:
                if self.restore_deleted:
                    self.tombstones.raise_again(note.identity)
                else:
                    self.deleted.add(note.identity)
                    self.adopted[note.identity] = buried

    def _owner(self, note: PlannedNote) -> str | None:
        """The identity the state tracks this note's vault file under, when it may be renamed;
        a file no tracked note owns is adopted."""
        found = self._index.by_identity.get(note.identity)
        if found is not None:
            owner = self.state.identity_at(found)
            if owner is None and found not in self.taken:
                self.adopted[note.identity] = found
                self.taken.add(found)
            return owner if self.migrating and owner not in self.planned else None
        if not self.migrating:
            return None
        # An older version knew a note by its URL (normalised by migrate_identities), else by where
        # it came from: a record's old position is taken only by a note whose file claims no other identity.
        for save in reversed(note.saves):
            for old_identity, anywhere in ((save.url, True), (save.origin_text, False)):
                old = self.state.tracked_notes([old_identity]).get(old_identity) if old_identity else None
                if old and old.identity not in self.planned and (anywhere or not self._index.claims.get(old.path)):
                    return old.identity
        return None

    def unchanged(self, tracked: dict[str, TrackedNote]) -> dict[str, bool]:
        """For each note whose file is where the state left it: whether it is as the state left it."""
        return {identity: same for identity, note in tracked.items() if (same := self._file_unchanged(note)) is not None}

    def locate(self, batch: list[PlannedNote], tracked: dict[str, TrackedNote],
               unchanged: dict[str, bool]) -> dict[str, str]:
        """The vault paths of the batch's notes that are in the vault or were deleted from it:
        where the state left them, where the person moved them, or adopted; a tracked note not
        found is deleted (and remembered as deleted beside the state)."""
        known = {identity: self.adopted.pop(note.identity) for note in batch
                 if (identity := note.identity) in self.adopted}
        known.update((identity, note.path) for identity, note in tracked.items())
        missing = [identity for identity, note in tracked.items() if note.render_key and identity not in unchanged]
        for identity in missing:
            found = self._index.find(identity, self.state.written_hash(identity))
            if found:
                known[identity] = found
            elif self.restore_deleted:
                self.tombstones.raise_again(identity)
            else:
                self.deleted.add(identity)
                self.tombstones.bury(identity, tracked[identity].path)
        return known

    def finish(self) -> None:
        """After the run's last batch: the deleted notes' journal is saved, a migration is done."""
        self.tombstones.save()
        if self.migrating:
            migrated(self.state)
        if "listing" in self.__dict__:  # listed this run
            self.listing.keep(self.state.folders_written)

    def _file_unchanged(self, note: TrackedNote) -> bool | None:
        try:
            stat = os.lstat(f"{self.vault}/{note.path}")
        except OSError:
            return None
        return (stat.st_size, stat.st_mtime_ns) == (note.size, note.mtime_ns)
