"""One input's notes as they would be written, without a vault: for trying templates and settings."""
from __future__ import annotations

from pathlib import Path

from vault_export.config import Config
from vault_export.inputs.discover import discover
from vault_export.errors import UsageError, VaultExportError
from vault_export.identity import save_identity
from vault_export.model import ReadFailure, Save
from vault_export.render.note import NoteRenderer
from vault_export.vault.paths import NameRegistry
from vault_export.vault.plan import PathTemplates, group_saves


def preview_notes(file: Path, config: Config) -> tuple[list[str], list[str]]:
    """The text of every note in the file, and a line per record that failed."""
    [item] = list(discover([str(file)], None, config.input_format))
    reader = item.reader()
    if reader is None:
        raise UsageError(file, "not a note file this tool reads", "pass --format NAME")
    renderer = NoteRenderer(config)
    paths, names = PathTemplates(config.notes, renderer.zone), NameRegistry()
    texts, failures = [], []
    for found in reader.read(file):
        if isinstance(found, ReadFailure):
            failures.append(f"{found.origin}: {found.reason}")
            continue
        try:
            save = Save.of(found, reader.name, str(file), *save_identity(found, config.identity))
            [planned] = group_saves([save], renderer.zone)
            texts.append(renderer.render(found, paths.path_for(planned, names)).text())
        except VaultExportError as error:
            failures.append(error.message)
    return texts, failures
