"""Every template the person wrote, tried once at load time with a sample note, so that a name a
template does not know (`{{ titel }}`) stops the run before anything is written, not each note.

The samples are made by the functions the real rendering takes its variables from: a variable
added there is known here too."""
from __future__ import annotations

from datetime import datetime, timezone

from vault_export.config import Config
from vault_export.model import Note, Origin, local_time
from vault_export.render.note import note_template_source, note_template_variables
from vault_export.render.templates import NoteTemplate
from vault_export.vault.daily import DailyEntry, entry_variables, heading_variables
from vault_export.vault.links import NoteLinks
from vault_export.vault.plan import path_variables

SAMPLE_TIME = datetime(2025, 6, 6, 11, 3, 32, tzinfo=timezone.utc)
SAMPLE = Note(title="A saved note", origin=Origin("inbox/note.md"), url="https://example.com/post",
              source="Example", type="post", created=SAMPLE_TIME, date=SAMPLE_TIME.date(), tags=("tag",),
              summary="A short summary.", body="Hello", extra=(("author", "Someone"),))


def check_templates(config: Config, where: str) -> None:
    """A UsageError naming the key and the unknown variable, for the first template using one."""
    created = local_time(SAMPLE.created, config.zone())
    tags = list(SAMPLE.tags)
    paths = path_variables(SAMPLE.title, SAMPLE.url, SAMPLE.source, SAMPLE.type, tags, created, created.date())
    entry = DailyEntry(created.date(), SAMPLE.source, created.isoformat(), "A saved note", SAMPLE.title,
                       SAMPLE.url, "Clippings/A saved note.md")
    templates = [("notes.folder", config.notes.folder, paths), ("notes.filename", config.notes.filename, paths),
                 ("daily.heading", config.daily.heading, heading_variables("example.com")),
                 ("daily.entry", config.daily.entry, entry_variables(entry, NoteLinks()))]
    if config.notes.template:
        templates.append(("notes.template", note_template_source(config.notes.template),
                          note_template_variables(SAMPLE, config.zone(), tags, SAMPLE.body)))
    for key, source, sample in templates:
        NoteTemplate(key, source, where).check(sample)
