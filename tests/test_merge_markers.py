"""Inputs left with unresolved merge conflicts: the current side is exported, the markers and the
other side are not, and every run warns, naming the file, until the conflict is resolved."""
import json

from conftest import collector_note, notes_in, write

CONFLICT = "<<<<<<< HEAD\n{current}\n=======\n{other}\n>>>>>>> origin/main"


def conflicted(current: str, other: str) -> str:
    return CONFLICT.format(current=current, other=other)


def warnings_about(result, name: str) -> list[str]:
    return [warning for warning in result.report["warnings"] if name in warning]


def test_collector_note_exports_the_current_side_and_warns(run_cli, inbox, vault):
    body = conflicted("<p>Current <b>text</b>.</p>", "<p>Other text.</p>")
    write(inbox / "post.md", collector_note(body=body, summary=None))
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 0
    assert result.statuses() == {"post.md": "created"}
    [note] = notes_in(vault)
    text = note.read_text("utf-8")
    assert "Current **text**." in text
    assert "Other" not in text and "<<<<<<<" not in text and "=======" not in text and ">>>>>>>" not in text
    [warning] = warnings_about(result, "post.md")
    assert "merge conflict" in warning
    assert f"warning: {warning}" in result.stderr


def test_every_run_warns_until_the_file_is_resolved(run_cli, inbox, vault):
    path = write(inbox / "post.md", collector_note(body=conflicted("<p>Mine</p>", "<p>Theirs</p>")))
    run_cli("export", inbox, "--vault", vault)
    again = run_cli("export", inbox, "--vault", vault)
    assert again.statuses() == {"post.md": "unchanged"}
    assert warnings_about(again, "post.md")
    write(path, collector_note(body="<p>Mine</p>"))
    resolved = run_cli("export", inbox, "--vault", vault)
    assert resolved.statuses() == {"post.md": "unchanged"}
    assert resolved.report["warnings"] == []


def test_conflicts_across_sections_and_in_diff3_style(run_cli, inbox, vault):
    text = collector_note(body="<p>Body</p>", summary=None, meta={"来源": "SOURCE", "标签": "TAGS"})
    text = text.replace("- **来源**: SOURCE", conflicted("- **来源**: Mine", "- **来源**: Theirs"))
    text = text.replace("- **标签**: TAGS", "<<<<<<< ours\n- **标签**: kept\n||||||| base\n- **标签**: old\n"
                                            "=======\n- **标签**: dropped\n>>>>>>> theirs")
    write(inbox / "post.md", text)
    result = run_cli("export", inbox, "--vault", vault)
    [note] = notes_in(vault)
    front_matter = note.read_text("utf-8").split("\n---\n")[0]
    assert "source: Mine" in front_matter and "kept" in front_matter
    assert "Theirs" not in front_matter and "old" not in front_matter and "dropped" not in front_matter
    [warning] = warnings_about(result, "post.md")
    assert "2 unresolved merge conflicts" in warning


def test_a_conflict_in_the_title_line_is_still_a_collector_note(run_cli, inbox, vault):
    text = collector_note(title="TITLE", url=None, body="<p>Body</p>", summary=None)
    write(inbox / "post.md", text.replace("# TITLE", conflicted("# Current title", "# Other title")))
    result = run_cli("export", inbox, "--vault", vault)
    [note] = notes_in(vault)
    assert note.stem == "Current title"
    assert "source: Weibo" in note.read_text("utf-8") and "元数据" not in note.read_text("utf-8")
    assert warnings_about(result, "post.md")


def test_markdown_note(run_cli, inbox, vault):
    write(inbox / "clip.md", "---\ntitle: Clip\n---\n\n" + conflicted("Current line.", "Other line.") + "\n")
    result = run_cli("export", inbox, "--vault", vault)
    [note] = notes_in(vault)
    assert "Current line." in note.read_text("utf-8") and "Other line." not in note.read_text("utf-8")
    assert warnings_about(result, "clip.md")


def test_json_records_are_read_after_the_conflict_is_resolved(run_cli, inbox, vault):
    records = ('[\n{"title": "One", "html": "<p>1</p>"},\n'
               + conflicted('{"title": "Two", "html": "<p>mine</p>"}', '{"title": "Two", "html": "<p>theirs</p>"},\n'
                            '{"title": "Three", "html": "<p>3</p>"}') + "\n]")
    write(inbox / "records.json", records)
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 0
    assert [note.stem for note in notes_in(vault)] == ["One", "Two"]
    assert "mine" in (vault / "Clippings" / "Two.md").read_text("utf-8")
    assert len(warnings_about(result, "records.json")) == 1


def test_lines_that_only_look_like_markers_are_left_alone(run_cli, inbox, vault):
    body = "Heading\n=======\n\nText\n<<<<<<< never closed\nmore\n\n>>>>>>>> eight"
    write(inbox / "clip.md", "---\ntitle: Clip\n---\n\n" + body + "\n")
    result = run_cli("export", inbox, "--vault", vault)
    [note] = notes_in(vault)
    assert note.read_text("utf-8").endswith(body + "\n")
    assert result.report["warnings"] == []


def test_markers_in_fenced_code_are_an_example_not_a_conflict(run_cli, inbox, vault):
    body = "How a conflict looks:\n\n```text\n" + conflicted("mine", "theirs") + "\n```"
    write(inbox / "clip.md", "---\ntitle: Clip\n---\n\n" + body + "\n")
    result = run_cli("export", inbox, "--vault", vault)
    [note] = notes_in(vault)
    assert note.read_text("utf-8").endswith(body + "\n")
    assert result.report["warnings"] == []


def test_the_report_file_lists_the_warning(run_cli, inbox, vault, tmp_path):
    write(inbox / "post.md", collector_note(body=conflicted("<p>a</p>", "<p>b</p>")))
    run_cli("export", inbox, "--vault", vault, "--report", tmp_path / "report.json", report=False)
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert any("post.md" in warning and "merge conflict" in warning for warning in report["warnings"])
    assert report["summary"]["created"] == 1
