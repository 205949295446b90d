"""The notes the person deleted from the vault, in a small journal beside the state: a state that
is lost or rebuilt must not bring them back."""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

from vault_export.vault.state import STATE_DIR
from vault_export.vault.writer import write_atomic

JOURNAL = "deleted.jsonl"  # one [identity, vault path] a line


class Tombstones:
    """Read when first asked; written once at the end of the run, and only when it changed."""

    def __init__(self, vault: Path, dry_run: bool):
        self.path = vault / STATE_DIR / JOURNAL
        self.dry_run = dry_run
        self.changed = False

    @cached_property
    def _paths(self) -> dict[str, str]:
        try:
            lines = self.path.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
        except OSError:
            return {}
        entries = {}
        for line in lines:
            try:
                identity, path = json.loads(line)
            except ValueError:  # a line cut short by a crash, or edited by hand
                continue
            entries[identity] = path
        return entries

    def path_of(self, identity: str) -> str | None:
        """Where the deleted note of this identity was; None when it was not deleted."""
        return self._paths.get(identity)

    def bury(self, identity: str, path: str) -> None:
        if self._paths.get(identity) != path:
            self._paths[identity] = path
            self.changed = True

    def raise_again(self, identity: str) -> None:
        """The note is written again (--restore-deleted)."""
        if self._paths.pop(identity, None) is not None:
            self.changed = True

    def save(self) -> None:
        if self.changed and not self.dry_run:
            lines = [json.dumps([identity, path], ensure_ascii=False) + "\n" for identity, path in self._paths.items()]
            write_atomic(self.path, "".join(lines).encode("utf-8", "surrogateescape"))
            self.changed = False
