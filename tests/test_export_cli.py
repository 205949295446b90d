"""The export command end to end: exit codes, report, summary, duplicates, determinism."""
import json
import os
from pathlib import Path

import yaml

from conftest import collector_note, notes_in, write
from support.vault_reader import unresolved_wikilinks


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def test_a_note_gets_properties_in_order_and_a_daily_page(run_cli, inbox, vault):
    write(inbox / "2025-06-06" / "a.md", collector_note(
        title="#话题一#Hello world...", body='<a href="https://m.weibo.cn/search?containerid=1">'
        '<span class="surl-text">#话题一#</span></a>正文', meta={
            "来源": "Weibo", "类型": "微博", "保存时间": "2025-06-06T11:03:32Z", "目录日期": "2025-06-06",
            "作者": "张三"}))
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 0, result.stderr
    [note] = notes_in(vault)
    assert note.name == "Hello world.md"
    properties = front_matter(note)
    assert list(properties) == ["title", "aliases", "url", "site", "source", "type", "created", "date", "tags",
                                "作者"]
    assert properties["title"] == "#话题一#Hello world..."
    assert properties["aliases"] == ["#话题一#Hello world..."]  # the file name shows less of it
    assert (properties["site"], properties["source"]) == ("微博", "Weibo")
    assert properties["created"].isoformat() == "2025-06-06T19:03:32"  # Asia/Shanghai, no offset
    assert properties["date"].isoformat() == "2025-06-06"
    assert properties["tags"] == ["话题一"]
    assert "[[Hello world]]" in (vault / "Daily" / "2025-06-06.md").read_text("utf-8")
    assert unresolved_wikilinks(vault) == []


def test_summary_callout_comes_before_the_body(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(body="<p>The body.</p>", summary="First line.\nSecond line."))
    run_cli("export", inbox, "--vault", vault)
    body = notes_in(vault)[0].read_text("utf-8").split("---\n", 2)[2]
    assert body.startswith("\n> [!summary]\n> First line.")
    assert body.index("[!summary]") < body.index("The body.")
    assert body.endswith("The body.\n") and not body.endswith("\n\n")


