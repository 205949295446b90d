"""A run plans only what changed since the last one: the inputs whose stat changed, the notes
their saves belong to, the notes the person changed in the vault, and the days those notes list.
A run that finds nothing changed reads no input and writes nothing, and reports every note."""
import json
import os
import sqlite3
from contextlib import contextmanager

import pytest

from conftest import collector_note, write
from vault_export.inputs import scan
from vault_export.vault.state import State

META = {"来源": "Weibo", "保存时间": "2025-06-06T01:00:00Z", "目录日期": "2025-06-06"}
LATER = {**META, "保存时间": "2025-06-07T01:00:00Z"}


@pytest.fixture
def exported(run_cli, inbox, vault):
    """A vault with two notes, one of them saved twice; returns a function that exports again."""
    write(inbox / "a.md", collector_note(title="Post", url="https://x/1", meta=META))
    write(inbox / "a-again.md", collector_note(title="Post", url="https://x/1", meta=LATER))
    write(inbox / "b.md", collector_note(title="Other", url="https://x/2", meta=META))
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    return lambda *extra: run_cli("export", inbox, "--vault", vault, *extra)


@contextmanager
def reading(monkeypatch):
    """The names of the inputs the runs within it read."""
    read = []

    def counted(job):
        read.append(os.path.basename(job.path))
        return reader(job)
    reader = scan.read_input
    with monkeypatch.context() as patch:
        patch.setattr(scan, "read_input", counted)
        yield read


@contextmanager
def reads_nothing(monkeypatch):
    """The runs within it read no input (checked when it ends)."""
    with reading(monkeypatch) as read:
        yield
    assert read == []


def touch(path):
    """A new mtime for an input: it is read again, and found unchanged."""
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_run_that_reads_nothing_reports_as_the_run_before(exported, inbox, monkeypatch):
    touch(inbox / "b.md")
    full = exported()
    with reads_nothing(monkeypatch):
        unread = exported()
    assert unread.exit_code == 0
    assert unread.report == full.report
    assert full.statuses() == {"a.md": "duplicate", "a-again.md": "unchanged", "b.md": "unchanged"}


def test_notes_created_by_the_last_run_are_reported_unchanged(exported, monkeypatch):
    with reads_nothing(monkeypatch):
        result = exported()
    assert result.statuses() == {"a.md": "duplicate", "a-again.md": "unchanged", "b.md": "unchanged"}
    assert result.report["summary"]["total"] == 3


def test_an_edited_note_is_looked_at_again(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(title="Post", url="https://x/1", meta=META))
    export = lambda: run_cli("export", inbox, "--vault", vault, "--on-conflict", "overwrite")  # noqa: E731
    assert export().statuses() == {"a.md": "created"}
    assert export().statuses() == {"a.md": "unchanged"}
    note = vault / "Clippings/Post.md"
    note.write_text(note.read_text("utf-8") + "\nMy own line.\n", encoding="utf-8")
    assert export().statuses() == {"a.md": "updated"}  # overwritten, their version backed up
    assert "My own line." not in note.read_text("utf-8")


def test_a_moved_note_is_reported_where_it_now_lives(exported, vault):
    (vault / "Reading").mkdir()
    (vault / "Clippings/Other.md").rename(vault / "Reading/Other.md")
    items = {item["input"].rsplit("/", 1)[-1]: item for item in exported().report["items"]}
    assert items["b.md"]["status"] == "unchanged"
    assert items["b.md"]["output"] == "Reading/Other.md"


def test_a_changed_input_is_read(exported, inbox, vault):
    write(inbox / "b.md", collector_note(title="Other", url="https://x/2", body="<p>New words.</p>", meta=META))
    assert exported().statuses()["b.md"] == "updated"
    assert "New words." in (vault / "Clippings/Other.md").read_text("utf-8")


