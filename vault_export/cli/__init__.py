"""The command line: Typer commands that turn options into a `Config` and a library call, and print
the summary. Only what a command needs is imported, so `--help` and `--version` start quickly."""
from __future__ import annotations


def main() -> None:
    from vault_export.cli.commands import app
    app(prog_name="vault-export")
