"""Links, embeds and attachments follow the vault's Files and links settings (.obsidian/app.json):
each vault written is judged by an independent reader that resolves links as Obsidian does."""
from __future__ import annotations

import base64
import hashlib
import itertools
import json
import posixpath
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import collector_note, write
from support.vault_reader import iter_vault_files, markdown_links, vault_links, wikilinks
from test_images import RED, name_of, server  # noqa: F401 (server: the local image server fixture)
from test_docs import README
from test_reader_enex import PNG, enex, enex_note
from vault_export.config import LinksConfig
from vault_export.convert import html_to_markdown
from vault_export.vault.links import NoteLinks, TopicLink, attachment_folder

TOPIC = '<a href="https://m.weibo.cn/search?containerid=1"><span class="surl-text">#大模型#</span></a>'
CONFIG = '[tags]\nstyle = "wikilink"\n[notes]\nfolder = "Clippings/{{ date.year }}"\n'
HELLO, OTHER = "Clippings/2025/Hello (big) world.md", "Clippings/2024/Older post.md"
SHELF = "Clippings/2025/Shelf note.md"
TOPIC_NOTE = "大模型.md"  # the person's own note, named after the tag
DOWNLOADED, SHELF_PHOTO = name_of(RED, ".png"), f"shelf photo-{hashlib.sha256(PNG).hexdigest()[:12]}.png"
STYLES, FORMATS = ("wikilink", "markdown"), ("shortest", "relative", "absolute")
ATTACHMENT_MODES = {  # attachmentFolderPath -> where a note's attachments go
    "/": lambda note: "", "assets": lambda note: "assets", "./": posixpath.dirname,
    "./sub": lambda note: posixpath.dirname(note) + "/sub",
}


def inputs(inbox: Path, image_url: str) -> Path:
    """Two saved posts in different years, each with a topic and the same remote image, and an
    Evernote note with an image of its own."""
    for name, title, day in (("a.md", "Hello (big) world", "2025-06-06"), ("b.md", "Older post", "2024-03-01")):
        body = f'<p>{TOPIC} text</p><p><img alt="a red dot" src="{image_url}"></p>'
        meta = {"来源": "Weibo", "类型": "微博", "保存时间": f"{day}T11:03:32Z", "目录日期": day}
        write(inbox / name, collector_note(title=title, url=f"https://weibo.com/1/{name}", body=body, meta=meta))
    md5 = hashlib.md5(PNG, usedforsecurity=False).hexdigest()
    resource = (f"<resource><data>{base64.b64encode(PNG).decode()}</data><mime>image/png</mime>"
                "<resource-attributes><file-name>shelf photo.png</file-name></resource-attributes></resource>")
    note = enex_note(f'<div>The shelf:</div><en-media type="image/png" hash="{md5}"/>', "Shelf note", resource)
    write(inbox / "n.enex", enex(note.replace("</title>", "</title><created>20250606T100000Z</created>")))
    return inbox


def obsidian_vault(vault: Path, **app) -> Path:
    write(vault / ".obsidian" / "app.json", json.dumps(app))
    write(vault / TOPIC_NOTE, "# 大模型\n")
    return vault


def export(run_cli, tmp_path, inbox, vault, config: str = CONFIG):
    file = write(tmp_path / "config.toml", config)
    result = run_cli("export", inbox, "--vault", vault, "--config", file, "--download-images")
    warnings = [warning for warning in result.report["warnings"] if not warning.startswith("no sync state")]
    assert result.exit_code == 0 and warnings == [], result.stdout
    return result


def links_by_note(vault: Path) -> dict[str, list]:
    found: dict[str, list] = {}
    for link in vault_links(vault):
        found.setdefault(link.note, []).append(link)
    return found


def expected_targets(folder_of) -> dict[str, set[str]]:
    """What each written note and page links to, with the attachments where the mode puts them."""
    def attachment(note: str, name: str) -> str:
        return f"{folder_of(note)}/{name}".lstrip("/")
    return {
        "Daily/2025-06-06.md": {HELLO, SHELF}, "Daily/2024-03-01.md": {OTHER},
        HELLO: {TOPIC_NOTE, attachment(HELLO, DOWNLOADED)}, OTHER: {TOPIC_NOTE, attachment(OTHER, DOWNLOADED)},
        SHELF: {attachment(SHELF, SHELF_PHOTO)},
    }


