"""The records that flow through the pipeline and cross its stages: Note, Save, RenderResult, the
run's report and progress; the times and the blob format they share. No I/O here."""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import sys
import zlib
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any, Protocol, TextIO



@dataclass(frozen=True)
class Origin:
    """Where a note came from: a file (or feed URL), and for multi-record files the 1-based record number."""

    path: str
    position: int | None = None

    def __str__(self) -> str:
        return origin_text(self.path, self.position)


def origin_text(path: str, position: int | None) -> str:
    """An origin as reports show it: the file, with '#N' for the Nth record of a multi-record file."""
    return f"{path}#{position}" if position else str(path)


@dataclass(frozen=True)
class Attachment:
    """A file the note embeds, to be written into the vault's attachments folder under `name`.

    Names are derived from the content's hash, so one name always means the same bytes."""

    name: str
    data: bytes


class BodyFormat(str, enum.Enum):
    HTML = "html"
    MARKDOWN = "markdown"
    TEXT = "text"


@dataclass(frozen=True)
class Note:
    """One saved note as read from its input, before conversion."""

    title: str
    origin: Origin
    url: str | None = None
    source: str | None = None
    type: str | None = None
    created: dt.datetime | None = None  # timezone-aware, or None when the input has no time
    date: dt.date | None = None  # the catalog date, when the input gives one
    tags: tuple[str, ...] = ()
    summary: str | None = None
    body: str = ""
    body_format: BodyFormat = BodyFormat.HTML
    extra: tuple[tuple[str, Any], ...] = ()  # other metadata, in input order
    attachments: tuple[Attachment, ...] = ()  # embedded in the body as ![[name]]
    warnings: tuple[str, ...] = ()  # what the reader had to repair in the input, for the run's report
    source_id: str | None = None  # the id the format gives a record: a feed entry's id, an ENEX note's guid

    def fingerprint(self) -> str:
        """A hash of everything the note says (not where it was found)."""
        fields = [self.title, self.url, self.source, self.type,
                  self.created.isoformat() if self.created else None,
                  self.date.isoformat() if self.date else None,
                  list(self.tags), self.summary, self.body, self.body_format.value,
                  [[key, value] for key, value in self.extra],
                  [[item.name, hashlib.sha256(item.data).hexdigest()] for item in self.attachments],
                  self.source_id]
        encoded = json.dumps(fields, ensure_ascii=False, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class ReadFailure:
    """An input, or one record inside it, that could not be read as a note."""

    origin: Origin
    reason: str


class Status(str, enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    CONFLICT = "conflict"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ReportItem:
    input: str
    status: Status
    output: str | None = None
    message: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"input": self.input, "status": self.status.value,
                "output": self.output, "message": self.message}

    def as_json(self) -> str:
        """The same as json.dumps(self.as_dict(), ensure_ascii=False), several times faster."""
        return (f'{{"input": {_json_string(self.input)}, "status": "{self.status.value}", '
                f'"output": {_json_string(self.output)}, "message": {_json_string(self.message)}}}')


def _json_string(value: str | None) -> str:
    return "null" if value is None else json.encoder.encode_basestring(value)


EXIT_OK, EXIT_FAILED, EXIT_CONFLICTS = 0, 1, 3  # 3: finished, but notes wait for the person


@dataclass
class Report:
    """What a run did to each input, in a stable order."""

    items: list[ReportItem] = field(default_factory=list)
    daily_pages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed_pages: list[str] = field(default_factory=list)  # "<daily page>: <why it was not written>"
    # (notes, their origins) of those a run counts without listing them: a run whose report lists
    # no item (neither --report nor --dry-run) does not read their origins and paths
    unlisted_unchanged: tuple[int, int] = (0, 0)

    def add(self, item: ReportItem) -> None:
        self.items.append(item)

    def add_note(self, origins: list[str], status: Status, output: str | None, message: str | None = None) -> None:
        """The item of a note's latest save (the last origin), and a duplicate item for each earlier one."""
        *earlier, latest = origins
        self.items.append(ReportItem(latest, status, output, message))
        for origin in earlier:
            self.items.append(ReportItem(origin, Status.DUPLICATE, output,
                                         f"an earlier save of the same note (its id or URL); the note has "
                                         f"the latest save's content, from {latest}"))

    def summary(self) -> dict[str, int]:
        statuses = [item.status for item in self.items]
        counts = {status.value: statuses.count(status) for status in Status}  # count() compares by identity first
        unlisted, unlisted_origins = self.unlisted_unchanged
        counts[Status.UNCHANGED.value] += unlisted
        counts[Status.DUPLICATE.value] += unlisted_origins - unlisted
        return counts

    @property
    def total(self) -> int:
        """The number of items: one per input, or per record of an input holding several."""
        return len(self.items) + self.unlisted_unchanged[1]

    @property
    def failed(self) -> list[ReportItem]:
        return [item for item in self.items if item.status is Status.FAILED]

    @property
    def conflicts(self) -> list[ReportItem]:
        """The notes whose conflict is open: every run reports them until the person resolves them."""
        return [item for item in self.items if item.status is Status.CONFLICT]

    @property
    def exit_code(self) -> int:
        """The run's exit status: a failure outranks open conflicts (see the README's exit codes)."""
        return EXIT_FAILED if self.failed or self.failed_pages else EXIT_CONFLICTS if self.conflicts else EXIT_OK

    def sorted_items(self) -> list[ReportItem]:
        """The items, sorted in place: sorting them again costs one pass."""
        self.items.sort(key=attrgetter("input", "status"))  # statuses are strings
        return self.items

    def write_json(self, handle: TextIO) -> None:
        """The report as a JSON object, its items last, one per line, written as they are encoded:
        the report of a big run is large."""
        head = {"summary": {**self.summary(), "total": self.total},
                "daily_pages": sorted(self.daily_pages), "failed_pages": self.failed_pages,
                "warnings": self.warnings}
        handle.write(json.dumps(head, ensure_ascii=False, indent=2).removesuffix("\n}"))
        handle.write(',\n  "items": [')
        separator = "\n    "
        for item in self.sorted_items():
            handle.write(separator + item.as_json())
            separator = ",\n    "
        handle.write("\n  ]\n}\n")


class Progress(Protocol):
    """What a run tells about its progress: a phase with its total, then steps done."""

    def start(self, phase: str, total: int) -> None: ...
    def advance(self, count: int = 1) -> None: ...


class _NoProgress:
    def start(self, phase: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


NO_PROGRESS: Progress = _NoProgress()


# -- times, as Obsidian expects them: in the person's time zone, without an offset
def local_time(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """The wall-clock time in `zone` (None: the system's), without tzinfo; naive input is already local."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone).replace(tzinfo=None)


def note_day(note: Note, zone: dt.tzinfo | None) -> dt.date | None:
    """The catalog date, else the local date of the saved time."""
    if note.date is not None:
        return note.date
    return local_time(note.created, zone).date() if note.created else None


# -- the blob format the state keeps texts in (also made in the workers)
def compress(data: bytes) -> bytes:
    """zlib's format at its quickest level."""
    return zlib.compress(data, 1)


def decompress(blob: bytes) -> bytes:
    return zlib.decompress(blob)


def compress_text(text: str) -> bytes:
    """A merge base as the state keeps it."""
    return compress(text.encode())


# -- what the scan hands to planning, and what rendering hands to the vault
@dataclass(frozen=True, slots=True)
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
    type: str | None
    tags: tuple[str, ...]
    fingerprint: str
    url: str | None = None  # its normalised URL when its identity is another (an id): what an older version knew it by

    @classmethod
    def of(cls, note: Note, reader: str, path: str, identity: str, url: str | None = None) -> "Save":
        """A save as read, with its identity and URL (identity.save_identity); the scanner keeps it
        in its cached form (see from_cache)."""
        return cls(identity, reader, path, note.origin.path, note.origin.position, note.title,
                   note.created.isoformat() if note.created else None,
                   note.date.isoformat() if note.date else None, note.source, note.type, note.tags,
                   note.fingerprint(), url)

    def cache_fields(self, input_path: str) -> list:
        """The fields the state caches; the path and label are left out when they are the input's."""
        return [self.identity, self.reader, _unless(self.path, input_path), _unless(self.label, input_path),
                self.position, self.title, self.created, self.date, self.source, self.type, list(self.tags),
                self.fingerprint, self.url]

    @classmethod
    def from_cache(cls, fields: list, input_path: str) -> "Save":
        """A save as the state cached it; repeated values share one string, to keep memory flat."""
        identity, reader, path, label, position, title, created, day, source, kind, tags, fingerprint, url = fields
        return cls(identity, _shared(reader), path or input_path, label or input_path, position, title,
                   created, _shared(day), _shared(source), _shared(kind), tuple(map(sys.intern, tags)), fingerprint,
                   url)

    @property
    def origin_text(self) -> str:
        return origin_text(self.label, self.position)

    def created_at(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.created) if self.created else None

    def sort_key(self, zone: dt.tzinfo | None) -> str:
        moment = self.created_at()
        return local_time(moment, zone).isoformat() if moment else "~"


def _unless(value: str, same: str) -> str | None:
    return None if value == same else value


def _shared(value: str | None) -> str | None:
    return sys.intern(value) if value else value


@dataclass(frozen=True, slots=True)
class RenderResult:
    text: str | None
    error: str | None
    attachments: tuple[Attachment, ...] = ()
    text_z: bytes | None = None  # the text compressed as the state keeps it, done here in the worker
    property_types: tuple[tuple[str, str | None], ...] = ()  # each property's Obsidian type (types.json)

    @classmethod
    def rendered(cls, text: str, attachments: tuple[Attachment, ...],
                 property_types: tuple[tuple[str, str | None], ...] = ()) -> "RenderResult":
        return cls(text, None, attachments, compress_text(text), property_types)

    def with_text(self, text: str) -> "RenderResult":
        return replace(self, text=text, text_z=compress_text(text))