def test_a_new_input_is_read(exported, inbox, vault):
    write(inbox / "c.md", collector_note(title="Third", url="https://x/3", meta=META))
    assert exported().statuses()["c.md"] == "created"


def test_a_deleted_note_stays_skipped_and_comes_back_when_asked(exported, vault, monkeypatch):
    (vault / "Clippings/Other.md").unlink()
    assert exported().statuses()["b.md"] == "skipped"
    with reads_nothing(monkeypatch):
        assert exported().statuses()["b.md"] == "skipped"
    assert exported("--restore-deleted").statuses()["b.md"] == "created"
    assert (vault / "Clippings/Other.md").exists()


def test_a_note_put_back_by_hand_is_no_longer_deleted(exported, vault):
    note = vault / "Clippings/Other.md"
    kept = note.read_text("utf-8")
    note.unlink()
    assert exported().statuses()["b.md"] == "skipped"
    note.write_text(kept + "\nBack again.\n", encoding="utf-8")
    assert exported().statuses()["b.md"] != "skipped"


def test_a_failed_input_fails_again(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(title="Post", url="https://x/1", meta=META))
    write(inbox / "broken.md", "\x00\x01 not a note")
    for _ in range(2):
        result = run_cli("export", inbox, "--vault", vault)
        assert result.exit_code == 1
        assert result.statuses()["broken.md"] == "failed"


def test_changed_settings_plan_every_note_again(exported, vault):
    result = exported("--timezone", "UTC")
    assert result.statuses() == {"a.md": "duplicate", "a-again.md": "updated", "b.md": "updated"}


def test_an_edited_note_template_renders_the_notes_again(run_cli, inbox, vault, tmp_path):
    template = write(tmp_path / "note.j2", "{{ body }}\n")
    config = write(tmp_path / "config.toml", f'[notes]\ntemplate = "{template.as_posix()}"\n')
    write(inbox / "a.md", collector_note(title="Post", url="https://x/1", meta=META))
    export = lambda: run_cli("export", inbox, "--vault", vault, "--config", config)  # noqa: E731
    assert export().statuses() == {"a.md": "created"}
    write(template, "Saved from {{ url }}\n\n{{ body }}\n")
    assert export().statuses() == {"a.md": "updated"}
    assert "Saved from https://x/1" in (vault / "Clippings/Post.md").read_text("utf-8")


def test_a_dry_run_reads_nothing_and_writes_nothing(exported, vault, monkeypatch):
    state = vault / ".vault-export/state.sqlite"
    before = state.read_bytes()
    with reads_nothing(monkeypatch):
        result = exported("--dry-run")
    assert result.statuses() == {"a.md": "duplicate", "a-again.md": "unchanged", "b.md": "unchanged"}
    assert state.read_bytes() == before


def test_another_conflict_rule_reads_nothing_when_no_note_was_edited(exported, monkeypatch):
    with reads_nothing(monkeypatch):
        result = exported("--on-conflict", "keep")
    assert result.statuses() == {"a.md": "duplicate", "a-again.md": "unchanged", "b.md": "unchanged"}


def vault_files(vault):
    """Every file of the vault outside the state's folder, with its modification time."""
    return {path: path.stat().st_mtime_ns for path in vault.rglob("*")
            if path.is_file() and ".vault-export" not in path.parts}


def test_a_run_after_one_new_input_reads_only_that_input(exported, inbox, monkeypatch):
    write(inbox / "c.md", collector_note(title="Third", url="https://x/3", meta=META))
    with reading(monkeypatch) as read:
        result = exported()
    assert read == ["c.md"]
    assert result.statuses() == {"a.md": "duplicate", "a-again.md": "unchanged", "b.md": "unchanged",
                                 "c.md": "created"}
    assert result.report["daily_pages"] == ["Daily/2025-06-06.md"]


def test_a_run_that_finds_nothing_changed_writes_nothing(exported, vault):
    before = vault_files(vault)
    result = exported()
    assert result.report["summary"]["unchanged"] == 2 and result.report["daily_pages"] == []
    assert vault_files(vault) == before


