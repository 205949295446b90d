"""What a run is asked to do: defaults here, overridden by a TOML file, overridden by the command line."""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import tzinfo
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vault_export.errors import UsageError

ON_CONFLICT_CHOICES = ("merge", "keep", "overwrite")
TAG_STYLES = ("inline", "frontmatter", "both", "wikilink")
LINK_STYLES = ("wikilink", "markdown")
LINK_FORMATS = ("shortest", "relative", "absolute")
PROPERTY_PRESETS = ("default", "web-clipper")
DAILY_GROUPS = ("site", "source")
HOTLINKED = "hotlinked"  # download_images: only the images of hosts that refuse other sites
CONFIG_IN_VAULT = ".vault-export/config.toml"
DEFAULT_IDENTITY_KEYS = ("id", "guid")  # the input metadata that names a record whatever its position


@dataclass(frozen=True)
class NotesConfig:
    folder: str = "Clippings"
    filename: str = "{{ title }}"
    template: str = ""  # path to a Jinja2 body template; empty = the built-in one


@dataclass(frozen=True)
class PropertiesConfig:
    rename: dict[str, str] = field(default_factory=dict)
    drop: tuple[str, ...] = ()
    add: dict[str, Any] = field(default_factory=dict)
    preset: str = "default"  # or "web-clipper": the properties Obsidian Web Clipper's default template writes


@dataclass(frozen=True)
class DailyConfig:
    folder: str = "Daily"
    format: str = "%Y-%m-%d"  # the page's file name, strftime
    moment_format: str = ""  # the same in moment.js tokens, as Obsidian's Daily notes has it; wins when set
    template: str = ""  # a note in the vault whose text starts each new page (Obsidian's {{date}} etc.)
    group_by: str = "site"  # or "source": what a page's notes are grouped under
    heading: str = "## {{ group }}"
    entry: str = "- {{ link }}"


@dataclass(frozen=True)
class TagsConfig:
    prefix: str = ""
    lowercase: bool = False
    style: str = "both"
    rename: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LinksConfig:
    style: str = "wikilink"  # or "markdown": [text](path%20name.md), as Obsidian's useMarkdownLinks
    format: str = "shortest"  # the path a link names: shortest | relative | absolute (newLinkFormat)


@dataclass(frozen=True)
class ViewsConfig:
    base: str = "Clippings.base"  # the Obsidian Bases file written once into the vault; empty = none


@dataclass(frozen=True)
class Config:
    vault: Path | None = None
    sources: tuple[str, ...] = ()
    timezone: str | None = None
    on_conflict: str = "merge"
    download_images: bool | str = False  # or HOTLINKED
    attachments_folder: str = "Attachments"
    input_format: str | None = None
    jobs: int = 0  # 0 = one worker per core
    dry_run: bool = False
    restore_deleted: bool = False
    allow_empty: bool = False  # a source folder without notes is no error (else exit code 4)
    identity: tuple[str, ...] = DEFAULT_IDENTITY_KEYS  # first of these a record holds is its identity
    wait: float = 0.0
    report: Path | None = None
    quiet: bool = False
    notes: NotesConfig = field(default_factory=NotesConfig)
    properties: PropertiesConfig = field(default_factory=PropertiesConfig)
    daily: DailyConfig = field(default_factory=DailyConfig)
    tags: TagsConfig = field(default_factory=TagsConfig)
    links: LinksConfig = field(default_factory=LinksConfig)
    views: ViewsConfig = field(default_factory=ViewsConfig)
    obsidian_folder: str = ".obsidian"  # the vault's Obsidian configuration folder
    config_file: Path | None = None  # where the settings came from, to name it in errors
    explicit: frozenset[str] = frozenset()  # keys the person set ("attachments", "daily.folder"):
    # only the others follow the vault's Obsidian settings

    def is_set(self, key: str) -> bool:
        """Whether the person set this key (as the TOML file names it) in the file or on the command line."""
        return key in self.explicit

    def zone(self) -> tzinfo | None:
        """The time zone for local times; None means the system's."""
        if not self.timezone:
            return None
        return ZoneInfo(self.timezone)


