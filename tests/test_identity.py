"""Issue 13, "Sync a person can trust": a note is known by what its source says (an id, its URL, a
fingerprint), never by an input's path or a record's position; the vault's notes of an identity are
adopted at every run; deleted notes stay deleted when the state is lost."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
import zlib
from pathlib import Path

import pytest

from conftest import collector_note, notes_in, write
from vault_export.identity import normalize_url

STATE = Path(".vault-export/state.sqlite")


@pytest.mark.parametrize("saved, same_as", [
    ("http://example.com/post", "https://example.com/post"),  # http and https
    ("https://example.com/post/", "https://example.com/post"),  # a trailing slash
    ("https://example.com/", "https://example.com"),
    ("https://Example.COM:443/post", "https://example.com/post"),  # host case, the default port
    ("https://example.com/post?utm_source=rss&utm_medium=feed", "https://example.com/post"),
    ("https://example.com/post?fbclid=abc&gclid=def", "https://example.com/post"),
    ("https://example.com/item?id=7&utm_campaign=x", "https://example.com/item?id=7"),
    ("https://example.com/search?b=2&a=1", "https://example.com/search?a=1&b=2"),  # parameter order
    ("https://example.com/post#comments", "https://example.com/post"),  # a place in the page
    ("https://example.com/post?ref=news&msclkid=1&si=x", "https://example.com/post"),  # a referrer, a share id
    ("https://example.com/a//b/%7euser/%e4%b8%ad", "https://example.com/a/b/~user/%E4%B8%AD"),  # one spelling
    ("https://example.com/中?q=值", "https://example.com/%E4%B8%AD?q=%E5%80%BC"),  # escaped or not
    ("https://xn--r8jz45g.jp/post", "https://例え.jp/post"),  # a host in punycode or in Unicode
    ("https://arxiv.org/abs/2504.14522v2", "https://arxiv.org/abs/2504.14522"),  # arXiv versions
    ("http://arxiv.org/abs/2504.14522v3", "https://arxiv.org/abs/2504.14522"),
    ("https://arxiv.org/pdf/2504.14522v1.pdf", "https://arxiv.org/abs/2504.14522"),
    ("https://export.arxiv.org/abs/hep-th/9901001v2", "https://arxiv.org/abs/hep-th/9901001"),
])
def test_urls_that_name_the_same_thing_are_one(saved, same_as):
    assert normalize_url(saved) == normalize_url(same_as) == same_as


@pytest.mark.parametrize("one, other", [
    ("https://example.com/item?id=7", "https://example.com/item?id=8"),  # a parameter that names the page
    ("https://example.com/#/inbox", "https://example.com/#/sent"),  # a single-page app's route
    ("https://arxiv.org/abs/2504.14522", "https://arxiv.org/abs/2504.14523"),
    ("https://example.com/a", "https://example.org/a"),
    ("https://example.com/item?id=7&flag", "https://example.com/item?id=7"),  # a parameter without value
    ("https://example.com:8080/a", "https://example.com/a"),  # another port
])
def test_urls_that_name_different_things_stay_apart(one, other):
    assert normalize_url(one) != normalize_url(other)


def _records(path: Path, records: list[dict]) -> Path:
    return write(path, "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records))


def _memo(number: int, **fields) -> dict:
    return {"id": f"memo-{number}", "title": f"Memo {number}", "content": f"Text of memo {number}.",
            "saved_at": f"2025-06-0{number}T10:00:00Z", **fields}


def _texts(vault: Path) -> dict[str, str]:
    return {path.name: path.read_text("utf-8") for path in notes_in(vault)}


def _export(run_cli, vault: Path, *sources, expect: int = 0, **options):
    flags = [item for key, value in options.items()
             for item in (f"--{key.replace('_', '-')}", *([] if value is True else [value]))]
    result = run_cli("export", *sources, "--vault", vault, *flags)
    assert result.exit_code == expect, result.stderr
    return result


def _by_output(result) -> dict[str, str]:
    """note file name -> status, of the report's items that are not duplicates"""
    return {Path(item["output"]).name: item["status"] for item in result.report["items"]
            if item["output"] and item["status"] != "duplicate"}


