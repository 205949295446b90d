"""Export again whenever a source changes: watchdog reports the changes, a short quiet spell ends
a burst of them, and one export runs over the sources that are there. A source folder that goes
away (deleted, replaced, an inbox unmounted) is looked for every POLL seconds and watched again
when it is back; its notes stay in the vault meanwhile."""
from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from vault_export.config import Config
from vault_export.errors import UsageError
from vault_export.inputs.discover import empty_folders
from vault_export.inputs.feeds import is_url

QUIET = 0.1  # seconds without an event that end a burst
MOST = 0.4  # seconds after a burst's first event, however long it goes on
POLL = 0.25  # seconds between looks at whether each source is still there
RETRY = 1.0  # seconds before a run that could not be done (the lock is taken) is tried again
# What changes a note file; reads (opened, closed_no_write), the export's own, change nothing.
CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})

Run = Callable[[Config], bool]  # one export over these sources; False when it must be tried again


@dataclass
class Source:
    """One local source (a folder, or a file whose folder is watched) and what is known of it now."""

    path: Path
    folder: bool
    identity: tuple[int, int] | None = None  # (device, inode) of what is watched, None while it is gone
    watch: object = None  # watchdog's ObservedWatch
    seen: bool = False  # whether it was ever watched: its return is then worth saying

    @property
    def watched(self) -> Path:
        return self.path if self.folder else self.path.parent

    def current_identity(self) -> tuple[int, int] | None:
        """The watched folder's, while the source is there: an editor that saves a file by
        renaming a new one over it changes the file's inode, not the folder's."""
        try:
            os.stat(self.path)
            stat = os.stat(self.watched)
        except OSError:
            return None
        return stat.st_dev, stat.st_ino

    def covers(self, path: str) -> bool:
        """Whether a change to `path` may change this source's notes (hidden files never do)."""
        if not self.folder:
            return path == str(self.path)
        relative = os.path.relpath(path, self.path)
        return not relative.startswith("..") and not any(part.startswith(".") for part in Path(relative).parts)


class Watcher(FileSystemEventHandler):
    def __init__(self, config: Config, run: Run, notice: Callable[[str], None]):
        super().__init__()
        self.config, self.run, self.notice = config, run, notice
        self.vault = os.path.abspath(config.vault.expanduser())
        # What the runs write themselves: a change there is no note saved.
        self.own = os.path.abspath(config.report.expanduser()) if config.report else None
        self.sources = [_source(text) for text in config.sources if not is_url(text)]
        if not self.sources:
            raise UsageError(None, "watch needs a source folder or file to watch, not only feed URLs")
        for source in self.sources:
            if source.current_identity() is None:
                raise UsageError(source.path, "no such file or folder")
        self.observer = Observer()
        self.wake = threading.Event()  # set by a change, by a signal, or when a run is due
        self.first = self.last = 0.0  # monotonic times of the pending burst's first and last events
        self.pending = False
        self.not_before = 0.0  # monotonic time before which no run is tried again
        self.empty: set[str] = set()  # sources left out of runs for holding no notes

    def on_any_event(self, event) -> None:  # called in the observer's thread
        if event.event_type not in CHANGES or (event.is_directory and event.event_type == "modified"):
            return  # a folder is "modified" when what is in it changes, which has events of its own
        paths = [path for path in (event.src_path, getattr(event, "dest_path", "")) if path]
        if any(self._concerns(os.fsdecode(path)) for path in paths):
            self._request()

    def _concerns(self, path: str) -> bool:
        ours = path == self.own or path == self.vault or path.startswith(self.vault + os.sep)
        return not ours and any(source.covers(path) for source in self.sources)

    def _request(self) -> None:
        now = time.monotonic()
        if not self.pending:
            self.first, self.pending = now, True
        self.last = now
        self.wake.set()

    def serve(self, stop: threading.Event) -> None:
        """Watch and export until `stop` is set; a run under way then finishes first."""
        self.observer.start()
        try:
            self._look()
            self._request()  # the first run catches up with what changed while nobody watched
            while not stop.is_set():
                self.wake.wait(self._timeout())
                self.wake.clear()
                if stop.is_set():
                    break
                if self._look():
                    self._request()
                if self._due():
                    self.pending = False
                    present = self._present_config()
                    if present.sources and not self.run(present):
                        self.not_before = time.monotonic() + RETRY
                        self._request()
        finally:
            self.observer.stop()
            self.observer.join()

    def _timeout(self) -> float:
        if not self.pending:
            return POLL
        return min(POLL, max(0.0, self._due_at() - time.monotonic()))

    def _due(self) -> bool:
        return self.pending and time.monotonic() >= self._due_at()

    def _due_at(self) -> float:
        """When the pending run may start: after a quiet spell, or a while into a long burst."""
        return max(self.not_before, min(self.last + QUIET, self.first + MOST))

    def _look(self) -> bool:
        """Watch each source again that came back or was replaced; whether any did."""
        came_back = False
        for source in self.sources:
            identity = source.current_identity()
            if identity == source.identity:
                continue
            self._unwatch(source)
            if identity is None:
                self.notice(f"{source.path} is gone; its notes stay in the vault, and it is watched for again")
                continue
            if source.seen:
                self.notice(f"{source.path} is back; watching it again")
            try:
                source.watch = self.observer.schedule(self, str(source.watched), recursive=source.folder)
            except OSError:  # gone again already: the next look tries again
                continue
            source.identity, source.seen, came_back = identity, True, True
        return came_back

    def _unwatch(self, source: Source) -> None:
        if source.watch is not None:
            try:
                self.observer.unschedule(source.watch)
            except (KeyError, OSError):  # its folder went with it
                pass
        source.watch, source.identity = None, None

    def _present_config(self) -> Config:
        """The configuration with only the sources there now: gone ones are left out, and so are
        folders holding no note (an unmounted inbox), unless empty folders are allowed. With none
        left there is nothing to run: a run of no inputs changes nothing."""
        present = [text for text, source in self._local() if source.identity is not None]
        empty = set() if self.config.allow_empty else set(_empty(present, Path(self.vault)))
        for text in sorted(empty - self.empty):
            self.notice(f"{text} holds no notes (is it mounted?); left out until notes appear in it")
        self.empty = empty
        kept = {text for text in present if text not in empty}
        return replace(self.config, sources=tuple(text for text in self.config.sources
                                                  if is_url(text) or text in kept))

    def _local(self) -> Iterator[tuple[str, Source]]:
        return zip((text for text in self.config.sources if not is_url(text)), self.sources)


def _source(text: str) -> Source:
    path = Path(os.path.abspath(Path(text).expanduser()))
    return Source(path, path.is_dir())


def _empty(sources: list[str], vault: Path) -> list[str]:
    try:
        return empty_folders(sources, vault)
    except UsageError:  # one went away since it was looked at: the next look notices
        return []


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by the first SIGTERM or SIGINT; a second one acts as it would without us."""
    stop = threading.Event()
    defaults = {signal.SIGTERM: signal.SIG_DFL, signal.SIGINT: signal.default_int_handler}
    before = {number: signal.getsignal(number) for number in defaults}

    def handle(number, _frame) -> None:
        stop.set()
        signal.signal(number, defaults[number])

    for number in defaults:
        signal.signal(number, handle)
    try:
        yield stop
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
