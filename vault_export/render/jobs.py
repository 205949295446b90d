"""The rendering job the workers run for each note: read it again, convert and render it."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from vault_export.errors import InputError, VaultExportError
from vault_export.model import Note, ReadFailure, RenderResult
from vault_export.inputs.readers import reader_named
from vault_export.inputs.feeds import is_url, read_remote
from vault_export.render.note import NoteRenderer
from vault_export.vault.property_types import property_types, registers_types
from vault_export.workers import run_config


@dataclass(frozen=True, slots=True)
class RenderJob:
    reader: str
    path: str
    label: str
    position: int | None
    created: str | None  # the first save's time and day: a re-saved note keeps them
    day: str | None
    note_path: str = ""  # where the note goes in the vault, as planned: its links start from there


def load_note(reader_name: str, path: str, label: str, position: int | None) -> Note:
    items = read_remote(Path(path), label) if is_url(label) else reader_named(reader_name).read(Path(path))
    for item in items:
        if item.origin.position == position:
            if isinstance(item, ReadFailure):
                raise InputError(item.origin, item.reason)
            return item
    raise InputError(path, "the note is no longer in this file")


def render_job(job: RenderJob) -> RenderResult:
    try:
        note = load_note(job.reader, job.path, job.label, job.position)
        note = replace(note, created=datetime.fromisoformat(job.created) if job.created else None,
                       date=date.fromisoformat(job.day) if job.day else None)
        renderer, typed = _renderer()
        rendered = renderer.render(note, job.note_path)
        types = property_types(rendered.properties) if typed else ()
        return RenderResult.rendered(rendered.text(), note.attachments, types)
    except VaultExportError as error:
        return RenderResult(None, error.reason)
    except Exception as error:  # a bug or a hostile input must fail this note, not the run
        return RenderResult(None, f"cannot convert: {type(error).__name__}: {error}")


# The run's configuration, its renderer, and whether the run registers property types, made on first use.
_made_for: tuple = (None, None, False)


def _renderer() -> tuple[NoteRenderer, bool]:
    """The renderer of the run this process works for, and whether the notes' property types are
    wanted (only a run that registers them in types.json pays for working them out)."""
    global _made_for
    config = run_config()
    if _made_for[0] is not config:
        _made_for = config, NoteRenderer(config), registers_types(config)
    return _made_for[1], _made_for[2]