def test_a_save_moved_to_another_input_stays_in_its_note(run_cli, inbox, vault, monkeypatch):
    records = [{"title": "Kept", "url": "https://x/k", "html": "<p>Kept words.</p>", "saved_at": "2025-06-06T01:00:00Z"},
               {"title": "Moving", "url": "https://x/m", "html": "<p>Old words.</p>", "saved_at": "2025-06-06T02:00:00Z"}]
    write(inbox / "one.json", json.dumps(records))
    write(inbox / "two.json", "[]")
    export = lambda: run_cli("export", inbox, "--vault", vault)  # noqa: E731
    assert export().exit_code == 0
    moved = {**records[1], "html": "<p>New words.</p>"}
    write(inbox / "one.json", json.dumps(records[:1]))
    write(inbox / "two.json", json.dumps([moved]))
    with reading(monkeypatch) as read:
        result = export()
    assert sorted(read) == ["one.json", "two.json"]
    assert result.statuses() == {"one.json#1": "unchanged", "two.json#1": "updated"}
    assert "New words." in (vault / "Clippings/Moving.md").read_text("utf-8")


def test_a_removed_input_gives_its_note_back_to_the_save_left(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(title="Post", url="https://x/1", body="<p>First words.</p>", meta=META))
    write(inbox / "a-again.md", collector_note(title="Post", url="https://x/1", body="<p>Later words.</p>",
                                               meta=LATER))
    export = lambda: run_cli("export", inbox, "--vault", vault)  # noqa: E731
    assert export().statuses() == {"a.md": "duplicate", "a-again.md": "created"}
    assert "Later words." in (vault / "Clippings/Post.md").read_text("utf-8")
    (inbox / "a-again.md").unlink()
    assert export().statuses() == {"a.md": "updated"}
    assert "First words." in (vault / "Clippings/Post.md").read_text("utf-8")
    assert export().statuses() == {"a.md": "unchanged"}


def test_a_note_moved_to_another_day_leaves_one_daily_page_for_the_other(exported, inbox, vault):
    write(inbox / "b.md", collector_note(title="Other", url="https://x/2",
                                         meta={**META, "保存时间": "2025-06-08T01:00:00Z", "目录日期": "2025-06-08"}))
    result = exported()
    assert result.statuses()["b.md"] == "updated"
    assert sorted(result.report["daily_pages"]) == ["Daily/2025-06-06.md", "Daily/2025-06-08.md"]
    assert "[[Other]]" not in (vault / "Daily/2025-06-06.md").read_text("utf-8")
    assert "[[Other]]" in (vault / "Daily/2025-06-08.md").read_text("utf-8")
    assert "[[Post]]" in (vault / "Daily/2025-06-06.md").read_text("utf-8")


def test_a_note_edited_in_the_vault_is_merged_when_its_input_changes(exported, inbox, vault, monkeypatch):
    body = "<p>First paragraph.</p><p>Second paragraph.</p><p>Third paragraph.</p>"
    write(inbox / "b.md", collector_note(title="Other", url="https://x/2", body=body, meta=META))
    assert exported().statuses()["b.md"] == "updated"
    note = vault / "Clippings/Other.md"
    note.write_text(note.read_text("utf-8") + "\nMy own line.\n", encoding="utf-8")
    with reading(monkeypatch) as read:
        assert exported().statuses()["b.md"] == "unchanged"  # looked at again: nothing to merge
    assert read == []
    write(inbox / "b.md", collector_note(title="Other", url="https://x/2", meta=META,
                                         body=body.replace("First paragraph.", "First paragraph, revised.")))
    assert exported().statuses()["b.md"] == "updated"
    text = note.read_text("utf-8")
    assert "My own line." in text and "First paragraph, revised." in text


