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
