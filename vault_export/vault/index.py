"""What is already in the vault: file names in use, and notes found by their front matter."""
from __future__ import annotations

import os
from pathlib import Path

from vault_export.render.properties import read_properties, split_front_matter
from vault_export.vault.conflicts import CONFLICT_NOTES_DIR
from vault_export.vault.paths import NOTE_SUFFIX, stem_of
from vault_export.vault.writer import TEMP_PREFIX, content_hash

HEAD_BYTES = 8192  # front matter that does not end within them is not looked at


def vault_files(vault: Path):
    """Vault-relative '/'-paths of every visible file (dot folders such as .obsidian skipped, and
    the conflict notes we write)."""
    for folder, dirs, files in os.walk(vault):
        dirs[:] = [name for name in dirs if not name.startswith(".")
                   and not (folder == str(vault) and name == CONFLICT_NOTES_DIR)]
        relative = Path(folder).relative_to(vault).as_posix()
        for name in files:
            if not name.startswith((".", TEMP_PREFIX)):
                yield name if relative == "." else f"{relative}/{name}"


def note_stems(vault: Path) -> set[str]:
    """Base names of the notes in the vault; a new note must not take one of them."""
    if not vault.is_dir():
        return set()
    return {stem_of(path) for path in vault_files(vault) if path.endswith(NOTE_SUFFIX)}


def front_matter_url(path: Path, key: str = "url") -> str | None:
    """The note's URL, from the property `key` of its front matter."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return None
    if len(head) == HEAD_BYTES:  # the file goes on: its last line here may be cut short
        head = head[:head.rfind(b"\n") + 1]
    front_matter, _ = split_front_matter(head.decode("utf-8", errors="replace"))
    url = read_properties(front_matter).get(key)
    return url if isinstance(url, str) else None


class VaultIndex:
    """Notes found by URL in their front matter (the property `url_key`), or by the exact bytes we
    last wrote."""

    def __init__(self, vault: Path, url_key: str = "url"):
        self.url_key = url_key
        self.by_url: dict[str, str] = {}
        self.by_hash: dict[str, str] = {}
        for relative in vault_files(vault):
            if relative.endswith(NOTE_SUFFIX):
                self._add(vault, relative)

    def _add(self, vault: Path, relative: str) -> None:
        path = vault / relative
        url = front_matter_url(path, self.url_key)
        if url:
            self.by_url.setdefault(url, relative)
        try:
            self.by_hash.setdefault(content_hash(path.read_bytes()), relative)
        except OSError:
            pass

    def find(self, identity: str, written_hash: str | None) -> str | None:
        return self.by_url.get(identity) or (self.by_hash.get(written_hash) if written_hash else None)
