"""The few lines a person reads after a run: counts per status, then what went wrong."""
from __future__ import annotations

import typer

from .config import Config
from .model import Report, Status


def print_summary(report: Report, config: Config, quiet: bool) -> None:
    for item in report.failed:
        typer.echo(f"failed: {item.input}: {item.message}", err=True)
    if quiet:
        return
    for item in report.items:
        if item.status is Status.CONFLICT:
            typer.echo(f"conflict: {item.output}: {item.message}", err=True)
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    counts = ", ".join(f"{count} {status}" for status, count in report.summary().items() if count)
    verb = "would export" if config.dry_run else "exported"
    typer.echo(f"vault-export {verb} {len(report.items)} inputs into {config.vault}: {counts or 'nothing'}")
    if report.daily_pages:
        typer.echo(f"daily pages written: {len(report.daily_pages)}")
