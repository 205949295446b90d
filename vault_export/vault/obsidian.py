"""The vault's own Obsidian settings, followed where the person did not set ours.

Obsidian keeps them as JSON in the vault's configuration folder (`.obsidian` unless renamed):
`app.json` (Files and links: attachment folder, link style and format) and `daily-notes.json`
(the core Daily notes plugin: folder, date format, template).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vault_export.config import LINK_FORMATS, Config
from vault_export.vault.moment import DEFAULT_FORMAT


@dataclass(frozen=True)
class VaultSettings:
    """What the vault's configuration folder says, raw; None where it says nothing."""

    attachment_folder: str | None = None  # attachmentFolderPath: "/", "folder", "./" or "./sub"
    markdown_links: bool | None = None  # useMarkdownLinks
    link_format: str | None = None  # newLinkFormat: shortest, relative or absolute
    daily_folder: str | None = None
    daily_format: str | None = None  # moment.js tokens
    daily_template: str | None = None  # a vault path, usually without .md
    daily_notes: bool = False  # whether daily-notes.json is there: its missing keys are then Obsidian's defaults

    @classmethod
    def read(cls, config_folder: Path) -> "VaultSettings":
        app = _json_object(config_folder / "app.json")
        daily = _json_object(config_folder / "daily-notes.json")
        return cls(_text(app, "attachmentFolderPath"), _flag(app, "useMarkdownLinks"), _text(app, "newLinkFormat"),
                   _text(daily, "folder"), _text(daily, "format") or None, _text(daily, "template") or None,
                   (config_folder / "daily-notes.json").is_file())


def config_folder(config: Config) -> Path | None:
    """The vault's Obsidian configuration folder, when the vault has one."""
    if config.vault is None:
        return None
    folder = Path(config.vault).expanduser() / config.obsidian_folder
    return folder if folder.is_dir() else None


def follow_vault_settings(config: Config) -> Config:
    """The configuration with the vault's Obsidian settings in place of the defaults the person did not
    change; unchanged when the vault has no configuration folder."""
    folder = config_folder(config)
    if folder is None:
        return config
    settings = VaultSettings.read(folder)
    if settings.attachment_folder is not None and not config.is_set("attachments"):
        config = replace(config, attachments_folder=settings.attachment_folder)
    links = {}
    if settings.markdown_links is not None and not config.is_set("links.style"):
        links["style"] = "markdown" if settings.markdown_links else "wikilink"
    if settings.link_format in LINK_FORMATS and not config.is_set("links.format"):
        links["format"] = settings.link_format
    if links:
        config = replace(config, links=replace(config.links, **links))
    return _follow_daily_notes(config, settings)


def _follow_daily_notes(config: Config, settings: VaultSettings) -> Config:
    """Day pages where Obsidian's Daily notes puts them, named as it names them, so that a page
    vault-export makes and one made in Obsidian are the same note, and a `date` property links to it.
    Obsidian's defaults for what daily-notes.json leaves out: the vault's top folder, YYYY-MM-DD."""
    if not settings.daily_notes:
        return config
    daily = {}
    if not config.is_set("daily.folder"):
        daily["folder"] = settings.daily_folder or ""
    if not (config.is_set("daily.format") or config.is_set("daily.moment_format")):
        daily["moment_format"] = settings.daily_format or DEFAULT_FORMAT
    if settings.daily_template and not config.is_set("daily.template"):
        daily["template"] = settings.daily_template
    return replace(config, daily=replace(config.daily, **daily))


def _json_object(path: Path) -> dict[str, Any]:
    """A settings file's object; {} when it is missing or not a JSON object (Obsidian then uses its defaults)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _text(settings: dict[str, Any], key: str) -> str | None:
    value = settings.get(key)
    return value if isinstance(value, str) else None


def _flag(settings: dict[str, Any], key: str) -> bool | None:
    value = settings.get(key)
    return value if isinstance(value, bool) else None
