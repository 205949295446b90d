"""The command line: options -> Config -> library call; errors -> message and exit code."""
from __future__ import annotations

import inspect
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Callable, Optional

import typer

from vault_export import __version__
from vault_export.config import CONFIG_IN_VAULT, HOTLINKED, Config, initial_config, load_config
from vault_export.errors import EmptySourceError, UsageError, VaultExportError, VaultLockedError

if TYPE_CHECKING:
    from vault_export.model import Report

# The pipeline and what prints its results are imported by the commands that use them, so that
# --help and --version do not pay for the whole pipeline.

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_EMPTY, EXIT_LOCKED = 0, 1, 2, 4, 75  # a finished export's: Report.exit_code

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None)

ConfigOption = Annotated[Optional[Path], typer.Option(
    "--config", help=f"TOML configuration (default: VAULT/{CONFIG_IN_VAULT} when it exists).")]


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"vault-export {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True,
                                          callback=_print_version)] = False,
) -> None:
    """Turn saved notes into an Obsidian vault: Markdown, properties, tags, daily pages."""


@app.command("export")
def export_command(
    sources: Annotated[Optional[list[str]], typer.Argument(
        help="Note files, folders (walked recursively) or feed URLs; default: the config's sources.",
        show_default=False)] = None,
    vault: Annotated[Optional[Path], typer.Option(help="The Obsidian vault folder to write into.")] = None,
    config_file: ConfigOption = None,
    report: Annotated[Optional[Path], typer.Option(help="Write a JSON report of every input here.")] = None,
    quiet: Annotated[Optional[bool], typer.Option("--quiet", "-q", help="Print nothing unless something "
                                                  "failed.", show_default=False)] = None,
    dry_run: Annotated[Optional[bool], typer.Option("--dry-run", help="Say what would happen; write nothing.",
                                                    show_default=False)] = None,
    on_conflict: Annotated[Optional[str], typer.Option(help="A note edited in the vault whose input changed: "
                                                       "merge, keep or overwrite. [default: merge]")] = None,
    restore_deleted: Annotated[Optional[bool], typer.Option(
        "--restore-deleted", help="Write again notes deleted from the vault.", show_default=False)] = None,
    download_images: Annotated[Optional[bool], typer.Option(
        "--download-images/--no-download-images", help="Fetch remote images into the attachments folder.",
        show_default=False)] = None,
    input_format: Annotated[Optional[str], typer.Option(
        "--format", help="Read every input as this format (collector, json, markdown, enex, feed, webpage).")] = None,
    jobs: Annotated[Optional[int], typer.Option(help="Worker processes; 0 = one per core. [default: 0]",
                                                min=0)] = None,
    timezone: Annotated[Optional[str], typer.Option(help="IANA time zone for dates (default: the system's).")] = None,
    wait: Annotated[Optional[float], typer.Option(help="Seconds to wait for another run's lock. [default: 0]",
                                                  min=0)] = None,
    obsidian_folder: Annotated[Optional[str], typer.Option(
        help="The vault's Obsidian settings folder, followed where the configuration is silent. "
             "[default: .obsidian]")] = None,
    allow_empty: Annotated[Optional[bool], typer.Option(
        "--allow-empty", help="A source folder without notes is fine (else: exit 4, as for an unmounted "
                              "inbox).", show_default=False)] = None,
) -> None:
    """Export notes into the vault; run it again to sync only what changed.

    Exit codes: 0 done; 1 some inputs or daily pages failed (the others were exported); 2 usage or
    configuration error, such as a missing source (nothing written); 3 done, but notes have open
    conflicts; 4 a source folder holds no notes (nothing written; see --allow-empty); 75 another
    run holds the vault's lock.
    """
    options = _options(**locals())
    from vault_export.cli.summary import print_summary, save_report

    config = _config(config_file, vault, options)
    result = _run(config)
    try:
        save_report(result, config)
    except VaultExportError as error:
        print_summary(result, config, config.quiet)
        _die(error.message, result.exit_code or EXIT_FAILED)
    print_summary(result, config, config.quiet)
    raise typer.Exit(result.exit_code)


def _options_of(command: Callable, leaving_out: set[str]) -> Callable:
    """Give the decorated command (which takes **options) the options of `command`, less some:
    declared once, they stay the same in both."""
    def declare(function: Callable) -> Callable:
        signature = inspect.signature(command, eval_str=True)
        kept = [parameter for parameter in signature.parameters.values() if parameter.name not in leaving_out]
        function.__signature__ = signature.replace(parameters=kept)
        return function

    return declare


@app.command("watch")
@_options_of(export_command, leaving_out={"dry_run", "wait"})
def watch_command(**options) -> None:
    """Export whenever a note is saved into a source, until SIGTERM or Ctrl-C.

    Each run is an export (the same lock, state and report; one line of counts per run, and
    --report rewritten after each). The vault's lock is held only while a run is under way, so
    `status` and a scheduled `export` can run in between. A source folder that is deleted,
    replaced or unmounted is watched for until it is back; its notes stay in the vault meanwhile.

    Exit codes: 0 stopped by SIGTERM or SIGINT (a run under way finishes first); 2 usage or
    configuration error, such as a missing source.
    """
    from vault_export.cli.watching import watch_vault

    config = _config(options["config_file"], options["vault"], _options(**options))
    _check_run(config)
    try:
        watch_vault(config)
    except UsageError as error:
        _die(error.message, EXIT_USAGE)