@pytest.mark.parametrize("style, link_format, mode",
                         list(itertools.product(STYLES, FORMATS, ATTACHMENT_MODES)))
def test_every_link_and_embed_resolves_where_the_settings_say(server, run_cli, tmp_path, inbox, vault,  # noqa: F811
                                                               style, link_format, mode):
    obsidian_vault(vault, attachmentFolderPath=mode, useMarkdownLinks=style == "markdown",
                   newLinkFormat=link_format)
    export(run_cli, tmp_path, inputs(inbox, server.url("/a.png")), vault)
    expected = expected_targets(ATTACHMENT_MODES[mode])
    found = links_by_note(vault)
    assert {note: {file for link in links for file in link.files} for note, links in found.items()} == expected
    every_link = [link for note_links in found.values() for link in note_links]
    assert all(len(link.files) == 1 for link in every_link), [link.raw for link in every_link if len(link.files) != 1]
    links = [link for link in every_link if not link.in_properties]
    covers = [link for link in every_link if link.in_properties]  # the image property, a wikilink in any style
    assert covers and all(link.wikilink and link.files[0].endswith(".png") for link in covers)
    assert {link.wikilink for link in links} == {style == "wikilink"}
    assert {link.embed for link in links if link.files[0].endswith(".png")} == {True}
    for link in links:
        assert_path_form(link, link_format, mode)
    attachments = {path.relative_to(vault).as_posix() for path in iter_vault_files(vault)
                   if path.suffix not in (".md", ".base")}
    assert attachments == set().union(*expected.values()) - {note for note in expected} - {TOPIC_NOTE}
    assert server.hits["/a.png"] == 1  # a second folder gets a copy
    shown = None if (style, link_format) == ("wikilink", "shortest") else "Older post"  # [[Older post]]
    assert [link.text for link in found["Daily/2024-03-01.md"]] == [shown]


def assert_path_form(link, link_format: str, mode: str) -> None:
    """Shortest: the base name where it is unique, else the vault path; absolute: the vault path;
    relative: from the note's folder."""
    [file] = link.files
    written = link.target if link.target.endswith((".md", ".png")) else link.target + ".md"
    if link_format == "shortest" and not (file.endswith(".png") and mode.startswith("./")):
        assert written == posixpath.basename(file), link.raw
    elif link_format == "shortest":  # each note's folder has its copy: the name is not unique
        assert written == file, link.raw
    elif link_format == "absolute":
        assert written == file, link.raw
    else:
        assert written.startswith(("./", "../")), link.raw
        assert posixpath.normpath(posixpath.join(posixpath.dirname(link.note), written)) == file


def test_markdown_links_render_as_links_with_the_title_shown(server, run_cli, tmp_path, inbox, vault):  # noqa: F811
    obsidian_vault(vault, useMarkdownLinks=True, newLinkFormat="relative", attachmentFolderPath="./")
    export(run_cli, tmp_path, inputs(inbox, server.url("/a.png")), vault)
    day = (vault / "Daily/2025-06-06.md").read_text("utf-8")
    assert "- [Hello (big) world](../Clippings/2025/Hello%20%28big%29%20world.md)" in day
    html = MarkdownIt("commonmark").render(day)
    assert '<a href="../Clippings/2025/Hello%20%28big%29%20world.md">Hello (big) world</a>' in html
    note = (vault / HELLO).read_text("utf-8")
    assert f"![a red dot](./{DOWNLOADED})" in note
    assert "[大模型](../../大模型.md)" in note  # CJK kept as it is, as Obsidian writes it
    assert f'<img src="./{DOWNLOADED}" alt="a red dot" />' in MarkdownIt("commonmark").render(note)


