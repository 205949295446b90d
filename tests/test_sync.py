"""Re-running into a living vault: nothing lost, nothing duplicated, only changes written."""
import json
import shutil
from pathlib import Path

import pytest

from conftest import collector_note, notes_in, write
from vault_export.vault.index import front_matter
from vault_export.vault.merge import merge_note

META = {"来源": "Weibo", "保存时间": "2025-06-06T01:00:00Z", "目录日期": "2025-06-06"}
BODY = "<p>First paragraph.</p><p>Second paragraph.</p><p>Third paragraph.</p>"


def note(title="Post", url="https://x/1", body=BODY, summary="Summary."):
    return collector_note(title=title, url=url, body=body, summary=summary, meta=META)


@pytest.fixture
def synced(run_cli, inbox, vault):
    """A vault exported from two inputs; returns a function that runs the export again."""
    write(inbox / "a.md", note())
    write(inbox / "b.md", note(title="Other", url="https://x/2"))
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    return lambda *extra: run_cli("export", inbox, "--vault", vault, *extra)


def mtimes(vault: Path) -> dict[str, int]:
    return {p.relative_to(vault).as_posix(): p.stat().st_mtime_ns for p in vault.rglob("*.md")
            if ".vault-export" not in p.parts}


def test_nothing_changed_writes_nothing(synced, vault):
    before = mtimes(vault)
    result = synced()
    assert set(result.statuses().values()) == {"unchanged"}
    assert mtimes(vault) == before


def test_a_changed_input_rewrites_its_note_and_daily_page_only(synced, inbox, vault):
    before = mtimes(vault)
    write(inbox / "a.md", note(body="<p>Brand new text.</p>"))
    result = synced()
    assert result.statuses() == {"a.md": "updated", "b.md": "unchanged"}
    after = mtimes(vault)
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {"Clippings/Post.md"}  # the daily page's links did not change
    assert "Brand new text." in (vault / "Clippings/Post.md").read_text("utf-8")


def test_edits_and_input_changes_that_do_not_overlap_are_merged(synced, inbox, vault):
    path = vault / "Clippings/Post.md"
    path.write_text(path.read_text("utf-8").replace("title: Post\n", "title: Post\nstatus: read\n")
                    + "\nMy own thoughts.\n", encoding="utf-8")
    write(inbox / "a.md", note(body=BODY.replace("First paragraph.", "First paragraph, revised.")))
    result = synced()
    assert result.statuses()["a.md"] == "updated"
    text = path.read_text("utf-8")
    assert "status: read" in text and "My own thoughts." in text and "First paragraph, revised." in text


def test_a_note_saved_with_crlf_merges_with_one_front_matter():
    base, ours = "---\ntitle: Post\n---\nOne.\n", "---\ntitle: New\n---\nOne.\n"
    assert merge_note(base, base.replace("\n", "\r\n"), ours) == "---\ntitle: New\n---\nOne.\r\n"


def test_notes_are_found_by_the_url_in_their_front_matter(tmp_path):
    assert front_matter(b"---\r\nurl: https://x/1\r\n---").get("url") == "https://x/1"
    assert front_matter(b"\n---\nurl: https://x/1\n---\n").get("url") is None
    long = ("---\nurl: https://x/1\nnote: " + "x" * 9000 + "\n---\n").encode()
    assert front_matter(long).get("url") is None  # it does not end within the head that is read


def test_overlapping_edits_keep_their_file_and_park_ours(synced, inbox, vault):
    path = vault / "Clippings/Post.md"
    edited = path.read_text("utf-8").replace("First paragraph.", "My rewrite of the first paragraph.")
    path.write_text(edited, encoding="utf-8")
    write(inbox / "a.md", note(body=BODY.replace("First paragraph.", "Upstream rewrite.")))
    result = synced()
    [item] = [item for item in result.report["items"] if item["status"] == "conflict"]
    assert item["output"] == "Clippings/Post.md" and ".vault-export/conflicts/Clippings/Post.md" in item["message"]
    assert path.read_text("utf-8") == edited
    assert "Upstream rewrite." in (vault / ".vault-export/conflicts/Clippings/Post.md").read_text("utf-8")
    assert synced().statuses()["a.md"] == "conflict"  # reported by every run until it is resolved


