"""From the saves found in the inputs to one planned note per identity, with a unique path."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, tzinfo

from vault_export.identity import ID_PREFIX
from vault_export.model import Save, local_time
from vault_export.config import NotesConfig
from vault_export.render.site import site_of
from vault_export.vault.paths import NOTE_SUFFIX, NameRegistry, note_filename, safe_filename, stem_of, title_name
from vault_export.vault.state import Listing
from vault_export.render.templates import NoteTemplate

TEMPLATE_TAG = re.compile(r"\{[{%#]")  # where Jinja2 code or a comment starts


@dataclass(frozen=True, slots=True)
class PlannedNote:
    """All saves of one identity: the content comes from the latest, the date from the first."""

    identity: str
    saves: tuple[Save, ...]  # oldest first
    day: date | None
    sort_key: str
    path: str = ""  # vault-relative, set once the run has planned it (placed_at)

    @property
    def latest(self) -> Save:
        return self.saves[-1]

    @property
    def first(self) -> Save:
        return self.saves[0]

    @property
    def listing(self) -> Listing:
        return Listing(self.day.isoformat() if self.day else None, self.latest.source, self.sort_key,
                       self.latest.title)

    def placed_at(self, path: str) -> "PlannedNote":
        return PlannedNote(self.identity, self.saves, self.day, self.sort_key, path)

    @property
    def stem(self) -> str:
        return stem_of(self.path)


def group_saves(saves: list[Save], zone: tzinfo | None) -> list[PlannedNote]:
    """One PlannedNote per identity, in a stable order: by day, saved time, identity."""
    by_identity: dict[str, list[Save]] = {}
    for save in saves:
        by_identity.setdefault(save.identity, []).append(save)
    planned = []
    for identity, group in by_identity.items():
        if len(group) > 1:
            group.sort(key=lambda save: (save.sort_key(zone), save.path, save.position or 0))
        first = group[0]
        sort_key = first.sort_key(zone)
        day = _date(first.date) if first.date else _day_of(sort_key)
        planned.append(PlannedNote(identity, tuple(group), day, sort_key))
    planned.sort(key=lambda note: (note.day or date.max, note.sort_key, note.identity))
    return planned


def shared_id_warnings(planned: list[PlannedNote]) -> list[str]:
    """A warning for each source id that records of different inputs give under different titles:
    they are one note (the latest save), which is right for a record exported twice and wrong for
    two exports that each number their records 1, 2, ..."""
    warnings = []
    for note in planned:
        if note.identity.startswith(ID_PREFIX) and len({save.title for save in note.saves}) > 1:
            inputs = sorted({save.origin_text for save in note.saves})
            if len({save.label for save in note.saves}) > 1:
                warnings.append(f"{', '.join(inputs)}: records with other titles share the id "
                                f"{note.identity.removeprefix(ID_PREFIX)!r} and are one note (the latest); "
                                "if they are different notes, set `identity` to the key that tells them apart")
    return warnings


def _day_of(sort_key: str) -> date | None:
    """The local date a sort key (a local ISO time, or '~' for none) starts with."""
    return None if sort_key == "~" else _date(sort_key[:10])


@lru_cache(maxsize=4096)
def _date(text: str) -> date:
    """One date object per day: many notes share a day."""
    return date.fromisoformat(text)


class PathTemplates:
    """The person's folder and file name templates, rendered per note and then made safe."""

    def __init__(self, notes: NotesConfig, zone: tzinfo | None):
        self.folder = NoteTemplate("notes.folder", notes.folder)
        self.filename = NoteTemplate("notes.filename", notes.filename)
        self.zone = zone

    def path_for(self, note: PlannedNote, registry: NameRegistry) -> str:
        folder, name = self.place(note)
        return note_path(folder, registry.claim(name))

    def place(self, note: PlannedNote) -> tuple[str, str]:
        """The folder and the file name (a stem, not yet made unique) the templates give the note."""
        variables = self._variables(note)
        label = note.latest.origin_text
        return (safe_folder(self.folder.render(variables, label)),
                note_filename(self.filename.render(variables, label)))

    def _variables(self, note: PlannedNote) -> dict:
        latest = note.latest
        created = note.first.created_at()
        url = latest.identity if "://" in latest.identity else None
        return path_variables(latest.title, url, latest.source, latest.type, latest.tags,
                              local_time(created, self.zone) if created else None, note.day)


def path_variables(title: str, url: str | None, source: str | None, kind: str | None, tags,
                   created: datetime | None, day: date | None) -> dict:
    """What the folder and file name templates may use (`created` in local time)."""
    return {"title": title, "name": title_name(title), "url": url, "site": site_of(url),
            "source": source, "type": kind, "tags": list(tags), "created": created, "date": day}


def note_path(folder: str, stem: str) -> str:
    return f"{folder}/{stem}{NOTE_SUFFIX}" if folder else stem + NOTE_SUFFIX


def safe_folder(rendered: str) -> str:
    """A rendered folder template as a vault folder: each folder name made safe, empty ones dropped."""
    return "/".join(safe_filename(part) for part in rendered.split("/") if part.strip())


def fixed_folder(template: str) -> str:
    """The folder every note is in or below, whatever the notes.folder template makes of a note:
    the whole folders before its first Jinja2 tag ("" when it starts with one)."""
    literal, *templated = TEMPLATE_TAG.split(template, maxsplit=1)
    folders = literal.split("/")
    return safe_folder("/".join(folders[:-1] if templated else folders))
