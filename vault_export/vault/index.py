"""What is already in the vault: file names in use, and notes found by the identities their
front matter claims or by the bytes we last wrote."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from vault_export.identity import front_matter_identities
from vault_export.render.properties import read_properties, split_front_matter
from vault_export.vault.conflicts import CONFLICT_NOTES_DIR
from vault_export.vault.paths import NOTE_SUFFIX, stem_of
from vault_export.vault.state import State
from vault_export.vault.writer import TEMP_PREFIX, content_hash

HEAD_BYTES = 8192  # front matter that does not end within them is not looked at


def vault_files(vault: Path):
    """Vault-relative '/'-paths of every visible file (dot folders such as .obsidian skipped, and
    the conflict notes we write)."""
    for folder, dirs, files in os.walk(vault):
        dirs[:] = [name for name in dirs if not name.startswith(".")
                   and not (folder == str(vault) and name == CONFLICT_NOTES_DIR)]
        relative = Path(folder).relative_to(vault).as_posix()
        prefix = "" if relative == "." else relative + "/"
        yield from (prefix + name for name in files if not name.startswith((".", TEMP_PREFIX)))


def note_paths(vault: Path) -> list[str]:
    """The vault-relative paths of the notes in the vault."""
    if not vault.is_dir():
        return []
    return [path for path in vault_files(vault) if path.endswith(NOTE_SUFFIX)]


def note_stems(vault: Path) -> set[str]:
    """Base names of the notes in the vault; a new note must not take one of them."""
    return {stem_of(path) for path in note_paths(vault)}


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