@app.command("status")
def status_command(
    vault: Annotated[Optional[Path], typer.Option(
        "--vault", help="The vault to describe (default: the configuration's vault).")] = None,
    config_file: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show notes tracked, the last run and its result (or the run under way), and open conflicts."""
    from vault_export.cli.status import vault_status
    from vault_export.cli.summary import print_status

    if vault is None and config_file is not None:
        vault = _config(config_file, None, {}).vault
    if vault is None:
        _die("give --vault, or --config naming a configuration with a vault", EXIT_USAGE)
    vault = vault.expanduser()
    try:
        status = vault_status(vault)
    except UsageError as error:
        _die(error.message, EXIT_USAGE)
    if as_json:
        typer.echo(json.dumps(status, ensure_ascii=False, indent=2))
    else:
        print_status(status)


@app.command("init")
def init_command(
    vault: Annotated[Path, typer.Option("--vault", help="The vault whose configuration to write.")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing configuration.")] = False,
    hotlinked: Annotated[Optional[bool], typer.Option(
        "--download-hotlinked-images/--no-download-hotlinked-images",
        help="Download the images of hosts that block hotlinking (Weibo, WeChat), which show nowhere "
             "else; asked when not given and the input is a terminal. [default: no]", show_default=False)] = None,
) -> None:
    """Write a commented configuration with every default, in VAULT/.vault-export/config.toml."""
    target = vault / CONFIG_IN_VAULT
    if target.exists() and not force:
        _die(f"{target} already exists (pass --force to replace it)", EXIT_USAGE)
    if hotlinked is None and _input_is_terminal():
        hotlinked = typer.confirm("Download images from hosts that block hotlinking (Weibo, WeChat)?",
                                  default=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(initial_config(vault, HOTLINKED if hotlinked else False), encoding="utf-8")
    typer.echo(f"wrote {target}")


def _input_is_terminal() -> bool:
    return sys.stdin.isatty()


@app.command("preview")
def preview_command(
    file: Annotated[Path, typer.Argument(help="One input file.", exists=True, dir_okay=False)],
    config_file: ConfigOption = None,
    input_format: Annotated[Optional[str], typer.Option("--format", help="Read it as this format.")] = None,
    timezone: Annotated[Optional[str], typer.Option(help="IANA time zone for dates.")] = None,
) -> None:
    """Print the note(s) one file makes, as they would be written, without touching any vault."""
    from vault_export.cli.preview import preview_notes

    config = _config(config_file, None, {"input_format": input_format, "timezone": timezone})
    try:
        texts, failures = preview_notes(file, config)
    except VaultExportError as error:
        _die(error.message, EXIT_USAGE if isinstance(error, UsageError) else EXIT_FAILED)
    typer.echo("\n".join(texts), nl=False)
    for failure in failures:
        typer.echo(f"failed: {failure}", err=True)
    raise typer.Exit(EXIT_FAILED if failures else EXIT_OK)


def _options(sources: list[str] | None, config_file: Path | None, **options) -> dict:
    """A command's parameters (its locals() before anything else) as configuration overrides."""
    return {"sources": tuple(sources) if sources else None, **options}


def _config(config_file: Path | None, vault: Path | None, options: dict) -> Config:
    try:
        return load_config(config_file, vault, options)
    except UsageError as error:
        _die(error.message, EXIT_USAGE)


def _run(config: Config) -> "Report":
    from vault_export.pipeline import export

    _check_run(config)
    try:
        with _progress(shown=not config.quiet and sys.stderr.isatty()) as progress:
            return export(config, progress)
    except VaultLockedError as error:
        _die(error.message, EXIT_LOCKED)
    except EmptySourceError as error:
        _die(error.message, EXIT_EMPTY)
    except UsageError as error:
        _die(error.message, EXIT_USAGE)
    except VaultExportError as error:
        _die(error.message, EXIT_FAILED)


def _progress(shown: bool):
    """A progress bar on a terminal (rich is imported only then), else none."""
    if not shown:
        from vault_export.model import NO_PROGRESS

        return nullcontext(NO_PROGRESS)
    from vault_export.cli.progress import progress_bar

    return progress_bar()


def _check_run(config: Config) -> None:
    if config.vault is None or not config.sources:
        missing = "--vault" if config.vault is None else "a SOURCE"
        _die(f"nothing to do: give {missing} on the command line or in the configuration", EXIT_USAGE)
    if config.report is not None and (config.report.is_dir() or not config.report.parent.is_dir()):
        problem = "is a folder" if config.report.is_dir() else f"has no folder {config.report.parent}"
        _die(f"{config.report}: the report path {problem}", EXIT_USAGE)


def _die(message: str, code: int) -> None:
    typer.echo(f"vault-export: {message}", err=True)
    raise typer.Exit(code)