def test_on_conflict_keep_never_touches_an_edited_note(synced, inbox, vault):
    path = vault / "Clippings/Post.md"
    path.write_text(path.read_text("utf-8") + "\nmine\n", encoding="utf-8")
    edited = path.read_bytes()
    write(inbox / "a.md", note(body="<p>changed</p>"))
    assert synced("--on-conflict", "keep").statuses()["a.md"] == "skipped"
    assert path.read_bytes() == edited


def test_on_conflict_overwrite_saves_theirs_first(synced, inbox, vault):
    path = vault / "Clippings/Post.md"
    path.write_text(path.read_text("utf-8") + "\nmine\n", encoding="utf-8")
    write(inbox / "a.md", note(body="<p>changed</p>"))
    assert synced("--on-conflict", "overwrite").statuses()["a.md"] == "updated"
    assert "mine" not in path.read_text("utf-8") and "changed" in path.read_text("utf-8")
    [backup] = (vault / ".vault-export/backups/Clippings").glob("Post.*.md")  # timestamped
    assert "mine" in backup.read_text("utf-8")


def test_dry_run_writes_nothing_not_even_state(run_cli, inbox, vault):
    write(inbox / "a.md", note())
    result = run_cli("export", inbox, "--vault", vault, "--dry-run")
    assert result.statuses() == {"a.md": "created"} and not vault.exists()


def test_dry_run_on_a_synced_vault_reports_what_would_change(synced, inbox, vault):
    write(inbox / "a.md", note(body="<p>changed</p>"))
    state = (vault / ".vault-export/state.sqlite").read_bytes()
    before = mtimes(vault)
    assert synced("--dry-run").statuses() == {"a.md": "updated", "b.md": "unchanged"}
    assert mtimes(vault) == before and (vault / ".vault-export/state.sqlite").read_bytes() == state


def test_a_moved_note_is_updated_where_it_now_lives(synced, inbox, vault):
    (vault / "Reading").mkdir()
    shutil.move(vault / "Clippings/Post.md", vault / "Reading/My post.md")
    write(inbox / "a.md", note(body="<p>changed</p>"))
    result = synced()
    assert result.statuses()["a.md"] == "updated"
    assert "changed" in (vault / "Reading/My post.md").read_text("utf-8")
    assert not (vault / "Clippings/Post.md").exists()
    assert "[[My post|Post]]" in (vault / "Daily/2025-06-06.md").read_text("utf-8")


def test_a_deleted_note_stays_deleted_unless_restored(synced, vault):
    (vault / "Clippings/Post.md").unlink()
    assert synced().statuses()["a.md"] == "skipped"
    assert not (vault / "Clippings/Post.md").exists()
    assert "[[Post]]" not in (vault / "Daily/2025-06-06.md").read_text("utf-8")
    assert synced("--restore-deleted").statuses()["a.md"] == "created"
    assert (vault / "Clippings/Post.md").exists()


def test_a_restored_note_keeps_its_name_from_a_new_note_with_the_same_title(synced, inbox, vault):
    (vault / "Clippings/Post.md").unlink()
    write(inbox / "c.md", note(url="https://x/3", body="<p>A new post with the same title.</p>"))
    result = synced("--restore-deleted")
    items = {Path(item["input"]).name: item for item in result.report["items"]}
    assert (items["a.md"]["status"], items["a.md"]["output"]) == ("created", "Clippings/Post.md")
    assert (items["c.md"]["status"], items["c.md"]["output"]) == ("created", "Clippings/Post 2.md")
    assert "Third paragraph." in (vault / "Clippings/Post.md").read_text("utf-8")
    assert "A new post with the same title." in (vault / "Clippings/Post 2.md").read_text("utf-8")


def test_text_outside_the_daily_region_is_kept(synced, inbox, vault):
    page = vault / "Daily/2025-06-06.md"
    page.write_text("# My day\n\nWoke up early.\n\n" + page.read_text("utf-8") + "\nEvening notes.\n",
                    encoding="utf-8")
    write(inbox / "c.md", note(title="Third", url="https://x/3"))
    synced()
    text = page.read_text("utf-8")
    assert text.startswith("# My day\n\nWoke up early.\n\n%% vault-export:start %%")
    assert text.endswith("%% vault-export:end %%\n\nEvening notes.\n") and "[[Third]]" in text


