"""Writing into the vault: whole files only (temp file + rename), never outside the vault."""
from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import stat
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from vault_export.errors import WriteError

TEMP_PREFIX = ".vault-export-tmp-"
VAULT_WIDE_ERRORS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT}


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def vault_path(vault: Path, relative: str) -> Path:
    """The absolute path of a vault-relative path, refusing anything that leaves the vault."""
    folder, _, name = relative.rpartition("/")
    parent = _inside_vault(str(vault), folder)
    if parent is None:
        raise WriteError(relative, "refusing to write outside the vault (a '..' or a linked folder on the way)")
    return parent / name


@lru_cache(maxsize=1024)
def _inside_vault(vault: str, folder: str) -> Path | None:
    """The real path of a vault folder, None when links lead it out of the vault. Cleared every run."""
    root = Path(vault).resolve()
    parent = root.joinpath(*folder.split("/")).resolve() if folder else root
    return parent if parent == root or root in parent.parents else None


@lru_cache(maxsize=1024)
def _make_folder(folder: Path) -> None:
    """Make the folder once per run (cleared with the resolved folders)."""
    folder.mkdir(parents=True, exist_ok=True)


def forget_resolved_folders() -> None:
    _inside_vault.cache_clear()
    _make_folder.cache_clear()


def read_existing(path: Path) -> bytes | None:
    """The bytes at path, None when nothing is there; an error when it is not a plain file."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise WriteError(path, "is a symbolic link; refusing to write through it") from error
        raise WriteError(path, f"cannot read: {error.strerror}") from error
    if stat.S_ISDIR(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise WriteError(path, "is a folder, not a note")
    with open(descriptor, "rb") as handle:
        return handle.read()


def write_atomic(path: Path, data: bytes) -> os.stat_result:
    """Write a temporary file beside the target and rename it over the target; the file's stat."""
    try:
        _make_folder(path.parent)
        with replaced_when_written(path) as temp:
            written = _write_file(temp, data)
    except OSError as error:
        raise WriteError(path, f"cannot write: {error.strerror or error}",
                         fatal=error.errno in VAULT_WIDE_ERRORS) from error
    return written


@contextmanager
def replaced_when_written(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed over it when the block ends, removed if it fails
    (Ctrl-C too: the run ends as finished, and the next will not sweep)."""
    temp = path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{path.name[:100]}")
    try:
        yield temp
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write_file(path: Path, data: bytes) -> os.stat_result:
    # os-level calls: open() would also ask whether the file is a terminal and where it starts.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
        return os.fstat(descriptor)  # renaming changes neither its size nor its mtime
    finally:
        os.close(descriptor)


def flush_to_disk(vault: Path) -> None:
    """One sync for a whole batch, before the state records it: cheaper than an fsync per file."""
    descriptor = os.open(vault, os.O_RDONLY | os.O_DIRECTORY)
    try:
        sync_filesystem(descriptor)
    finally:
        os.close(descriptor)


def sync_filesystem(descriptor: int) -> None:
    """Flush the filesystem that holds the open file, and only that one (Linux's syncfs); where
    there is no syncfs, flush every filesystem."""
    if _syncfs is None:
        os.sync()
    elif _syncfs(descriptor) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))


def _libc_syncfs():
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


_syncfs = _libc_syncfs()


def sweep_temp_files(vault: Path) -> int:
    """Remove temporary files a killed run left behind; returns how many."""
    removed = 0
    for folder, dirs, files in os.walk(vault):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            if name.startswith(TEMP_PREFIX):
                Path(folder, name).unlink(missing_ok=True)
                removed += 1
    return removed


def attachment_path(folder: str, name: str) -> str:
    """The vault path of a file in a vault folder ("" or "/" for the root)."""
    folder = folder.strip("/")
    return f"{folder}/{name}" if folder else name


def write_attachment(vault: Path, folder: str, attachment) -> None:
    """Attachments are named by their content, so one that is already there is left alone."""
    target = vault_path(vault, attachment_path(folder, attachment.name))
    if read_existing(target) is None:
        write_atomic(target, attachment.data)
