"""Shared fixtures: run the CLI in-process, and write collector notes to disk."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"

# The test command tries the same examples on every machine and every run, so that a result can be
# repeated; `--hypothesis-profile explore` tries new ones each run (and keeps failures in .hypothesis/).
settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile("repeatable")


@pytest.fixture(autouse=True)
def fixed_local_time_zone(monkeypatch):
    """The system zone decides `created`; pin it so results do not depend on the machine."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class CliResult:
    def __init__(self, result, report_path: Path | None):
        self.exit_code = result.exit_code
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.report = json.loads(report_path.read_text("utf-8")) if report_path and report_path.exists() else None

    def statuses(self) -> dict[str, str]:
        """input file name (with #n) -> status"""
        return {Path(item["input"]).name: item["status"] for item in self.report["items"]}


@pytest.fixture
def run_cli(tmp_path):
    from vault_export.cli.commands import app

    runner = CliRunner()

    def run(*args: str | os.PathLike, report: bool = True) -> CliResult:
        report_path = tmp_path / f"report-{time.monotonic_ns()}.json" if report else None
        argv = [str(arg) for arg in args] + (["--report", str(report_path)] if report_path else [])
        return CliResult(runner.invoke(app, argv, catch_exceptions=False), report_path)

    return run


def collector_note(title: str = "A saved post", url: str | None = "https://weibo.com/1/abc",
                   body: str = "<p>Hello</p>", summary: str | None = "A short summary.",
                   meta: dict[str, str] | None = None, labels: str = "zh") -> str:
    names = {"zh": ("原始摘要", "AI 摘要", "元数据"), "en": ("Original Summary", "AI Summary", "Metadata")}[labels]
    meta = {"来源": "Weibo", "类型": "微博", "保存时间": "2025-06-06T11:03:32Z", "目录日期": "2025-06-06"} \
        if meta is None else meta
    parts = [f"# {title}", ""]
    if url:
        parts += [f"**URL**: {url}", ""]
    parts += [f"## {names[0]}", "", body, ""]
    if summary is not None:
        parts += [f"## {names[1]}", "", summary, ""]
    parts += [f"## {names[2]}", ""] + [f"- **{key}**: {value}" for key, value in meta.items()]
    return "\n".join(parts) + "\n"


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def vault(tmp_path) -> Path:
    return tmp_path / "vault"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def obsidian_vault(root: Path, folder: str = ".obsidian", **files: dict) -> Path:
    """A vault with an Obsidian configuration folder holding these settings files (daily_notes:
    daily-notes.json), written as JSON."""
    settings = root / folder
    settings.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (settings / f"{name.replace('_', '-')}.json").write_text(json.dumps(content), encoding="utf-8")
    return root


def notes_in(vault: Path, folder: str = "Clippings") -> list[Path]:
    return sorted((vault / folder).glob("*.md"))
