"""Reading Markdown notes with front matter (e.g. Obsidian Web Clipper's): mapped fields, body kept as is."""
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from conftest import collector_note, write
from vault_export.inputs.discover import choose_reader
from vault_export.model import BodyFormat, Note, Origin, ReadFailure
from vault_export.inputs.readers.markdown import MarkdownReader

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
CLIPPING = FIXTURES / "web-clipper.md"


def read(path: Path) -> Note | ReadFailure:
    items = list(MarkdownReader().read(path))
    assert len(items) == 1
    return items[0]


def test_front_matter_chooses_the_markdown_reader():
    assert choose_reader(CLIPPING).name == "markdown"


def test_collector_notes_still_choose_the_collector_reader(tmp_path):
    assert choose_reader(write(tmp_path / "n.md", collector_note())).name == "collector"


def test_markdown_without_front_matter_falls_back_to_the_markdown_reader():
    assert choose_reader(FIXTURES / "bare note.md").name == "markdown"


def test_web_clipper_title():
    assert read(CLIPPING).title == "How to keep notes: a guide"


def test_web_clipper_source_url_becomes_the_url():
    assert read(CLIPPING).url == "https://www.example.org/articles/notes?ref=rss"


def test_web_clipper_source_becomes_the_site():
    assert read(CLIPPING).source == "example.org"


def test_a_source_that_is_not_a_url_stays_the_source(tmp_path):
    note = read(write(tmp_path / "n.md", "---\ntitle: T\nsource: Weibo\nurl: https://weibo.com/1\n---\nx\n"))
    assert (note.url, note.source) == ("https://weibo.com/1", "Weibo")


def test_web_clipper_created_keeps_its_offset():
    created = read(CLIPPING).created
    assert created == datetime(2025, 6, 6, 3, 3, 32, tzinfo=timezone.utc)
    assert created.utcoffset() == timedelta(hours=8)


def test_created_as_a_date_is_local_midnight(tmp_path):
    assert read(write(tmp_path / "n.md", "---\ncreated: 2025-06-06\n---\nx\n")).created == datetime(2025, 6, 6)


def test_front_matter_tags_lose_a_leading_hash():
    assert read(CLIPPING).tags == ("clippings", "reading")


def test_other_front_matter_is_kept_in_order():
    assert read(CLIPPING).extra == (
        ("author", ["[[Ana Silva]]"]), ("published", date(2025, 5, 30)),
        ("description", "Short notes on keeping notes."))


def test_other_times_with_an_offset_are_kept_as_text(tmp_path):
    front_matter = "updated: 2025-06-06T11:03:32+08:00\nseen: [2025-06-06T11:03:32Z]"
    note = read(write(tmp_path / "n.md", f"---\n{front_matter}\n---\nx\n"))
    assert note.extra == (("updated", "2025-06-06T11:03:32+08:00"), ("seen", ["2025-06-06T11:03:32+00:00"]))


def test_summary_comes_only_from_summary_fields(tmp_path):
    note = read(write(tmp_path / "n.md", "---\ndescription: d\nsummary: s\n---\nx\n"))
    assert (note.summary, note.extra) == ("s", (("description", "d"),))


def test_catalog_date(tmp_path):
    assert read(write(tmp_path / "n.md", "---\ndate: 2025-06-07\n---\nx\n")).date == date(2025, 6, 7)


def test_body_is_markdown_kept_without_escaping():
    note = read(CLIPPING)
    assert note.body_format is BodyFormat.MARKDOWN
    assert "Keep **one** idea per note, and link them: [[Zettelkasten]]." in note.body
    assert "*emphasis*, a #inline-tag and a_snake_case word." in note.body


def test_body_keeps_its_title_heading():
    assert read(CLIPPING).body.startswith("# How to keep notes: a guide\n\n")


def test_body_loses_trailing_spaces_and_blank_line_runs():
    assert read(CLIPPING).body.endswith(
        "[[Zettelkasten]].\nA line with *emphasis*, a #inline-tag and a_snake_case word.\n\n- item one\n- item two")


def test_inline_tags_stay_in_the_body_only():
    note = read(FIXTURES / "heading-only.md")
    assert "Body with a #tag." in note.body and note.tags == ()


def test_without_front_matter_the_title_is_the_first_heading():
    assert read(FIXTURES / "heading-only.md").title == "Heading title"


def test_without_front_matter_and_heading_the_title_is_the_file_name():
    assert read(FIXTURES / "bare note.md").title == "bare note"


def test_a_heading_inside_fenced_code_is_not_the_title(tmp_path):
    text = "```sh\n# install it\npip install x\n```\n\n# Real title\n"
    assert read(write(tmp_path / "n.md", text)).title == "Real title"


def test_body_lines_are_normalised_around_crlf():
    assert read(FIXTURES / "heading-only.md").body == "# Heading title\n\nBody with a #tag.\n\nSecond paragraph."


def test_invalid_front_matter_fails_with_its_line(tmp_path):
    failure = read(write(tmp_path / "n.md", "---\ntitle: T\nurl: a: b\n---\nx\n"))
    assert failure == ReadFailure(
        Origin(str(tmp_path / "n.md")), "invalid front matter: mapping values are not allowed in this context (line 3)")


def test_a_bad_created_time_fails(tmp_path):
    failure = read(write(tmp_path / "n.md", "---\ntitle: T\ncreated: soon\n---\nx\n"))
    assert failure.reason == "created 'soon' is not an ISO 8601 time or a Unix epoch time"


def test_an_empty_file_fails(tmp_path):
    assert read(write(tmp_path / "n.md", "")).reason == "empty file"
