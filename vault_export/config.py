"""What a run is asked to do: defaults here, overridden by a TOML file and the command line."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import UsageError

ON_CONFLICT_CHOICES = ("merge", "keep", "overwrite")
TAG_STYLES = ("inline", "frontmatter", "both", "wikilink")


@dataclass(frozen=True)
class NotesConfig:
    folder: str = "Clippings"
    filename: str = "{{ title }}"
    template: str = ""


@dataclass(frozen=True)
class PropertiesConfig:
    rename: dict[str, str] = field(default_factory=dict)
    drop: tuple[str, ...] = ()
    add: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class DailyConfig:
    folder: str = "Daily"
    format: str = "%Y-%m-%d"


@dataclass(frozen=True)
class TagsConfig:
    prefix: str = ""
    lowercase: bool = False
    style: str = "both"
    rename: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    vault: Path
    sources: tuple[str, ...] = ()
    timezone: str | None = None
    on_conflict: str = "merge"
    download_images: bool = False
    attachments_folder: str = "Attachments"
    input_format: str | None = None
    jobs: int = 0  # 0 = one worker per core
    dry_run: bool = False
    restore_deleted: bool = False
    wait: float = 0.0
    notes: NotesConfig = field(default_factory=NotesConfig)
    properties: PropertiesConfig = field(default_factory=PropertiesConfig)
    daily: DailyConfig = field(default_factory=DailyConfig)
    tags: TagsConfig = field(default_factory=TagsConfig)

    def zone(self) -> tzinfo | None:
        """The time zone for local times; None means the system's."""
        if not self.timezone:
            return None
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise UsageError(None, f"unknown time zone {self.timezone!r}",
                             "use an IANA name such as Asia/Shanghai") from error
