"""The test helpers judged on tiny hand-made vaults, so the checkers are checked too."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from support.node_tools import FrontMatterError, ensure_node_tools, js_yaml_front_matter, markdownlint
from support.vault_reader import (
    VaultReadError,
    inline_tags,
    markdown_links,
    read_vault,
    split_front_matter,
    unresolved_wikilinks,
    vault_links,
    wikilinks,
)


def make_vault(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


NOTE = "---\ntitle: 'yes'\ndate: 2025-06-06\ntags:\n  - ai\n---\n\n# Hello\n\nBody text.\n"


# ----------------------------------------------------------------------------- read_vault

def test_read_vault_parses_front_matter_with_pyyaml_and_keeps_body(tmp_path):
    vault = make_vault(tmp_path, {"2025-06-06/a.md": NOTE, "b.md": "no front matter\n",
                                  "c.md": "---\n---\nempty\n", ".obsidian/x.md": NOTE,
                                  "img/p.png": b"\x89PNG"})
    notes = read_vault(vault)
    assert sorted(notes) == ["2025-06-06/a.md", "b.md", "c.md"]
    front_matter, body = notes["2025-06-06/a.md"]
    assert front_matter == {"title": "yes", "date": dt.date(2025, 6, 6), "tags": ["ai"]}
    assert body == "\n# Hello\n\nBody text.\n"
    assert notes["b.md"] == (None, "no front matter\n")
    assert notes["c.md"] == ({}, "empty\n")


def test_front_matter_must_start_on_the_first_line():
    assert split_front_matter("\ufeff---\na: 1\n---\n")[0] is None
    assert split_front_matter("\n---\na: 1\n---\n")[0] is None
    assert split_front_matter("---\na: 1\n")[0] is None
    assert split_front_matter("---\r\na: 1\r\n---\r\nbody") == ("a: 1\r", "body")


def test_read_vault_reports_bad_yaml_with_the_path(tmp_path):
    make_vault(tmp_path, {"bad.md": "---\ntitle: a: b\n---\n"})
    with pytest.raises(VaultReadError, match=r"^bad\.md: front matter is not valid YAML"):
        read_vault(tmp_path)


def test_read_vault_refuses_non_mapping_front_matter(tmp_path):
    make_vault(tmp_path, {"list.md": "---\n- a\n---\n"})
    with pytest.raises(VaultReadError, match="list.md: front matter is a list"):
        read_vault(tmp_path)


# ----------------------------------------------------------------------------- wikilinks

def test_broken_link_is_found(tmp_path):
    make_vault(tmp_path, {"a.md": "See [[Missing note]] and [[b]].\n", "b.md": "x\n"})
    assert unresolved_wikilinks(tmp_path) == [("a.md", "[[Missing note]]")]


def test_alias_heading_and_block_links_resolve(tmp_path):
    make_vault(tmp_path, {"a.md": "[[b|the b note]] [[b#Intro]] [[b#^blk|x]] [[#Local]]\n",
                          "b.md": "# Intro\n"})
    assert unresolved_wikilinks(tmp_path) == []
    link = wikilinks("[[b#Intro|shown]]")[0]
    assert (link.target, link.heading, link.alias, link.embed) == ("b", "Intro", "shown", False)


def test_links_resolve_case_insensitively_by_name_or_path(tmp_path):
    make_vault(tmp_path, {"daily/2025-06-06.md": "x\n",
                          "notes/Sub/Deep Note.md": "x\n",
                          "a.md": "[[DAILY/2025-06-06]] [[daily/2025-06-06.md]] [[deep note]]"
                                  " [[sub/deep note]] [[/notes/Sub/Deep Note]] [[2025-06-06.MD]]\n",
                          "notes/b.md": "[[./Sub/Deep Note]] [[../a]] [[../../a]] [[/Sub/Deep Note]]\n"})
    assert unresolved_wikilinks(tmp_path) == [("notes/b.md", "[[../../a]]"),
                                               ("notes/b.md", "[[/Sub/Deep Note]]")]


def test_embeds_need_the_attachment_extension(tmp_path):
    make_vault(tmp_path, {"attachments/photo.png": b"\x89PNG",
                          "a.md": "![[photo.png]] ![[attachments/photo.png|200]] ![[photo]]\n"})
    assert unresolved_wikilinks(tmp_path) == [("a.md", "![[photo]]")]


def test_links_in_code_and_escaped_brackets_are_not_links(tmp_path):
    body = ("Inline `[[gone1]]` and ``a ` [[gone2]]`` here.\n\n"
            "```python\nx = [[gone3]]\n```\n\n"
            "- item\n\n  ~~~\n  [[gone4]]\n  ~~~\n\n"
            "Escaped \\[\\[gone5]] and \\[[gone6]] and [\\[gone7]].\n\n"
            "But [[real gone]] is a link.\n")
    make_vault(tmp_path, {"a.md": body})
    assert unresolved_wikilinks(tmp_path) == [("a.md", "[[real gone]]")]


def test_unclosed_backticks_do_not_hide_links():
    assert [link.target for link in wikilinks("a ` b [[x]]\n\nc `` [[y]] `")] == ["x", "y"]


def test_table_alias_and_front_matter_links(tmp_path):
    make_vault(tmp_path, {"b.md": "x\n",
                          "a.md": "---\nup: '[[b]]'\nrelated:\n  - '[[nowhere]]'\n---\n"
                                  "| col |\n| --- |\n| [[b\\|B]] |\n"})
    assert wikilinks("| [[b\\|B]] |")[0].target == "b"
    assert unresolved_wikilinks(tmp_path) == [("a.md", "[[nowhere]]")]


def test_markdown_links_are_parsed_by_commonmark_and_percent_decoded():
    body = ("[A (b)](Sub/A%20%28b%29.md#Intro) ![alt](img/%E5%9B%BE%201.png) [web](https://x.org/a.md)\n\n"
            "`[code](c.md)` [spaced](a b.md) <mail@x.org>\n")
    assert [(link.target, link.text, link.embed) for link in markdown_links(body)] == \
        [("Sub/A (b).md", "A (b)", False), ("img/图 1.png", "alt", True)]


def test_vault_links_name_the_files_each_link_reaches(tmp_path):
    make_vault(tmp_path, {"x.md": "root\n", "notes/x.md": "x\n", "notes/y.md": "y\n", "other/y.md": "y\n",
                          "notes/a.md": "[[x]] [x](./x.md) [[../x]] [y](y.md) [[notes/y]] [[gone]] [[#Top]]\n"})
    reached = {link.raw: link.files for link in vault_links(tmp_path)}
    assert reached == {"[[x]]": ("x.md",),  # a path without ./ is read from the vault root first
                       "./x.md": ("notes/x.md",), "[[../x]]": ("x.md",),
                       "y.md": ("notes/y.md", "other/y.md"),  # ambiguous: Obsidian picks one
                       "[[notes/y]]": ("notes/y.md",), "[[gone]]": (), "[[#Top]]": ("notes/a.md",)}


# ----------------------------------------------------------------------------- tags

@pytest.mark.parametrize("body, tags", [
    ("#ai at line start, and #机器学习 mid-line", ["ai", "机器学习"]),
    ("nested #a/b-c_d and emoji #🚀launch", ["a/b-c_d", "🚀launch"]),
    ("ends at ASCII punctuation: #tag, #tag2. #t(x) #q?", ["tag", "tag2", "t", "q"]),
    ("full-width punctuation does not end it: #话题，后面", ["话题，后面"]),
    ("# Heading is not a tag\n## Nor this", []),
    ("#2025 is all digits, #2025年 is not", ["2025年"]),
    ("need whitespace before: a#b [x](u#frag) [[n#h]]", []),
    ("escaped \\#not and `#code` and\n```\n#fenced\n```\n#after", ["after"]),
    ("tabs\t#t1 and full-width space\u3000#t2", ["t1", "t2"]),
])
def test_inline_tags_follow_obsidian_rules(body, tags):
    assert inline_tags(body) == tags


# ----------------------------------------------------------------------------- node readers

@pytest.fixture(scope="module")
def node_tools():
    ensure_node_tools()


def test_js_yaml_keeps_yes_and_dates_as_strings(node_tools, tmp_path):
    vault = make_vault(tmp_path, {"a.md": NOTE + "---\n", "sub/b.md": "---\nn: 2025\nok: true\nx: null\n---\n",
                                  "c.md": "plain\n", ".obsidian/d.md": NOTE})
    assert js_yaml_front_matter(vault) == {
        "a.md": {"title": "yes", "date": "2025-06-06", "tags": ["ai"]},
        "c.md": None,
        "sub/b.md": {"n": 2025, "ok": True, "x": None},
    }


def test_js_yaml_reads_bare_yes_as_a_string_unlike_pyyaml(node_tools, tmp_path):
    path = make_vault(tmp_path, {"a.md": "---\nanswer: yes\nat: 2025-06-06T10:00:00\n---\n"}) / "a.md"
    assert js_yaml_front_matter([path]) == {str(path): {"answer": "yes", "at": "2025-06-06T10:00:00"}}
    assert read_vault(tmp_path)["a.md"][0] == {"answer": True, "at": dt.datetime(2025, 6, 6, 10, 0)}


def test_js_yaml_refusal_names_the_file(node_tools, tmp_path):
    make_vault(tmp_path, {"bad.md": "---\ntitle: a: b\n---\n", "dup.md": "---\na: 1\na: 2\n---\n"})
    with pytest.raises(FrontMatterError, match=r"bad\.md") as err:
        js_yaml_front_matter(tmp_path)
    assert "dup.md" in str(err.value)


def test_markdownlint_flags_a_trailing_space(node_tools, tmp_path):
    make_vault(tmp_path, {"2025-06-06/笔记 [1] #a.md": "---\ntitle: x\n---\n\n# Title\n\nline \nnext\n",
                          "clean.md": "# Clean\n\n#tag at line start is fine here.\n"})
    problems = markdownlint(tmp_path)
    assert len(problems) == 1, problems
    assert problems[0].startswith("2025-06-06/笔记 [1] #a.md:7:5 ")
    assert "MD009" in problems[0]


def test_markdownlint_returns_nothing_for_a_clean_vault(node_tools, tmp_path):
    make_vault(tmp_path, {"a.md": "---\ntitle: 'yes'\n---\n\n# A\n\n- one\n- two\n\n[[b]]\n",
                          "b.md": "Text.\n", ".trash/old.md": "trailing \n"})
    assert markdownlint(tmp_path) == []
