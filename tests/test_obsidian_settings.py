"""The vault's own Obsidian settings are followed where the person's configuration is silent."""
import pytest

from conftest import obsidian_vault
from vault_export.config import load_config
from vault_export.errors import UsageError


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


DAILY = {"folder": "Journal/", "format": "YYYY/MM/DD", "template": "Templates/Daily"}


def daily_of(config):
    return config.daily.folder, config.daily.format, config.daily.moment_format, config.daily.template


def test_daily_notes_json_sets_the_day_pages(tmp_path):
    vault = obsidian_vault(tmp_path / "v", daily_notes=DAILY)
    config = load_config(None, vault, {"vault": vault})
    assert daily_of(config) == ("Journal/", "%Y-%m-%d", "YYYY/MM/DD", "Templates/Daily")


def test_what_daily_notes_json_leaves_out_is_obsidians_default(tmp_path):
    vault = obsidian_vault(tmp_path / "v", daily_notes={})
    assert daily_of(load_config(None, vault, {"vault": vault})) == ("", "%Y-%m-%d", "YYYY-MM-DD", "")


def test_without_daily_notes_json_the_day_pages_are_ours(tmp_path):
    vault = obsidian_vault(tmp_path / "v", app=APP)
    assert daily_of(load_config(None, vault, {"vault": vault})) == ("Daily", "%Y-%m-%d", "", "")


@pytest.mark.parametrize("toml, expected", [
    ('[daily]\nfolder = "Days"\n', ("Days", "%Y-%m-%d", "YYYY/MM/DD", "Templates/Daily")),
    ('[daily]\nformat = "%d.%m.%Y"\n', ("Journal/", "%d.%m.%Y", "", "Templates/Daily")),
    ('[daily]\nmoment_format = "DD.MM.YYYY"\n', ("Journal/", "%Y-%m-%d", "DD.MM.YYYY", "Templates/Daily")),
    ('[daily]\ntemplate = ""\n', ("Journal/", "%Y-%m-%d", "YYYY/MM/DD", "")),
])
def test_each_daily_key_the_person_sets_wins(tmp_path, toml, expected):
    vault = obsidian_vault(tmp_path / "v", daily_notes=DAILY)
    file = tmp_path / "config.toml"
    file.write_text(toml, encoding="utf-8")
    assert daily_of(load_config(file, vault, {"vault": vault})) == expected


def test_a_strftime_and_a_moment_format_together_are_refused(tmp_path):
    file = tmp_path / "config.toml"
    file.write_text('[daily]\nformat = "%Y"\nmoment_format = "YYYY"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="daily.format .* or daily.moment_format"):
        load_config(file, None, {})
