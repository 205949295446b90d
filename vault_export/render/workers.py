"""Worker processes for the heavy stages, and the rendering job they run: read again, convert, render."""
from __future__ import annotations

import gc
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from vault_export.config import Config
from vault_export.errors import InputError, VaultExportError
from vault_export.model import Attachment, Note, ReadFailure
from vault_export.inputs.readers import reader_named
from vault_export.inputs.feeds import is_url, read_remote
from vault_export.render.note import NoteRenderer
from vault_export.vault.state import compress_text

IN_PROCESS_BELOW = 64  # fewer jobs than this are not worth starting processes for
CHUNK = 32
IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True, slots=True)
class RenderJob:
    reader: str
    path: str
    label: str
    position: int | None
    created: str | None  # the first save's time and day: a re-saved note keeps them
    day: str | None


@dataclass(frozen=True, slots=True)
class RenderResult:
    text: str | None
    error: str | None
    attachments: tuple[Attachment, ...] = ()
    text_z: bytes | None = None  # the text compressed as the state keeps it, done here in the worker

    @classmethod
    def rendered(cls, text: str, attachments: tuple[Attachment, ...]) -> "RenderResult":
        return cls(text, None, attachments, compress_text(text))

    def with_text(self, text: str) -> "RenderResult":
        return replace(self, text=text, text_z=compress_text(text))


def load_note(reader_name: str, path: str, label: str, position: int | None) -> Note:
    items = read_remote(Path(path), label) if is_url(label) else reader_named(reader_name).read(Path(path))
    for item in items:
        if item.origin.position == position:
            if isinstance(item, ReadFailure):
                raise InputError(item.origin, item.reason)
            return item
    raise InputError(path, "the note is no longer in this file")


def render_job(job: RenderJob) -> RenderResult:
    try:
        note = load_note(job.reader, job.path, job.label, job.position)
        note = replace(note, created=datetime.fromisoformat(job.created) if job.created else None,
                       date=date.fromisoformat(job.day) if job.day else None)
        return RenderResult.rendered(_renderer().render(note).text(), note.attachments)
    except VaultExportError as error:
        return RenderResult(None, error.reason)
    except Exception as error:  # a bug or a hostile input must fail this note, not the run
        return RenderResult(None, f"cannot convert: {type(error).__name__}: {error}")


# The configuration of the run this process works for, and its renderer, made on first use.
_config: Config | None = None
_cached_renderer: NoteRenderer | None = None


def _work_for(config: Config) -> None:
    global _config, _cached_renderer
    _config, _cached_renderer = config, None


def _renderer() -> NoteRenderer:
    global _cached_renderer
    if _cached_renderer is None:
        _cached_renderer = NoteRenderer(_config)
    return _cached_renderer


def _start_worker(config: Config) -> None:
    # A forked worker shares the parent's objects until it writes to their pages; the garbage
    # collector would write to every one of them, so they are set aside before it ever runs.
    gc.freeze()
    _work_for(config)


def _run_chunk(function: Callable, items: list) -> list:
    return [function(item) for item in items]


class Workers:
    """The run's worker processes, started when first needed. With one job, or few items, the
    work is done in this process. Functions given to `map` must be module-level (picklable)."""

    def __init__(self, config: Config):
        self.config = config
        self.count = config.jobs if config.jobs > 0 else (os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Fork the workers now, while this process is small: a worker keeps for its whole life a
        copy of what this process held when it was forked."""
        if self.count > 1 and self._pool is None:
            self._pool = ProcessPoolExecutor(self.count, initializer=_start_worker, initargs=(self.config,))
            self._pool.submit(int)  # a forking pool starts all its workers at the first task

    def map(self, function: Callable, items: Iterable, count: int) -> Iterator:
        """function(item) for each of `count` items, in order; items are taken as they are needed."""
        if self.count == 1 or count < IN_PROCESS_BELOW:
            _work_for(self.config)
            return map(function, items)
        self.start()
        return _in_order(self._pool, function, batched(items, CHUNK), IN_FLIGHT_PER_WORKER * self.count)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _in_order(pool: ProcessPoolExecutor, function: Callable, chunks: Iterator[list], window: int) -> Iterator:
    """Results chunk by chunk, in order, with at most `window` chunks in flight (memory stays flat)."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(pool.submit(_run_chunk, function, chunk))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
