"""One run's lifecycle around the vault: worker processes, the sync state, and the run's record."""
from __future__ import annotations

import os
import tempfile
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from vault_export.config import Config
from vault_export.inputs.discover import Found, discover_folders
from vault_export.inputs.feeds import FEED_CACHE
from vault_export.model import Report
from vault_export.workers import IN_PROCESS_BELOW, Workers
from vault_export.vault.runlog import write_run_log
from vault_export.vault.state import State, open_state
from vault_export.vault.writer import forget_resolved_folders, sweep_temp_files


class RunSession:
    """Opened once a run's templates are known to be sound; closed whatever happens, recording the
    run in the state and the run log (a dry run records nothing)."""

    def __init__(self, config: Config):
        self.config = config
        self.vault = Path(os.path.abspath(config.vault.expanduser()))
        self.report = Report()
        self.started = _now()
        self.state: State | None = None
        self._exits = ExitStack()
        if config.dry_run:  # a dry run keeps fetched feeds out of the vault, in a folder removed at the end
            self.feed_cache = Path(self._exits.enter_context(tempfile.TemporaryDirectory(prefix="vault-export-")))
        else:
            self.feed_cache = self.vault / FEED_CACHE

    def __enter__(self) -> "RunSession":
        forget_resolved_folders()  # the person may have changed folders into links since the last run
        self.workers = self._exits.enter_context(Workers(self.config))
        return self

    def inputs(self) -> Iterator[Found]:
        """The inputs, discovered lazily; a run big enough for workers starts them before its data."""
        found = discover_folders(self.config.sources, self.vault, self.config.input_format,
                                 self.report.warnings.append)
        seen = 0
        for each in found:
            yield each
            seen += len(each.paths)
            if seen >= IN_PROCESS_BELOW:
                break
        else:
            return
        self.workers.start()
        yield from found

    def open_state(self) -> bool:
        """Open the state (after the workers have started) and whether the last run finished; the
        temporary files of one that did not are swept."""
        self.state = open_state(self.vault, self.config.dry_run)
        last_run_finished = self.state.start_run()
        if not last_run_finished and not self.config.dry_run:
            sweep_temp_files(self.vault)
        return last_run_finished

    def __exit__(self, *exc_info) -> None:
        with self._exits:
            if self.state is not None:
                self._finish()

    def _finish(self) -> None:
        try:
            if not self.config.dry_run:
                exit_code = self.report.exit_code
                self.state.begin()
                self.state.record_run(self.started, _now(), exit_code, self.report.summary())
                self.state.commit()
                write_run_log(self.vault, self.started, _now(), exit_code, self.report)
        finally:
            self.state.close()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
