"""One input's notes as they would be written, without a vault: for trying templates and settings."""
from __future__ import annotations

from pathlib import Path

from .config import Config
from .discover import discover
from .errors import UsageError, VaultExportError
from .model import ReadFailure
from .render import NoteRenderer


def preview_notes(file: Path, config: Config) -> tuple[list[str], list[str]]:
    """The text of every note in the file, and a line per record that failed."""
    [item] = list(discover([str(file)], None, config.input_format))
    reader = item.reader()
    if reader is None:
        raise UsageError(file, "not a note file this tool reads", "pass --format NAME")
    renderer = NoteRenderer(config)
    texts, failures = [], []
    for found in reader.read(file):
        if isinstance(found, ReadFailure):
            failures.append(f"{found.origin}: {found.reason}")
            continue
        try:
            texts.append(renderer.render(found).text())
        except VaultExportError as error:
            failures.append(error.message)
    return texts, failures
