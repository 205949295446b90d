"""Node.js readers of an exported vault: js-yaml (YAML 1.2) and markdownlint-cli2; and moment.js,
which Obsidian names daily notes with.

The tools are pinned in ``tests/node/package.json`` and ``package-lock.json``; ``ensure_node_tools``
runs ``npm ci`` there once when ``node_modules`` is missing or holds other versions. Tests that use
these helpers are skipped, with a message saying why, only when Node.js itself is absent.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterable

from filelock import FileLock

__all__ = [
    "FrontMatterError",
    "NodeToolError",
    "ensure_node_tools",
    "js_yaml_front_matter",
    "markdownlint",
    "markdownlint_config",
    "moment_format",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = REPO_ROOT / "tests" / "node"
SHARED_CONFIG = REPO_ROOT.parent / "shared" / "vault.markdownlint-cli2.jsonc"
FALLBACK_CONFIG = NODE_DIR / "vault.markdownlint-cli2.jsonc"
_PACKAGES = ("js-yaml", "markdownlint-cli2", "moment")
_ARGS_PER_CALL = 200
_ready = False


class NodeToolError(RuntimeError):
    """Node.js or one of the tools failed to run (not a finding about the vault)."""


class FrontMatterError(AssertionError):
    """js-yaml refused the front matter of one or more notes; the message names each file."""


def ensure_node_tools() -> None:
    """Make sure ``node`` and the pinned tools are there; install them with ``npm ci`` if needed.

    Calls ``pytest.skip`` when ``node`` is not on PATH (or when the tools are missing and ``npm``
    is not on PATH); raises ``NodeToolError`` when ``npm ci`` fails.
    """
    global _ready
    if _ready:
        return
    if shutil.which("node") is None:
        _skip("Node.js is not installed (no `node` on PATH): the js-yaml and markdownlint checks "
              "need it; install Node.js >= 20 and npm, then rerun")
    if not _installed():
        if shutil.which("npm") is None:
            _skip("npm is not installed: cannot install the tools pinned in tests/node "
                  "(run `npm ci` there)")
        lock_name = "vault-export-npm-ci-" + hashlib.sha1(str(NODE_DIR).encode()).hexdigest()[:12]
        with FileLock(Path(tempfile.gettempdir()) / f"{lock_name}.lock"):
            if not _installed():
                _npm_ci()
    _ready = True


def js_yaml_front_matter(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> dict[str, Any]:
    """Front matter of notes as js-yaml reads it (YAML 1.2 core schema: dates stay strings).

    ``paths`` is one path or several. Given one directory, its ``*.md`` files (hidden ones left
    out) are read and the keys are their POSIX paths relative to it, as in ``read_vault``;
    otherwise the keys are the paths as passed, turned into ``str``. A value is ``None`` for a note
    without front matter and ``{}`` for an empty block. Raises ``FrontMatterError`` when js-yaml
    refuses a block.
    """
    ensure_node_tools()
    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if len(items) == 1 and Path(items[0]).is_dir():
        base = os.path.abspath(items[0])
        raw = _read_front_matter([base])
        return {Path(os.path.relpath(key, base)).as_posix(): value for key, value in raw.items()}
    by_abs = {os.path.abspath(item): str(item) for item in items}
    result: dict[str, Any] = {}
    absolute = list(by_abs)
    for start in range(0, len(absolute), _ARGS_PER_CALL):
        raw = _read_front_matter(absolute[start:start + _ARGS_PER_CALL])
        result.update({by_abs.get(key, key): value for key, value in raw.items()})
    return result


def markdownlint(vault_dir: str | os.PathLike) -> list[str]:
    """Violations markdownlint-cli2 finds in the vault's ``*.md`` files, one line each.

    Hidden files and folders (``.obsidian``, ``.trash``) are left out, as in ``read_vault``.

    Uses the project's rule set (``markdownlint_config()``). Each line reads like
    ``notes/a.md:7:16 error MD009/no-trailing-spaces Trailing spaces [...]`` with the path relative
    to ``vault_dir``. Returns ``[]`` when the vault is clean.
    """
    ensure_node_tools()
    cli = NODE_DIR / "node_modules" / "markdownlint-cli2" / _bin_of("markdownlint-cli2")
    cmd = ["node", str(cli), "--config", str(markdownlint_config()), "**/*.md", "#**/.*/**", "#**/.*"]
    proc = _run(cmd, cwd=Path(vault_dir))
    lines = [line.rstrip() for line in proc.stderr.splitlines() if line.strip()]
    if proc.returncode == 0:
        return []
    if proc.returncode == 1 and lines:
        return lines
    raise NodeToolError(f"markdownlint-cli2 failed (exit {proc.returncode}) in {vault_dir}:\n"
                        f"{proc.stdout}\n{proc.stderr}")


def moment_format(cases: Iterable[tuple[date | datetime, str]], zone: str) -> list[str]:
    """What moment.js (the version pinned in ``tests/node``, English locale) writes for each
    (local time, format) pair, run with ``TZ=zone`` so that the times are local to that zone; a
    date is its midnight. Only the time's fields are passed; its tzinfo is not looked at."""
    ensure_node_tools()
    times = [(t if isinstance(t, datetime) else datetime.combine(t, time()), format) for t, format in cases]
    payload = [[[t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond // 1000], format]
               for t, format in times]
    proc = _run(["node", str(NODE_DIR / "moment-format.mjs")], cwd=NODE_DIR, stdin=json.dumps(payload),
                env={"TZ": zone})
    if proc.returncode != 0:
        raise NodeToolError(f"moment-format.mjs failed (exit {proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


def markdownlint_config() -> Path:
    """The shared rule set beside the repository, else the copy kept in ``tests/node``."""
    return SHARED_CONFIG if SHARED_CONFIG.is_file() else FALLBACK_CONFIG


# ----------------------------------------------------------------------------- internals

def _skip(reason: str) -> None:
    import pytest

    pytest.skip(reason)


def _installed() -> bool:
    wanted = json.loads((NODE_DIR / "package.json").read_text("utf-8"))["dependencies"]
    for name in _PACKAGES:
        manifest = NODE_DIR / "node_modules" / name / "package.json"
        if not manifest.is_file():
            return False
        if json.loads(manifest.read_text("utf-8")).get("version") != wanted[name]:
            return False
    return True


def _npm_ci() -> None:
    cmd = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    proc = _run(cmd, cwd=NODE_DIR, timeout=600)
    if proc.returncode != 0 or not _installed():
        raise NodeToolError(f"`npm ci` failed in {NODE_DIR} (exit {proc.returncode}):\n"
                            f"{proc.stdout}\n{proc.stderr}")


def _bin_of(package: str) -> str:
    manifest = json.loads((NODE_DIR / "node_modules" / package / "package.json").read_text("utf-8"))
    binary = manifest["bin"]
    return binary if isinstance(binary, str) else binary[package]


def _read_front_matter(paths: list[str]) -> dict[str, Any]:
    proc = _run(["node", str(NODE_DIR / "read-front-matter.mjs"), *paths], cwd=NODE_DIR)
    if proc.returncode == 1:
        raise FrontMatterError(f"js-yaml refused front matter:\n{proc.stderr}")
    if proc.returncode != 0:
        raise NodeToolError(f"read-front-matter.mjs failed (exit {proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


def _run(cmd: list[str], cwd: Path, timeout: float = 300, stdin: str | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1", **(env or {})}
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, input=stdin,
                              encoding="utf-8", timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NodeToolError(f"could not run {cmd[0]} {cmd[1] if len(cmd) > 1 else ''}: {exc}") from exc
