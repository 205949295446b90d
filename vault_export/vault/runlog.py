"""A JSON line per run in .vault-export/log/, for people and scripts; old logs are pruned."""
from __future__ import annotations

import json
import os
from pathlib import Path

from vault_export.model import Report, Status
from vault_export.vault.state import STATE_DIR
from vault_export.vault.writer import write_atomic

LOG_DIR = f"{STATE_DIR}/log"
KEEP_LOGS = 50


def write_run_log(vault: Path, started: str, finished: str, exit_code: int, report: Report) -> Path:
    folder = vault / LOG_DIR
    entry = {
        "started": started, "finished": finished, "exit_code": exit_code,
        "summary": report.summary(),
        "failures": [item.as_dict() for item in report.items if item.status is Status.FAILED],
        "conflicts": [item.as_dict() for item in report.items if item.status is Status.CONFLICT],
        "failed_pages": report.failed_pages,
        "warnings": report.warnings,
    }
    path = folder / f"run-{started.replace(':', '').replace('+0000', 'Z')}-{os.getpid()}.json"
    write_atomic(path, (json.dumps(entry, ensure_ascii=False, indent=1) + "\n").encode())  # read by scripts
    _prune(folder)
    return path


def _prune(folder: Path) -> None:
    logs = sorted(folder.glob("run-*.json"))
    for old in logs[:-KEEP_LOGS]:
        old.unlink(missing_ok=True)
