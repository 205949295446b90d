"""Reading the collector's format: sections, labels, metadata, encodings, broken files."""
import codecs
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import collector_note, write
from vault_export.identity import note_identity
from vault_export.model import Note, ReadFailure
from vault_export.inputs.readers.collector import CollectorReader


def read(path: Path) -> Note | ReadFailure:
    items = list(CollectorReader().read(path))
    assert len(items) == 1
    return items[0]


def test_reads_every_section(tmp_path):
    note = read(write(tmp_path / "n.md", collector_note(title="Hello: world", body="<b>hi</b>")))
    assert (note.title, note.url, note.source, note.type) == ("Hello: world", "https://weibo.com/1/abc", "Weibo", "微博")
    assert note.created == datetime(2025, 6, 6, 11, 3, 32, tzinfo=timezone.utc)
    assert note.date == date(2025, 6, 6)
    assert (note.body, note.summary) == ("<b>hi</b>", "A short summary.")


def test_english_labels(tmp_path):
    meta = {"Source": "ArXiv", "Type": "Paper", "Saved At": "2025-06-06T08:00:00+08:00", "Catalog Date": "2025-06-05"}
    note = read(write(tmp_path / "n.txt", collector_note(meta=meta, labels="en")))
    assert (note.source, note.type, note.date) == ("ArXiv", "Paper", date(2025, 6, 5))
    assert note.created.utcoffset() == timedelta(hours=8)
    assert note.summary == "A short summary."


def test_other_metadata_keys_are_kept_in_order(tmp_path):
    meta = {"来源": "Weibo", "作者": "张三", "评分": "5", "保存时间": "2025-06-06"}
    note = read(write(tmp_path / "n.md", collector_note(meta=meta)))
    assert note.extra == (("作者", "张三"), ("评分", "5"))
    assert note.created == datetime(2025, 6, 6)


def test_missing_url_and_summary(tmp_path):
    note = read(write(tmp_path / "n.md", collector_note(url=None, summary=None)))
    assert note.url is None and note.summary is None
    moved = tmp_path / "sub" / "n.md"
    moved.parent.mkdir()
    (tmp_path / "n.md").rename(moved)
    # Known by what it says, not where it is: moved, it is the same note.
    assert note_identity(note) == note_identity(read(moved)) != note_identity(read(write(
        tmp_path / "m.md", collector_note(url=None, summary=None, title="Another"))))


def test_html_entities_in_the_title_are_decoded(tmp_path):
    assert read(write(tmp_path / "n.md", collector_note(title="转发 @班叔:&ensp;好用"))).title == "转发 @班叔: 好用"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "gb18030"])
def test_encodings(tmp_path, encoding):
    text = collector_note(title="中文标题", body="<p>内容：测试 €</p>" if encoding != "gb18030" else "<p>内容：测试</p>")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path = tmp_path / "n.md"
    path.write_bytes(data)
    note = read(path)
    assert note.title == "中文标题" and "内容" in note.body


def test_crlf_line_ends(tmp_path):
    path = tmp_path / "n.md"
    path.write_bytes(collector_note(title="CRLF").replace("\n", "\r\n").encode())
    note = read(path)
    assert note.title == "CRLF" and note.source == "Weibo" and "\r" not in note.body


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \n\n ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("# t\n\n## 原始摘要\n\nx\xff".encode("utf-8")[:-1] + b"\xff\xfe\x00", "binary file"),
    ("# 标题\n\n正文内容很长".encode()[:-1] + b"\xff\xfe more", "invalid UTF-8 at byte"),
    (bytes(range(128, 256)) * 3, "cannot decode"),
    (b"just text\n", "no title"),
    (b"# \n\nbody\n", "no title"),
    (collector_note(meta={"保存时间": "yesterday"}).encode(), "not an ISO 8601"),
    (collector_note(meta={"目录日期": "2025-13-01"}).encode(), "not a date"),
])
def test_bad_inputs_fail_with_a_reason(tmp_path, data, reason):
    path = tmp_path / "bad.md"
    path.write_bytes(data)
    failure = read(path)
    assert isinstance(failure, ReadFailure) and reason in failure.reason


def test_undecodable_utf16_fails_rather_than_substituting(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes(codecs.BOM_UTF16_LE + "# title\n".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    failure = read(path)
    assert isinstance(failure, ReadFailure) and "cannot decode as utf-16-le" in failure.reason
