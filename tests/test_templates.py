"""Templates the person writes: rendered by sandboxed Jinja, and every error names the template."""
from datetime import date

import pytest

from vault_export.errors import InputError, UsageError
from vault_export.render.templates import NoteTemplate

VARIABLES = {"title": "标题 #话题# {x}", "link": "[[Note|Alias]]", "url": None, "count": 3,
             "day": date(2025, 6, 6), "empty": ""}


@pytest.mark.parametrize("source, expected", [
    ("{{ title }}", "标题 #话题# {x}"),
    ("{{title}}-{{ count }}", "标题 #话题# {x}-3"),
    ("{{ day }} {{ url }}", "2025-06-06 None"),
    ("a\r\nb {{ empty }}\n", "a\nb \n"),
    ("{% if url %}u{% else %}-{% endif %}", "-"),
    ("{{ title[:2] }}", "标题"),
    ("{{ link }}", "[[Note|Alias]]"),
])
def test_templates_render_as_jinja_reads_them(source, expected):
    assert NoteTemplate("t", source).render(VARIABLES, "note") == expected


def test_an_unknown_name_is_an_error_naming_the_template_and_the_note():
    with pytest.raises(InputError, match="template notes.filename, line 1") as raised:
        NoteTemplate("notes.filename", "{{ titel }}").render(VARIABLES, "inbox/a.md")
    assert raised.value.path == "inbox/a.md"


def test_an_error_inside_a_method_names_the_template():
    with pytest.raises(InputError, match=r"template notes.body, line 2: .*Error"):
        NoteTemplate("notes.body", "ok\n{{ title.encode('ascii') }}").render(VARIABLES, "a.md")


def test_a_syntax_error_stops_before_any_note_with_the_line():
    with pytest.raises(UsageError, match="template daily.entry, line 2"):
        NoteTemplate("daily.entry", "fine\n{% if %}")


def test_the_sandbox_refuses_reaching_into_python():
    with pytest.raises(InputError, match="template t"):
        NoteTemplate("t", "{{ title.__class__.__mro__ }}").render(VARIABLES, "a.md")
