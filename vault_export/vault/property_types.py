"""Obsidian's property types, kept in `<config folder>/types.json` as {"types": {name: type}}.

Obsidian shows a property by the type registered for its name; one it has not seen it types by its
first value. After a run the types of the properties vault-export wrote are registered there, so
that `created` is a date-time, `date` a date (which Obsidian links to that day's daily note) and a
list a list in every note. A type the person chose is never changed; a warning says where it is
not the one vault-export writes.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

from vault_export.config import Config
from vault_export.errors import VaultExportError
from vault_export.model import Report
from vault_export.vault.obsidian import config_folder
from vault_export.vault.writer import read_existing, vault_path, write_atomic

TYPES_FILE = "types.json"
NAMED_TYPES = {"tags": "tags", "aliases": "aliases"}  # the names Obsidian gives a type of their own
# A text Obsidian may take for a date, left for it to type.
DATE_LIKE = re.compile(r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?")


def property_type(name: str, value: Any) -> str | None:
    """The Obsidian type of a property as written; None where no one type fits."""
    if name in NAMED_TYPES:
        return NAMED_TYPES[name]
    if isinstance(value, bool):
        return "checkbox"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, (list, tuple)):
        return None if any(isinstance(item, (dict, list, tuple)) for item in value) else "multitext"
    if isinstance(value, str):
        return None if DATE_LIKE.fullmatch(value.strip()) else "text"
    return None


def property_types(properties: Mapping[str, Any]) -> tuple[tuple[str, str | None], ...]:
    """Each property's name and type, in the note's order; an empty one fits any type, and is left out."""
    return tuple((str(name), property_type(str(name), value)) for name, value in properties.items()
                 if value is not None and value != "")


class WrittenTypes:
    """The types of the properties a run wrote, by name; None for a name written with several."""

    def __init__(self):
        self.types: dict[str, str | None] = {}

    def add(self, types: Iterable[tuple[str, str | None]]) -> None:
        for name, kind in types:
            if self.types.setdefault(name, kind) != kind:
                self.types[name] = None


def registers_types(config: Config) -> bool:
    """Whether the run registers property types: not a dry run, into a vault with an Obsidian
    configuration folder."""
    return not config.dry_run and config_folder(config) is not None


def register_types(vault: Path, config: Config, written: WrittenTypes, report: Report) -> None:
    """Add the written properties' types to types.json where it names none; nothing unless the
    run registers types (see registers_types)."""
    ours = {name: kind for name, kind in written.types.items() if kind}
    if not ours or not registers_types(config):
        return
    relative = f"{config.obsidian_folder.strip('/')}/{TYPES_FILE}"
    try:
        target = vault_path(vault, relative)
        existing = read_existing(target)
        settings = _settings(existing)
        types = settings.setdefault("types", {})
        new = {name: kind for name, kind in ours.items() if name not in types}
        report.warnings.extend(f"{relative}: property {name!r} has the type {types[name]!r} there, but "
                               f"vault-export writes it as {kind!r}; left as it is"
                               for name, kind in ours.items() if name not in new and types[name] != kind)
        if new:
            types.update(new)
            newline = "\n" if existing is not None and existing.endswith(b"\n") else ""  # Obsidian ends with none
            write_atomic(target, (json.dumps(settings, ensure_ascii=False, indent=2) + newline).encode())
    except VaultExportError as error:
        if getattr(error, "fatal", False):
            raise
        report.warnings.append(f"{relative}: property types not registered: {error.reason}")


def _settings(existing: bytes | None) -> dict[str, Any]:
    """The file's object, {} when there is none; an error when it is not a types file."""
    if existing is None:
        return {}
    try:
        settings = json.loads(existing.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise VaultExportError(TYPES_FILE, "not valid JSON") from None
    if not isinstance(settings, dict) or not isinstance(settings.get("types", {}), dict):
        raise VaultExportError(TYPES_FILE, 'not an object with a "types" object')
    return settings
