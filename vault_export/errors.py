"""The few exceptions vault-export raises; every one names the path it concerns."""
from __future__ import annotations

from pathlib import Path


class VaultExportError(Exception):
    """An error about one path, with the reason and an optional hint for the person."""

    def __init__(self, path: Path | str | None, reason: str, hint: str | None = None):
        self.path = str(path) if path is not None else None
        self.reason = reason
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.path}: {self.reason}" if self.path else self.reason
        return f"{text} ({self.hint})" if self.hint else text


class InputError(VaultExportError):
    """One input (a file or a record inside it) cannot become a note; the run goes on."""


class UsageError(VaultExportError):
    """The command or its configuration cannot be carried out at all (exit code 2)."""


class EmptySourceError(VaultExportError):
    """A source folder holds no note file, as an unmounted or unsynced one would (exit code 4)."""

    def __init__(self, folders: list[str]):
        super().__init__(", ".join(folders), "no note files in this source folder: is it mounted and synced?",
                         "pass --allow-empty, or set allow_empty = true, to accept an empty inbox")


class VaultLockedError(VaultExportError):
    """Another run holds the vault's lock (exit code 75)."""

    def __init__(self, path: Path | str, holder: str):
        super().__init__(path, f"another vault-export run (pid {holder}) is using this vault",
                         "wait for it, or pass --wait SECONDS")
        self.holder = holder


class WriteError(VaultExportError):
    """A file in the vault cannot be written safely."""

    def __init__(self, path, reason: str, hint: str | None = None, fatal: bool = False):
        super().__init__(path, reason, hint)
        self.fatal = fatal  # the vault cannot take any write (disk full, read-only): stop the run
