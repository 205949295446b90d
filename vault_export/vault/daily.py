"""Daily index pages: a region owned by vault-export that links each day's notes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, tzinfo

from vault_export.config import DailyConfig
from vault_export.convert.escape import escape_text
from vault_export.vault.moment import format_moment, local_moment
from vault_export.vault.paths import name_from_title
from vault_export.render.templates import NoteTemplate

START = "%% vault-export:start %%"
END = "%% vault-export:end %%"
REGION = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
NO_SOURCE = "Other"
# Characters that would end the link, start code, or read as HTML to a Markdown tool.
ALIAS_UNSAFE = str.maketrans({"|": "/", "[": "(", "]": ")", "`": "'", "<": "‹", ">": "›", "\n": " "})


@dataclass(frozen=True)
class DailyEntry:
    day: date
    source: str | None
    sort_key: str  # the local saved time, ISO 8601 ('~' when unknown)
    stem: str  # the note's file name without .md; unique in the vault
    title: str
    url: str | None = None


class DailyTemplates:
    """The person's heading (one per source) and entry (one per note) templates."""

    def __init__(self, daily: DailyConfig):
        self.heading = NoteTemplate("daily.heading", daily.heading)
        self.entry = NoteTemplate("daily.entry", daily.entry)


def daily_stem(day: date, daily: DailyConfig, zone: tzinfo | None = None) -> str:
    """The page's file name without .md (the format may hold '/' for sub-folders). A moment.js
    format's time tokens are those of the day's midnight in the zone (None: the system's)."""
    if daily.moment_format:
        return format_moment(local_moment(day, zone), daily.moment_format)
    return day.strftime(daily.format)


def daily_page_path(day: date, daily: DailyConfig, zone: tzinfo | None = None) -> str:
    folder = daily.folder.strip("/")
    stem = daily_stem(day, daily, zone)
    return f"{folder}/{stem}.md" if folder else f"{stem}.md"


# Obsidian's core Templates variables, as its Daily notes fills them in a new note's template:
# {{date}} is the day in the page's format, {{title}} the page's name, {{time}} the time now (HH:mm);
# {{date:FORMAT}} and {{time:FORMAT}} the page's day at the time now, in moment.js tokens.
TEMPLATE_VARIABLE = re.compile(r"\{\{\s*(?:(?P<name>date|time|title)\s*|(?:date|time)\s*:(?P<format>.+?))\}\}",
                               re.IGNORECASE)


def fill_template(template: str, day: date, stem: str, clock: time, zone: tzinfo | None) -> str:
    """The person's template for a new day page, its variables replaced; `clock` is the time of day
    now in the zone (None: the system's)."""
    plain = {"date": stem, "title": stem.rpartition("/")[2], "time": clock.strftime("%H:%M")}

    def value(match: re.Match) -> str:
        if match["format"] is not None:
            return format_moment(local_moment(day, zone, clock), match["format"].strip())
        return plain[match["name"].lower()]
    return TEMPLATE_VARIABLE.sub(value, template)


def wikilink(stem: str, title: str) -> str:
    """A link to the note, shown as its title without Weibo topics."""
    alias = " ".join(name_from_title(title).translate(ALIAS_UNSAFE).split())
    return f"[[{stem}]]" if alias == stem or not alias else f"[[{stem}|{alias}]]"


def render_region(entries: list[DailyEntry], templates: DailyTemplates) -> str:
    """The owned region: one heading per source, notes in saved-time order."""
    by_source: dict[str, list[DailyEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.sort_key, e.stem.casefold())):
        by_source.setdefault(entry.source or NO_SOURCE, []).append(entry)
    blocks = [START]
    for source in sorted(by_source, key=lambda name: (name == NO_SOURCE, name.casefold())):
        label = f"{START} {source}"
        heading = templates.heading.render({"source": _heading_text(source)}, label).strip()
        blocks += [heading] if heading else []
        blocks.append("\n".join(templates.entry.render(_entry_variables(e), e.stem).rstrip()
                                for e in by_source[source]))
    blocks.append(END)
    return "\n\n".join(blocks)


def _heading_text(source: str) -> str:
    return escape_text(" ".join(source.split()), autolink=False) or NO_SOURCE


def _entry_variables(entry: DailyEntry) -> dict:
    return {"link": wikilink(entry.stem, entry.title), "title": entry.title, "url": entry.url,
            "source": entry.source, "name": entry.stem,
            "time": entry.sort_key[11:16] if entry.sort_key != "~" else ""}


def merge_page(existing: str | None, region: str) -> str:
    """The page with its owned region replaced; text outside the region is kept byte for byte."""
    if existing is None or not existing.strip():
        return region + "\n"
    if REGION.search(existing):
        return REGION.sub(lambda _: region, existing, count=1)
    separator = "" if existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    return existing + separator + region + "\n"
