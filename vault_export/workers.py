"""Rendering notes, in worker processes when there are many: read again, convert, render."""
from __future__ import annotations

import gc
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator

from .config import Config
from .errors import InputError, VaultExportError
from .model import Attachment, Note, ReadFailure
from .readers import reader_named
from .remote import is_url, read_remote
from .render import NoteRenderer

IN_PROCESS_BELOW = 64  # fewer jobs than this are not worth starting processes for
CHUNK = 32
IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True)
class RenderJob:
    reader: str
    path: str
    label: str
    position: int | None
    created: str | None  # the first save's time and day: a re-saved note keeps them
    day: str | None


@dataclass(frozen=True)
class RenderResult:
    text: str | None
    error: str | None
    attachments: tuple[Attachment, ...] = ()


def load_note(reader_name: str, path: str, label: str, position: int | None) -> Note:
    items = read_remote(Path(path), label) if is_url(label) else reader_named(reader_name).read(Path(path))
    for item in items:
        if item.origin.position == position:
            if isinstance(item, ReadFailure):
                raise InputError(item.origin, item.reason)
            return item
    raise InputError(path, "the note is no longer in this file")


def render_job(job: RenderJob, renderer: NoteRenderer) -> RenderResult:
    try:
        note = load_note(job.reader, job.path, job.label, job.position)
        note = replace(note, created=datetime.fromisoformat(job.created) if job.created else None,
                       date=date.fromisoformat(job.day) if job.day else None)
        return RenderResult(renderer.render(note).text(), None, note.attachments)
    except VaultExportError as error:
        return RenderResult(None, error.reason)
    except Exception as error:  # a bug or a hostile input must fail this note, not the run
        return RenderResult(None, f"cannot convert: {type(error).__name__}: {error}")


_worker_renderer: NoteRenderer | None = None


def _start_worker(config: Config) -> None:
    global _worker_renderer
    # A forked worker shares the parent's objects until it writes to their pages; the garbage
    # collector would write to every one of them, so they are set aside before it ever runs.
    gc.freeze()
    _worker_renderer = NoteRenderer(config)


def _render_chunk_in_worker(jobs: list[RenderJob]) -> list[RenderResult]:
    return [render_job(job, _worker_renderer) for job in jobs]


def worker_count(config: Config) -> int:
    return config.jobs if config.jobs > 0 else (os.cpu_count() or 1)


def render_all(jobs: Iterable[RenderJob], count: int, config: Config) -> Iterator[RenderResult]:
    """Results in the order of the jobs, whatever the number of workers; jobs are taken as needed."""
    workers = worker_count(config)
    if workers == 1 or count < IN_PROCESS_BELOW:
        renderer = NoteRenderer(config)
        yield from (render_job(job, renderer) for job in jobs)
        return
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(config,)) as pool:
        yield from _in_order(pool, batched(jobs, CHUNK), IN_FLIGHT_PER_WORKER * workers)


def _in_order(pool: ProcessPoolExecutor, chunks: Iterator[list[RenderJob]], window: int) -> Iterator[RenderResult]:
    """Results chunk by chunk, in order, with at most `window` chunks in flight (memory stays flat)."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(pool.submit(_render_chunk_in_worker, chunk))
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