def test_a_note_that_failed_is_planned_again_and_fails_again(run_cli, inbox, vault, tmp_path, monkeypatch):
    write(inbox / "a.md", collector_note(title="Plain", url="https://x/1"))
    write(inbox / "b.md", collector_note(title="Other", url="https://x/2", meta={"来源": "Weibo"}))
    config = write(tmp_path / "c.toml", '[notes]\nfilename = "{{ title }}\\n{{ date.year }}"\n')
    export = lambda: run_cli("export", inbox, "--vault", vault, "--config", config)  # noqa: E731
    assert export().statuses() == {"a.md": "created", "b.md": "failed"}
    with reading(monkeypatch) as read:
        result = export()
    assert read == []
    assert result.exit_code == 1 and result.statuses() == {"a.md": "unchanged", "b.md": "failed"}


def _logged_summary(vault):
    logs = sorted((vault / ".vault-export" / "log").glob("run-*.json"), key=lambda path: path.stat().st_mtime_ns)
    return json.loads(logs[-1].read_text("utf-8"))["summary"]


def test_a_run_that_lists_no_item_counts_the_unchanged_notes_and_their_duplicates(run_cli, exported, inbox, vault):
    listed = exported().report["summary"]
    unlisted = run_cli("export", inbox, "--vault", vault, report=False)
    assert unlisted.exit_code == 0 and "exported 3 inputs" in unlisted.stdout
    assert _logged_summary(vault) == {key: count for key, count in listed.items() if key != "total"}
    assert listed["unchanged"] == 2 and listed["duplicate"] == 1


def test_a_run_that_lists_no_item_plans_the_notes_left_unsettled_again(run_cli, exported, inbox, vault):
    (vault / "Clippings" / "Other.md").unlink()
    result = run_cli("export", inbox, "--vault", vault, report=False)
    assert result.exit_code == 0
    assert _logged_summary(vault)["unchanged"] == 1 and _logged_summary(vault)["skipped"] == 1


def test_a_run_looks_at_no_note_of_a_folder_no_file_was_added_to_or_removed_from(exported, vault, monkeypatch):
    looked = []
    lstat = os.lstat

    def recorded(path, *args, **kwargs):
        looked.append(os.fspath(path))
        return lstat(path, *args, **kwargs)
    with monkeypatch.context() as patch:
        patch.setattr(os, "lstat", recorded)
        assert exported().statuses() == {"a.md": "duplicate", "a-again.md": "unchanged", "b.md": "unchanged"}
        assert not [path for path in looked if path.endswith(".md")]
        (vault / "Clippings" / "Other.md").rename(vault / "Clippings" / "Renamed.md")
        assert exported().statuses()["b.md"] == "updated"  # found where the person renamed it
    assert [path for path in looked if path.endswith("Other.md")]


def test_a_folder_of_inputs_removed_whole_gives_its_notes_back_to_the_saves_left(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(title="Post", url="https://x/1", body="<p>First words.</p>", meta=META))
    write(inbox / "later" / "deeper" / "a.md", collector_note(title="Post", url="https://x/1",
                                                            body="<p>Later words.</p>", meta=LATER))
    export = lambda: run_cli("export", inbox, "--vault", vault)  # noqa: E731
    assert sorted(item["status"] for item in export().report["items"]) == ["created", "duplicate"]
    assert "Later words." in (vault / "Clippings/Post.md").read_text("utf-8")
    for gone in (inbox / "later" / "deeper" / "a.md", inbox / "later" / "deeper", inbox / "later"):
        gone.unlink() if gone.is_file() else gone.rmdir()
    assert export().statuses() == {"a.md": "updated"}
    assert "First words." in (vault / "Clippings/Post.md").read_text("utf-8")


