"""The sync state in the vault's .vault-export/ folder: what was read, written, and when."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from itertools import count
from operator import mul
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator


from vault_export.model import compress, compress_text, decompress
from vault_export.errors import VaultExportError
from vault_export.workers import batched

if TYPE_CHECKING:
    from vault_export.vault.conflicts import OpenConflict

STATE_DIR = ".vault-export"
DB_NAME = "state.sqlite"
SCHEMA_VERSION = 3
RUN_UNDER_WAY = "run_under_way"
PLANNED_WITH = "planned_with"  # the settings of the last run that finished planning
PLAN_SUMMARY = "plan_summary"  # what the last run recorded of all its plans (see replan.py)
INPUT_FOLDERS_KEPT = "input_folders_kept"  # input_folders holds every folder of the cached inputs
SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    identity TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    render_key TEXT NOT NULL,
    written_hash TEXT NOT NULL,
    written_text BLOB NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    day TEXT,
    source TEXT,
    sort_key TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT ''
);
DROP INDEX IF EXISTS notes_path;
DROP INDEX IF EXISTS notes_path_stat;
CREATE INDEX IF NOT EXISTS notes_files ON notes(identity, path, size, mtime_ns, render_key);
CREATE INDEX IF NOT EXISTS notes_by_path ON notes(path);
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    saves TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inputs_stat ON inputs(path, size, mtime_ns);
CREATE TABLE IF NOT EXISTS pages (
    path TEXT PRIMARY KEY,
    written_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    exit_code INTEGER NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_day ON notes(day);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    modified TEXT
);
CREATE TABLE IF NOT EXISTS images (
    url TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
DROP TABLE IF EXISTS settled;
CREATE TABLE IF NOT EXISTS planned (
    identity TEXT PRIMARY KEY,
    inputs TEXT NOT NULL,
    origins TEXT NOT NULL,
    settled INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS vault_notes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    identities TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS input_folders (
    folder TEXT PRIMARY KEY,
    digest TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS vault_folders (
    folder TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL,
    notes TEXT NOT NULL,
    folders TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS note_folders (
    folder TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS conflicts (
    identity TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    since TEXT NOT NULL,
    ours BLOB NOT NULL,
    base BLOB
);
"""


@dataclass(frozen=True)
class Listing:
    """What a daily page needs to know of a note."""

    day: str | None
    source: str | None
    sort_key: str
    title: str


@dataclass(frozen=True, slots=True)
class TrackedNote:
    identity: str
    path: str  # vault-relative, '/'-separated
    render_key: str  # '' while the note is only planned (written by a run that may have been killed)
    written_hash: str
    written_text_z: bytes | None  # the base of merges; None when loaded without it (see base_text)
    size: int
    mtime_ns: int
    day: str | None = None
    source: str | None = None
    sort_key: str = ""
    title: str = ""

    @classmethod
    def of(cls, identity: str, path: str, render_key: str, clean_text_z: bytes, written: bytes,
           stat, listing: Listing) -> "TrackedNote":
        """What we rendered (the base of later merges, compressed by compress_text) and what the
        file held when we left it."""
        return cls(identity, path, render_key, hashlib.sha256(written).hexdigest(),
                   clean_text_z, stat.st_size, stat.st_mtime_ns,
                   listing.day, listing.source, listing.sort_key, listing.title)

    @classmethod
    def pending(cls, identity: str, path: str) -> "TrackedNote":
        """Recorded before a new note is written, so a killed run's file is found at the same path."""
        return cls(identity, path, "", "", _EMPTY_TEXT_Z, -1, -1)


def _names(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(LIST_SEPARATOR)) if joined else ()


def _detached(text: str) -> str:
    """An equal string for SQLite to bind. Binding stores the UTF-8 form of a non-ASCII string
    inside the string for as long as it lives; a run keeps every input and note path it reports."""
    return text if text.isascii() else text.encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")


_EMPTY_TEXT_Z = compress_text("")
QUERY_BATCH = 500  # identities asked for in one query
LIST_SEPARATOR = "\x00"  # between the paths and URLs of a list kept as one text: none holds a NUL


def _compressed(text: str) -> bytes:
    return compress(text.encode("utf-8", "surrogateescape"))


