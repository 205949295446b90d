"""Reading JSON and JSON Lines exports: field names, times, tags, bodies, extra fields, broken records."""
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from conftest import write
from vault_export.inputs.discover import choose_reader
from vault_export.model import BodyFormat, Note, Origin, ReadFailure
from vault_export.inputs.readers import candidates_for
from vault_export.inputs.readers.jsonrecords import JsonReader

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
RECORDS = FIXTURES / "records.json"


def read(path: Path) -> list[Note | ReadFailure]:
    return list(JsonReader().read(path))


def note_titled(path: Path, title: str) -> Note:
    return next(item for item in read(path) if isinstance(item, Note) and item.title == title)


def test_json_extensions_choose_the_json_reader():
    assert [reader.name for reader in candidates_for(Path("a.json"))] == ["json"]
    assert choose_reader(FIXTURES / "records.jsonl").name == "json"
    assert [reader.name for reader in candidates_for(Path("a.NDJSON"))] == ["json"]


def test_array_records_are_numbered_in_file_order():
    assert [item.origin for item in read(RECORDS)] == [Origin(str(RECORDS), n) for n in (1, 2, 3, 4)]


def test_records_under_items():
    notes = read(FIXTURES / "items.json")
    assert [(note.title, note.origin.position) for note in notes] == [("Wrapped one", 1), ("Wrapped two", 2)]


def test_a_single_object_is_one_note_without_a_position(tmp_path):
    [note] = read(write(tmp_path / "one.json", '{"title": "Alone", "url": "https://example.com"}'))
    assert (note.title, note.origin) == ("Alone", Origin(str(tmp_path / "one.json")))


def test_first_matching_field_names():
    note = note_titled(RECORDS, "Epoch in seconds")
    assert (note.url, note.source, note.type, note.summary) == (
        "https://example.com/a", "Example", "article", "A short summary.")


def test_alternative_field_names():
    note = note_titled(RECORDS, "Epoch in milliseconds")
    assert (note.url, note.body) == ("https://example.com/b", "Plain first paragraph.\n\nPlain second paragraph.")


def test_first_name_wins_and_the_other_is_kept(tmp_path):
    [note] = read(write(tmp_path / "n.json", '[{"title": "T", "name": "Ana", "summary": "s", "ai_summary": "ai"}]'))
    assert (note.title, note.summary, note.extra) == ("T", "ai", (("name", "Ana"), ("summary", "s")))


def test_epoch_seconds_are_utc():
    assert note_titled(RECORDS, "Epoch in seconds").created == datetime(2025, 6, 6, 11, 3, 32, tzinfo=timezone.utc)


def test_epoch_milliseconds():
    created = note_titled(RECORDS, "Epoch in milliseconds").created
    assert created == datetime(2025, 6, 6, 11, 3, 32, 345000, tzinfo=timezone.utc)


def test_epoch_as_digit_string(tmp_path):
    [note] = read(write(tmp_path / "n.json", '[{"title": "T", "saved_at": "1749207812000"}]'))
    assert note.created == datetime(2025, 6, 6, 11, 3, 32, tzinfo=timezone.utc)


def test_iso_time_with_z():
    created = note_titled(FIXTURES / "items.json", "Wrapped one").created
    assert created == datetime(2025, 6, 6, 11, 3, 32, tzinfo=timezone.utc)


def test_iso_time_with_offset_keeps_it():
    created = note_titled(RECORDS, "Extra fields").created
    assert (created, created.utcoffset()) == (datetime(2025, 6, 6, 11, 3, 32, tzinfo=timezone.utc), timedelta(hours=8))


def test_iso_time_without_offset_is_local():
    assert note_titled(FIXTURES / "items.json", "Wrapped two").created == datetime(2025, 6, 6, 8, 0)


def test_catalog_date():
    assert note_titled(RECORDS, "Epoch in seconds").date == date(2025, 6, 6)


def test_tags_as_a_list_lose_a_leading_hash():
    assert note_titled(RECORDS, "Epoch in seconds").tags == ("python", "cli")


def test_tags_as_a_comma_separated_string():
    assert note_titled(RECORDS, "Epoch in milliseconds").tags == ("reading", "later")