# TOML key -> Config field, for the keys whose names differ.
TOP_LEVEL_NAMES = {"attachments": "attachments_folder", "format": "input_format"}
SECTIONS = {"notes": NotesConfig, "properties": PropertiesConfig, "daily": DailyConfig, "tags": TagsConfig,
            "links": LinksConfig, "views": ViewsConfig}
INTERNAL_FIELDS = {"config_file", "explicit"}
PATH_KEYS = {"vault", "report"}


def load_config(path: Path | None, vault: Path | None, overrides: dict[str, Any]) -> Config:
    """Defaults, then the TOML file (given, else the vault's own), then the command line's options."""
    file = path or _vault_config(overrides.get("vault") or vault)
    values = read_config_file(file) if file else {}
    values.update({key: value for key, value in overrides.items() if value is not None})
    config = _build({**values, "config_file": file, "explicit": _set_keys(values)})
    validate(config, file)
    from vault_export.vault.obsidian import follow_vault_settings  # reads JSON only when there is a vault

    return follow_vault_settings(config)


def _set_keys(values: dict[str, Any]) -> frozenset[str]:
    """The TOML names of the keys set: top-level ones, and `section.key` for each key of a section."""
    inverse = {field_name: key for key, field_name in TOP_LEVEL_NAMES.items()}
    keys = set()
    for name, value in values.items():
        if name in SECTIONS:
            keys.update(f"{name}.{key}" for key in value.set_keys)
        else:
            keys.add(inverse.get(name, name))
    return frozenset(keys)


def _vault_config(vault: Path | None) -> Path | None:
    candidate = Path(vault).expanduser() / CONFIG_IN_VAULT if vault else None
    return candidate if candidate and candidate.is_file() else None


def read_config_file(path: Path) -> dict[str, Any]:
    """The file's settings as Config field values, every key and type checked."""
    try:
        raw = tomllib.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(path, f"cannot read the configuration: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UsageError(path, f"not valid TOML: {error}") from None
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in SECTIONS:
            values[key] = _section(key, value, path)
        else:
            name = TOP_LEVEL_NAMES.get(key, key)
            values[name] = _checked(key, value, _field_type(Config, name, key, path), path)
    return values


def _section(name: str, value: Any, path: Path) -> Any:
    if not isinstance(value, dict):
        raise UsageError(path, f"[{name}] must be a table")
    cls = SECTIONS[name]
    checked = {key: _checked(f"{name}.{key}", item, _field_type(cls, key, f"{name}.{key}", path), path)
               for key, item in value.items()}
    return _Section(cls(**checked), frozenset(checked))


class _Section(NamedTuple):
    """A section as the file gives it, with the keys it sets."""

    value: Any
    set_keys: frozenset[str]


def _field_type(cls, name: str, key: str, path: Path) -> Any:
    known = {item.name: item.type for item in fields(cls) if item.name not in {*SECTIONS, *INTERNAL_FIELDS}}
    if name not in known:
        raise UsageError(path, f"unknown key {key!r}", f"known keys: {', '.join(_known_keys(cls))}")
    return known[name]


def _known_keys(cls) -> list[str]:
    inverse = {field_name: key for key, field_name in TOP_LEVEL_NAMES.items()}
    names = [inverse.get(item.name, item.name) for item in fields(cls)
             if item.name not in {*SECTIONS, *INTERNAL_FIELDS}]
    return names + (list(SECTIONS) if cls is Config else [])


def _checked(key: str, value: Any, declared: str, path: Path) -> Any:
    """The value converted to the field's type, or a UsageError naming the key."""
    if "tuple" in declared:
        if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise UsageError(path, f"{key} must be a list of strings")
        return tuple(value)
    if declared.startswith("dict"):
        return _checked_table(key, value, declared, path)
    expected = _expected_types(declared)
    if isinstance(value, bool) and bool not in expected or not isinstance(value, expected):
        raise UsageError(path, f"{key} must be {_type_words(expected)}, not {type(value).__name__}")
    return Path(value) if key in PATH_KEYS else float(value) if float in expected else value


def _checked_table(key: str, value: Any, declared: str, path: Path) -> dict:
    if not isinstance(value, dict):
        raise UsageError(path, f"{key} must be a table")
    if "str, str" in declared and not all(isinstance(item, str) for item in value.values()):
        raise UsageError(path, f"{key} values must be strings")
    return dict(value)


def _expected_types(declared: str) -> tuple[type, ...]:
    """The types a value may have, from the field's declared type: "float", "Path | None", "bool | str"."""
    kinds = {"bool": (bool,), "int": (int,), "float": (int, float), "str": (str,), "Path": (str,)}
    return tuple(kind for name in declared.split(" | ") for kind in kinds.get(name, ()))


def _type_words(types: tuple[type, ...]) -> str:
    words = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}
    return " or ".join(words[kind] for kind in types if not (kind is int and float in types))


