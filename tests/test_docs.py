"""The documentation keeps up with the code: commands have help, the README shows what CI runs."""
import re
from dataclasses import replace
from pathlib import Path

import pytest
import typer

from vault_export.cli.commands import app
from vault_export.config import DEFAULT_CONFIG_TOML, Config, load_config

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text("utf-8")
COMMANDS = typer.main.get_command(app).commands


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_a_place_in_the_readme(name):
    command = COMMANDS[name]
    assert command.help and f"vault-export {name}" in README
    for parameter in command.params:
        assert parameter.help, f"{name} {parameter.name} has no help text"


def test_the_readme_test_command_is_what_ci_runs():
    ci = (REPO / ".ci" / "run").read_text("utf-8").splitlines()
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)
    assert blocks[1] in ci
    assert "vault-export export seeds" in blocks[0]


def test_the_example_configuration_loads():
    config = load_config(REPO / "examples" / "config.toml", None, {})
    assert config.tags.prefix == "weibo/" and config.notes.folder.startswith("Clippings/")


def test_the_config_init_writes_holds_exactly_the_defaults(tmp_path):
    file = tmp_path / "config.toml"
    file.write_text(DEFAULT_CONFIG_TOML, encoding="utf-8")
    loaded = load_config(file, None, {})
    assert replace(loaded, explicit=frozenset()) == Config(config_file=file)
    assert not {"attachments", "links.style", "links.format", "daily.folder", "daily.format", "daily.moment_format",
                "daily.template"} & loaded.explicit, \
        "the keys that follow the vault's Obsidian settings are left unset"
