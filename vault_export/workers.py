"""Worker processes for the heavy stages (reading inputs, rendering notes): a pool started when a
run is big enough, mapping module-level functions over items in order with little in flight."""
from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator

from vault_export.config import Config

IN_PROCESS_BELOW = 64  # fewer jobs than this are not worth starting processes for
CHUNK = 32
IN_FLIGHT_PER_WORKER = 4


_config: Config | None = None  # the configuration of the run this process works for


def _work_for(config: Config) -> None:
    global _config
    _config = config


def run_config() -> Config:
    """The configuration of the run this process works for (in a worker: the run that forked it)."""
    return _config


def _start_worker(config: Config, parent: int | None) -> None:
    _die_with(parent)
    # A forked worker shares the parent's objects until it writes to their pages; the garbage
    # collector would write to every one of them, so they are set aside before it ever runs.
    gc.freeze()
    _work_for(config)


PR_SET_PDEATHSIG = 1
PARENT_POLL = 1.0  # seconds between the fallback's looks at the parent


def _die_with(parent: int | None) -> None:
    """End this worker when the run that forked it ends, even by SIGKILL: a forked worker holds
    both ends of the pool's pipes, so it would never see them close and would wait (or block
    writing a result) forever. On Linux the kernel sends SIGKILL when the parent dies; the parent
    may have died before that was asked, so it is checked once more after. Elsewhere a thread
    looks at the parent now and then. `parent` is None when a fork server forked us."""
    if parent is None:
        parent = os.getppid()
    kernel_watches = sys.platform.startswith("linux") and _ask_kernel_for_sigkill()
    if os.getppid() != parent:
        os._exit(1)
    if not kernel_watches:
        threading.Thread(target=_watch_parent, args=(parent,), name="vault-export-parent-watch", daemon=True).start()


def _ask_kernel_for_sigkill() -> bool:
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)


def _forking_process() -> int | None:
    """The pid a worker's parent will have: this process's, unless a fork server forks them."""
    import multiprocessing

    return None if multiprocessing.get_start_method() == "forkserver" else os.getpid()


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
            self._pool = ProcessPoolExecutor(self.count, initializer=_start_worker,
                                             initargs=(self.config, _forking_process()))
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