def test_failed_inputs_are_reported_and_the_rest_exported(run_cli, inbox, vault):
    write(inbox / "good.md", collector_note())
    write(inbox / "empty.md", "")
    (inbox / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    write(inbox / "untitled.txt", "no heading\n\nbody\n")
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 1
    assert result.statuses() == {"good.md": "created", "empty.md": "failed", "binary.txt": "failed",
                                 "untitled.txt": "failed"}
    messages = {Path(item["input"]).name: item["message"] for item in result.report["items"]}
    assert "empty file" in messages["empty.md"] and "binary" in messages["binary.txt"]
    assert "no title" in messages["untitled.txt"]
    assert "empty.md: empty file" in result.stderr
    assert len(notes_in(vault)) == 1


def test_report_has_items_and_summary(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note())
    result = run_cli("export", inbox, "--vault", vault)
    [item] = result.report["items"]
    assert item == {"input": str(inbox / "a.md"), "status": "created", "output": "Clippings/A saved post.md",
                    "message": None}
    assert result.report["summary"]["created"] == 1 and result.report["summary"]["failed"] == 0


def test_a_report_replaces_the_last_one_whole(run_cli, inbox, vault, tmp_path):
    write(inbox / "a.md", collector_note())
    report = tmp_path / "reports" / "run.json"
    report.parent.mkdir()
    report.write_text("the last run's report", "utf-8")
    held = report.open()  # what a script reading the last report holds
    assert run_cli("export", inbox, "--vault", vault, "--report", report, report=False).exit_code == 0
    assert held.read() == "the last run's report"  # renamed over, never truncated while it is read
    assert json.loads(report.read_text("utf-8"))["summary"]["created"] == 1
    assert [path.name for path in report.parent.iterdir()] == ["run.json"]


def test_a_report_path_that_cannot_be_written_is_a_usage_error_before_the_run(run_cli, inbox, vault, tmp_path):
    write(inbox / "a.md", collector_note())
    for report, reason in ((tmp_path / "missing" / "run.json", f"has no folder {tmp_path / 'missing'}"),
                           (tmp_path, "is a folder")):
        result = run_cli("export", inbox, "--vault", vault, "--report", report, report=False)
        assert (result.exit_code, result.stderr) == (2, f"vault-export: {report}: the report path {reason}\n")
    assert not vault.exists()


def test_a_report_that_fails_to_be_written_fails_the_run_after_it(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note())
    report = Path("/proc/vault-export-report.json")  # a folder nobody can create a file in, even root
    result = run_cli("export", inbox, "--vault", vault, "--report", report, "--quiet", report=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"vault-export: {report}: cannot write the report: ")
    assert len(notes_in(vault)) == 1  # the notes are written all the same


def test_usage_errors_exit_2(run_cli, tmp_path, vault):
    assert run_cli("export", tmp_path / "missing", "--vault", vault).exit_code == 2
    assert run_cli("export", tmp_path).exit_code == 2  # no --vault


def test_quiet_prints_nothing_on_success_and_only_failures_otherwise(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note())
    quiet = run_cli("export", inbox, "--vault", vault, "--quiet")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    write(inbox / "b.md", "")
    failing = run_cli("export", inbox, "--vault", vault, "--quiet")
    assert failing.exit_code == 1 and failing.stdout == "" and "b.md: empty file" in failing.stderr


def test_summary_counts_each_status(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note())
    result = run_cli("export", inbox, "--vault", vault)
    assert "1 created" in result.stdout


def test_hidden_and_foreign_files_are_ignored(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note())
    write(inbox / ".hidden.md", collector_note(url="https://x/1"))
    write(inbox / ".git" / "b.md", collector_note(url="https://x/2"))
    (inbox / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 0 and list(result.statuses()) == ["a.md"]


def test_a_vault_inside_the_source_is_not_read_back(run_cli, inbox):
    write(inbox / "a.md", collector_note())
    run_cli("export", inbox, "--vault", inbox / "vault")
    again = run_cli("export", inbox, "--vault", inbox / "vault")
    assert list(again.statuses()) == ["a.md"]


def test_a_resaved_url_is_one_note_with_the_first_date_and_latest_content(run_cli, inbox, vault):
    url = "https://weibo.com/1/same"
    meta = lambda day, time: {"来源": "Weibo", "保存时间": f"{day}T{time}Z", "目录日期": day}  # noqa: E731
    write(inbox / "2025-06-08" / "late.md", collector_note(title="Later title", url=url, body="<p>new</p>",
                                                           meta=meta("2025-06-08", "01:00:00")))
    write(inbox / "2025-06-06" / "early.md", collector_note(title="Early title", url=url, body="<p>old</p>",
                                                            meta=meta("2025-06-06", "01:00:00")))
    result = run_cli("export", inbox, "--vault", vault)
    assert result.statuses() == {"early.md": "duplicate", "late.md": "created"}
    [note] = notes_in(vault)
    properties = front_matter(note)
    assert (properties["title"], str(properties["date"])) == ("Later title", "2025-06-06")
    assert "new" in note.read_text("utf-8") and "old" not in note.read_text("utf-8")
    assert sorted(p.name for p in (vault / "Daily").iterdir()) == ["2025-06-06.md"]


def test_names_are_unique_case_insensitively_and_links_resolve(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(title="Hello", url="https://x/1"))
    write(inbox / "b.md", collector_note(title="hello", url="https://x/2"))
    write(inbox / "c.md", collector_note(title="2025-06-06", url="https://x/3"))  # same name as the daily page
    run_cli("export", inbox, "--vault", vault)
    names = sorted(path.name.casefold() for path in vault.rglob("*.md"))
    assert len(names) == len(set(names)) == 4
    assert unresolved_wikilinks(vault) == []


def test_the_result_does_not_depend_on_the_order_inputs_are_found(run_cli, tmp_path):
    notes = [collector_note(title="Same title", url=f"https://x/{i}",
                            meta={"保存时间": "2025-06-06T01:00:00Z", "目录日期": "2025-06-06"}) for i in range(4)]
    first, second = tmp_path / "one", tmp_path / "two"
    for index, text in enumerate(notes):
        write(first / f"{index}.md", text)
        write(second / f"{9 - index}.md", text)
    run_cli("export", first, "--vault", tmp_path / "v1")
    run_cli("export", second, "--vault", tmp_path / "v2")
    assert _tree(tmp_path / "v1") == _tree(tmp_path / "v2")


def test_a_second_run_changes_nothing(run_cli, inbox, vault):
    for index in range(3):
        write(inbox / f"{index}.md", collector_note(title=f"Note {index}", url=f"https://x/{index}"))
    run_cli("export", inbox, "--vault", vault)
    before = {path: path.stat().st_mtime_ns for path in vault.rglob("*.md")}
    again = run_cli("export", inbox, "--vault", vault)
    assert set(again.statuses().values()) == {"unchanged"}
    assert {path: path.stat().st_mtime_ns for path in vault.rglob("*.md")} == before


def _tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and ".vault-export" not in path.parts}


def test_worker_processes_do_not_change_a_byte(run_cli, tmp_path):
    for index in range(150):  # enough notes for the process pool to start
        write(tmp_path / "in" / f"{index}.md", collector_note(
            title=f"Note {index % 40}", url=f"https://x/{index}", body=f"<p>Body <b>{index}</b></p>"))
    write(tmp_path / "in" / "empty.md", "")
    one = run_cli("export", tmp_path / "in", "--vault", tmp_path / "one", "--jobs", "1")
    four = run_cli("export", tmp_path / "in", "--vault", tmp_path / "four", "--jobs", "4")
    assert one.exit_code == four.exit_code == 1
    assert one.report["items"] == four.report["items"] and four.statuses()["empty.md"] == "failed"
    assert _tree(tmp_path / "one") == _tree(tmp_path / "four")


def test_a_named_pipe_among_the_inputs_fails_alone_instead_of_waiting(run_cli, inbox, vault):
    write(inbox / "good.md", collector_note())
    os.mkfifo(inbox / "pipe.md")
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 1
    assert result.statuses() == {"good.md": "created", "pipe.md": "failed"}
    assert "not a regular file" in next(item["message"] for item in result.report["items"]
                                        if item["input"].endswith("pipe.md"))


def test_a_file_named_by_two_sources_is_one_input(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note())
    result = run_cli("export", inbox, inbox / "a.md", "--vault", vault)
    assert result.exit_code == 0
    assert [item["status"] for item in result.report["items"]] == ["created"]


def test_a_named_pipe_given_as_the_source_is_a_usage_error(run_cli, inbox, vault):
    os.mkfifo(inbox / "pipe.md")
    result = run_cli("export", inbox / "pipe.md", "--vault", vault, report=False)
    assert result.exit_code == 2
    assert "not a regular file or folder" in result.stderr


def test_an_input_gone_before_it_is_read_fails_alone(run_cli, inbox, vault, monkeypatch):
    import vault_export.vault.session as session
    from vault_export.inputs.discover import Found

    write(inbox / "good.md", collector_note())
    found = session.discover_folders
    monkeypatch.setattr(session, "discover_folders",
                        lambda *args: [*found(*args), Found(str(inbox), [str(inbox / "gone.md")], None)])
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 1
    assert result.statuses() == {"good.md": "created", "gone.md": "failed"}