def test_a_record_added_at_the_top_of_json_lines_is_a_new_note(run_cli, inbox, vault):
    memos = inbox / "memos.jsonl"
    _records(memos, [_memo(1), _memo(2)])
    _export(run_cli, vault, inbox)
    edited = vault / "Clippings/Memo 2.md"
    edited.write_text(edited.read_text("utf-8") + "\nMy own thought.\n", encoding="utf-8")
    _records(memos, [_memo(3), _memo(1), _memo(2)])
    result = _export(run_cli, vault, inbox)
    texts = _texts(vault)
    assert sorted(texts) == ["Memo 1.md", "Memo 2.md", "Memo 3.md"]
    assert "Text of memo 1." in texts["Memo 1.md"] and "Text of memo 3." in texts["Memo 3.md"]
    assert "Text of memo 2." in texts["Memo 2.md"] and "My own thought." in texts["Memo 2.md"]
    assert _by_output(result) == {"Memo 1.md": "unchanged", "Memo 2.md": "unchanged", "Memo 3.md": "created"}


def test_one_id_under_two_titles_in_two_inputs_is_one_note_and_a_warning(run_cli, inbox, vault):
    _records(inbox / "first.jsonl", [_memo(1)])
    _records(inbox / "second.jsonl", [_memo(1, title="Another memo", content="Another text.")])
    result = _export(run_cli, vault, inbox)
    assert len(notes_in(vault)) == 1
    [warning] = [text for text in result.report["warnings"] if "share the id" in text]
    assert "first.jsonl" in warning and "second.jsonl" in warning and "`identity`" in warning
    _records(inbox / "second.jsonl", [_memo(1)])  # the same record exported twice: no warning
    result = _export(run_cli, vault, inbox)
    assert not [text for text in result.report["warnings"] if "share the id" in text]


def test_records_without_an_id_or_url_keep_their_notes_when_one_is_added_before_them(run_cli, inbox, vault):
    memos = inbox / "memos.json"
    write(memos, json.dumps([_memo(1, id=None), _memo(2, id=None)]))
    _export(run_cli, vault, inbox)
    write(memos, json.dumps([_memo(3, id=None), _memo(1, id=None), _memo(2, id=None)]))
    result = _export(run_cli, vault, inbox)
    assert _by_output(result) == {"Memo 1.md": "unchanged", "Memo 2.md": "unchanged", "Memo 3.md": "created"}
    assert "Text of memo 3." in _texts(vault)["Memo 3.md"]


def test_the_identity_keys_are_configurable(run_cli, tmp_path, inbox, vault):
    config = write(tmp_path / "config.toml", 'identity = ["uuid"]\n')
    memos = inbox / "memos.jsonl"
    records = [_memo(n, id=None, uuid=f"u{n}", title="Same title", saved_at=None) for n in (1, 2)]
    _records(memos, records)
    _export(run_cli, vault, inbox, config=config)
    _records(memos, [{**records[1], "content": "Memo 2, revised."}, records[0]])
    result = _export(run_cli, vault, inbox, config=config)
    texts = _texts(vault)
    assert len(texts) == 2 and sorted(_by_output(result).values()) == ["unchanged", "updated"]
    assert sum("Memo 2, revised." in text for text in texts.values()) == 1
    assert sum("Text of memo 1." in text for text in texts.values()) == 1


def test_changing_the_identity_keys_keeps_every_note(run_cli, tmp_path, inbox, vault):
    _records(inbox / "memos.jsonl", [_memo(n, uuid=f"u{n}") for n in (1, 2)])
    _export(run_cli, vault, inbox)
    config = write(tmp_path / "config.toml", 'identity = ["uuid"]\n')
    result = _export(run_cli, vault, inbox, config=config)
    assert sorted(_texts(vault)) == ["Memo 1.md", "Memo 2.md"]
    assert set(_by_output(result).values()) == {"unchanged"}


