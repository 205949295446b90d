"""What is already in the vault: file names in use, and notes found by the identities their
front matter claims or by the bytes we last wrote."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterable, NamedTuple

from vault_export.identity import front_matter_identities
from vault_export.render.properties import read_properties, split_front_matter
from vault_export.vault.conflicts import CONFLICT_NOTES_DIR
from vault_export.vault.paths import NOTE_SUFFIX
from vault_export.vault.state import UNKNOWN_TIME, State, folder_mtime
from vault_export.vault.writer import content_hash

HEAD_BYTES = 8192  # front matter that does not end within them is not looked at


# A folder changed this recently may change again within the tick of its time: it is listed again.
RECENT_NS = 2_000_000_000


class Listing(NamedTuple):
    """What a vault folder holds: its notes' and its visible subfolders' names, and its
    modification time when they were listed (UNKNOWN_TIME: to be listed again)."""
    mtime_ns: int
    notes: tuple[str, ...]
    folders: tuple[str, ...]


class VaultListing:
    """The vault-relative '/'-paths of the notes in the vault (dot folders such as .obsidian, and
    the conflict notes we write, left out), listed folder by folder. The state keeps each
    folder's listing with the folder's modification time, which adding, removing or renaming a
    file there changes: a folder whose time is the one kept is not read again."""

    def __init__(self, vault: Path, state: State):
        self.state = state
        self.kept = {folder: Listing(*row) for folder, row in state.vault_folders().items()}
        self.listed: dict[str, Listing] = {}  # the folders read now
        self.visited: set[str] = set()
        self.paths: list[str] = []
        if vault.is_dir():
            self._list(vault)

    def _list(self, vault: Path) -> None:
        to_list, now = [""], time.time_ns()
        while to_list:
            folder = to_list.pop()
            kept = self.kept.get(folder)
            listing = _listing(vault, folder, kept, now)
            if listing is None:
                continue
            self.visited.add(folder)
            if listing is not kept:
                self.listed[folder] = listing
            prefix = folder + "/" if folder else ""
            self.paths += [prefix + name for name in listing.notes]
            to_list += [prefix + name for name in listing.folders]

    def keep(self, written: set[str]) -> None:
        """Keep the listings read now, but for the folders the run wrote into since (their next
        listing will be new), and forget the folders gone."""
        stale = [folder for folder in self.kept if folder in written or folder in self.listed
                 or folder not in self.visited]
        fresh = {folder: listing for folder, listing in self.listed.items()
                 if folder not in written and listing.mtime_ns != UNKNOWN_TIME}
        if stale or fresh:
            self.state.begin()
            self.state.keep_vault_folders(fresh, stale)
            self.state.commit()


def _listing(vault: Path, folder: str, kept: Listing | None, now: int) -> Listing | None:
    """The folder's listing: the one kept while the folder's time is unchanged; None when it cannot be read."""
    mtime_ns = folder_mtime(vault, folder)
    if kept and kept.mtime_ns == mtime_ns != UNKNOWN_TIME:
        return kept
    try:
        with os.scandir(os.path.join(vault, folder)) as entries:
            entries = list(entries)
    except OSError:
        return None
    notes, folders = [], []
    for entry in entries:
        name = entry.name
        if name.startswith("."):  # hidden, and our temporary files
            continue
        if entry.is_dir():
            if not entry.is_symlink() and not (folder == "" and name == CONFLICT_NOTES_DIR):
                folders.append(name)
        elif name.endswith(NOTE_SUFFIX):
            notes.append(name)
    trusted = mtime_ns != UNKNOWN_TIME and now - mtime_ns >= RECENT_NS
    return Listing(mtime_ns if trusted else UNKNOWN_TIME, tuple(notes), tuple(folders))  # in the folder's own order


def front_matter(data: bytes) -> dict:
    """The properties of a note's front matter, read from its first HEAD_BYTES."""
    head = data[:HEAD_BYTES]
    if len(data) > HEAD_BYTES:  # the file goes on: its last line here may be cut short
        head = head[:head.rfind(b"\n") + 1]
    properties, _ = split_front_matter(head.decode("utf-8", errors="replace"))
    return read_properties(properties)


class VaultIndex:
    """The notes at `paths`, by the identities their front matter claims (the properties `keys`
    and `url_keys`) and by their bytes.

    What each file claims is cached in the state by its (size, mtime_ns): a run reads only the
    notes that are new or changed since the last run that looked."""

    def __init__(self, vault: Path, paths: Iterable[str], state: State, keys: tuple[str, ...],
                 url_keys: tuple[str, ...]):
        self.by_identity: dict[str, str] = {}
        self.by_hash: dict[str, str] = {}
        self.claims: dict[str, list[str]] = {}  # path -> the identities its note claims
        cached, read = state.vault_notes(), {}
        for relative in paths:
            entry = self._entry(vault / relative, cached.pop(relative, None), keys, url_keys)
            if entry is None:
                continue
            if entry[0] is None:
                entry = read[relative] = entry[1]
            self.claims[relative] = entry[2]
            for identity in entry[2]:
                self.by_identity.setdefault(identity, relative)
            self.by_hash.setdefault(entry[3], relative)
        if read or cached:  # what is left of the cache are notes gone, or tracked now
            state.begin()
            state.save_vault_notes(read, cached)
            state.commit()

    @staticmethod
    def _entry(path: Path, cached: tuple | None, keys: tuple[str, ...], url_keys: tuple[str, ...]) -> tuple | None:
        """The cached (size, mtime_ns, identities, content hash) of the note file when it still
        holds, else (None, that read afresh); None when it cannot be read."""
        try:
            stat = os.lstat(path)
            if cached and tuple(cached[:2]) == (stat.st_size, stat.st_mtime_ns):
                return cached
            data = path.read_bytes()
        except OSError:
            return None
        identities = front_matter_identities(front_matter(data), keys, url_keys)
        return None, (stat.st_size, stat.st_mtime_ns, identities, content_hash(data))

    def find(self, identity: str, written_hash: str | None) -> str | None:
        return self.by_identity.get(identity) or (self.by_hash.get(written_hash) if written_hash else None)
