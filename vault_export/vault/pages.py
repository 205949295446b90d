"""Daily index pages: rewritten only for days whose notes changed (or whose page is missing)."""
from __future__ import annotations

import os
from datetime import date, datetime
from functools import cached_property, partial
from pathlib import Path
from typing import Callable

from vault_export.config import Config
from vault_export.vault.daily import (DailyEntry, DailyTemplates, daily_page_path, daily_stem, fill_template,
                                      merge_page, render_region)
from vault_export.errors import VaultExportError, WriteError
from vault_export.model import Report
from vault_export.vault.links import NoteLinks
from vault_export.vault.paths import stem_of
from vault_export.vault.state import State, TrackedNote
from vault_export.vault.writer import content_hash, read_existing, vault_path, write_atomic

SETTINGS_KEY = "daily_settings"


def write_daily_pages(vault: Path, config: Config, state: State, report: Report, deleted: set[str],
                      touched_days: set[str]) -> None:
    """Each listed day shows the notes still in the vault, including those whose input is gone."""
    templates = DailyTemplates(config.daily)
    new_pages = NewPages(vault, config, report)
    state.begin()
    for day in sorted(_days_to_write(vault, config, state, touched_days)):
        entries = [_entry(note) for note in state.notes_on(day)
                   if note.identity not in deleted and os.path.exists(os.path.join(vault, note.path))]
        relative = daily_page_path(date.fromisoformat(day), config.daily, new_pages.zone)
        try:
            region = render_region(entries, templates, NoteLinks.of(config.links, relative))
        except VaultExportError as error:
            report.failed_pages.append(f"{relative}: daily page not updated: {error.message}")
            continue
        _write_page(vault, relative, region, bool(entries), partial(new_pages.start, date.fromisoformat(day)),
                    config.dry_run, state, report)
    if not report.failed_pages:  # else the next run tries every page again
        state.set_meta(SETTINGS_KEY, _page_settings(config))
    state.commit()


def _page_settings(config: Config) -> str:
    """What the pages are made with: when it changes, every page is made again."""
    return repr((config.daily, config.links))


def _days_to_write(vault: Path, config: Config, state: State, touched_days: set[str]) -> set[str]:
    """Days whose notes changed, plus days whose page is gone; every day when the page settings changed."""
    days = state.days()
    if state.meta(SETTINGS_KEY) != _page_settings(config):
        return set(days)
    zone = config.zone()
    missing = {day for day in days if not os.path.exists(
        os.path.join(vault, daily_page_path(date.fromisoformat(day), config.daily, zone)))}
    return (touched_days & set(days)) | missing


def _entry(note: TrackedNote) -> DailyEntry:
    stem = stem_of(note.path)
    url = note.identity if "://" in note.identity else None
    return DailyEntry(date.fromisoformat(note.day), note.source, note.sort_key, stem, note.title, url, note.path)


class NewPages:
    """How a page vault-export makes starts: with the person's template (daily.template, which
    follows Obsidian's Daily notes), its variables filled in; read once a run, when first needed."""

    def __init__(self, vault: Path, config: Config, report: Report):
        self.vault, self.daily, self.zone, self.report = vault, config.daily, config.zone(), report

    def start(self, day: date) -> str | None:
        """The text a new page for the day starts with; None without a template."""
        if self.template is None:
            return None
        clock = (datetime.now(self.zone) if self.zone else datetime.now()).time()
        return fill_template(self.template, day, daily_stem(day, self.daily, self.zone), clock, self.zone)

    @cached_property
    def template(self) -> str | None:
        name = self.daily.template.strip().strip("/")
        if not name:
            return None
        relative = name if name.lower().endswith(".md") else f"{name}.md"
        try:
            data = read_existing(vault_path(self.vault, relative))
            if data is not None:
                return data.decode("utf-8")
            reason = "not found"
        except VaultExportError as error:
            reason = error.reason
        except UnicodeDecodeError:
            reason = "not UTF-8 text"
        self.report.warnings.append(f"{relative}: the daily notes template cannot be read ({reason}); "
                                    "new daily pages are made without it")
        return None


def _write_page(vault: Path, relative: str, region: str, has_entries: bool, start: Callable[[], str | None],
                dry_run: bool, state: State, report: Report) -> None:
    try:
        target = vault_path(vault, relative)
        existing = read_existing(target)
        if existing is None and not has_entries:
            return
        text = merge_page(existing.decode("utf-8") if existing is not None else start(), region)
    except (VaultExportError, UnicodeDecodeError) as error:
        report.failed_pages.append(f"{relative}: daily page not updated: {error}")
        return
    data = text.encode()
    if data == existing:
        return
    report.daily_pages.append(relative)
    if not dry_run:
        try:
            write_atomic(target, data)
        except WriteError as error:
            if error.fatal:
                raise
            report.daily_pages.remove(relative)
            report.failed_pages.append(f"{relative}: daily page not updated: {error.reason}")
            return
        state.save_page(relative, content_hash(data))