def test_a_markdown_input_moved_into_a_subfolder_is_the_same_note(run_cli, inbox, vault):
    clip = write(inbox / "clip.md", "---\ntitle: A clip\nsource: https://example.com/clip\n---\nThe clip.\n")
    _export(run_cli, vault, inbox)
    (inbox / "2025").mkdir()
    clip.rename(inbox / "2025/clip.md")
    result = _export(run_cli, vault, inbox)
    assert list(_texts(vault)) == ["A clip.md"] and _by_output(result) == {"A clip.md": "unchanged"}


def test_a_note_without_url_or_id_keeps_its_note_when_moved_and_edited(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(url=None))
    _export(run_cli, vault, inbox)
    (inbox / "a.md").unlink()
    write(inbox / "old/a.md", collector_note(url=None, body="<p>Hello again</p>"))
    result = _export(run_cli, vault, inbox)
    texts = _texts(vault)
    assert list(texts) == ["A saved post.md"] and "Hello again" in texts["A saved post.md"]
    assert _by_output(result) == {"A saved post.md": "updated"}


def test_arxiv_versions_are_one_note_with_the_latest_content_and_the_first_date(run_cli, inbox, vault):
    write(inbox / "v2.md", collector_note(title="Paper v2", url="https://arxiv.org/abs/2504.14522v2",
                                          meta={"保存时间": "2025-06-01T10:00:00Z"}))
    _export(run_cli, vault, inbox)
    write(inbox / "v3.md", collector_note(title="Paper v3", url="http://arxiv.org/abs/2504.14522v3",
                                          meta={"保存时间": "2025-06-09T10:00:00Z"}))
    result = _export(run_cli, vault, inbox)
    [note] = notes_in(vault)
    text = note.read_text("utf-8")
    assert "title: Paper v3" in text and "created: 2025-06-01" in text
    assert sorted(item["status"] for item in result.report["items"]) == ["duplicate", "updated"]
    assert "2025-06-09" not in " ".join(path.name for path in (vault / "Daily").glob("*.md"))


def test_saves_of_one_page_under_different_urls_are_one_note(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(title="First", url="http://example.com/page/?utm_source=weibo",
                                         meta={"保存时间": "2025-06-01T10:00:00Z"}))
    write(inbox / "b.md", collector_note(title="Second", url="https://example.com/page#comments",
                                         meta={"保存时间": "2025-06-02T10:00:00Z"}))
    result = _export(run_cli, vault, inbox)
    [note] = notes_in(vault)
    assert "title: Second" in note.read_text("utf-8")
    assert result.statuses() == {"a.md": "duplicate", "b.md": "created"}


def test_a_second_device_adopts_the_notes_the_first_one_wrote(run_cli, tmp_path, inbox, vault):
    """Two devices share a vault (Syncthing, git): each has its own state; neither duplicates the other's notes."""
    write(inbox / "mine.md", collector_note(title="Mine", url="https://example.com/mine"))
    _export(run_cli, vault, inbox)
    device_b = tmp_path / "device-b-state"
    shutil.copytree(vault / ".vault-export", device_b)
    write(inbox / "theirs.md", collector_note(title="Theirs", url="https://example.com/theirs"))
    write(inbox / "plain.md", collector_note(title="Plain", url=None))
    _export(run_cli, vault, inbox)  # device A writes two notes that device B's state does not know
    shutil.rmtree(vault / ".vault-export")
    shutil.copytree(device_b, vault / ".vault-export")
    result = _export(run_cli, vault, inbox)
    assert sorted(_texts(vault)) == ["Mine.md", "Plain.md", "Theirs.md"]
    assert set(_by_output(result).values()) == {"unchanged"}
    assert set(_by_output(_export(run_cli, vault, inbox)).values()) == {"unchanged"}


