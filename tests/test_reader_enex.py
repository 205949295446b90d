"""Reading Evernote exports: one note per <note>, ENML as Markdown, resources as attachments."""
import base64
import hashlib
from datetime import datetime, timezone
from pathlib import Path

from conftest import write
from vault_export.inputs.discover import choose_reader
from vault_export.model import BodyFormat, Note, Origin, ReadFailure
from vault_export.inputs.readers.enex import EnexReader

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
NOTEBOOK = FIXTURES / "notebook.enex"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
PNG_NAME = f"shelf photo-{hashlib.sha256(PNG).hexdigest()[:12]}.png"


def read(path: Path) -> list[Note | ReadFailure]:
    return list(EnexReader().read(path))


def note_titled(title: str) -> Note:
    return next(item for item in read(NOTEBOOK) if isinstance(item, Note) and item.title == title)


def enex(*notes: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<en-export>{"".join(notes)}</en-export>\n'


def enex_note(content: str, title: str = "T", resources: str = "") -> str:
    return f"<note><title>{title}</title><content><![CDATA[<en-note>{content}</en-note>]]></content>{resources}</note>"


def test_enex_files_choose_the_enex_reader():
    assert choose_reader(NOTEBOOK).name == "enex"


def test_one_note_per_note_element_numbered_in_order():
    assert [item.origin for item in read(NOTEBOOK)] == [Origin(str(NOTEBOOK), n) for n in (1, 2, 3, 4)]


def test_title_created_tags_and_source_url():
    note = note_titled("Shopping list")
    assert note.created == datetime(2025, 1, 1, 12, 0, tzinfo=timezone.utc)
    assert (note.tags, note.url) == (("home", "errands"), "https://example.com/list")


def test_updated_and_author_are_kept_as_extra():
    assert note_titled("Shopping list").extra == (("updated", "2025-01-02T08:30:00+00:00"), ("author", "Ana"))


def test_enml_becomes_markdown_with_entities_decoded():
    note = note_titled("Shopping list")
    assert note.body_format is BodyFormat.MARKDOWN
    assert note.body.startswith("Things to buy & **soon**:\n\n")


def test_en_todo_checked_and_unchecked_become_one_task_list():
    assert "\n\n- [x] Milk\n- [ ] Eggs\n\n" in note_titled("Shopping list").body


def test_evernote_10_checklists_become_a_task_list():
    assert note_titled("Receipt").body.endswith("\n\n- [x] Paid\n- [ ] Filed")


def test_image_matched_by_md5_hash_is_embedded_where_it_stood():
    assert f"The shelf: ![[{PNG_NAME}]]" in note_titled("Shopping list").body


def test_attachment_bytes_are_the_decoded_data():
    [attachment] = note_titled("Shopping list").attachments
    assert (attachment.name, attachment.data) == (PNG_NAME, PNG)


def test_duplicate_content_gets_the_first_name_across_notes():
    assert note_titled("Receipt").attachments[0].name == PNG_NAME
    assert f"Same picture again:\n\n![[{PNG_NAME}]]" in note_titled("Receipt").body


def test_a_resource_without_file_name_is_named_from_its_mime_type():
    pdf = note_titled("Receipt").attachments[1]
    assert pdf.name == f"attachment-{hashlib.sha256(pdf.data).hexdigest()[:12]}.pdf"
    assert f"![[{pdf.name}]]" in note_titled("Receipt").body


def test_a_media_without_resource_is_a_visible_note():
    assert "(missing attachment 00000000000000000000000000000000)" in note_titled("Receipt").body


def test_a_note_with_a_bad_date_fails_alone():
    items = read(NOTEBOOK)
    assert items[2] == ReadFailure(
        Origin(str(NOTEBOOK), 3), "note 3: created 'sometime last week' is not an ISO 8601 time or a Unix epoch time")
    assert items[3].title == "After the bad one"


def test_a_resource_no_media_shows_is_embedded_at_the_end(tmp_path):
    resource = f"<resource><data>{base64.b64encode(PNG).decode()}</data><mime>image/png</mime></resource>"
    [note] = read(write(tmp_path / "n.enex", enex(enex_note("<div>Text</div>", resources=resource))))
    assert note.body == f"Text\n\n![[{note.attachments[0].name}]]"


def test_attachment_names_are_safe_file_names(tmp_path):
    resource = (f"<resource><data>{base64.b64encode(PNG).decode()}</data><mime>image/png</mime>"
                "<resource-attributes><file-name>a/b: c#d?.PNG</file-name></resource-attributes></resource>")
    [note] = read(write(tmp_path / "n.enex", enex(enex_note("", resources=resource))))
    assert note.attachments[0].name == f"b c d-{hashlib.sha256(PNG).hexdigest()[:12]}.png"


def test_a_note_without_title_fails(tmp_path):
    [failure] = read(write(tmp_path / "n.enex", enex(enex_note("<div>x</div>", title=" "))))
    assert failure == ReadFailure(Origin(str(tmp_path / "n.enex"), 1), "note 1: no title")


def test_broken_xml_keeps_the_notes_before_it(tmp_path):
    items = read(write(tmp_path / "n.enex", enex(enex_note("<div>x</div>")).replace("</en-export>", "<note><title>")))
    assert isinstance(items[0], Note)
    assert items[1].origin == Origin(str(tmp_path / "n.enex"))
    assert items[1].reason.startswith("invalid XML after note 1:")


def test_xml_without_notes_fails(tmp_path):
    [failure] = read(write(tmp_path / "n.enex", "<en-export></en-export>"))
    assert failure.reason == "no <note> elements: not an Evernote export"


def test_entities_are_not_expanded(tmp_path):
    bomb = '<?xml version="1.0"?><!DOCTYPE en-export [<!ENTITY x "boom">]><en-export>' \
           '<note><title>&x;</title><content><![CDATA[<en-note/>]]></content></note></en-export>'
    [failure] = read(write(tmp_path / "n.enex", bomb))
    assert failure.reason == "note 1: no title"


def test_html_entities_are_decoded_and_unknown_ones_stay_literal(tmp_path):
    [note] = read(write(tmp_path / "n.enex", enex(enex_note("<div>a&hellip; &eacute;t&eacute; &madeup;</div>"))))
    assert note.body.startswith("a… été ") and note.body.endswith("&madeup;")
