"""`vault-export watch` at the command line: each run's export, report and one line; what the
watch notices (a source gone, the lock taken) said once on stderr."""
from __future__ import annotations

import time
from pathlib import Path

import typer

from vault_export.config import Config
from vault_export.inputs.feeds import is_url
from vault_export.errors import EmptySourceError, UsageError, VaultExportError, VaultLockedError
from vault_export.cli.summary import print_run_line, save_report
from vault_export.pipeline import export
from vault_export.watch import Watcher, stop_on_signals


def watch_vault(config: Config) -> None:
    """Watch until SIGTERM or SIGINT; a UsageError when there is nothing to watch."""
    runs = WatchedRuns()
    watcher = Watcher(config, runs.run, notice)
    with stop_on_signals() as stop:
        if not config.quiet:
            notice(f"watching {len(watcher.sources)} source(s) for {config.vault}; stop with Ctrl-C or SIGTERM")
        watcher.serve(stop)
    if not config.quiet:
        notice("stopped")


def notice(message: str) -> None:
    typer.echo(f"vault-export watch: {message}", err=True)


class WatchedRuns:
    def __init__(self):
        self.waiting = False  # for another run's lock, said once until a run gets it

    def run(self, config: Config) -> bool:
        """One export; False when it must be tried again (the lock is taken, or a source went
        away since it was looked at)."""
        started = time.strftime("%H:%M:%S")
        try:
            report = export(config)
        except VaultLockedError as error:
            if not self.waiting:
                notice(f"{error.reason}: waiting for it")
            self.waiting = True
            return False
        except EmptySourceError:  # its notes went since it was looked at: the next run leaves it out
            return False
        except UsageError:
            if any(_gone(source) for source in config.sources):
                return False  # the next look notices which one went
            raise
        except VaultExportError as error:
            typer.echo(f"failed: {error.message}", err=True)
            return True
        self.waiting = False
        try:
            save_report(report, config)
        except VaultExportError as error:
            typer.echo(f"failed: {error.message}", err=True)
        print_run_line(report, config, started)
        return True


def _gone(source: str) -> bool:
    return not is_url(source) and not Path(source).expanduser().exists()
