"""The few lines a person reads after a run: counts per status, then what went wrong."""
from __future__ import annotations

import typer

from vault_export.config import Config
from vault_export.errors import VaultExportError
from vault_export.model import Report, Status
from vault_export.vault.conflicts import CONFLICT_NOTES_DIR
from vault_export.vault.writer import replaced_when_written

WOULD = {Status.CONFLICT: "would conflict", Status.DUPLICATE: "would be a duplicate", Status.FAILED: "would fail"}


def save_report(report: Report, config: Config) -> None:
    """The JSON report, where --report asked for it, renamed into place when whole: a script that
    reads it while a run writes it sees the last report or this one, never a part."""
    if config.report is None:
        return
    try:
        with replaced_when_written(config.report) as temp, open(temp, "w", encoding="utf-8") as handle:
            report.write_json(handle)
    except OSError as error:
        raise VaultExportError(config.report, f"cannot write the report: {error.strerror or error}") from None


def print_summary(report: Report, config: Config, quiet: bool) -> None:
    print_problems(report, config, quiet)
    if quiet:
        return
    if config.dry_run:
        for item in report.sorted_items():  # what each input would become
            would = WOULD.get(item.status, f"would be {item.status.value}")
            typer.echo(f"{would}: {item.input}" + (f" -> {item.output}" if item.output else ""))
    verb = "would export" if config.dry_run else "exported"
    typer.echo(f"vault-export {verb} {report.total} inputs into {config.vault}: {_counts(report.summary())}")
    if report.daily_pages:
        typer.echo(f"daily pages written: {len(report.daily_pages)}")


def print_run_line(report: Report, config: Config, started: str) -> None:
    """A watched run: what went wrong, then one line with the counts (not when quiet)."""
    print_problems(report, config, config.quiet)
    if not config.quiet:
        typer.echo(f"{started} exported {report.total} inputs: {_counts(report.summary())}")


def print_problems(report: Report, config: Config, quiet: bool) -> None:
    """Failures and open conflicts on stderr (conflicts counted even when quiet), then warnings."""
    for item in report.failed:
        typer.echo(f"failed: {item.input}: {item.message}", err=True)
    for page in report.failed_pages:
        typer.echo(f"failed: {page}", err=True)
    conflicts = report.conflicts
    if not quiet:
        for item in conflicts:
            typer.echo(f"conflict: {item.output}: {item.message}", err=True)
    if conflicts:  # even when quiet: a run under cron must not hide them
        count = f"{len(conflicts)} open conflict{'s' if len(conflicts) > 1 else ''}"
        where = "a dry run writes no conflict note" if config.dry_run else \
            f"see the notes in {CONFLICT_NOTES_DIR}/ in the vault"
        typer.echo(f"vault-export: {count}: {where}", err=True)
    if not quiet:
        for warning in report.warnings:
            typer.echo(f"warning: {warning}", err=True)


def print_status(status: dict) -> None:
    typer.echo(f"vault: {status['vault']}")
    typer.echo(f"notes tracked: {status['notes_tracked']}")
    run, now = status["last_run"], status.get("run_under_way")
    if now:
        typer.echo(f"a run is under way (started {now['started']}, pid {now['pid']})")
    if run:
        label = "run before it" if now else "last run"
        typer.echo(f"{label}: {run['finished']} (exit code {run['exit_code']}): {_counts(run['summary'])}")
    elif not now:
        typer.echo("last run: none recorded")
    typer.echo(f"open conflicts: {len(status['open_conflicts'])}")
    for path in status["open_conflicts"]:
        typer.echo(f"  {path}")


def _counts(summary: dict[str, int]) -> str:
    """`14 unchanged, 1 duplicate`: the statuses that occurred, with their counts."""
    return ", ".join(f"{count} {status}" for status, count in summary.items() if count) or "nothing"