def test_a_web_clipper_note_of_the_same_url_is_adopted_not_duplicated(run_cli, inbox, vault):
    write(inbox / "other.md", collector_note(title="Other", url="https://example.com/other"))
    _export(run_cli, vault, inbox)  # the state is not lost: the clipped note is adopted all the same
    clipped = write(vault / "Clippings/Clipped by hand.md",
                    "---\ntitle: Clipped\nsource: https://example.com/post/\ntags:\n  - clippings\n---\nMy clip.\n")
    write(inbox / "post.md", collector_note(title="Post", url="http://example.com/post?utm_source=feed"))
    result = _export(run_cli, vault, inbox, expect=3)
    assert sorted(_texts(vault)) == ["Clipped by hand.md", "Other.md"]
    assert clipped.read_text("utf-8").endswith("My clip.\n")  # the person's note is kept as it is
    assert _by_output(result)["Clipped by hand.md"] == "conflict"


def _age_folders(vault: Path) -> None:
    """Make every folder of the vault look an hour old, as it does to a run long after the last:
    the run keeps their listings, instead of listing again a folder that may still be changing."""
    hour_ago = time.time_ns() - 3600 * 10**9
    for folder in [vault, *(path for path in vault.rglob("*") if path.is_dir())]:
        os.utime(folder, ns=(hour_ago, hour_ago))


def test_a_note_saved_into_a_folder_whose_listing_is_kept_is_adopted(run_cli, inbox, vault, monkeypatch):
    write(inbox / "other.md", collector_note(title="Other", url="https://example.com/other"))
    _export(run_cli, vault, inbox)
    _age_folders(vault)
    write(inbox / "new.md", collector_note(title="New", url="https://example.com/new"))
    _export(run_cli, vault, inbox)  # lists the vault for the new note, and keeps the listings
    listed = []  # the vault's folders listed, its state's left out
    scandir = os.scandir

    def listing(path):
        if ".vault-export" not in str(path) and Path(path).is_relative_to(vault):
            listed.append(Path(path).relative_to(vault).as_posix())
        return scandir(path)
    monkeypatch.setattr(os, "scandir", listing)
    write(vault / "Clippings/From another device/Clipped.md", "---\nsource: https://example.com/post\n---\nMy clip.\n")
    write(inbox / "post.md", collector_note(title="Post", url="https://example.com/post"))
    result = _export(run_cli, vault, inbox, expect=3)
    # The folders that changed are listed again; the vault's own folder, unchanged, is not.
    assert sorted(listed) == ["Clippings", "Clippings/From another device", "Daily"]
    assert sorted(path.name for path in (vault / "Clippings").rglob("*.md")) == ["Clipped.md", "New.md", "Other.md"]
    assert _by_output(result)["Clipped.md"] == "conflict"  # adopted: the clip differs from the post


