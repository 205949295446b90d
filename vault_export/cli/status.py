"""What a vault's sync state says: notes tracked, the last run, conflicts waiting for the person."""
from __future__ import annotations

from pathlib import Path

from vault_export.errors import UsageError
from vault_export.vault.state import DB_NAME, STATE_DIR, State
from vault_export.vault.sync import CONFLICTS_DIR


def vault_status(vault: Path) -> dict:
    if not (vault / STATE_DIR / DB_NAME).exists():
        raise UsageError(vault, "no vault-export state here", "run `vault-export export ... --vault` first")
    state = State.open(vault, read_only=True)
    try:
        tracked = state.db.execute("SELECT COUNT(*) FROM notes WHERE render_key != ''").fetchone()[0]
        last_run = state.last_run()
    finally:
        state.close()
    return {"vault": str(vault), "notes_tracked": tracked, "last_run": last_run,
            "open_conflicts": open_conflicts(vault)}


def open_conflicts(vault: Path) -> list[str]:
    """Vault-relative paths of notes whose new version waits in the conflicts folder."""
    folder = vault / CONFLICTS_DIR
    if not folder.is_dir():
        return []
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
