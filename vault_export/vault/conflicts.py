"""Open conflicts: a note the person edited where its input changed too, waiting for them.

A conflict is kept in the state until it is resolved, and shown in the vault by a conflict note
(CONFLICT_NOTES_DIR/<note path> (conflict).md) holding the two versions between git-style
markers and a link to the note. It is resolved when
- the person deletes the conflict note (their file is kept as it is, our version is the base of
  later merges), or edits the note into exactly our version;
- a run with --on-conflict overwrite writes our version (theirs is backed up first), or one with
  --on-conflict keep keeps theirs;
- the person deletes the note itself.
Until then every run reports the note `conflict`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from merge3 import Merge3

from vault_export.vault.paths import NOTE_SUFFIX
from vault_export.vault.state import STATE_DIR, State
from vault_export.vault.writer import vault_path, write_atomic

CONFLICTS_DIR = f"{STATE_DIR}/conflicts"  # our version of each open conflict, as a plain note
BACKUPS_DIR = f"{STATE_DIR}/backups"
CONFLICT_NOTES_DIR = "vault-export conflicts"  # visible in Obsidian; never taken for one of the notes
CONFLICT_SUFFIX = f" (conflict){NOTE_SUFFIX}"
THEIRS_MARKER, OURS_MARKER = "in the vault", "from the input"


@dataclass(frozen=True)
class OpenConflict:
    identity: str
    path: str  # the note's, vault-relative
    since: str  # UTC, ISO 8601
    ours: str  # the version we would have written
    base: str | None  # what we had written before, when known


def conflict_note_path(path: str) -> str:
    """The vault-relative path of the conflict note of the note at `path`."""
    return f"{CONFLICT_NOTES_DIR}/{path.removesuffix(NOTE_SUFFIX)}{CONFLICT_SUFFIX}"


class ConflictBook:
    """The open conflicts of a vault: in the state, and as files (none in a dry run)."""

    def __init__(self, vault: Path, state: State, dry_run: bool):
        self.vault, self.state, self.dry_run = vault, state, dry_run

    def get(self, identity: str) -> OpenConflict | None:
        return self.state.conflict(identity)

    def open(self, identity: str, path: str, ours: str, base: str | None, theirs: str,
             since: str | None = None) -> None:
        """Record (or refresh) a conflict and write its conflict note and our version."""
        conflict = OpenConflict(identity, path, since or _now(), ours, base)
        self.state.save_conflict(conflict)
        if not self.dry_run:
            write_atomic(vault_path(self.vault, conflict_note_path(path)), _encode(conflict_note(conflict, theirs)))
            write_atomic(vault_path(self.vault, f"{CONFLICTS_DIR}/{path}"), _encode(ours))

    def note_deleted(self, conflict: OpenConflict) -> bool:
        """Whether the person deleted the conflict note: their way of saying it is resolved."""
        return not self.dry_run and not os.path.lexists(self.vault / conflict_note_path(conflict.path))

    def close(self, conflict: OpenConflict) -> None:
        self.state.close_conflict(conflict.identity)
        if not self.dry_run:
            for relative in (conflict_note_path(conflict.path), f"{CONFLICTS_DIR}/{conflict.path}"):
                _remove(self.vault / relative)

    def back_up(self, path: str, text: str) -> str:
        """Save the person's version of a note before it is overwritten; never over an earlier
        backup. Returns the backup's vault-relative path."""
        stem = f"{BACKUPS_DIR}/{path.removesuffix(NOTE_SUFFIX)}.{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}"
        relative, count = f"{stem}{NOTE_SUFFIX}", 1
        while os.path.lexists(self.vault / relative):
            count += 1
            relative = f"{stem}-{count}{NOTE_SUFFIX}"
        if not self.dry_run:
            write_atomic(vault_path(self.vault, relative), _encode(text))
        return relative


def conflict_note(conflict: OpenConflict, theirs: str) -> str:
    """A note to read in Obsidian: what happened, how to resolve it, and both versions."""
    link = f"[[{conflict.path.removesuffix(NOTE_SUFFIX)}]]"
    marked = marked_versions(conflict.base, theirs, conflict.ours)
    fence = "`" * max(3, _longest_backtick_run(marked) + 1)
    name = conflict.path.rpartition("/")[2].removesuffix(NOTE_SUFFIX)
    return (f"# {name} (conflict)\n\n"
            f"You edited {link} where its input changed too (open since {conflict.since}).\n"
            "Your file is kept as it is.\n"
            f"Below, where the versions differ, yours is marked `{THEIRS_MARKER}` and the new one `{OURS_MARKER}`.\n\n"
            "To resolve it, either:\n\n"
            f"- edit {link} as you want it, then delete this note: your version is kept;\n"
            "- run the export with `--on-conflict overwrite`: the new version is written, and yours\n"
            f"  is backed up in `{BACKUPS_DIR}/`;\n"
            "- run the export with `--on-conflict keep`: your version is kept.\n\n"
            f"{fence}text\n{marked}{fence}\n")


def marked_versions(base: str | None, theirs: str, ours: str) -> str:
    """Their text and ours, with git-style markers around the lines that differ."""
    theirs_lines, ours_lines = _lines(theirs), _lines(ours)
    if base is None:
        return "".join([f"<<<<<<< {THEIRS_MARKER}\n", *theirs_lines, "=======\n", *ours_lines,
                        f">>>>>>> {OURS_MARKER}\n"])
    merger = Merge3(_lines(base), theirs_lines, ours_lines)
    text = "".join(merger.merge_lines(name_a=THEIRS_MARKER, name_b=OURS_MARKER))
    return text if text.endswith("\n") or not text else text + "\n"


def _lines(text: str) -> list[str]:
    """Lines that each end with a newline, so that a marker never joins the last one."""
    lines = text.splitlines(True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogateescape")


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    folder = path.parent
    while folder.name and folder.name != STATE_DIR:  # empty folders of ours go too
        try:
            folder.rmdir()
        except OSError:
            break
        if folder.name in (CONFLICT_NOTES_DIR, "conflicts"):
            break
        folder = folder.parent


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
