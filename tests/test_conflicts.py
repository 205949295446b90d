"""Conflicts a person sees: counted by every run until resolved, shown in the vault, resolvable."""
import os
import re
import subprocess
import sys

import pytest

from conftest import collector_note, write

META = {"来源": "Weibo", "保存时间": "2025-06-06T01:00:00Z", "目录日期": "2025-06-06"}
BODY = "<p>First paragraph.</p><p>Second paragraph.</p><p>Third paragraph.</p>"
CONFLICT_NOTE = "vault-export conflicts/Clippings/Post (conflict).md"


def note(body=BODY):
    return collector_note(title="Post", url="https://x/1", body=body, summary="Summary.", meta=META)


@pytest.fixture
def conflicted(run_cli, inbox, vault):
    """A vault whose note Clippings/Post.md the person and the input changed in the same lines;
    returns a function that runs the export again."""
    write(inbox / "a.md", note())
    write(inbox / "b.md", collector_note(title="Other", url="https://x/2", meta=META))
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    path = vault / "Clippings/Post.md"
    path.write_text(path.read_text("utf-8").replace("First paragraph.", "Mine."), encoding="utf-8")
    write(inbox / "a.md", note(BODY.replace("First paragraph.", "Theirs.")))
    return lambda *extra: run_cli("export", inbox, "--vault", vault, *extra)


def cron(inbox, vault, *extra):
    """The export as cron runs it: a process of its own, --quiet."""
    env = {**os.environ, "TZ": "Asia/Shanghai"}
    return subprocess.run([sys.executable, "-m", "vault_export", "export", str(inbox), "--vault", str(vault),
                           "--quiet", *extra], capture_output=True, text=True, env=env)


def test_under_cron_a_conflict_exits_3_with_one_line_on_stderr(conflicted, inbox, vault):
    for _ in range(2):  # the run that finds it, and the next, while it is still open
        done = cron(inbox, vault)
        assert done.returncode == 3 and done.stdout == ""
        assert done.stderr.splitlines() == [
            "vault-export: 1 open conflict: see the notes in vault-export conflicts/ in the vault"]


def test_the_conflict_note_shows_both_versions_and_links_to_the_note(conflicted, vault):
    result = conflicted()
    assert result.exit_code == 3 and result.report["summary"]["conflict"] == 1
    text = (vault / CONFLICT_NOTE).read_text("utf-8")
    [link] = set(re.findall(r"\[\[([^]|#]+)\]\]", text))
    assert (vault / f"{link}.md").is_file() and link == "Clippings/Post"
    block = re.search(r"^```text\n(.*?)^```$", text, re.S | re.M).group(1)
    assert re.search(r"<<<<<<< in the vault\n.*Mine\..*\n=======\n.*Theirs\..*\n>>>>>>> from the input\n",
                     block, re.S)
    assert "Mine." in (vault / "Clippings/Post.md").read_text("utf-8")


def test_an_open_conflict_is_reported_by_every_run(conflicted, vault):
    conflicted()
    again = conflicted()
    assert again.exit_code == 3 and again.statuses()["a.md"] == "conflict"
    assert again.report["summary"]["conflict"] == 1 and again.statuses()["b.md"] == "unchanged"
    assert (vault / CONFLICT_NOTE).is_file()


def test_the_conflict_note_is_not_taken_for_a_note(conflicted, vault):
    conflicted()
    (vault / "Clippings/Post.md").unlink()  # the person deletes the note: it is not found in the conflicts
    result = conflicted()
    assert result.statuses()["a.md"] == "skipped" and result.exit_code == 0
    assert not (vault / CONFLICT_NOTE).exists()


def test_overwrite_resolves_an_open_conflict_and_keeps_a_backup(conflicted, vault):
    conflicted()
    result = conflicted("--on-conflict", "overwrite")
    assert result.exit_code == 0 and result.statuses()["a.md"] == "updated"
    text = (vault / "Clippings/Post.md").read_text("utf-8")
    assert "Theirs." in text and "Mine." not in text
    [backup] = (vault / ".vault-export/backups/Clippings").glob("Post.*.md")
    assert "Mine." in backup.read_text("utf-8")
    assert not (vault / CONFLICT_NOTE).exists() and not (vault / ".vault-export/conflicts/Clippings/Post.md").exists()
    assert conflicted().exit_code == 0 and conflicted().statuses()["a.md"] == "unchanged"


def test_keep_resolves_an_open_conflict_with_their_version(conflicted, vault):
    conflicted()
    mine = (vault / "Clippings/Post.md").read_bytes()
    result = conflicted("--on-conflict", "keep")
    assert result.exit_code == 0 and result.statuses()["a.md"] == "skipped"
    assert (vault / "Clippings/Post.md").read_bytes() == mine and not (vault / CONFLICT_NOTE).exists()
    later = conflicted()
    assert later.exit_code == 0 and later.statuses()["a.md"] == "unchanged"


def test_deleting_the_conflict_note_resolves_it(conflicted, vault):
    conflicted()
    mine = (vault / "Clippings/Post.md").read_bytes()
    (vault / CONFLICT_NOTE).unlink()
    result = conflicted()
    assert result.exit_code == 0 and result.statuses()["a.md"] == "unchanged"
    assert (vault / "Clippings/Post.md").read_bytes() == mine
    assert not (vault / "vault-export conflicts").exists()
    assert conflicted().statuses()["a.md"] == "unchanged"


def test_taking_the_new_version_by_hand_resolves_it(conflicted, vault):
    conflicted()
    ours = (vault / ".vault-export/conflicts/Clippings/Post.md").read_bytes()
    (vault / "Clippings/Post.md").write_bytes(ours)
    assert conflicted().exit_code == 0 and not (vault / CONFLICT_NOTE).exists()


def test_failures_take_precedence_over_conflicts(conflicted, inbox, vault):
    conflicted()
    write(inbox / "broken.json", "{not json")
    result = conflicted()
    assert result.statuses()["a.md"] == "conflict" and result.exit_code == 1


def test_backups_never_overwrite_an_earlier_one(run_cli, inbox, vault):
    write(inbox / "a.md", note())
    export = lambda: run_cli("export", inbox, "--vault", vault, "--on-conflict", "overwrite")  # noqa: E731
    assert export().exit_code == 0
    path = vault / "Clippings/Post.md"
    for edit, body in (("first edit", "<p>one</p>"), ("second edit", "<p>two</p>")):
        path.write_text(path.read_text("utf-8") + f"\n{edit}\n", encoding="utf-8")
        write(inbox / "a.md", note(body))
        assert export().statuses()["a.md"] == "updated"
    backups = sorted((vault / ".vault-export/backups/Clippings").glob("Post.*.md"))
    assert len(backups) == 2
    assert {"first edit", "second edit"} == {edit for backup in backups for edit in ("first edit", "second edit")
                                             if edit in backup.read_text("utf-8")}


def test_a_vault_with_a_conflict_note_passes_markdownlint(conflicted, vault):
    from support.node_tools import markdownlint

    conflicted()
    assert (vault / CONFLICT_NOTE).is_file() and markdownlint(vault) == []
