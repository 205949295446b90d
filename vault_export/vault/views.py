"""The Obsidian Bases file of the notes (`views.base`, Clippings.base by default): a table of the
notes by date, cards with each note's first image, and a table grouped by site.

It is written once, by the first run that finds no file at its path, and never again: from then on
it is the person's to edit, move or delete. The state remembers the path it was written to (or
found taken), so a deleted file stays deleted; naming another path writes one there.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from vault_export.config import Config
from vault_export.errors import WriteError
from vault_export.model import Report
from vault_export.render.note import COVER, property_name, url_property
from vault_export.vault.plan import fixed_folder
from vault_export.vault.state import State
from vault_export.vault.writer import read_existing, vault_path, write_atomic

WRITTEN = "bases_file:"  # + the file's vault-relative path: a meta key of the state
HEADER = ("# Written once by vault-export, and never again: edit it, move it or delete it.\n"
          "# The syntax: https://help.obsidian.md/bases/syntax\n")
# Our properties the views show, with their column names; a property the person dropped is left out.
COLUMNS = {"site": "Site", "tags": "Tags", "date": "Date", "created": "Saved", COVER: "Image"}
NAME = "file.name"


def write_bases_file_once(vault: Path, config: Config, state: State, report: Report) -> None:
    relative = config.views.base
    if not relative or state.meta(WRITTEN + relative) is not None:
        return
    try:
        target = vault_path(vault, relative)
        found = read_existing(target) is not None
        if not found:
            write_atomic(target, bases_file_text(config).encode())
    except WriteError as error:
        if error.fatal:
            raise
        report.warnings.append(f"{relative}: the Bases file was not written: {error.message}")
        return
    state.begin()
    state.set_meta(WRITTEN + relative, "found there" if found else "written")
    state.commit()


# Columns a property preset does not write (Web Clipper's layout has no site and no catalog date).
PRESET_LEAVES_OUT = {"web-clipper": {"site", "date"}}


def bases_file_text(config: Config) -> str:
    return HEADER + yaml.dump(bases_file(config), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                              width=1_000_000, default_flow_style=False)


def bases_file(config: Config) -> dict[str, Any]:
    """The file's contents: global filters that keep our notes, column names, and the views."""
    unwritten = PRESET_LEAVES_OUT.get(config.properties.preset, set())
    note = {key: f"note.{name}" for key in COLUMNS
            if key not in unwritten and (name := property_name(key, config.properties)) is not None}
    newest_first = [{"property": note[key], "direction": "DESC"} for key in ("date", "created") if key in note]

    def view(kind: str, name: str, columns: tuple[str, ...], **settings: Any) -> dict[str, Any]:
        order = [NAME, *(note[key] for key in columns if key in note)]
        return {"type": kind, "name": name, **settings, "order": order,
                **({"sort": newest_first} if newest_first else {})}

    views = [view("table", "Clippings", ("site", "tags", "date"))]
    if COVER in note:
        views.append(view("cards", "Images", ("site", "date"), filters=_has(note[COVER].removeprefix("note.")),
                          image=note[COVER]))
    if "site" in note:
        views.append(view("table", "By site", ("tags", "date"),
                          groupBy={"property": note["site"], "direction": "ASC"}))
    return {"filters": {"and": _scope(config)},
            "properties": {NAME: {"displayName": "Note"},
                           **{note[key]: {"displayName": title} for key, title in COLUMNS.items() if key in note}},
            "views": views}


def _scope(config: Config) -> list[str]:
    """Markdown files in the notes' folder; where the folder is all template, the notes with a url."""
    folder = fixed_folder(config.notes.folder)
    url = url_property(config.properties)
    where = [folder_filter(folder)] if folder else [_has(url)] if url else []
    return [*where, 'file.ext == "md"']


def _has(name: str) -> str:
    return f"file.hasProperty({_text(name)})"


def folder_filter(folder: str) -> str:
    """The Bases filter of the notes in a folder."""
    return f"file.inFolder({_text(folder)})"


def _text(value: str) -> str:
    """A string literal of Bases' expressions."""
    return json.dumps(value, ensure_ascii=False)


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as Obsidian writes them; a value the views share written
    out in each, not as a YAML alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)
