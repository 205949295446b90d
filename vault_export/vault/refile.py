"""Re-filing the notes the tool placed, once notes.folder or notes.filename changed: a note still at
the path the state tracks (so not moved by the person) moves to the folder the templates now give
it, with whatever the person wrote in it. It keeps its file name: Obsidian finds a [[Name]] link by
file name, and a rename made outside Obsidian breaks every link to the note; so a changed
notes.filename names new notes only, and the run says so once."""
from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

from vault_export.config import Config
from vault_export.errors import InputError, WriteError
from vault_export.model import Report, Status
from vault_export.vault.paths import stem_of
from vault_export.vault.plan import PathTemplates, PlannedNote, fixed_folder, note_path
from vault_export.vault.state import State, TrackedNote
from vault_export.vault.views import folder_filter
from vault_export.vault.writer import vault_path

PLACED_BY = "note_path_templates"  # the state's meta key: the templates that placed the tracked notes
NUMBERED = re.compile(r"(.+) \d+")  # a name made unique by a number


class Refiler:
    def __init__(self, vault: Path, state: State, paths: PathTemplates, config: Config):
        self.vault, self.state, self.paths, self.config = vault, state, paths, config
        notes = config.notes
        self.templates = json.dumps([notes.folder, notes.filename])
        placed_by = state.meta(PLACED_BY)
        self.changed = placed_by != self.templates  # a vault of an older version records none
        self.placed_by = json.loads(placed_by) if placed_by else None  # [folder, filename]
        self.filename_changed = self.placed_by is not None and self.placed_by[1] != notes.filename
        self.moved: dict[str, str] = {}  # a moved note's path -> where it was
        self.would_move = 0  # in a dry run
        self.names_kept = 0  # notes whose name the filename template now gives otherwise
        self.warnings: list[str] = []

    def place(self, note: PlannedNote, known: str | None, tracked: TrackedNote | None,
              unchanged: dict[str, bool]) -> str | None:
        """The note's path: `known` (where it is; None for a new note), or, when the templates
        changed and the note is where the tool put it, its file moved to the folder they now give."""
        if not (self.changed and tracked and known == tracked.path and note.identity in unchanged):
            return known
        try:
            folder, name = self.paths.place(note)
        except InputError:  # the templates cannot place it now: it stays where it is
            return known
        stem = stem_of(known)
        if self.filename_changed and not _same_name(stem, name):
            self.names_kept += 1
        target = note_path(folder, stem)
        if target == known:
            return known
        if self.config.dry_run:
            self.would_move += 1
            return known
        if not self._move(known, target):
            return known
        self.moved[target] = known
        return target

    def _move(self, old: str, new: str) -> bool:
        """Rename the file, unless something is at the new path (it stays, and so does the note)."""
        try:
            source, target = vault_path(self.vault, old), vault_path(self.vault, new)
            if os.path.lexists(target):
                self.warnings.append(f"{old} stays where it is: {new}, where notes.folder now puts it, is taken")
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(source, target)
        except (OSError, WriteError) as error:
            self.warnings.append(f"{old} stays where it is: cannot move it to {new}: {error}")
            return False
        _remove_empty_folders(source.parent, self.vault)
        return True

    def finish(self, report: Report) -> None:
        """Say what moved (in each moved note's item) and what did not, and remember the templates."""
        if self.moved:
            report.items[:] = [self._moved_item(item) if item.output in self.moved else item
                               for item in report.items]
        if self.would_move:
            report.warnings.append(f"{self.would_move} notes would move to the folders notes.folder now gives")
        if self.names_kept:
            report.warnings.append(
                f"{self.names_kept} notes keep their file names, though notes.filename now names them otherwise: "
                "renamed outside Obsidian, the [[links]] to them would break. New notes get the new names; "
                "rename the others in Obsidian, which updates the links")
        report.warnings.extend(self.warnings)
        if self.moved:
            self._check_bases_file(report)
        if self.changed and not self.config.dry_run:
            self.state.begin()
            self.state.set_meta(PLACED_BY, self.templates)
            self.state.commit()

    def _check_bases_file(self, report: Report) -> None:
        """The Bases file is written once, then the person's: its folder filter is theirs to change."""
        base = self.config.views.base
        if not base or self.placed_by is None:
            return
        old, new = fixed_folder(self.placed_by[0]), fixed_folder(self.config.notes.folder)
        try:
            text = vault_path(self.vault, base).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, WriteError):
            return
        if old and old != new and folder_filter(old) in text:
            report.warnings.append(f"{base} still lists the notes in {old}/: change its filter to "
                                   f"{folder_filter(new)} to list them where they are now" if new else
                                   f"{base} still lists the notes in {old}/: change its filter to list them")

    def _moved_item(self, item):
        if item.status is Status.DUPLICATE:
            return item
        why = f"moved from {self.moved[item.output]}, as notes.folder now says"
        return replace(item, status=Status.UPDATED if item.status is Status.UNCHANGED else item.status,
                       message=f"{why}; {item.message}" if item.message else why)


def _same_name(stem: str, name: str) -> bool:
    """Whether `stem` is `name`, or `name` (perhaps cut) made unique by a number."""
    numbered = NUMBERED.fullmatch(stem)
    return stem.casefold() == name.casefold() or bool(numbered and name.casefold().startswith(
        numbered.group(1).casefold()))


def _remove_empty_folders(folder: Path, vault: Path) -> None:
    """The folders a moved note leaves empty, up to the vault's own."""
    root = vault.resolve()
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty
            return
        folder = folder.parent