def test_html_body():
    note = note_titled(RECORDS, "Epoch in seconds")
    assert (note.body, note.body_format) == ("<p>First <b>bold</b> paragraph.</p>", BodyFormat.HTML)


def test_plain_text_body():
    assert note_titled(RECORDS, "Epoch in milliseconds").body_format is BodyFormat.TEXT


def test_angle_brackets_alone_do_not_make_html(tmp_path):
    [note] = read(write(tmp_path / "n.json", '[{"title": "T", "text": "if a < b and <think> tokens"}]'))
    assert note.body_format is BodyFormat.TEXT


def test_other_fields_are_kept_in_order_with_their_types_and_nulls_dropped():
    assert note_titled(RECORDS, "Extra fields").extra == (
        ("author", "Ana"), ("stars", 1284), ("rating", 4.5), ("starred", True),
        ("mentions", ["Bo", "Cy"]), ("location", {"city": "Lisbon"}))


def test_a_second_copy_of_the_body_is_not_kept(tmp_path):
    [note] = read(write(tmp_path / "n.json", '[{"title": "T", "html": "<p>x</p>", "text": "x"}]'))
    assert (note.body, note.extra) == ("<p>x</p>", ())


def test_a_record_without_title_fails_alone():
    items = read(RECORDS)
    assert items[2] == ReadFailure(Origin(str(RECORDS), 3), "record 3: no title (expected one of title, name)")
    assert [type(item) for item in items] == [Note, Note, ReadFailure, Note]


def test_a_record_that_is_not_an_object_fails_alone(tmp_path):
    items = read(write(tmp_path / "n.json", '[{"title": "T"}, "oops"]'))
    assert items[1] == ReadFailure(Origin(str(tmp_path / "n.json"), 2),
                                   "record 2: expected an object of fields, not a string")


def test_a_bad_saved_time_fails_the_record(tmp_path):
    [failure] = read(write(tmp_path / "n.json", '[{"title": "T", "saved_at": "yesterday"}]'))
    assert failure.reason == "record 1: saved_at 'yesterday' is not an ISO 8601 time or a Unix epoch time"


def test_a_bad_catalog_date_fails_the_record(tmp_path):
    [failure] = read(write(tmp_path / "n.json", '[{"title": "T", "date": "2025-13-01"}]'))
    assert failure.reason == "record 1: date '2025-13-01' is not a date (YYYY-MM-DD)"


def test_jsonl_broken_line_fails_alone_and_the_rest_are_read():
    path = FIXTURES / "records.jsonl"
    failure = read(path)[2]
    assert failure.origin == Origin(str(path), 3)
    assert failure.reason.startswith("line 3: invalid JSON: Expecting property name")


def test_jsonl_positions_are_line_numbers():
    path = FIXTURES / "records.jsonl"
    assert [(item.title, item.origin.position) for item in read(path) if isinstance(item, Note)] == [
        ("Line one", 1), ("Line five", 5)]


def test_jsonl_bad_time_names_its_line():
    assert read(FIXTURES / "records.jsonl")[1].reason == \
        "line 2: created 'not a time' is not an ISO 8601 time or a Unix epoch time"


def test_objects_one_per_line_in_a_json_file(tmp_path):
    notes = read(write(tmp_path / "n.json", '{"title": "A"}\n{"title": "B"}\n'))
    assert [(note.title, note.origin.position) for note in notes] == [("A", 1), ("B", 2)]


def test_not_json_fails_the_whole_file(tmp_path):
    [failure] = read(write(tmp_path / "n.json", "[{'title': 'single quotes'}]"))
    assert failure.origin == Origin(str(tmp_path / "n.json"))
    assert failure.reason.startswith("invalid JSON: Expecting property name")


def test_a_json_scalar_fails_the_whole_file(tmp_path):
    [failure] = read(write(tmp_path / "n.json", "42"))
    assert failure.reason == "expected an array of records or an object, not a number"


def test_an_empty_file_fails(tmp_path):
    assert read(write(tmp_path / "n.jsonl", "")) == [ReadFailure(Origin(str(tmp_path / "n.jsonl")), "empty file")]
