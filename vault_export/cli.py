"""The command line: options -> Config -> library call; errors -> message and exit code."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .config import Config
from .errors import UsageError, VaultExportError, VaultLockedError
from .model import Report
from .pipeline import export
from .progress import progress_bar
from .status import vault_status
from .summary import print_status, print_summary

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn saved notes into an Obsidian vault: Markdown, properties, tags, daily pages.")


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """Turn saved notes into an Obsidian vault: Markdown, properties, tags, daily pages."""
    if version:
        typer.echo(f"vault-export {__version__}")
        raise typer.Exit(EXIT_OK)


@app.command("export")
def export_command(
    sources: Annotated[list[str], typer.Argument(help="Note files or folders (walked recursively).",
                                                 show_default=False)],
    vault: Annotated[Path, typer.Option("--vault", help="The Obsidian vault folder to write into.")],
    report: Annotated[Optional[Path], typer.Option(help="Write a JSON report of every input here.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing unless something failed.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would happen; write nothing.")] = False,
    on_conflict: Annotated[str, typer.Option(help="When a note was edited in the vault and its input "
                                             "changed: merge, keep or overwrite.")] = "merge",
    restore_deleted: Annotated[bool, typer.Option(help="Write again notes deleted from the vault.")] = False,
    input_format: Annotated[Optional[str], typer.Option("--format", help="Read every input as this "
                                                        "format instead of guessing.")] = None,
    jobs: Annotated[int, typer.Option(help="Worker processes (0: one per core).", min=0)] = 0,
    timezone: Annotated[Optional[str], typer.Option(help="IANA time zone for dates (default: "
                                                    "the system's).")] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another run's lock.", min=0)] = 0.0,
) -> None:
    """Export notes into the vault; run it again to sync only what changed."""
    config = Config(vault=vault, sources=tuple(sources), timezone=timezone, on_conflict=on_conflict,
                    input_format=input_format, jobs=jobs, dry_run=dry_run,
                    restore_deleted=restore_deleted, wait=wait)
    result = _run(config, quiet)
    if report is not None:
        report.write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_summary(result, config, quiet)
    raise typer.Exit(EXIT_FAILED if result.failed else EXIT_OK)


@app.command("status")
def status_command(
    vault: Annotated[Path, typer.Option("--vault", help="The vault to describe.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show notes tracked, the last run and its result, and open conflicts."""
    try:
        status = vault_status(vault)
    except UsageError as error:
        _die(error.message, EXIT_USAGE)
    if as_json:
        typer.echo(json.dumps(status, ensure_ascii=False, indent=2))
    else:
        print_status(status)


def _run(config: Config, quiet: bool) -> Report:
    try:
        with progress_bar(enabled=not quiet) as progress:
            return export(config, progress)
    except VaultLockedError as error:
        _die(error.message, EXIT_LOCKED)
    except UsageError as error:
        _die(error.message, EXIT_USAGE)
    except VaultExportError as error:
        _die(error.message, EXIT_FAILED)


def _die(message: str, code: int) -> None:
    typer.echo(f"vault-export: {message}", err=True)
    raise typer.Exit(code)


def main() -> None:
    app(prog_name="vault-export")


if __name__ == "__main__":
    sys.exit(main())