def test_a_daily_note_without_markers_gets_the_region_appended(run_cli, inbox, vault):
    write(vault / "Daily/2025-06-06.md", "My own daily note.\n")
    write(inbox / "a.md", note())
    run_cli("export", inbox, "--vault", vault)
    text = (vault / "Daily/2025-06-06.md").read_text("utf-8")
    assert text.startswith("My own daily note.\n\n%% vault-export:start %%") and "[[Post]]" in text


@pytest.mark.parametrize("damage", ["delete", "corrupt"])
def test_lost_state_is_rebuilt_without_duplicates_or_lost_edits(synced, inbox, vault, damage):
    path = vault / "Clippings/Post.md"
    path.write_text(path.read_text("utf-8") + "\nmine\n", encoding="utf-8")
    edited = path.read_bytes()
    for file in (vault / ".vault-export").glob("state.sqlite*"):
        file.unlink() if damage == "delete" else file.write_bytes(b"this is not a database" * 100)
    result = synced()
    assert any("rebuilt" in warning for warning in result.report["warnings"])
    assert len(notes_in(vault)) == 2
    assert path.read_bytes() == edited
    assert result.statuses()["b.md"] == "unchanged"


def test_a_note_path_that_is_a_folder_fails_that_note_only(run_cli, inbox, vault):
    (vault / "Clippings/Post.md").mkdir(parents=True)
    write(inbox / "a.md", note())
    write(inbox / "b.md", note(title="Other", url="https://x/2"))
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 1
    assert result.statuses() == {"a.md": "failed", "b.md": "created"}
    assert "is a folder" in result.report["items"][0]["message"]


def test_a_symlink_out_of_the_vault_is_never_written_through(synced, inbox, vault, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("precious\n")
    (vault / "Clippings/Post.md").unlink()
    (vault / "Clippings/Post.md").symlink_to(outside)
    write(inbox / "a.md", note(body="<p>changed</p>"))
    result = synced()
    assert result.exit_code == 1 and result.statuses()["a.md"] == "failed"
    assert outside.read_text() == "precious\n"


def test_status_reports_notes_last_run_and_conflicts(synced, run_cli, inbox, vault):
    path = vault / "Clippings/Post.md"
    path.write_text(path.read_text("utf-8").replace("First paragraph.", "Mine."), encoding="utf-8")
    write(inbox / "a.md", note(body=BODY.replace("First paragraph.", "Theirs.")))
    synced()
    status = run_cli("status", "--vault", vault, "--json", report=False)
    data = json.loads(status.stdout)
    assert data["notes_tracked"] == 2 and data["open_conflicts"] == ["Clippings/Post.md"]
    assert data["last_run"]["summary"]["conflict"] == 1
    assert "open conflicts: 1" in run_cli("status", "--vault", vault, report=False).stdout


def test_status_takes_a_vault_path_relative_to_here(synced, run_cli, vault, monkeypatch):
    monkeypatch.chdir(vault.parent)
    status = run_cli("status", "--vault", vault.name, report=False)
    assert status.exit_code == 0 and "notes tracked: 2" in status.stdout


def test_each_run_leaves_a_bounded_log(synced, vault):
    for _ in range(3):
        synced()
    logs = sorted((vault / ".vault-export/log").glob("run-*.json"))
    assert 1 <= len(logs) <= 50
    assert json.loads(logs[-1].read_text())["summary"]["unchanged"] == 2


def test_a_deleted_daily_page_comes_back_and_others_are_not_rewritten(synced, vault):
    page = vault / "Daily/2025-06-06.md"
    text = page.read_text("utf-8")
    page.unlink()
    assert synced().report["daily_pages"] == ["Daily/2025-06-06.md"]
    assert page.read_text("utf-8") == text


def test_changed_daily_settings_rewrite_every_page(synced, run_cli, inbox, vault, tmp_path):
    config = write(tmp_path / "c.toml", '[daily]\nentry = "* {{ link }}"\n')
    result = run_cli("export", inbox, "--vault", vault, "--config", config)
    assert result.report["daily_pages"] == ["Daily/2025-06-06.md"]
    assert "* [[Post]]" in (vault / "Daily/2025-06-06.md").read_text("utf-8")


def test_a_folder_linked_out_of_the_vault_is_never_written_into(run_cli, inbox, vault, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    vault.mkdir()
    (vault / "Clippings").symlink_to(outside)
    write(inbox / "a.md", note())
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 1 and "outside the vault" in result.report["items"][0]["message"]
    assert list(outside.iterdir()) == []
