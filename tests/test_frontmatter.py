"""Front matter reads back identically with PyYAML (YAML 1.1) and js-yaml (YAML 1.2)."""
from datetime import date, datetime

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from support.node_tools import ensure_node_tools, js_yaml_front_matter
from vault_export.render.properties import (FrontMatterError, dump_properties, parse_properties, pyyaml_text,
                                            read_properties, split_front_matter)

TRICKY = ["yes", "No", "null", "~", "2025", "0o17", "0x1F", "1e3", "1_000", ".inf", "-", "- a", "? q",
          "a: b", "a #b", "#tag", "&anchor", "*alias", "!tag", "%dir", "@at", "`tick`", "[x]", "{y}",
          ">fold", "|lit", "'single'", '"double"', "trailing ", " leading", "tab\tinside", "line\nbreak",
          "2025-06-06", "12:30", "=", "<<", "on", "true", "\u2028sep", "中文：冒号", "http://a/b#c"]


def _front_matter_of(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_strings_read_back_with_pyyaml(value):
    assert _front_matter_of(dump_properties({"title": value}))["title"] == value


def test_tricky_strings_read_back_with_js_yaml(tmp_path):
    ensure_node_tools()
    paths = []
    for index, value in enumerate(TRICKY):
        paths.append(tmp_path / f"{index}.md")
        paths[-1].write_text(dump_properties({"title": value}) + "\nbody\n", encoding="utf-8")
    read = js_yaml_front_matter(paths)
    assert [read[str(path)]["title"] for path in paths] == TRICKY


def test_dates_are_written_without_offset_and_read_as_dates():
    text = dump_properties({"created": datetime(2025, 6, 6, 19, 3, 32), "date": date(2025, 6, 6)})
    assert "created: 2025-06-06T19:03:32\n" in text and "date: 2025-06-06\n" in text
    assert _front_matter_of(text) == {"created": datetime(2025, 6, 6, 19, 3, 32), "date": date(2025, 6, 6)}


def test_order_of_keys_is_kept_and_lists_are_block_lists():
    text = dump_properties({"title": "t", "url": "https://x.org/a?b=1", "tags": ["人工智能", "AI"]})
    assert text == "---\ntitle: t\nurl: https://x.org/a?b=1\ntags:\n- 人工智能\n- AI\n---\n"


def test_broken_yaml_gives_no_properties():
    assert split_front_matter("---\ntitle: [oops\n---\nbody\n") == ("title: [oops\n", "body\n")
    assert read_properties("title: [oops\n") == {}
    with pytest.raises(FrontMatterError, match=r"^did not find expected ',' or '\]' \(line 3\)$"):
        parse_properties("title: [oops\n")


# -- where front matter starts and ends: as Obsidian reads it
def test_split_front_matter_gives_the_yaml_and_the_body_byte_for_byte():
    assert split_front_matter("---\ntitle: T\n---\n\n  body \n") == ("title: T\n", "\n  body \n")


def test_front_matter_may_end_in_crlf():
    assert split_front_matter("---\r\na: 1\r\n---\r\nbody") == ("a: 1\r\n", "body")


def test_a_byte_order_mark_before_front_matter_is_text():
    assert split_front_matter("\ufeff---\na: 1\n---\n") == (None, "\ufeff---\na: 1\n---\n")


def test_a_blank_line_before_front_matter_is_text():
    assert split_front_matter("\n---\na: 1\n---\n") == (None, "\n---\na: 1\n---\n")


def test_front_matter_without_a_closing_line_is_text():
    assert split_front_matter("---\na: 1\nbody\n") == (None, "---\na: 1\nbody\n")


def test_dots_do_not_end_front_matter():
    assert split_front_matter("---\na: 1\n...\nbody\n") == (None, "---\na: 1\n...\nbody\n")


def test_only_a_line_of_three_dashes_opens_or_ends_front_matter():
    assert split_front_matter("----\na: 1\n----\n")[0] is None
    assert split_front_matter("--- \na: 1\n---\n")[0] is None
    assert split_front_matter("---\na: 1\n----\nb: 2\n---\nbody") == ("a: 1\n----\nb: 2\n", "body")


def test_empty_front_matter_has_no_properties():
    assert split_front_matter("---\n---\nbody\n") == ("", "body\n")
    assert parse_properties("") == {} and parse_properties("\n") == {}


def test_a_file_may_be_only_front_matter():
    assert split_front_matter("---\na: 1\n---") == ("a: 1\n", "")
    assert split_front_matter("---\na: 1\n---\n") == ("a: 1\n", "")


def test_front_matter_that_is_no_mapping_has_no_properties():
    assert parse_properties("- a\n- b\n") == {} and parse_properties("just text\n") == {}


@settings(max_examples=300)
@given(st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=80), max_size=6))
def test_any_text_round_trips_through_pyyaml(properties):
    assert _front_matter_of(dump_properties(properties) or "---\n{}\n---\n") == (properties or {})


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=60), min_size=1, max_size=40))
def test_any_text_round_trips_through_js_yaml(tmp_path_factory, values):
    ensure_node_tools()
    folder = tmp_path_factory.mktemp("yaml12")
    paths = [folder / f"{index}.md" for index in range(len(values))]
    for path, value in zip(paths, values):
        path.write_text(dump_properties({"title": value}) + "\nx\n", encoding="utf-8")
    read = js_yaml_front_matter(paths)
    assert [read[str(path)]["title"] for path in paths] == values


# Property values as notes have them, and the kinds the quick writer must leave to PyYAML.
_TEXTS = st.text(max_size=40) | st.sampled_from(TRICKY) | st.text(alphabet="ab :#-\"\\'\t\u00a0\u3000\u200b\ufeff", max_size=8)
_VALUES = (_TEXTS | st.lists(_TEXTS, max_size=4) | st.dates() | st.datetimes()
           | st.integers() | st.booleans() | st.none() | st.dictionaries(_TEXTS, _TEXTS, max_size=2))


@settings(max_examples=1500)
@given(st.dictionaries(_TEXTS, _VALUES, max_size=6))
def test_front_matter_is_what_pyyaml_writes(properties):
    expected = f"---\n{pyyaml_text(properties)}---\n" if properties else ""
    assert dump_properties(properties) == expected


def test_the_properties_of_a_note_are_written_without_pyyaml(monkeypatch):
    monkeypatch.setattr("vault_export.render.properties.pyyaml_text", None)
    properties = {"title": "「标题」: 一条 #微博", "url": "https://weibo.com/1/AbC?x=1", "source": "微博",
                  "created": datetime(2025, 6, 6, 19, 3, 32), "date": date(2025, 6, 6),
                  "tags": ["人工智能", "AI/模型"], "作者": "某人", "empty": "", "rating": 3, "read": False}
    assert yaml.safe_load(dump_properties(properties).split("---\n")[1]) == properties


def test_emoji_in_a_title_are_written_as_they_are():
    text = dump_properties({"title": "🔥 热搜第一 👍🏽"})
    assert text == "---\ntitle: 🔥 热搜第一 👍🏽\n---\n"
    assert _front_matter_of(text) == {"title": "🔥 热搜第一 👍🏽"}
