"""Writing the daily index pages: only pages whose owned region changed are touched."""
from __future__ import annotations

from pathlib import Path

from .config import Config
from .daily import DailyEntry, daily_page_path, merge_page, render_region
from .errors import VaultExportError
from .model import Report
from .plan import PlannedNote
from .state import State
from .writer import content_hash, read_existing, vault_path, write_atomic


def write_daily_pages(vault: Path, config: Config, state: State, report: Report,
                      notes: list[PlannedNote]) -> None:
    by_day: dict = {}
    for note in notes:
        if note.day:
            entry = DailyEntry(note.day, note.latest.source, note.sort_key, note.stem, note.latest.title)
            by_day.setdefault(note.day, []).append(entry)
    state.begin()
    for day, entries in sorted(by_day.items()):
        _write_page(vault, daily_page_path(day, config.daily), entries, config.dry_run, state, report)
    state.commit()


def _write_page(vault: Path, relative: str, entries: list[DailyEntry], dry_run: bool,
                state: State, report: Report) -> None:
    try:
        target = vault_path(vault, relative)
        existing = read_existing(target)
        text = merge_page(existing.decode("utf-8") if existing is not None else None, render_region(entries))
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
