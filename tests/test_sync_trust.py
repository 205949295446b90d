"""Issue 13, "Sync a person can trust": templates checked at load, daily pages that fail, dry runs
that write nothing, and status during a run."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from conftest import collector_note, write


def _config(tmp_path: Path, text: str) -> Path:
    return write(tmp_path / "config.toml", text)


@pytest.mark.parametrize("section, key, template, unknown", [
    ("notes", "filename", "{{ titel }}", "titel"),
    ("notes", "folder", "Clippings/{{ dat.year }}", "dat"),
    ("daily", "heading", "## {{ group }} {{ site }}", "site"),
    ("daily", "entry", "- {{ link }}{% if false %}{{ summary }}{% endif %}", "summary"),
])
def test_an_unknown_template_variable_stops_the_run_before_anything_is_written(
        run_cli, tmp_path, inbox, vault, section, key, template, unknown):
    write(inbox / "a.md", collector_note())
    config = _config(tmp_path, f"[{section}]\n{key} = {json.dumps(template)}\n")
    result = run_cli("export", inbox, "--vault", vault, "--config", config)
    assert result.exit_code == 2
    assert f"{section}.{key}" in result.stderr and repr(unknown) in result.stderr
    assert not vault.exists()


def test_an_unknown_variable_in_the_note_template_is_a_usage_error(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note())
    body = write(tmp_path / "body.md.j2", "{{ summary }}\n\n{{ bodyy }}\n")
    config = _config(tmp_path, f"[notes]\ntemplate = {json.dumps(str(body))}\n")
    result = run_cli("export", inbox, "--vault", vault, "--config", config)
    assert result.exit_code == 2 and "notes.template" in result.stderr and "'bodyy'" in result.stderr
    assert not vault.exists()


def test_templates_using_known_variables_globals_and_their_own_names_pass(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note())
    config = _config(tmp_path, '[notes]\nfolder = "C/{{ date.strftime(\'%Y\') }}"\n'
                               'filename = "{% set n = name[:10] %}{{ n }}{{ range(1) | list | length }}"\n'
                               '[daily]\nentry = "- {{ time }} {{ link }}"\n')
    result = run_cli("export", inbox, "--vault", vault, "--config", config)
    assert result.exit_code == 0, result.stderr
    assert (vault / "C/2025/A saved po1.md").is_file()


def _failing_filter(value):
    raise ValueError("no such thing")


def test_a_daily_page_its_template_cannot_render_fails_the_run_even_under_quiet(
        run_cli, tmp_path, inbox, vault, monkeypatch):
    from vault_export.render import templates

    monkeypatch.setitem(templates._environment.filters, "explode", _failing_filter)
    write(inbox / "a.md", collector_note())
    config = _config(tmp_path, '[daily]\nentry = "- {{ link | explode }}"\n')
    result = run_cli("export", inbox, "--vault", vault, "--config", config, "--quiet")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("failed: Daily/2025-06-06.md: daily page not updated")
    assert "ValueError: no such thing" in lines[0] and result.stdout == ""
    assert result.report["failed_pages"] == [lines[0].removeprefix("failed: ")]
    assert result.statuses() == {"a.md": "created"}
    assert not (vault / "Daily").exists()
    log = json.loads(next((vault / ".vault-export/log").glob("run-*.json")).read_text("utf-8"))
    assert log["exit_code"] == 1 and log["failed_pages"] == result.report["failed_pages"]
    # Fixed, the next run writes the page, though its notes did not change.
    monkeypatch.setitem(templates._environment.filters, "explode", lambda value: value)
    again = run_cli("export", inbox, "--vault", vault, "--config", config, "--quiet")
    assert again.exit_code == 0 and again.stderr == "" and again.report["failed_pages"] == []
    assert "[[A saved post]]" in (vault / "Daily/2025-06-06.md").read_text("utf-8")


def _tree(root: Path) -> dict[str, str]:
    """Every file below root (dot-folders too), by path, with its content's hash."""
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_a_dry_run_of_a_vault_with_changes_and_a_conflict_writes_nothing_and_lists_every_input(
        run_cli, inbox, vault):
    write(inbox / "a.md", collector_note("Alpha", "https://example.com/a", "<p>one</p>"))
    write(inbox / "b.md", collector_note("Beta", "https://example.com/b"))
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    note = vault / "Clippings/Alpha.md"
    note.write_text(note.read_text("utf-8").replace("one", "mine"), encoding="utf-8")  # an edit...
    write(inbox / "a.md", collector_note("Alpha", "https://example.com/a", "<p>theirs</p>"))  # ...that conflicts
    write(inbox / "c.md", collector_note("Gamma", "https://example.com/c"))
    before = _tree(vault)
    assert any(name.endswith("state.sqlite") for name in before)
    result = run_cli("export", inbox, "--vault", vault, "--dry-run", report=False)
    assert result.exit_code == 3, result.stderr  # a conflict would be open
    assert "a dry run writes no conflict note" in result.stderr
    assert _tree(vault) == before  # no -wal, no -shm, no conflict copy, no log, no page
    assert "conflict: Clippings/Alpha.md:" in result.stderr and "would be kept" in result.stderr
    assert ".vault-export/conflicts" not in result.stderr
    lines = result.stdout.splitlines()
    assert f"would conflict: {inbox / 'a.md'} -> Clippings/Alpha.md" in lines
    assert f"would be unchanged: {inbox / 'b.md'} -> Clippings/Beta.md" in lines
    assert f"would be created: {inbox / 'c.md'} -> Clippings/Gamma.md" in lines
    # The real run then does what the dry run said.
    real = run_cli("export", inbox, "--vault", vault)
    assert real.statuses() == {"a.md": "conflict", "b.md": "unchanged", "c.md": "created"}
    assert (vault / ".vault-export/conflicts/Clippings/Alpha.md").is_file()