class State:
    """A thin layer over the SQLite file; callers decide when a batch is committed."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None):
        self.db = connection
        self.path = path
        self.folders_written: set[str] = set()  # the folders of the notes saved since the state was opened

    @classmethod
    def open(cls, vault: Path, read_only: bool = False) -> "State":
        """The vault's state; read-only (for a dry run) reads it without creating or changing anything."""
        path = vault / STATE_DIR / DB_NAME
        if read_only:
            return cls._open_read_only(path)
        folder = vault / STATE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / DB_NAME
        connection = sqlite3.connect(path, isolation_level=None)
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if 0 < version < SCHEMA_VERSION:
            connection.close()
            raise sqlite3.DatabaseError(f"state format {version} is older than {SCHEMA_VERSION}")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        # A checkpoint syncs to disk; every 1,000 pages (the default), a big export ran one on most commits.
        connection.execute("PRAGMA wal_autocheckpoint=16384")
        connection.executescript(SCHEMA)
        connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        return cls(connection, path)

    @classmethod
    def _open_read_only(cls, path: Path) -> "State":
        """A throwaway in-memory copy: the run may record into it, the file is never touched."""
        copy = sqlite3.connect(":memory:", isolation_level=None)
        if path.exists():
            # Even read-only, SQLite makes the -shm (and -wal) of a WAL database beside it: the file
            # and its WAL are copied into a folder of our own, and read there.
            with tempfile.TemporaryDirectory(prefix="vault-export-state-") as folder:
                for suffix in ("", "-wal"):
                    try:
                        shutil.copyfile(f"{path}{suffix}", os.path.join(folder, DB_NAME + suffix))
                    except FileNotFoundError:
                        pass
                source = sqlite3.connect(os.path.join(folder, DB_NAME))
                try:
                    source.backup(copy)
                finally:
                    source.close()
        copy.executescript(SCHEMA)
        return cls(copy, None)

    def close(self) -> None:
        self.db.close()

    def begin(self) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    # notes
    def tracked_notes(self, identities: list[str]) -> dict[str, TrackedNote]:
        """The tracked notes of these identities, without their written hash (see written_hash),
        last rendered text (base_text) or listing (notes_on)."""
        marks = ", ".join("?" * len(identities))
        rows = self.db.execute("SELECT identity, path, render_key, '', NULL, size, mtime_ns, day FROM notes"
                               f" WHERE identity IN ({marks})", identities)
        return {row[0]: TrackedNote(*row) for row in rows}

    def has_notes(self) -> bool:
        return self.db.execute("SELECT 1 FROM notes LIMIT 1").fetchone() is not None

    def written_hash(self, identity: str) -> str | None:
        row = self.db.execute("SELECT written_hash FROM notes WHERE identity = ?", (identity,)).fetchone()
        return row[0] if row else None

    def tracked_paths(self) -> Iterator[str]:
        return (row[0] for row in self.db.execute("SELECT path FROM notes INDEXED BY notes_by_path"))

    def notes_on(self, day: str) -> list[TrackedNote]:
        rows = self.db.execute("SELECT identity, path, render_key, written_hash, NULL, size, mtime_ns, day,"
                               " source, sort_key, title FROM notes WHERE day = ? AND render_key != ''", (day,))
        return [TrackedNote(*row) for row in rows]

    def days(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT DISTINCT day FROM notes WHERE day IS NOT NULL")]

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def base_text(self, identity: str) -> str | None:
        """The clean text last rendered for a note: the base of a three-way merge."""
        row = self.db.execute("SELECT written_text FROM notes WHERE identity = ?", (identity,)).fetchone()
        return decompress(row[0]).decode() if row else None

    def identity_at(self, path: str) -> str | None:
        """The identity of the note the state tracks at this vault path."""
        row = self.db.execute("SELECT identity FROM notes INDEXED BY notes_by_path WHERE path = ?",
                              (path,)).fetchone()
        return row[0] if row else None

    def identities(self) -> Iterator[str]:
        return (row[0] for row in self.db.execute("SELECT identity FROM notes"))

    def rename_identity(self, old: str, new: str) -> None:
        """The note tracked as `old` is `new` from now on (its base, its open conflict kept)."""
        self.db.execute("UPDATE notes SET identity = ? WHERE identity = ?", (new, old))
        self.db.execute("UPDATE conflicts SET identity = ? WHERE identity = ?", (new, old))

    def forget_identities(self) -> None:
        """Drop what holds identities made by another scheme: the cached saves (every input is
        read again) and the cached vault notes."""
        self.db.execute("DELETE FROM inputs")
        self.db.execute("DELETE FROM vault_notes")
        self.db.execute("DELETE FROM input_folders")
        self.db.execute("DELETE FROM meta WHERE key = ?", (INPUT_FOLDERS_KEPT,))

    # the notes in the vault the state does not track, by what their front matter claims (index.py)
    def vault_notes(self) -> dict[str, tuple[int, int, list[str], str]]:
        rows = self.db.execute("SELECT path, size, mtime_ns, identities, content_hash FROM vault_notes")
        return {path: (size, mtime, json.loads(identities), digest) for path, size, mtime, identities, digest in rows}

    def save_vault_notes(self, rows: dict[str, tuple[int, int, list[str], str]], gone: Iterable[str]) -> None:
        """Cache these vault notes, and forget those of the paths `gone`."""
        self.db.executemany("DELETE FROM vault_notes WHERE path = ?", ((path,) for path in gone))
        self.db.executemany("INSERT OR REPLACE INTO vault_notes VALUES (?, ?, ?, ?, ?)",
                            ((_detached(path), size, mtime, json.dumps(identities, ensure_ascii=False), digest)
                             for path, (size, mtime, identities, digest) in rows.items()))

    # the vault's folders as last listed (index.py): their modification time, notes and subfolders
    def vault_folders(self) -> dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]]:
        """(mtime_ns, note names, subfolder names) by folder."""
        return {folder: (mtime, _names(notes), _names(folders))
                for folder, mtime, notes, folders in self.db.execute("SELECT * FROM vault_folders")}

    def keep_vault_folders(self, listed: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]],
                           gone: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM vault_folders WHERE folder = ?", ((folder,) for folder in gone))
        self.db.executemany("INSERT OR REPLACE INTO vault_folders VALUES (?, ?, ?, ?)",
                            ((_detached(folder), mtime, _detached(LIST_SEPARATOR.join(notes)),
                              _detached(LIST_SEPARATOR.join(folders))) for folder, (mtime, notes, folders) in listed.items()))

    def save_note(self, note: TrackedNote) -> None:
        self.folders_written.add(folder_of(note.path))
        self.db.execute("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (note.identity, _detached(note.path), note.render_key, note.written_hash,
                         note.written_text_z, note.size, note.mtime_ns, note.day, note.source,
                         note.sort_key, note.title))

    # inputs (the stat cache that lets unchanged inputs go unparsed)
    def cached_inputs(self) -> "InputCache":
        return InputCache(self.db)

    def input_stats(self, folders: Iterable[str] | None = None) -> dict[str, tuple[int, int]]:
        """(size, mtime_ns) of every cached input by path or feed URL; or of the files in these
        folders (not in their subfolders) and the feed URLs."""
        if folders is None:
            rows = self.db.execute("SELECT path, size, mtime_ns FROM inputs INDEXED BY inputs_stat")
            return {path: (size, mtime) for path, size, mtime in rows}
        found = {path: (size, mtime) for path, size, mtime in self.db.execute(
            "SELECT path, size, mtime_ns FROM inputs JOIN feeds ON url = path")}
        for folder in folders:
            found.update((path, (size, mtime)) for path, size, mtime in self._inputs_in(folder))
        return found

    def _inputs_in(self, folder: str) -> sqlite3.Cursor:
        """(path, size, mtime_ns) of the cached files in the folder, in path order."""
        where, parameters = _directly_in(folder, os.sep)
        return self.db.execute(f"SELECT path, size, mtime_ns FROM inputs INDEXED BY inputs_stat WHERE {where}"
                               " ORDER BY path", parameters)

    def input_folder_digests(self) -> dict[str, str] | None:
        """The digest of the cached files' stats in each folder (see scan.py); None when not kept."""
        if self.meta(INPUT_FOLDERS_KEPT) is None:
            return None
        return dict(self.db.execute("SELECT folder, digest FROM input_folders"))

    def keep_input_folders(self, folders: Iterable[str] | None) -> None:
        """Make again the digest of these folders' cached files, or of every folder's; a folder
        without one is forgotten."""
        if folders is None:
            self._keep_every_input_folder()
            return
        for folder in folders:
            files = self._inputs_in(folder).fetchall()
            if files:
                self.db.execute("INSERT OR REPLACE INTO input_folders VALUES (?, ?)", (_detached(folder), _rows_digest(files)))
            else:
                self.db.execute("DELETE FROM input_folders WHERE folder = ?", (folder,))

    def _keep_every_input_folder(self) -> None:
        by_folder: dict[str, list] = {}
        feeds = {url for url, in self.db.execute("SELECT url FROM feeds")}
        for path, size, mtime in self.db.execute("SELECT path, size, mtime_ns FROM inputs INDEXED BY inputs_stat"):
            if path not in feeds:
                by_folder.setdefault(path.rpartition(os.sep)[0], []).append((path, size, mtime))
        self.db.execute("DELETE FROM input_folders")
        self.db.executemany("INSERT INTO input_folders VALUES (?, ?)",
                            ((_detached(folder), _rows_digest(files)) for folder, files in by_folder.items()))
        self.set_meta(INPUT_FOLDERS_KEPT, "1")

    def input_saves(self, key: str) -> list[list]:
        """The cached saves of one input (see Save.cache_fields); [] when it is not cached."""
        row = self.db.execute("SELECT saves FROM inputs WHERE path = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else []

    def forget_inputs(self, keys: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM inputs WHERE path = ?", ((key,) for key in keys))

    def save_inputs(self, rows: Iterable[tuple[str, int, int, list]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO inputs VALUES (?, ?, ?, ?)",
                            ((_detached(path), size, mtime, json.dumps(saves, ensure_ascii=False))
                             for path, size, mtime, saves in rows))

    # daily pages
    def save_page(self, path: str, written_hash: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?)", (path, written_hash))

    # feeds fetched over HTTP: the validators that make an unchanged feed cost one small request
    def feed_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_feed(self, url: str, etag: str | None, modified: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?)", (url, etag, modified))

    # images downloaded into the attachments folder (--download-images): URL -> file name
    def image_names(self, urls: Iterable[str]) -> dict[str, str]:
        return {url: row[0] for url in urls
                if (row := self.db.execute("SELECT name FROM images WHERE url = ?", (url,)).fetchone())}

    def save_image(self, url: str, name: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO images VALUES (?, ?)", (url, name))

    # planned notes (see replan.py): the inputs that hold each identity's saves and their origins,
    # oldest first; settled when the last run left its note as rendered
    def planned_inputs(self, identities: Iterable[str]) -> Iterator[str]:
        """The inputs holding the saves of these identities, as the last run planned them."""
        for batch in batched(list(identities), QUERY_BATCH):
            rows = self.db.execute(f"SELECT inputs FROM planned WHERE identity IN ({', '.join('?' * len(batch))})",
                                   batch)
            for (inputs,) in rows:
                yield from inputs.split(LIST_SEPARATOR)

    def plans_to_redo(self, retry_suffix: str, identities: Iterable[str] | None = None) -> set[str]:
        """The planned notes (all, or those of these identities) the last run did not settle, left
        unwritten, or wrote with images to fetch again (a render key ending in retry_suffix)."""
        # Read in identity order from the two covering indexes, the join walks both in step: a
        # query that also asks for `settled` reads the plans in table order and looks up each note.
        query = ("SELECT identity FROM planned WHERE NOT settled{} UNION"
                 " SELECT planned.identity FROM planned LEFT JOIN notes INDEXED BY notes_files"
                 " ON notes.identity = planned.identity AND render_key != ''"
                 " WHERE (path IS NULL OR render_key LIKE '%' || ?){}")
        if identities is None:
            return {identity for identity, in self.db.execute(query.format("", ""), (retry_suffix,))}
        found = set()
        for batch in batched(list(identities), QUERY_BATCH):
            among = f" AND {{}}identity IN ({', '.join('?' * len(batch))})"
            rows = self.db.execute(query.format(among.format(""), among.format("planned.")),
                                   (*batch, retry_suffix, *batch))
            found.update(identity for identity, in rows)
        return found

    def plan_counts(self, identities: Iterable[str] | None = None) -> tuple[int, int]:
        """(planned notes, their saves' origins) of all plans, or of those of these identities."""
        query = "SELECT CAST(origins AS BLOB) FROM planned"  # counted in bytes: no text is made of them
        if identities is None:
            rows = self.db.execute(query)
        else:
            rows = (row for batch in batched(list(identities), QUERY_BATCH)
                    for row in self.db.execute(f"{query} WHERE identity IN ({', '.join('?' * len(batch))})", batch))
        separator, notes, origins = LIST_SEPARATOR.encode(), 0, 0
        for (joined,) in rows:
            notes += 1
            origins += joined.count(separator) + 1
        return notes, origins

    def plans_with_notes(self) -> Iterator[tuple[str, str, str]]:
        """(identity, its saves' origins joined by LIST_SEPARATOR, its note's path) of each planned
        note a run wrote."""
        return self.db.execute("SELECT planned.identity, origins, path FROM planned JOIN notes INDEXED BY notes_files"
                               " ON notes.identity = planned.identity AND render_key != ''")

    def notes_in(self, folder: str) -> Iterator[tuple[str, str, int, int]]:
        """(identity, path, size, mtime_ns) of the notes a run wrote into this vault folder ('' for
        the vault's own), not into folders in it."""
        if not folder:
            return self.db.execute("SELECT identity, path, size, mtime_ns FROM notes"
                                   " WHERE render_key != '' AND instr(path, '/') = 0")
        where, parameters = _directly_in(folder, "/")
        return self.db.execute("SELECT identity, path, size, mtime_ns FROM notes INDEXED BY notes_by_path"
                               f" WHERE {where} AND render_key != ''", parameters)

    # the folders holding notes, with their modification time as the last run left them (replan.py)
    def note_folders(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT folder, mtime_ns FROM note_folders"))

    def folders_in_use(self) -> set[str]:
        """The folder of every note the state tracks."""
        return {folder_of(path) for path in self.tracked_paths()}

    def save_note_folders(self, folders: dict[str, int]) -> None:
        self.db.execute("DELETE FROM note_folders")
        self.db.executemany("INSERT INTO note_folders VALUES (?, ?)", folders.items())

    def save_planned(self, rows: Iterable[tuple[str, list[str], list[str], bool]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO planned VALUES (?, ?, ?, ?)",
                            ((identity, LIST_SEPARATOR.join(inputs), LIST_SEPARATOR.join(origins), int(settled))
                             for identity, inputs, origins, settled in rows))

    def forget_planned(self, identities: Iterable[str] | None) -> None:
        """Forget these identities' plans; None: all of them."""
        if identities is None:
            self.db.execute("DELETE FROM planned")
        else:
            self.db.executemany("DELETE FROM planned WHERE identity = ?", ((identity,) for identity in identities))

    # open conflicts (see conflicts.py)
    def open_conflict_identities(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT identity FROM conflicts")}

    def conflict(self, identity: str) -> "OpenConflict | None":
        from vault_export.vault.conflicts import OpenConflict

        row = self.db.execute("SELECT identity, path, since, ours, base FROM conflicts WHERE identity = ?",
                              (identity,)).fetchone()
        if row is None:
            return None
        base = decompress(row[4]).decode("utf-8", "surrogateescape") if row[4] is not None else None
        return OpenConflict(row[0], row[1], row[2], decompress(row[3]).decode("utf-8", "surrogateescape"), base)

    def save_conflict(self, conflict: "OpenConflict") -> None:
        base = None if conflict.base is None else _compressed(conflict.base)
        self.db.execute("INSERT OR REPLACE INTO conflicts VALUES (?, ?, ?, ?, ?)",
                        (conflict.identity, _detached(conflict.path), conflict.since,
                         _compressed(conflict.ours), base))

    def close_conflict(self, identity: str) -> None:
        self.db.execute("DELETE FROM conflicts WHERE identity = ?", (identity,))

    # runs
    def start_run(self) -> bool:
        """Mark a run as under way; returns whether the run before it finished (a killed run may
        have left temporary files)."""
        finished = self.meta(RUN_UNDER_WAY) == "no"
        self.set_meta(RUN_UNDER_WAY, "yes")
        return finished

    def record_run(self, started: str, finished: str, exit_code: int, summary: dict) -> None:
        self.set_meta(RUN_UNDER_WAY, "no")
        self.db.execute("INSERT INTO runs (started, finished, exit_code, summary) VALUES (?, ?, ?, ?)",
                        (started, finished, exit_code, json.dumps(summary)))
        self.db.execute("DELETE FROM runs WHERE id <= (SELECT MAX(id) FROM runs) - 100")

    def last_run_id(self) -> int:
        """The number of the last run recorded (0 before the first); each run's is higher."""
        return self.db.execute("SELECT COALESCE(MAX(id), 0) FROM runs").fetchone()[0]

    def last_run(self) -> dict | None:
        row = self.db.execute(
            "SELECT started, finished, exit_code, summary FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return {"started": row[0], "finished": row[1], "exit_code": row[2], "summary": json.loads(row[3])}


def _directly_in(folder: str, separator: str) -> tuple[str, tuple]:
    """The condition, and its parameters, that a `path` is in the folder and not in a folder in
    it: it starts with the folder and the separator (a range of the path index: the character
    after the separator ends it), and holds no separator after that."""
    start = folder + separator
    return ("path >= ? AND path < ? AND instr(substr(path, ?), ?) = 0",
            (start, folder + chr(ord(separator) + 1), len(start) + 1, separator))


def folder_of(path: str) -> str:
    """The vault folder of a vault-relative path: '' for the vault's own."""
    return path.rpartition("/")[0]


UNKNOWN_TIME = -1  # a folder's modification time that tells nothing: what it holds is looked at


def folder_mtime(vault: str | Path, folder: str) -> int:
    """A vault folder's modification time; UNKNOWN_TIME when it is missing, or kept to the second
    only (FAT, some network shares), too coarse to tell a change just after a run."""
    try:
        mtime_ns = os.stat(os.path.join(vault, folder)).st_mtime_ns
    except OSError:
        return UNKNOWN_TIME
    return UNKNOWN_TIME if mtime_ns % 1_000_000_000 == 0 else mtime_ns


def open_state(vault: Path, read_only: bool) -> State:
    """The vault's state; a corrupt one is moved aside, to be rebuilt from the vault."""
    try:
        return State.open(vault, read_only=read_only)
    except Exception as error:  # sqlite3 errors: corrupt file, not a database, read-only folder
        if read_only or not _quarantine(vault):
            raise VaultExportError(vault, f"cannot open the sync state: {error}") from error
        return State.open(vault)


def _quarantine(vault: Path) -> bool:
    """Move a corrupt state aside; False when that is impossible."""
    folder = vault / STATE_DIR
    try:
        for name in os.listdir(folder):
            if name.startswith(DB_NAME):
                os.replace(folder / name, folder / f"corrupt-{int(time.time())}-{name}")
    except OSError:
        return False
    return True


def files_digest(paths: list[str], sizes: Iterable[int], mtimes: Iterable[int]) -> str:
    """A digest of a folder's files: their paths (sorted), and their sizes and times weighted by
    place (sums, quick to make; an edit moves a time, and two files trading sizes and times still
    change the weighted sums)."""
    text = f"{len(paths)}\0{_weighted_sum(sizes)}\0{_weighted_sum(mtimes)}\0" + "\0".join(paths)
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _rows_digest(rows: list[tuple[str, int, int]]) -> str:
    paths, sizes, mtimes = zip(*sorted(rows))
    return files_digest(list(paths), sizes, mtimes)


def _weighted_sum(values: Iterable[int]) -> int:
    return sum(map(mul, count(1), values))


class InputCache:
    """The cached (size, mtime_ns, saves) of inputs by path or feed URL.

    Asked in ascending order, it answers from one pass over the table, so a run never holds
    the whole cache in memory; a key out of order costs a query of its own."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self._rows = db.execute("SELECT path, size, mtime_ns, saves FROM inputs ORDER BY path")
        self._row = next(self._rows, None)
        self._last_key = ""

    def get(self, key: str) -> tuple[int, int, str] | None:
        if key < self._last_key:
            return self._db.execute("SELECT size, mtime_ns, saves FROM inputs WHERE path = ?", (key,)).fetchone()
        self._last_key = key
        while self._row is not None and self._row[0] < key:
            self._row = next(self._rows, None)
        return self._row[1:] if self._row is not None and self._row[0] == key else None

    def close(self) -> None:
        self._rows.close()
