"""Daily index pages: a region owned by vault-export that links each day's notes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date, time, tzinfo

from vault_export.config import DailyConfig
from vault_export.convert.escape import escape_text
from vault_export.render.site import site_of
from vault_export.vault.links import NoteLinks
from vault_export.vault.moment import format_moment, local_moment
from vault_export.vault.paths import NOTE_SUFFIX, name_from_title
from vault_export.render.templates import NoteTemplate

START = "%% vault-export:start %%"
END = "%% vault-export:end %%"
REGION = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
NO_SOURCE = "Other"


@dataclass(frozen=True)
class DailyEntry:
    day: date
    source: str | None
    sort_key: str  # the local saved time, ISO 8601 ('~' when unknown)
    stem: str  # the note's file name without .md; unique in the vault
    title: str
    url: str | None = None
    path: str = ""  # the note's vault path; "" for <stem>.md at the vault root

    @cached_property
    def site(self) -> str | None:  # asked twice per entry: by the group and by the entry template
        return site_of(self.url)


class DailyTemplates:
    """The person's heading (one per group) and entry (one per note) templates, and what groups
    the notes: their site (a note without a URL, its source) or their source as saved."""

    def __init__(self, daily: DailyConfig):
        self.heading = NoteTemplate("daily.heading", daily.heading)
        self.entry = NoteTemplate("daily.entry", daily.entry)
        self.by_site = daily.group_by == "site"

    def group_of(self, entry: DailyEntry) -> str:
        return (self.by_site and entry.site) or entry.source or NO_SOURCE


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


def entry_link(entry: DailyEntry, links: NoteLinks) -> str:
    """A link to the note, shown as its title without Weibo topics."""
    return links.link(entry.path or entry.stem + NOTE_SUFFIX, name_from_title(entry.title))


def render_region(entries: list[DailyEntry], templates: DailyTemplates, links: NoteLinks = NoteLinks()) -> str:
    """The owned region: one heading per group (site or source), notes in saved-time order, linked
    as `links` says (the links of the page's folder)."""
    by_group: dict[str, list[DailyEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.sort_key, e.stem.casefold())):
        by_group.setdefault(templates.group_of(entry), []).append(entry)
    blocks = [START]
    for group in sorted(by_group, key=lambda name: (name == NO_SOURCE, name.casefold())):
        label = f"{START} {group}"
        text = _heading_text(group)
        heading = templates.heading.render(heading_variables(text), label).strip()
        blocks += [heading] if heading else []
        blocks.append("\n".join(templates.entry.render(entry_variables(e, links), e.stem).rstrip()
                                for e in by_group[group]))
    blocks.append(END)
    return "\n\n".join(blocks)


def _heading_text(group: str) -> str:
    return escape_text(" ".join(group.split()), autolink=False) or NO_SOURCE


def heading_variables(group: str) -> dict:
    """What a heading template may use: `source` names the group too, so that headings written
    before group_by keep working."""
    return {"group": group, "source": group}


def entry_variables(entry: DailyEntry, links: NoteLinks) -> dict:
    """What an entry template may use."""
    return {"link": entry_link(entry, links), "title": entry.title, "url": entry.url,
            "site": entry.site, "source": entry.source, "name": entry.stem,
            "time": entry.sort_key[11:16] if entry.sort_key != "~" else ""}


def merge_page(existing: str | None, region: str) -> str:
    """The page with its owned region replaced; text outside the region is kept byte for byte."""
    if existing is None or not existing.strip():
        return region + "\n"
    if REGION.search(existing):
        return REGION.sub(lambda _: region, existing, count=1)
    separator = "" if existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    return existing + separator + region + "\n"
