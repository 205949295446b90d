"""Changing notes.folder or notes.filename on a vault that has notes: the notes the tool placed move
to the folder the templates now give, keeping their names (so [[links]] to them hold) and what the
person wrote; notes the person moved stay; every change is reported once."""
from pathlib import Path

from conftest import collector_note, write

CONFIG = ".vault-export/config.toml"


def notes_config(vault: Path, folder: str, filename: str = "{{ title }}") -> None:
    write(vault / CONFIG, f'[notes]\nfolder = "{folder}"\nfilename = "{filename}"\n')


def saved(inbox: Path, *titles: str) -> None:
    for index, title in enumerate(titles):
        write(inbox / f"{index}.md", collector_note(title=title, url=f"https://weibo.com/1/{index}"))


def items(result) -> dict[str, dict]:
    return {Path(item["input"]).name: item for item in result.report["items"]}


def test_a_new_folder_moves_the_tools_notes_with_the_persons_edits_and_leaves_moved_ones(run_cli, inbox, vault):
    saved(inbox, "Kept by the tool", "Edited by me", "Moved by me")
    notes_config(vault, "Clippings")
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    edited = vault / "Clippings" / "Edited by me.md"
    edited.write_text(edited.read_text() + "\nMy own words.\n")
    (vault / "Mine").mkdir()
    (vault / "Clippings" / "Moved by me.md").rename(vault / "Mine" / "Moved by me.md")

    notes_config(vault, "Saved/{{ date.year }}")
    moved = run_cli("export", inbox, "--vault", vault)
    assert moved.exit_code == 0
    assert sorted(path.name for path in (vault / "Saved" / "2025").iterdir()) == ["Edited by me.md",
                                                                               "Kept by the tool.md"]
    assert (vault / "Saved" / "2025" / "Edited by me.md").read_text().endswith("My own words.\n")
    assert (vault / "Mine" / "Moved by me.md").exists()
    assert not (vault / "Clippings").exists()  # nothing was left in it
    kept = items(moved)["0.md"]
    assert kept["status"] == "updated" and kept["message"].startswith("moved from Clippings/Kept by the tool.md")
    assert items(moved)["2.md"]["output"] == "Mine/Moved by me.md" and items(moved)["2.md"]["message"] is None
    assert "[[Kept by the tool]]" in (vault / "Daily" / "2025-06-06.md").read_text()

    again = run_cli("export", inbox, "--vault", vault)
    assert set(again.statuses().values()) == {"unchanged"} and again.stderr == ""


def test_a_new_file_name_template_keeps_the_old_names_and_says_so_once(run_cli, inbox, vault):
    saved(inbox, "First")
    notes_config(vault, "Clippings")
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    notes_config(vault, "Clippings", "{{ date }} {{ title }}")
    saved(inbox, "First", "Second")
    renamed = run_cli("export", inbox, "--vault", vault)
    assert renamed.exit_code == 0
    assert sorted(path.name for path in (vault / "Clippings").iterdir()) == ["2025-06-06 Second.md", "First.md"]
    assert renamed.stderr.count("1 notes keep their file names") == 1
    assert "rename the others in Obsidian" in renamed.stderr
    assert "keep their file names" not in run_cli("export", inbox, "--vault", vault).stderr


def test_a_dry_run_moves_nothing_and_says_what_would_move(run_cli, inbox, vault):
    saved(inbox, "First", "Second")
    notes_config(vault, "Clippings")
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    notes_config(vault, "Saved")
    dry = run_cli("export", inbox, "--vault", vault, "--dry-run")
    assert "2 notes would move to the folders notes.folder now gives" in dry.stderr
    assert len(list((vault / "Clippings").glob("*.md"))) == 2 and not (vault / "Saved").exists()
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    assert len(list((vault / "Saved").glob("*.md"))) == 2


def test_a_taken_path_keeps_the_note_where_it_is(run_cli, inbox, vault):
    saved(inbox, "First")
    notes_config(vault, "Clippings")
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    write(vault / "Saved" / "First.md", "The person's own note.\n")
    notes_config(vault, "Saved")
    result = run_cli("export", inbox, "--vault", vault)
    assert "Clippings/First.md stays where it is: Saved/First.md" in result.stderr
    assert (vault / "Saved" / "First.md").read_text() == "The person's own note.\n"
    assert (vault / "Clippings" / "First.md").exists()


def test_the_bases_file_written_for_the_old_folder_is_named_with_what_to_change(run_cli, inbox, vault):
    saved(inbox, "First")
    notes_config(vault, "Clippings")
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    notes_config(vault, "Saved")
    result = run_cli("export", inbox, "--vault", vault)
    assert 'Clippings.base still lists the notes in Clippings/: change its filter to file.inFolder("Saved")' \
        in result.stderr