def test_our_configuration_wins_where_the_person_set_it(server, run_cli, tmp_path, inbox, vault):  # noqa: F811
    obsidian_vault(vault, useMarkdownLinks=True, newLinkFormat="relative", attachmentFolderPath="./")
    config = 'attachments = "Files"\n[links]\nstyle = "wikilink"\n' + CONFIG
    export(run_cli, tmp_path, inputs(inbox, server.url("/a.png")), vault, config)
    expected = expected_targets(lambda note: "Files")
    found = links_by_note(vault)
    assert {note: {link.files for link in links} for note, links in found.items()} == \
        {note: {(file,) for file in files} for note, files in expected.items()}
    assert {link.wikilink for links in found.values() for link in links} == {True}
    assert "[[../Clippings/2025/Hello (big) world|Hello (big) world]]" in (vault / "Daily/2025-06-06.md").read_text()
    assert f"![[../../Files/{SHELF_PHOTO}]]" in (vault / SHELF).read_text("utf-8")  # the format: app.json's


def test_changed_settings_rewrite_the_links(server, run_cli, tmp_path, inbox, vault):  # noqa: F811
    obsidian_vault(vault)
    inputs(inbox, server.url("/a.png"))
    export(run_cli, tmp_path, inbox, vault)
    assert "- [[Hello (big) world]]" in (vault / "Daily/2025-06-06.md").read_text("utf-8")
    write(vault / ".obsidian/app.json", json.dumps({"useMarkdownLinks": True, "newLinkFormat": "absolute"}))
    result = export(run_cli, tmp_path, inbox, vault)
    assert set(result.statuses().values()) == {"updated"} and len(result.report["daily_pages"]) == 2
    assert "- [Hello (big) world](Clippings/2025/Hello%20%28big%29%20world.md)" in \
        (vault / "Daily/2025-06-06.md").read_text("utf-8")
    assert all(len(link.files) == 1 and not link.wikilink for link in vault_links(vault) if not link.in_properties)
    assert set(export(run_cli, tmp_path, inbox, vault).statuses().values()) == {"unchanged"}


@pytest.mark.parametrize("path", ["a b.md", "x/100% (draft.md", "x/a)b(c.md", "中文 名/图 1.png", "a<b>|c.png",
                                  "tab\there.md", "Files #1/^x [y].png", "a\\b.md"])
def test_markdown_destinations_decode_to_the_path(path):
    markdown = NoteLinks(LinksConfig("markdown", "absolute")).link(path, "text")
    [link] = markdown_links(markdown)
    assert (link.target, link.text) == (path, "text")


def test_a_path_a_wikilink_cannot_hold_is_written_as_a_markdown_link():
    links = NoteLinks(LinksConfig("wikilink", "absolute"))
    assert links.embed("Files #1/a.png") == "![](Files%20%231/a.png)"
    assert links.link("Clippings/x.md", "a | b ]] c\nd") == "[[Clippings/x|a / b )) c d]]"
    assert wikilinks(links.link("Clippings/x.md", "a | b ]] c\nd"))[0].alias == "a / b )) c d"


def test_a_topic_link_in_a_table_cell_keeps_the_cell_whole():
    html = f"<table><tr><th>Topic</th></tr><tr><td>{TOPIC}</td></tr></table>"
    topic_link = TopicLink(NoteLinks.of(LinksConfig("wikilink", "relative"), "Clippings/note.md"))
    markdown = html_to_markdown(html, topics="link", topic_link=topic_link).markdown
    [link] = wikilinks(markdown)
    assert (link.target, link.alias) == ("../大模型", "大模型")
    cells = [token for token in MarkdownIt("commonmark").enable("table").parse(markdown) if token.type == "td_open"]
    assert len(cells) == 1


def test_the_readmes_examples_are_what_is_written():
    note, image = "Clippings/2025/Hello world.md", "b1ff9c8ea3a780ba.png"
    modes = re.findall(r'^"(\S*)" +(\S+)', README, re.MULTILINE)
    assert [(mode, attachment_folder(mode, note)) for mode, _ in modes] == \
        [(mode, posixpath.dirname(path)) for mode, path in modes] and len(modes) == 4
    rows = re.findall(r"^(false|true) +(\w+) +(- .+|!\[.+)$", README, re.MULTILINE)
    assert len(rows) == 12
    for markdown, link_format, written in rows:
        links = LinksConfig("markdown" if markdown == "true" else "wikilink", link_format)
        made = NoteLinks.of(links, note).embed(f"Attachments/{image}") if written.startswith("!") else \
            "- " + NoteLinks.of(links, "Daily/2025-06-06.md").link(note, "Hello world")
        assert written == made
