"""From the saves found in the inputs to one planned note per identity, with a unique path."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from .dates import local_time
from .model import Note, Origin
from .paths import NOTE_SUFFIX, NameRegistry, note_filename
from .state import Listing


@dataclass(frozen=True)
class Save:
    """One input record, reduced to what planning needs (its body is read again when rendered)."""

    identity: str
    reader: str
    path: str  # the file to read it from again (for a feed URL, the cached copy)
    label: str  # where it came from, as reported: the file, or the feed's URL
    position: int | None
    title: str
    created: str | None  # ISO 8601 as read (an offset, or none for local time)
    date: str | None
    source: str | None
    fingerprint: str

    @classmethod
    def of(cls, note: Note, reader: str, path: str) -> "Save":
        return cls(note.identity, reader, path, note.origin.path, note.origin.position, note.title,
                   note.created.isoformat() if note.created else None,
                   note.date.isoformat() if note.date else None, note.source, note.fingerprint())

    @property
    def origin(self) -> Origin:
        return Origin(self.label, self.position)

    def created_at(self) -> datetime | None:
        return datetime.fromisoformat(self.created) if self.created else None

    def sort_key(self, zone: tzinfo | None) -> str:
        moment = self.created_at()
        return local_time(moment, zone).isoformat() if moment else "~"

    def day(self, zone: tzinfo | None) -> date | None:
        if self.date:
            return date.fromisoformat(self.date)
        moment = self.created_at()
        return local_time(moment, zone).date() if moment else None


@dataclass(frozen=True)
class PlannedNote:
    """All saves of one identity: the content comes from the latest, the date from the first."""

    identity: str
    saves: tuple[Save, ...]  # oldest first
    day: date | None
    sort_key: str
    path: str = ""  # vault-relative, set by assign_paths

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

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(NOTE_SUFFIX)


def group_saves(saves: list[Save], zone: tzinfo | None) -> list[PlannedNote]:
    """One PlannedNote per identity, in a stable order: by day, saved time, identity."""
    by_identity: dict[str, list[Save]] = {}
    for save in saves:
        by_identity.setdefault(save.identity, []).append(save)
    planned = []
    for identity, group in by_identity.items():
        group.sort(key=lambda save: (save.sort_key(zone), save.path, save.position or 0))
        first = group[0]
        planned.append(PlannedNote(identity, tuple(group), first.day(zone), first.sort_key(zone)))
    planned.sort(key=lambda note: (note.day or date.max, note.sort_key, note.identity))
    return planned


def assign_paths(planned: list[PlannedNote], known: dict[str, str], taken: set[str],
                 folder: str) -> list[PlannedNote]:
    """Keep the path a note already has; give new notes a name free in the vault."""
    registry = NameRegistry(taken)
    result = []
    for note in planned:
        path = known.get(note.identity)
        if path is None:
            stem = registry.claim(note_filename(note.latest.title))
            path = f"{folder.strip('/')}/{stem}{NOTE_SUFFIX}" if folder.strip("/") else stem + NOTE_SUFFIX
        result.append(PlannedNote(note.identity, note.saves, note.day, note.sort_key, path))
    return result
