"""The vault's own Obsidian settings are followed where the person's configuration is silent."""
import json
from pathlib import Path

import pytest

from vault_export.config import load_config


def obsidian_vault(root: Path, folder: str = ".obsidian", **files: dict) -> Path:
    settings = root / folder
    settings.mkdir(parents=True)
    for name, content in files.items():
        (settings / f"{name.replace('_', '-')}.json").write_text(json.dumps(content), encoding="utf-8")
    return root


APP = {"attachmentFolderPath": "assets", "useMarkdownLinks": True, "newLinkFormat": "relative"}


def test_app_json_sets_attachments_and_links(tmp_path):
    vault = obsidian_vault(tmp_path / "v", app=APP)
    config = load_config(None, vault, {"vault": vault})
    assert (config.attachments_folder, config.links.style, config.links.format) == ("assets", "markdown", "relative")


def test_our_configuration_wins_where_the_person_set_it(tmp_path):
    vault = obsidian_vault(tmp_path / "v", app=APP)
    file = tmp_path / "config.toml"
    file.write_text('attachments = "Files"\n[links]\nstyle = "wikilink"\n', encoding="utf-8")
    config = load_config(file, vault, {"vault": vault})
    assert (config.attachments_folder, config.links.style, config.links.format) == ("Files", "wikilink", "relative")


def test_a_renamed_configuration_folder_is_read_only_when_named(tmp_path):
    vault = obsidian_vault(tmp_path / "v", folder=".obsidian-phone", app=APP)
    assert load_config(None, vault, {"vault": vault}).attachments_folder == "Attachments"
    config = load_config(None, vault, {"vault": vault, "obsidian_folder": ".obsidian-phone"})
    assert config.attachments_folder == "assets"


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"useMarkdownLinks": "yes"}'])
def test_broken_settings_are_obsidians_defaults(tmp_path, content):
    vault = tmp_path / "v"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text(content, encoding="utf-8")
    config = load_config(None, vault, {"vault": vault})
    assert (config.attachments_folder, config.links.style) == ("Attachments", "wikilink")
