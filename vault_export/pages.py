"""Writing the daily index pages from every note the state tracks; only changed pages are touched."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from .config import Config
from .daily import DailyEntry, DailyTemplates, daily_page_path, merge_page, render_region
from .errors import VaultExportError
from .model import Report
from .paths import NOTE_SUFFIX
from .state import State, TrackedNote
from .writer import content_hash, read_existing, vault_path, write_atomic


def write_daily_pages(vault: Path, config: Config, state: State, report: Report, deleted: set[str]) -> None:
    """Each day lists the notes still in the vault, including those whose input is gone."""
    templates = DailyTemplates(config.daily)
    by_day: dict[date, list[DailyEntry]] = {}
    for note in state.tracked_notes().values():
        if note.day and note.render_key and note.identity not in deleted and (vault / note.path).exists():
            by_day.setdefault(date.fromisoformat(note.day), []).append(_entry(note))
    state.begin()
    for day, entries in sorted(by_day.items()):
        relative = daily_page_path(day, config.daily)
        try:
            region = render_region(entries, templates)
        except VaultExportError as error:
            report.warnings.append(f"{relative}: daily page not updated: {error.message}")
            continue
        _write_page(vault, relative, region, config.dry_run, state, report)
    state.commit()


def _entry(note: TrackedNote) -> DailyEntry:
    stem = note.path.rsplit("/", 1)[-1].removesuffix(NOTE_SUFFIX)
    url = note.identity if "://" in note.identity else None
    return DailyEntry(date.fromisoformat(note.day), note.source, note.sort_key, stem, note.title, url)


def _write_page(vault: Path, relative: str, region: str, dry_run: bool, state: State, report: Report) -> None:
    try:
        target = vault_path(vault, relative)
        existing = read_existing(target)
        text = merge_page(existing.decode("utf-8") if existing is not None else None, region)
    except (VaultExportError, UnicodeDecodeError) as error:
        report.warnings.append(f"{relative}: daily page not updated: {error}")
        return
    data = text.encode()
    if data == existing:
        return
    report.daily_pages.append(relative)
    if not dry_run:
        write_atomic(target, data)
        state.save_page(relative, content_hash(data))
