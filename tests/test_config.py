"""Configuration, templates and the init/preview commands: the vault shaped the person's way."""
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import collector_note, notes_in, write
from support.vault_reader import inline_tags, wikilinks
from vault_export.cli.commands import app
from vault_export.config import load_config

TOPIC_BODY = ('<a href="https://m.weibo.cn/search?containerid=1"><span class="surl-text">#大模型#</span></a>'
              '<a href="https://m.weibo.cn/search?containerid=2"><span class="surl-text">#Open AI#</span></a>正文')


def config_file(tmp_path: Path, text: str) -> Path:
    return write(tmp_path / "config.toml", text)


def properties(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


@pytest.fixture
def one_note(inbox) -> Path:
    write(inbox / "a.md", collector_note(title="#大模型#Hello: world", body=TOPIC_BODY, meta={
        "来源": "Weibo", "类型": "微博", "保存时间": "2025-06-06T20:30:00Z", "目录日期": "2025-06-06"}))
    return inbox


def test_init_writes_every_default_and_a_cron_line_needs_only_the_config(run_cli, tmp_path, one_note, vault):
    result = run_cli("init", "--vault", vault, report=False)
    assert result.exit_code == 0
    target = vault / ".vault-export/config.toml"
    settings = tomllib.loads(target.read_text("utf-8"))
    assert settings["on_conflict"] == "merge" and settings["notes"]["folder"] == "Clippings"
    assert settings["vault"] == str(vault)
    target.write_text(target.read_text("utf-8").replace("sources = []", f"sources = [{str(one_note)!r}]"))
    exported = run_cli("export", "--config", target)
    assert exported.exit_code == 0 and len(notes_in(vault)) == 1
    assert run_cli("init", "--vault", vault, report=False).exit_code == 2  # never overwrites silently


@pytest.mark.parametrize("flag, value", [("--download-hotlinked-images", "hotlinked"),
                                         ("--no-download-hotlinked-images", False)])
def test_init_takes_the_hotlinked_images_answer_from_a_flag(run_cli, vault, flag, value):
    assert run_cli("init", "--vault", vault, flag, report=False).exit_code == 0
    text = (vault / ".vault-export/config.toml").read_text("utf-8")
    assert tomllib.loads(text)["download_images"] == value
    assert load_config(None, vault, {}).download_images == value


@pytest.mark.parametrize("answer, value", [("y\n", "hotlinked"), ("n\n", False), ("\n", False)])
def test_init_asks_about_hotlinked_images_on_a_terminal(vault, monkeypatch, answer, value):
    monkeypatch.setattr("vault_export.cli.commands._input_is_terminal", lambda: True)
    result = CliRunner().invoke(app, ["init", "--vault", str(vault)], input=answer)
    assert result.exit_code == 0
    assert "Download images from hosts that block hotlinking (Weibo, WeChat)? [y/N]" in result.stdout
    assert tomllib.loads((vault / ".vault-export/config.toml").read_text("utf-8"))["download_images"] == value


def test_init_asks_nothing_when_the_input_is_no_terminal(run_cli, vault):
    result = run_cli("init", "--vault", vault, report=False)
    assert result.exit_code == 0 and "hotlinking" not in result.stdout


def test_the_vaults_own_config_is_used_when_no_file_is_given(run_cli, one_note, vault):
    write(vault / ".vault-export/config.toml", '[notes]\nfolder = "Inbox"\n')
    run_cli("export", one_note, "--vault", vault)
    assert len(notes_in(vault, "Inbox")) == 1


@pytest.mark.parametrize("text, words", [
    ("colour = 1\n", ["unknown key 'colour'"]),
    ("[notes]\nfolders = 'x'\n", ["unknown key 'notes.folders'"]),
    ("jobs = 'four'\n", ["jobs must be a whole number"]),
    ("download_images = 'yes'\n", ["download_images must be true or false", '"hotlinked"']),
    ("download_images = 1\n", ["download_images must be true or false or a string, not int"]),
    ("[views]\nbase = 'Clippings.md'\n", ["views.base must be a path inside the vault ending in .base"]),
    ("[views]\nbase = '../Clippings.base'\n", ["views.base must be a path inside the vault"]),
    ("on_conflict = 'ask'\n", ["on_conflict must be one of"]),
    ("timezone = 'Mars/Olympus'\n", ["unknown time zone"]),
    ("[tags]\nstyle = 'bold'\n", ["tags.style must be one of"]),
    ("[properties]\ndrop = 'type'\n", ["properties.drop must be a list"]),
    ("vault = \n", ["not valid TOML"]),
    ("[notes]\nfolder = '{% if %}'\n", ["template notes.folder, line 1"]),
    ("[daily]\nentry = '{{ link }'\n", ["template daily.entry, line 1"]),
])
def test_bad_configuration_is_a_usage_error_naming_key_and_file_before_any_write(
        run_cli, tmp_path, one_note, vault, text, words):
    file = config_file(tmp_path, text)
    result = run_cli("export", one_note, "--vault", vault, "--config", file)
    assert result.exit_code == 2
    assert str(file) in result.stderr and all(word in result.stderr for word in words)
    assert not (vault / "Clippings").exists()


def test_the_command_line_wins_over_the_config(run_cli, tmp_path, one_note, vault):
    file = config_file(tmp_path, 'timezone = "UTC"\n[notes]\nfolder = "Inbox"\n')
    run_cli("export", one_note, "--vault", vault, "--config", file, "--timezone", "Asia/Tokyo")
    [note] = notes_in(vault, "Inbox")
    assert properties(note)["created"].isoformat() == "2025-06-07T05:30:00"


def test_timezone_decides_created_and_the_date_of_notes_without_catalog_date(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note(meta={"保存时间": "2025-06-06T20:30:00Z"}))
    file = config_file(tmp_path, 'timezone = "Asia/Shanghai"\n')
    run_cli("export", inbox, "--vault", vault, "--config", file)
    [note] = notes_in(vault)
    assert (properties(note)["created"].isoformat(), str(properties(note)["date"])) == \
        ("2025-06-07T04:30:00", "2025-06-07")
    assert (vault / "Daily/2025-06-07.md").exists()


def test_folder_and_filename_templates_are_rendered_then_made_safe_and_unique(run_cli, tmp_path, inbox, vault):
    for index in range(2):
        write(inbox / f"{index}.md", collector_note(title="Same: title?", url=f"https://x/{index}"))
    file = config_file(tmp_path, "[notes]\nfolder = \"Clippings/{{ date.strftime('%Y/%m') }}\"\n"
                                 "filename = \"{{ date }} {{ source }} {{ title }}\"\n")
    run_cli("export", inbox, "--vault", vault, "--config", file)
    names = sorted(path.name for path in (vault / "Clippings/2025/06").iterdir())
    assert names == ["2025-06-06 Weibo Same title 2.md", "2025-06-06 Weibo Same title.md"]


def test_a_template_error_fails_that_note_only_naming_template_line_and_note(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note(title="Plain", url="https://x/1"))
    write(inbox / "b.md", collector_note(title="Other", url="https://x/2", meta={"来源": "Weibo"}))
    file = config_file(tmp_path, '[notes]\nfilename = "{{ title }}\\n{{ date.year }}"\n')
    result = run_cli("export", inbox, "--vault", vault, "--config", file)
    assert result.exit_code == 1
    assert result.statuses() == {"a.md": "created", "b.md": "failed"}
    [failure] = [item for item in result.report["items"] if item["status"] == "failed"]
    assert "template notes.filename, line 2" in failure["message"] and failure["input"].endswith("b.md")


def test_a_note_template_shapes_the_body(run_cli, tmp_path, one_note, vault):
    template = write(tmp_path / "note.md.j2", "{{ body }}\n\n## Summary\n\n{{ summary | callout('info') }}\n\n"
                                              "Saved {{ created.strftime('%Y-%m-%d %H:%M') }} from {{ source }}.\n")
    file = config_file(tmp_path, f'timezone = "UTC"\n[notes]\ntemplate = "{template}"\n')
    run_cli("export", one_note, "--vault", vault, "--config", file)
    body = notes_in(vault)[0].read_text("utf-8").split("---\n", 2)[2]
    assert body.endswith("## Summary\n\n> [!info]\n> A short summary.\n\nSaved 2025-06-06 20:30 from Weibo.\n")


def test_properties_are_renamed_dropped_and_added_with_their_types(run_cli, tmp_path, one_note, vault):
    file = config_file(tmp_path, '[properties]\nrename = { source = "site" }\ndrop = ["type"]\n'
                                 'add = { status = "inbox", rating = 3, read = false, topics = ["a", "b"] }\n')
    run_cli("export", one_note, "--vault", vault, "--config", file)
    props = properties(notes_in(vault)[0])
    assert props["site"] == "Weibo" and "type" not in props and "source" not in props
    assert (props["status"], props["rating"], props["read"], props["topics"]) == ("inbox", 3, False, ["a", "b"])


def test_tags_prefix_lowercase_and_rename(run_cli, tmp_path, one_note, vault):
    file = config_file(tmp_path, '[tags]\nprefix = "weibo/"\nlowercase = true\nrename = { "大模型" = "LLM" }\n')
    run_cli("export", one_note, "--vault", vault, "--config", file)
    note = notes_in(vault)[0]
    assert properties(note)["tags"] == ["weibo/llm", "weibo/open_ai"]
    # 'Open AI' is no tag as written (a space): the body keeps it as text, the tag is listed.
    assert "#weibo/llm \\#Open AI\\#正文" in note.read_text("utf-8")


@pytest.mark.parametrize("style, in_properties, inline, linked", [
    ("frontmatter", True, False, False), ("inline", False, True, False), ("both", True, True, False),
    ("wikilink", True, False, True)])
def test_tag_style(run_cli, tmp_path, one_note, vault, style, in_properties, inline, linked):
    file = config_file(tmp_path, f'[tags]\nstyle = "{style}"\n')
    run_cli("export", one_note, "--vault", vault, "--config", file)
    note = notes_in(vault)[0]
    body = note.read_text("utf-8").split("---\n", 2)[2]
    assert ("tags" in properties(note)) == in_properties
    assert ("大模型" in inline_tags(body)) == inline
    assert ("大模型" in [link.target for link in wikilinks(body)]) == linked


def test_daily_pages_can_be_the_persons_own_daily_notes(run_cli, tmp_path, one_note, vault):
    file = config_file(tmp_path, '[daily]\nfolder = ""\nformat = "%Y-%m-%d"\nheading = "### From {{ source }}"\n'
                                 'entry = "- {{ time }} {{ link }}"\n')
    run_cli("export", one_note, "--vault", vault, "--config", file)
    page = (vault / "2025-06-06.md").read_text("utf-8")
    # A heading written before daily.group_by: `source` names the group, the site by default.
    assert "### From 微博\n\n- 04:30 [[Hello world|Hello: world]]" in page


def test_daily_pages_group_by_the_source_as_saved_when_asked(run_cli, tmp_path, one_note, vault):
    file = config_file(tmp_path, '[daily]\ngroup_by = "source"\nheading = "## {{ group }}"\n'
                                 'entry = "- {{ site }}: {{ link }}"\n')
    run_cli("export", one_note, "--vault", vault, "--config", file)
    page = (vault / "Daily" / "2025-06-06.md").read_text("utf-8")
    assert "## Weibo\n\n- 微博: [[Hello world|Hello: world]]" in page


def test_preview_prints_a_note_without_touching_any_vault(run_cli, one_note, tmp_path):
    result = run_cli("preview", one_note / "a.md", "--timezone", "UTC", report=False)
    assert result.exit_code == 0
    assert result.stdout.startswith("---\ntitle: \"#大模型#Hello: world\"\n")
    assert "#大模型 \\#Open AI\\#正文" in result.stdout
    assert not any(path.name == ".vault-export" for path in tmp_path.rglob("*"))
