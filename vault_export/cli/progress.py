"""A progress bar with rate and ETA, for a run on a terminal that is not quiet: commands.py
imports this module (and rich) only for such a run."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task,
                           TaskProgressColumn, TextColumn, TimeRemainingColumn)
from rich.text import Text

from vault_export.model import Progress as RunProgress


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f} notes/s" if task.speed else "")


class _Bar:
    def __init__(self, progress: Progress):
        self._progress = progress
        self._task = None

    def start(self, phase: str, total: int) -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(phase, total=total)

    def advance(self, count: int = 1) -> None:
        self._progress.advance(self._task, count)


@contextmanager
def progress_bar() -> Iterator[RunProgress]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TaskProgressColumn(), _RateColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield _Bar(progress)