def test_a_deleted_note_stays_deleted_when_the_state_is_lost(run_cli, inbox, vault):
    write(inbox / "keep.md", collector_note(title="Keep", url="https://example.com/keep"))
    write(inbox / "gone.md", collector_note(title="Gone", url="https://example.com/gone"))
    write(inbox / "plain.md", collector_note(title="Plain", url=None))
    _export(run_cli, vault, inbox)
    (vault / "Clippings/Gone.md").unlink()
    (vault / "Clippings/Plain.md").unlink()
    _export(run_cli, vault, inbox)
    (vault / STATE).unlink()
    result = _export(run_cli, vault, inbox)
    assert sorted(_texts(vault)) == ["Keep.md"]
    assert _by_output(result) == {"Keep.md": "unchanged", "Gone.md": "skipped", "Plain.md": "skipped"}
    _export(run_cli, vault, inbox, restore_deleted=True)
    assert sorted(_texts(vault)) == ["Gone.md", "Keep.md", "Plain.md"]
    (vault / STATE).unlink()  # restored, they are no longer remembered as deleted
    assert set(_by_output(_export(run_cli, vault, inbox)).values()) == {"unchanged"}


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title><link>https://example.com/</link>
<item><title>Entry</title><link>https://example.com/entry/</link><guid isPermaLink="false">entry-7</guid>
<description>The entry.</description><pubDate>Fri, 06 Jun 2025 10:00:00 GMT</pubDate></item>
</channel></rss>
"""


def test_a_deleted_note_the_person_brings_back_is_synced_again(run_cli, inbox, vault):
    write(inbox / "gone.md", collector_note(title="Gone", url="https://example.com/gone"))
    _export(run_cli, vault, inbox)
    note = vault / "Clippings/Gone.md"
    kept = note.read_text("utf-8")
    note.unlink()
    _export(run_cli, vault, inbox)
    write(vault / "Restored/Gone.md", kept)  # out of Obsidian's trash, into another folder
    (vault / STATE).unlink()
    result = _export(run_cli, vault, inbox)
    assert _by_output(result) == {"Gone.md": "unchanged"} and (vault / "Restored/Gone.md").read_text("utf-8") == kept
    assert not (vault / "Clippings/Gone.md").exists()


def _as_an_older_version_left_it(vault: Path, legacy: dict[str, str], strip_id: set[str]) -> None:
    """The state as the previous version kept it: notes known by their URL as saved or by where
    they came from (`legacy`: note file name -> old identity), no identity scheme, no `id`
    property in the notes of `strip_id`."""
    db = sqlite3.connect(vault / STATE)
    with db:
        for identity, path in db.execute("SELECT identity, path FROM notes").fetchall():
            name, file = Path(path).name, vault / path
            if name in strip_id:
                text = "".join(line for line in file.read_text("utf-8").splitlines(keepends=True)
                               if not line.startswith("id: "))
                file.write_text(text, encoding="utf-8")
                stat = file.stat()
                db.execute("UPDATE notes SET written_text = ?, written_hash = ?, size = ?, mtime_ns = ?"
                           " WHERE identity = ?", (zlib.compress(text.encode()),
                                                   hashlib.sha256(text.encode()).hexdigest(),
                                                   stat.st_size, stat.st_mtime_ns, identity))
            # An older version rendered the notes under other settings: each is rendered again.
            db.execute("UPDATE notes SET identity = ?, render_key = 'older' WHERE identity = ?",
                       (legacy[name], identity))
        db.execute("DELETE FROM meta WHERE key = 'identity_scheme'")
    db.close()


def test_a_vault_synced_by_the_previous_version_is_neither_duplicated_nor_written_again(run_cli, inbox, vault):
    tracked_url = "http://example.com/post/?utm_source=rss"
    write(inbox / "post.md", collector_note(title="Post", url=tracked_url))
    plain = write(inbox / "plain.md", collector_note(title="Plain", url=None))
    memos = _records(inbox / "memos.jsonl", [_memo(1), _memo(2, url="https://example.com/memo-2")])
    write(inbox / "feed.xml", RSS)
    _export(run_cli, vault, inbox)
    _as_an_older_version_left_it(vault, {"Post.md": tracked_url, "Plain.md": str(plain),
                                         "Memo 1.md": f"{memos}#1", "Memo 2.md": "https://example.com/memo-2",
                                         "Entry.md": "https://example.com/entry/"},
                                 strip_id={"Plain.md", "Entry.md"})
    edited = vault / "Clippings/Plain.md"
    edited.write_text(edited.read_text("utf-8") + "\nMy own thought.\n", encoding="utf-8")
    _records(memos, [_memo(3), _memo(1), _memo(2, url="https://example.com/memo-2")])  # a record at the top
    result = _export(run_cli, vault, inbox)
    texts = _texts(vault)
    assert sorted(texts) == ["Entry.md", "Memo 1.md", "Memo 2.md", "Memo 3.md", "Plain.md", "Post.md"]
    assert _by_output(result) == {"Post.md": "unchanged", "Plain.md": "updated", "Memo 1.md": "unchanged",
                                  "Memo 2.md": "unchanged", "Memo 3.md": "created", "Entry.md": "updated"}
    assert "id: entry-7" in texts["Entry.md"]  # the feed entry is known by its id from now on
    assert "id: " in texts["Plain.md"] and "My own thought." in texts["Plain.md"]  # merged, no conflict
    assert "Text of memo 1." in texts["Memo 1.md"]
    assert set(_by_output(_export(run_cli, vault, inbox)).values()) == {"unchanged"}
