"""The sources and the vault are checked before anything is written; linked folders are followed."""
import os

import pytest

from conftest import collector_note, write


def notes_in(vault):
    return sorted(path.relative_to(vault).as_posix() for path in (vault / "Clippings").rglob("*.md"))


def test_a_missing_source_exits_2_naming_it_and_creates_no_vault(run_cli, inbox, vault, tmp_path):
    write(inbox / "a.md", collector_note())
    result = run_cli("export", inbox, tmp_path / "unmounted", "--vault", vault, "-q", report=False)
    assert result.exit_code == 2
    assert f"{tmp_path / 'unmounted'}: no such file or folder" in result.stderr
    assert not vault.exists()


def test_a_missing_source_leaves_an_existing_vault_untouched(run_cli, tmp_path, vault):
    vault.mkdir()
    result = run_cli("export", tmp_path / "missing", "--vault", vault, report=False)
    assert result.exit_code == 2 and list(vault.iterdir()) == []


def test_a_missing_source_in_a_dry_run_exits_2(run_cli, tmp_path, vault):
    result = run_cli("export", tmp_path / "missing", "--vault", vault, "--dry-run", report=False)
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


@pytest.mark.parametrize("below", [False, True])
def test_a_vault_path_that_is_a_file_exits_2_and_writes_nothing(run_cli, inbox, tmp_path, below):
    write(inbox / "a.md", collector_note())
    file = write(tmp_path / "vault.md", "mine\n")
    result = run_cli("export", inbox, "--vault", file / "sub" if below else file, report=False)
    assert result.exit_code == 2
    assert f"{file}: " in result.stderr and "is a file" in result.stderr
    assert file.read_text() == "mine\n" and sorted(os.listdir(tmp_path)) == ["inbox", "vault.md"]


@pytest.mark.parametrize("contents", [{}, {".hidden.md": collector_note(), "photo.jpg": "x", "sub/.x.md": "y"}])
def test_an_empty_source_folder_exits_3_with_a_warning_even_when_quiet(run_cli, inbox, vault, contents):
    for name, text in contents.items():
        write(inbox / name, text)
    result = run_cli("export", inbox, "--vault", vault, "--quiet", report=False)
    assert result.exit_code == 4
    assert f"{inbox}: no note files" in result.stderr and "--allow-empty" in result.stderr
    assert result.stdout == "" and not vault.exists()


def test_an_empty_folder_among_others_stops_the_run_before_writing(run_cli, inbox, vault, tmp_path):
    write(inbox / "a.md", collector_note())
    (tmp_path / "phone").mkdir()
    result = run_cli("export", inbox, tmp_path / "phone", "--vault", vault, report=False)
    assert result.exit_code == 4 and str(tmp_path / "phone") in result.stderr and not vault.exists()


def test_allow_empty_accepts_an_empty_inbox(run_cli, inbox, vault, tmp_path):
    result = run_cli("export", inbox, "--vault", vault, "--allow-empty")
    assert result.exit_code == 0 and result.stderr == ""
    config = write(tmp_path / "config.toml", "allow_empty = true\n")
    result = run_cli("export", inbox, "--vault", vault, "--config", config, "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_a_source_folder_holding_only_the_vault_is_empty(run_cli, inbox):
    vault = inbox / "vault"
    write(vault / "Clippings" / "mine.md", "# mine\n")
    result = run_cli("export", inbox, "--vault", vault, report=False)
    assert result.exit_code == 4


def test_a_linked_folder_inside_a_source_is_followed(run_cli, inbox, vault, tmp_path):
    elsewhere = tmp_path / "icloud" / "Phone"
    write(elsewhere / "from-phone.md", collector_note(title="From the phone", url="https://x/phone"))
    write(inbox / "a.md", collector_note())
    (inbox / "phone").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 0
    assert result.statuses() == {"a.md": "created", "from-phone.md": "created"}
    assert {item["input"] for item in result.report["items"]} >= {str(inbox / "phone" / "from-phone.md")}
    assert notes_in(vault) == ["Clippings/A saved post.md", "Clippings/From the phone.md"]
    assert result.report["warnings"] == []


def test_a_link_loop_in_a_source_ends_with_a_warning_and_every_note_once(run_cli, inbox, vault, tmp_path):
    write(inbox / "sub" / "b.md", collector_note(title="B", url="https://x/b"))
    write(inbox / "a.md", collector_note())
    (inbox / "sub" / "back").symlink_to(inbox, target_is_directory=True)  # a loop
    (inbox / "again").symlink_to(inbox / "sub", target_is_directory=True)  # one folder, two names
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 0
    assert sorted(result.statuses()) == ["a.md", "b.md"]
    assert notes_in(vault) == ["Clippings/A saved post.md", "Clippings/B.md"]
    warnings = result.report["warnings"]
    assert [warning.split(":")[0] for warning in warnings] == [str(inbox / "again"), str(inbox / "sub" / "back")]
    assert {item["input"] for item in result.report["items"]} == {str(inbox / "a.md"), str(inbox / "sub" / "b.md")}


def test_a_loop_between_linked_folders_outside_the_source_ends(run_cli, inbox, vault, tmp_path):
    outside = tmp_path / "synced"
    write(outside / "one" / "c.md", collector_note(title="C", url="https://x/c"))
    (outside / "one" / "up").symlink_to(outside, target_is_directory=True)
    (inbox / "synced").symlink_to(outside, target_is_directory=True)
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 0 and sorted(result.statuses()) == ["c.md"]
    assert [warning.split(":")[0] for warning in result.report["warnings"]] == [str(inbox / "synced" / "one" / "up")]
