"""Templates of plain text and {{ name }} placeholders skip Jinja; they must render as Jinja would."""
from datetime import date

import pytest
from hypothesis import given, strategies as st
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from vault_export.errors import InputError
from vault_export.render.templates import NoteTemplate

JINJA = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
VARIABLES = {"title": "标题 #话题# {x}", "link": "[[Note|Alias]]", "url": None, "count": 3,
             "day": date(2025, 6, 6), "empty": ""}

texts = st.text(alphabet="ab {}%#-\n\r\t|中", max_size=12)
placeholders = st.builds(lambda name, left, right: f"{{{{{left}{name}{right}}}}}",
                         st.sampled_from(sorted(VARIABLES)), st.sampled_from(["", " ", "  "]),
                         st.sampled_from(["", " ", "  "]))


@given(st.lists(st.one_of(texts, placeholders), max_size=6))
def test_plain_templates_render_as_jinja_does(pieces):
    source = "".join(pieces)
    try:
        expected = JINJA.from_string(source).render(VARIABLES)
    except Exception:  # not a valid template: NoteTemplate refuses it in its own way
        return
    assert NoteTemplate("t", source).render(VARIABLES, "note") == expected


def test_an_unknown_name_is_still_an_error_naming_the_template():
    with pytest.raises(InputError, match="template notes.filename"):
        NoteTemplate("notes.filename", "{{ titel }}").render(VARIABLES, "note")