def test_status_takes_the_vault_from_the_configuration(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note())
    config = _config(tmp_path, f"vault = {json.dumps(str(vault))}\nsources = [{json.dumps(str(inbox))}]\n")
    assert run_cli("export", "--config", config).exit_code == 0
    result = run_cli("status", "--config", config, report=False)
    assert result.exit_code == 0, result.stderr
    assert f"vault: {vault}" in result.stdout and "notes tracked: 1" in result.stdout
    assert "last run: " in result.stdout and "1 created" in result.stdout
    missing = run_cli("status", "--config", _config(tmp_path / "other", "quiet = true\n"), report=False)
    assert missing.exit_code == 2 and "--vault" in missing.stderr


def test_status_during_a_run_says_a_run_is_under_way(run_cli, inbox, vault):
    from vault_export.vault.lock import vault_lock
    from vault_export.vault.state import State

    write(inbox / "a.md", collector_note())
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    with vault_lock(vault):
        state = State.open(vault)
        state.start_run()  # as a run does once it has its inputs
        state.close()
        result = run_cli("status", "--vault", vault, report=False)
        as_json = json.loads(run_cli("status", "--vault", vault, "--json", report=False).stdout)
    assert result.exit_code == 0, result.stderr
    assert f"a run is under way (started " in result.stdout and f"pid {os.getpid()})" in result.stdout
    assert "last run: none recorded" not in result.stdout
    assert as_json["run_under_way"]["pid"] == os.getpid() and as_json["run_under_way"]["state_marked"]
    # The lock released (the run ended, or was killed): no run is under way.
    after = run_cli("status", "--vault", vault, report=False)
    assert "under way" not in after.stdout and "last run: " in after.stdout


def test_status_during_the_first_run_says_it_is_under_way(run_cli, vault):
    from vault_export.vault.lock import vault_lock

    with vault_lock(vault):
        result = run_cli("status", "--vault", vault, report=False)
    assert result.exit_code == 0 and "a run is under way" in result.stdout
    assert run_cli("status", "--vault", vault, report=False).exit_code == 2
