"""One run per vault: an OS-level lock in .vault-export/, released by the kernel if the holder dies."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from vault_export.errors import VaultExportError, VaultLockedError
from vault_export.vault.state import STATE_DIR

LOCK_NAME = "lock"
HOLDER_NAME = "lock.pid"


@contextmanager
def vault_lock(vault: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the vault's lock for the block; VaultLockedError at once (or after `wait` s) if taken."""
    folder = vault / STATE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise VaultExportError(folder, f"cannot create the state folder: {error.strerror}") from error
    lock = FileLock(str(folder / LOCK_NAME), timeout=wait, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise VaultLockedError(vault, _holder(folder)) from None
    try:
        (folder / HOLDER_NAME).write_text(f"{os.getpid()}\n")
        yield
    finally:
        (folder / HOLDER_NAME).unlink(missing_ok=True)
        lock.release()


def _holder(folder: Path) -> str:
    try:
        return (folder / HOLDER_NAME).read_text().strip() or "unknown"
    except OSError:
        return "unknown"