def _build(values: dict[str, Any]) -> Config:
    values = {key: value.value if isinstance(value, _Section) else value for key, value in values.items()}
    if "sources" in values and isinstance(values["sources"], (list, tuple)):
        values["sources"] = tuple(str(source) for source in values["sources"])
    return replace(Config(), **values)


def validate(config: Config, file: Path | None) -> None:
    """Checks across keys, done before anything is written."""
    where = file or "command line"
    for key, value, choices in (("on_conflict", config.on_conflict, ON_CONFLICT_CHOICES),
                                ("tags.style", config.tags.style, TAG_STYLES),
                                ("links.style", config.links.style, LINK_STYLES),
                                ("links.format", config.links.format, LINK_FORMATS),
                                ("properties.preset", config.properties.preset, PROPERTY_PRESETS),
                                ("daily.group_by", config.daily.group_by, DAILY_GROUPS)):
        if value not in choices:
            raise UsageError(where, f"{key} must be one of {', '.join(choices)}")
    if config.timezone:
        try:
            ZoneInfo(config.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(where, f"unknown time zone {config.timezone!r}",
                             "use an IANA name such as Asia/Shanghai") from None
    if config.download_images not in (True, False, HOTLINKED):
        raise UsageError(where, f'download_images must be true or false, or "{HOTLINKED}" (only the images '
                                "of hosts that refuse other sites, such as Weibo's and WeChat's)")
    base = config.views.base
    if base and (not base.endswith(".base") or base.startswith("/") or ".." in base.split("/")):
        raise UsageError(where, "views.base must be a path inside the vault ending in .base, or empty for none")
    if config.jobs < 0:
        raise UsageError(where, "jobs must be 0 (one per core) or more")
    if config.is_set("daily.format") and config.is_set("daily.moment_format"):
        raise UsageError(where, "set daily.format (strftime) or daily.moment_format (moment.js), not both")
    from vault_export.render.checks import check_templates  # Jinja2 and the renderers: not needed for --help

    check_templates(config, str(where))


def initial_config(vault: Path, download_images: bool | str = False) -> str:
    """What `init` writes: DEFAULT_CONFIG_TOML with the vault, and the answer to its question."""
    text = DEFAULT_CONFIG_TOML.replace('# vault = "~/Obsidian/Main"', f"vault = {json.dumps(str(vault))}")
    setting = f"download_images = {json.dumps(download_images)}"
    return re.sub(r"^download_images = false +", lambda line: setting.ljust(len(line[0])), text, flags=re.M)


DEFAULT_CONFIG_TOML = """\
# vault-export configuration. Every key is shown with its default; the command line wins over it.
# Jinja2 templates may use: title, name (the title as the default file name shows it, without Weibo
# topics and a trailing ellipsis), url, site (the URL's site: 微博, arXiv, GitHub, else its host),
# source, type, created (datetime), date (date), tags (list), summary, body (the converted Markdown;
# note template only) and meta (the other metadata).

# vault = "~/Obsidian/Main"            # the vault to write into (--vault)
sources = []                           # files, folders or feed URLs to read (the command's arguments)
# timezone = "Asia/Shanghai"           # IANA name; unset = the system's time zone (--timezone)
on_conflict = "merge"                  # merge | keep | overwrite (--on-conflict)
download_images = false                # true: fetch remote images into the attachments folder
                                       # (--download-images); "hotlinked": only those of the hosts
                                       # that show their images on their own sites alone (Weibo's
                                       # sinaimg.cn, WeChat's mmbiz.qpic.cn), the rest stay remote
# attachments = "Attachments"          # folder for images and other embedded files; unset: the
                                       # vault's own (Files and links > attachment folder), else this;
                                       # "/" the vault root, "./" each note's folder, "./sub" below it
# format = "collector"                 # read every input as this format instead of guessing (--format)
jobs = 0                               # worker processes; 0 = one per core (--jobs)
restore_deleted = false                # write again notes deleted from the vault (--restore-deleted)
allow_empty = false                    # a source folder without notes is fine; else the run stops
                                       # with exit code 4, as for an unmounted inbox (--allow-empty)
identity = ["id", "guid"]              # input fields (JSON, front matter) naming a record, first
                                       # found wins; else a feed entry's id or an ENEX guid, else
                                       # the URL, else the title and saved time: one note each
wait = 0.0                             # seconds to wait for another run's lock (--wait)
quiet = false                          # print nothing unless something failed (--quiet)
dry_run = false                        # say what would happen, write nothing (--dry-run)
# report = "/var/log/vault-export.json" # write a JSON report of every input (--report)
obsidian_folder = ".obsidian"          # the vault's Obsidian settings folder; the settings below
                                       # that you leave unset follow it (attachments, links, daily)

[notes]
folder = "Clippings"                   # Jinja2 template, e.g. "Clippings/{{ date.strftime('%Y/%m') }}"
filename = "{{ title }}"               # Jinja2 template, then made a safe, unique file name;
                                       # e.g. "{{ name[:30] }}" for names of at most 30 characters
template = ""                          # path to a Jinja2 body template; empty = built-in

[properties]
rename = {}                            # e.g. { source = "label" }
drop = []                              # e.g. ["type"]
add = {}                               # e.g. { status = "inbox" }
preset = "default"                     # default | web-clipper: title, source (the URL), author,
                                       # published, created (a date), description, tags, as
                                       # Obsidian Web Clipper's default template writes them

[daily]                                # folder, format and template unset: as the Daily notes plugin
# folder = "Daily"                     # folder of the day pages ("" = the vault's top)
# format = "%Y-%m-%d"                  # each page's file name, strftime ("/" makes sub-folders)
# moment_format = ""                   # or in moment.js tokens ("YYYY-MM-DD"), as Obsidian has it
# template = ""                        # a note in the vault whose text starts each new page
group_by = "site"                      # site (微博, arXiv, else the host; without a URL, the
                                       # source) | source (as saved)
heading = "## {{ group }}"             # one per site or source on the page
entry = "- {{ link }}"                 # one per note; also: title, url, site, source, time, name

[links]                                # unset: as the vault's Files and links settings, else these
# style = "wikilink"                   # wikilink | markdown ([text](path%20name.md))
# format = "shortest"                  # shortest | relative | absolute: the path a link names

[tags]
prefix = ""                            # e.g. "weibo/" to nest every tag
lowercase = false
style = "both"                         # inline | frontmatter | both | wikilink
rename = {}                            # e.g. { "大模型" = "LLM" }

[views]
base = "Clippings.base"                # an Obsidian Bases file of the notes (a table by date, cards
                                       # with each note's first image, a table by site), written
                                       # once: then it is yours to edit, move or delete; "" = none
"""
