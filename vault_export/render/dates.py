"""Saved times in the person's time zone, written without an offset as Obsidian expects."""
from __future__ import annotations

from datetime import date, datetime, tzinfo

from vault_export.model import Note


def local_time(moment: datetime, zone: tzinfo | None) -> datetime:
    """The wall-clock time in `zone` (None: the system's), without tzinfo; naive input is already local."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone).replace(tzinfo=None)


def note_day(note: Note, zone: tzinfo | None) -> date | None:
    """The catalog date, else the local date of the saved time."""
    if note.date is not None:
        return note.date
    return local_time(note.created, zone).date() if note.created else None