def test_an_input_moved_to_another_folder_is_the_same_input_again(exported, inbox, monkeypatch):
    (inbox / "moved").mkdir()
    (inbox / "b.md").rename(inbox / "moved" / "b.md")
    with reading(monkeypatch) as read:
        assert exported().statuses()["b.md"] == "unchanged"
    assert read == ["b.md"]
    with reads_nothing(monkeypatch):
        assert exported().statuses()["b.md"] == "unchanged"


def test_a_file_named_as_a_source_beside_its_folder_is_read_when_it_changes(run_cli, inbox, vault, monkeypatch):
    write(inbox / "one" / "a.md", collector_note(title="Post", url="https://x/1", meta=META))
    write(inbox / "two" / "b.md", collector_note(title="Other", url="https://x/2", meta=META))
    export = lambda: run_cli("export", inbox / "one" / "a.md", inbox / "two", "--vault", vault)  # noqa: E731
    assert export().exit_code == 0
    with reads_nothing(monkeypatch):
        assert export().statuses() == {"a.md": "unchanged", "b.md": "unchanged"}
    write(inbox / "one" / "a.md", collector_note(title="Post", url="https://x/1", body="<p>New.</p>", meta=META))
    with reading(monkeypatch) as read:
        assert export().statuses() == {"a.md": "updated", "b.md": "unchanged"}
    assert read == ["a.md"]


def test_a_state_that_keeps_no_folder_digests_looks_at_every_input_once(exported, inbox, vault, monkeypatch):
    with sqlite3.connect(vault / ".vault-export" / "state.sqlite") as db:  # as a state of version 0.2 was
        db.execute("DELETE FROM input_folders")
        db.execute("DELETE FROM meta WHERE key = 'input_folders_kept'")
    touch(inbox / "b.md")
    with reading(monkeypatch) as read:
        assert exported().statuses()["b.md"] == "unchanged"
    assert read == ["b.md"]
    with reads_nothing(monkeypatch):
        exported()


def test_a_run_compares_the_inputs_of_changed_folders_only(run_cli, inbox, vault, monkeypatch):
    for day in ("2025-06-05", "2025-06-06"):
        write(inbox / day / "a.md", collector_note(title=f"Post of {day}", url=f"https://x/{day}", meta=META))
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    asked = []
    input_stats = State.input_stats
    monkeypatch.setattr(State, "input_stats", lambda state, folders=None: asked.append(folders) or
                        input_stats(state, folders))
    run_cli("export", inbox, "--vault", vault)
    write(inbox / "2025-06-06" / "b.md", collector_note(title="New", url="https://x/new", meta=META))
    assert run_cli("export", inbox, "--vault", vault).statuses()["b.md"] == "created"
    assert asked == [set(), {str(inbox / "2025-06-06")}]


def test_a_run_that_lists_no_item_counts_as_a_full_listing_after_every_kind_of_change(run_cli, exported, inbox,
                                                                                     vault):
    changes = [
        lambda: write(inbox / "new" / "c.md", collector_note(title="Third", url="https://x/3", meta=META)),
        lambda: write(inbox / "new" / "c-again.md", collector_note(title="Third", url="https://x/3", meta=LATER)),
        lambda: write(inbox / "b.md", collector_note(title="Other", url="https://x/2", body="<p>New.</p>", meta=META)),
        lambda: (inbox / "a-again.md").unlink(),
        lambda: write(inbox / "new" / "broken.md", "\x00\x01 not a note"),
        lambda: (vault / "Clippings" / "Other.md").unlink(),
        lambda: (inbox / "new" / "broken.md").unlink(),
    ]
    counts = lambda result: result.stdout.splitlines()[-1].split(": ", 1)[1]  # noqa: E731
    for change in changes:
        change()
        run_cli("export", inbox, "--vault", vault, report=False)
        listed = run_cli("export", inbox, "--vault", vault, "--dry-run", report=False)  # lists all, writes nothing
        counted = run_cli("export", inbox, "--vault", vault, report=False)  # from what the last run recorded
        assert counts(counted) == counts(listed)
