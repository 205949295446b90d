"""What a vault's sync state says: notes tracked, the last run, conflicts waiting for the person."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from vault_export.errors import UsageError
from vault_export.vault.lock import HOLDER_NAME
from vault_export.vault.state import DB_NAME, RUN_UNDER_WAY, STATE_DIR, State
from vault_export.vault.sync import CONFLICTS_DIR


def vault_status(vault: Path) -> dict:
    if not (vault / STATE_DIR / DB_NAME).exists():
        if now := run_under_way(vault):  # the first run, before it made the state
            return {"vault": str(vault), "notes_tracked": 0, "last_run": None, "run_under_way": now,
                    "open_conflicts": []}
        raise UsageError(vault, "no vault-export state here", "run `vault-export export ... --vault` first")
    state = State.open(vault, read_only=True)
    try:
        tracked = state.db.execute("SELECT COUNT(*) FROM notes WHERE render_key != ''").fetchone()[0]
        last_run = state.last_run()
        marked = state.meta(RUN_UNDER_WAY) == "yes"
    finally:
        state.close()
    return {"vault": str(vault), "notes_tracked": tracked, "last_run": last_run,
            "run_under_way": run_under_way(vault, marked), "open_conflicts": open_conflicts(vault)}


def run_under_way(vault: Path, marked: bool = False) -> dict | None:
    """The run holding the vault's lock now: its pid and when it took the lock; None when no live
    process holds it. `marked`: the state says a run started and has not finished (a run killed
    leaves that mark, so it counts only with a live holder)."""
    holder = vault / STATE_DIR / HOLDER_NAME
    try:
        pid = int(holder.read_text().strip())
        started = datetime.fromtimestamp(holder.stat().st_mtime, timezone.utc)
    except (OSError, ValueError):
        return None
    if not _alive(pid):
        return None
    return {"pid": pid, "started": started.isoformat(timespec="seconds"), "state_marked": marked}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return False
    return True


def open_conflicts(vault: Path) -> list[str]:
    """Vault-relative paths of notes whose new version waits in the conflicts folder."""
    folder = vault / CONFLICTS_DIR
    if not folder.is_dir():
        return []
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
