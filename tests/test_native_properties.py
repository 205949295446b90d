"""Properties an Obsidian user expects: aliases when the file name shows less than the title, the
URL's site (and daily pages grouped by it), the `name` template variable, and the Web Clipper preset."""
import sqlite3
import unicodedata
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from conftest import collector_note, notes_in, write
from vault_export.config import Config, DailyConfig, PropertiesConfig
from vault_export.model import Note, Origin
from vault_export.render.note import NoteRenderer
from vault_export.render.site import site_of
from vault_export.vault.daily import DailyEntry, DailyTemplates, render_region
from vault_export.vault.paths import FORBIDDEN, WINDOWS_RESERVED, note_filename, safe_filename, title_name

CLIPPING = Path(__file__).parent / "fixtures" / "readers" / "web-clipper.md"
# Titles in the shape the collector saves Weibo posts in: topics first, cut with an ellipsis.
WEIBO_TITLES = [
    "#量子计算迎来新突破的一年##国产量子芯片距离实用还有多远#2025年，量子计算赛道一片火热。国内已有十余家团队陆续发布了原型机，还有...",
    "#开源模型周报#本周最值得关注的五个开源模型：从多模态到代码生成，每一个都有亮点，下面逐个细说...",
    "#机器人马拉松##具身智能#凌晨刷到的视频：几台人形机器人在跑道上练习长距离行走，最稳的那台连续走了...",
]


def properties(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def config_file(tmp_path: Path, text: str) -> Path:
    return write(tmp_path / "config.toml", text)


def rendered(title: str, stem: str, config: Config = Config(timezone="UTC"), **fields) -> dict:
    note = Note(title=title, origin=Origin("in.md"), **fields)
    return NoteRenderer(config).render(note, stem).properties


# -- aliases

def test_a_weibo_note_is_found_by_its_full_title(run_cli, inbox, vault):
    title = WEIBO_TITLES[0]
    write(inbox / "a.md", collector_note(title=title))
    run_cli("export", inbox, "--vault", vault)
    [note] = notes_in(vault)
    assert note.stem == "2025年，量子计算赛道一片火热。国内已有十余家团队陆续发布了原型机，还有"
    assert properties(note)["aliases"] == [title]


def test_no_aliases_when_the_file_name_is_the_title(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(title="A plain title"))
    run_cli("export", inbox, "--vault", vault)
    assert "aliases" not in properties(notes_in(vault)[0])


def test_a_second_note_of_the_same_title_has_the_title_as_alias(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(title="Same title", url="https://x.example/1"))
    write(inbox / "b.md", collector_note(title="Same title", url="https://x.example/2"))
    run_cli("export", inbox, "--vault", vault)
    by_stem = {note.stem: properties(note) for note in notes_in(vault)}
    assert "aliases" not in by_stem["Same title"] and by_stem["Same title 2"]["aliases"] == ["Same title"]


def test_aliases_the_input_brings_are_kept_and_ours_added_once(run_cli, inbox, vault):
    write(inbox / "a.md", "---\ntitle: \"Notes: a guide\"\nurl: https://x.example/a\naliases: [Guide]\n---\nx\n")
    write(inbox / "b.md", "---\ntitle: \"Tips: a list\"\nurl: https://x.example/b\naliases: \"Tips: a list\"\n---\nx\n")
    write(inbox / "c.md", "---\ntitle: Plain\nurl: https://x.example/c\naliases: [Other name]\n---\nx\n")
    run_cli("export", inbox, "--vault", vault)
    aliases = {note.stem: properties(note).get("aliases") for note in notes_in(vault)}
    assert aliases == {"Notes a guide": ["Guide", "Notes: a guide"], "Tips a list": ["Tips: a list"],
                       "Plain": ["Other name"]}


def test_aliases_follow_the_file_name_without_flip_flopping(run_cli, inbox, vault):
    write(vault / "Clippings" / "Hello world.md", "The person's own note.\n")
    write(inbox / "a.md", collector_note(title="Hello world"))
    assert run_cli("export", inbox, "--vault", vault).statuses() == {"a.md": "created"}
    assert run_cli("export", inbox, "--vault", vault).statuses() == {"a.md": "unchanged"}
    ours = vault / "Clippings" / "Hello world 2.md"
    assert properties(ours)["aliases"] == ["Hello world"]
    # The person deletes their note and gives ours the name: the alias goes, once.
    ours.replace(vault / "Clippings" / "Hello world.md")
    assert run_cli("export", inbox, "--vault", vault).statuses() == {"a.md": "updated"}
    assert "aliases" not in properties(vault / "Clippings" / "Hello world.md")
    assert run_cli("export", inbox, "--vault", vault).statuses() == {"a.md": "unchanged"}


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80))
def test_aliases_hold_the_title_exactly_when_the_file_name_does_not(title):
    text = " ".join(title.split())
    stem = note_filename(title)
    aliases = rendered(title, stem).get("aliases")
    shown = bool(text) and unicodedata.normalize("NFC", text) != stem
    assert aliases == ([text] if shown else None)


# -- site

@pytest.mark.parametrize("url, site", [
    ("https://weibo.com/6105753431/PvhYOuZYT", "微博"),
    ("https://m.weibo.cn/status/1", "微博"),
    ("https://mp.weixin.qq.com/s/abc", "微信公众号"),
    ("http://arxiv.org/abs/2506.90417v1", "arXiv"),
    ("https://export.arxiv.org/abs/1", "arXiv"),
    ("https://github.com/a/b", "GitHub"),
    ("https://www.zhihu.com/question/1", "知乎"),
    ("https://x.com/a/status/1", "X"),
    ("https://www.example.org/page", "example.org"),
    ("https://Docs.Example.COM:8443/x", "docs.example.com"),
    ("https://qq.com/x", "qq.com"),
    ("https://notweibo.com/x", "notweibo.com"),
    ("https://user:secret@m.weibo.cn/status/1", "微博"),
    ("https://WWW.GitHub.com?tab=repositories", "GitHub"),
    ("https://example.org#top", "example.org"),
    ("mailto:a@example.org", None),
    ("http://[::1/x", None),
    ("file:///home/a/note.html", None),
    ("", None),
    (None, None),
])
def test_the_site_of_a_url(url, site):
    assert site_of(url) == site


def test_site_is_written_after_the_url_and_source_is_kept_as_saved(run_cli, inbox, vault):
    write(inbox / "a.md", collector_note(meta={"来源": "ArXiv", "类型": "论文", "保存时间": "2025-06-06T11:03:32Z"}))
    write(inbox / "b.md", collector_note(url=None, title="No URL"))
    run_cli("export", inbox, "--vault", vault)
    weibo, no_url = (properties(note) for note in notes_in(vault))
    assert list(weibo)[:4] == ["title", "url", "site", "source"]
    assert (weibo["site"], weibo["source"]) == ("微博", "ArXiv")
    assert "site" not in no_url


def test_a_site_the_input_names_differently_is_kept_beside_ours(run_cli, inbox, vault):
    write(inbox / "a.md", "---\ntitle: T\nurl: https://github.com/a/b\nsite: GitHub\n---\nx\n")
    write(inbox / "b.md", "---\ntitle: U\nurl: https://github.com/a/c\nsource: S\nsite: The Hub\n---\nx\n")
    run_cli("export", inbox, "--vault", vault)
    same, other = (properties(note) for note in notes_in(vault))
    assert same["site"] == "GitHub" and "site_original" not in same
    assert (other["site"], other["site_original"]) == ("GitHub", "The Hub")


@pytest.mark.parametrize("rename, keys, kept", [
    ('{ source = "site" }', ["title", "url", "site", "type", "created", "date"], ("site", "Weibo")),
    ('{ url = "source" }', ["title", "source", "site", "type", "created", "date"], ("source", "https://weibo.com/1/abc")),
])
def test_a_property_renamed_to_the_name_of_another_takes_its_place(run_cli, tmp_path, inbox, vault, rename, keys,
                                                                    kept):
    write(inbox / "a.md", collector_note())
    run_cli("export", inbox, "--vault", vault, "--config", config_file(tmp_path, f"[properties]\nrename = {rename}\n"))
    props = properties(notes_in(vault)[0])
    assert list(props) == keys and props[kept[0]] == kept[1]


# -- daily pages grouped by site

def daily_page(vault: Path, day: str = "2025-06-06") -> str:
    return (vault / "Daily" / f"{day}.md").read_text("utf-8")


def test_daily_pages_group_by_site_not_by_the_saved_label(run_cli, inbox, vault):
    meta = {"来源": "ArXiv", "类型": "论文", "保存时间": "2025-06-06T11:03:32Z", "目录日期": "2025-06-06"}
    write(inbox / "a.md", collector_note(title="A weibo post", url="https://weibo.com/1/a", meta=meta))
    write(inbox / "b.md", collector_note(title="A paper", url="https://arxiv.org/abs/1", meta=meta))
    write(inbox / "c.md", collector_note(title="No link", url=None, meta=meta))
    run_cli("export", inbox, "--vault", vault)
    assert daily_page(vault) == ("%% vault-export:start %%\n\n## arXiv\n\n- [[A paper]]\n\n## ArXiv\n\n"
                                 "- [[No link]]\n\n## 微博\n\n- [[A weibo post]]\n\n%% vault-export:end %%\n")


def test_an_existing_vault_regroups_its_daily_pages_on_the_next_run(run_cli, tmp_path, inbox, vault):
    meta = {"来源": "ArXiv", "类型": "论文", "保存时间": "2025-06-06T11:03:32Z", "目录日期": "2025-06-06"}
    write(inbox / "a.md", collector_note(title="A weibo post", url="https://weibo.com/1/a", meta=meta))
    run_cli("export", inbox, "--vault", vault)
    # The vault as an earlier version left it: its page grouped by source, its settings without group_by.
    page = vault / "Daily" / "2025-06-06.md"
    page.write_text("My own words.\n\n%% vault-export:start %%\n\n## ArXiv\n\n- [[A weibo post]]\n\n"
                    "%% vault-export:end %%\n", "utf-8")
    with sqlite3.connect(vault / ".vault-export" / "state.sqlite") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'daily_settings'",
                   ("DailyConfig(folder='Daily', format='%Y-%m-%d', heading='## {{ source }}', "
                    "entry='- {{ link }}')",))
    result = run_cli("export", inbox, "--vault", vault)
    assert result.statuses() == {"a.md": "unchanged"} and result.report["daily_pages"] == ["Daily/2025-06-06.md"]
    assert daily_page(vault) == ("My own words.\n\n%% vault-export:start %%\n\n## 微博\n\n- [[A weibo post]]\n\n"
                                 "%% vault-export:end %%\n")


def test_render_region_groups_by_the_setting():
    entries = [DailyEntry(date(2025, 6, 6), "ArXiv", "2025-06-06T10:00:00", "a", "a", "https://weibo.com/1"),
               DailyEntry(date(2025, 6, 6), None, "2025-06-06T11:00:00", "b", "b", "https://arxiv.org/abs/1"),
               DailyEntry(date(2025, 6, 6), None, "2025-06-06T12:00:00", "c", "c")]
    by_site = render_region(entries, DailyTemplates(DailyConfig()))
    by_source = render_region(entries, DailyTemplates(DailyConfig(group_by="source", heading="## {{ source }}")))
    assert by_site.split("\n\n")[1:-1] == ["## arXiv", "- [[b]]", "## 微博", "- [[a]]", "## Other", "- [[c]]"]
    assert by_source.split("\n\n")[1:-1] == ["## ArXiv", "- [[a]]", "## Other", "- [[b]]\n- [[c]]"]


def test_an_unknown_grouping_is_a_usage_error(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note())
    result = run_cli("export", inbox, "--vault", vault, "--config", config_file(tmp_path, '[daily]\ngroup_by = "day"\n'))
    assert result.exit_code == 2 and "daily.group_by must be one of site, source" in result.stderr


# -- the `name` template variable

@pytest.mark.parametrize("title", WEIBO_TITLES)
def test_name_is_the_title_as_the_default_file_name_shows_it(title):
    assert title_name(title) == note_filename(title)  # these are short enough not to be cut
    assert "#" not in title_name(title) and not title_name(title).endswith(("...", "…"))


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_name_is_the_default_file_name_before_it_is_cut(title):
    name = title_name(title)
    assert note_filename(title) == safe_filename(name)  # `{{ title }}` and `{{ name }}` name a file alike
    assert not FORBIDDEN.search(name) and name == " ".join(name.split())
    assert name.encode().startswith(note_filename(title).encode()) or WINDOWS_RESERVED.match(name)


def test_a_short_name_template_gives_readable_file_names(run_cli, tmp_path, inbox, vault):
    for number, title in enumerate(WEIBO_TITLES):
        write(inbox / f"{number}.md", collector_note(title=title, url=f"https://weibo.com/1/{number}"))
    run_cli("export", inbox, "--vault", vault, "--config", config_file(tmp_path, '[notes]\nfilename = "{{ name[:30] }}"\n'))
    assert sorted(note.stem for note in notes_in(vault)) == sorted(title_name(title)[:30] for title in WEIBO_TITLES)
    assert "2025年，量子计算赛道一片火热。国内已有十余家团队陆续发布" in [note.stem for note in notes_in(vault)]


def test_the_title_cut_short_is_mostly_topics(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note(title=WEIBO_TITLES[0]))
    run_cli("export", inbox, "--vault", vault, "--config", config_file(tmp_path, '[notes]\nfilename = "{{ title[:30] }}"\n'))
    # Its first 30 characters are its two topics: the file name is their words, none of the text.
    assert [note.stem for note in notes_in(vault)] == ["量子计算迎来新突破的一年 国产量子芯片距离实用还有多远"]


def test_templates_may_use_name_and_site(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note(title="#话题#Hello: world..."))
    file = config_file(tmp_path, '[notes]\nfolder = "Clippings/{{ site }}"\nfilename = "{{ name }} ({{ site }})"\n')
    run_cli("export", inbox, "--vault", vault, "--config", file)
    assert [note.name for note in notes_in(vault, "Clippings/微博")] == ["Hello world (微博).md"]


# -- the Web Clipper preset

WEB_CLIPPER = '[properties]\npreset = "web-clipper"\n'


def test_a_web_clipper_note_comes_back_with_web_clippers_properties(run_cli, tmp_path, inbox, vault):
    write(inbox / "clip.md", CLIPPING.read_text("utf-8"))
    run_cli("export", inbox, "--vault", vault, "--timezone", "Asia/Shanghai",
            "--config", config_file(tmp_path, WEB_CLIPPER))
    props = properties(notes_in(vault)[0])
    assert props == {"title": "How to keep notes: a guide", "aliases": ["How to keep notes: a guide"],
                     "source": "https://www.example.org/articles/notes?ref=rss", "author": ["[[Ana Silva]]"],
                     "published": date(2025, 5, 30), "created": date(2025, 6, 6),
                     "description": "Short notes on keeping notes.", "tags": ["clippings", "reading"]}


def test_the_preset_maps_a_collector_note(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note(summary="First line.\nSecond line.", meta={
        "来源": "Weibo", "类型": "微博", "保存时间": "2025-06-06T17:03:32Z", "目录日期": "2025-06-05", "作者": "张三"}))
    run_cli("export", inbox, "--vault", vault, "--timezone", "Asia/Shanghai",
            "--config", config_file(tmp_path, WEB_CLIPPER))
    note = notes_in(vault)[0]
    assert note.read_text("utf-8").startswith(
        "---\ntitle: A saved post\nsource: https://weibo.com/1/abc\npublished: 2025-06-05\ncreated: 2025-06-07\n"
        "description: First line. Second line.\ntags:\n- clippings\n作者: 张三\n---\n")


@pytest.mark.parametrize("author, links", [
    ("Jane Doe", ["[[Jane Doe]]"]),
    ("Jane Doe, John Roe", ["[[Jane Doe]]", "[[John Roe]]"]),
    (["[[Ana Silva]]", "Bo|b [x]"], ["[[Ana Silva]]", "[[Bo b x]]"]),
    (" , ", None),
])
def test_authors_are_listed_as_links(author, links):
    config = Config(properties=PropertiesConfig(preset="web-clipper"))
    assert rendered("T", "T", config, extra=(("author", author),)).get("author") == links


def test_the_preset_without_a_time_writes_the_day():
    config = Config(timezone="UTC", properties=PropertiesConfig(preset="web-clipper"))
    props = rendered("T", "T", config, date=date(2025, 6, 6), url="https://a.example/1")
    assert (props["created"], props["published"], props["tags"]) == (date(2025, 6, 6), date(2025, 6, 6), ["clippings"])
    with_time = rendered("T", "T", config, created=datetime(2025, 6, 6, 23, tzinfo=timezone.utc))
    assert with_time["created"] == date(2025, 6, 6)


def test_a_moved_web_clipper_note_is_found_by_its_source(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note())
    file = config_file(tmp_path, WEB_CLIPPER)
    run_cli("export", inbox, "--vault", vault, "--config", file)
    [note] = notes_in(vault)
    # Moved and edited: found by the URL in its `source`, not by the bytes last written.
    moved = write(vault / "Archive" / note.name, note.read_text("utf-8").replace("---\n", "---\nstatus: read\n", 1))
    note.unlink()
    write(inbox / "a.md", collector_note(body="<p>Changed</p>"))
    result = run_cli("export", inbox, "--vault", vault, "--config", file)
    assert result.statuses() == {"a.md": "updated"} and notes_in(vault) == []
    assert "Changed" in moved.read_text("utf-8") and properties(moved)["status"] == "read"


def test_an_unknown_preset_is_a_usage_error(run_cli, tmp_path, inbox, vault):
    write(inbox / "a.md", collector_note())
    result = run_cli("export", inbox, "--vault", vault, "--config", config_file(tmp_path, '[properties]\npreset = "x"\n'))
    assert result.exit_code == 2 and "properties.preset must be one of default, web-clipper" in result.stderr


def test_preview_names_the_file_as_an_export_would(run_cli, inbox):
    write(inbox / "a.md", collector_note(title="#话题#Hello: world..."))
    result = run_cli("preview", inbox / "a.md", report=False)
    assert "\naliases:\n- \"#话题#Hello: world...\"\nurl: https://weibo.com/1/abc\nsite: 微博\n" in result.stdout


def test_the_readme_example_of_name_is_what_the_file_names_are():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    title = ("#量子位AI眼镜沙龙##AI眼镜距离全民标配还有多远#2025年，AI眼镜市场一片火热。国内已有华为、雷鸟、ROKID、"
             "星纪魅族等十余家厂商都陆续发布了AI眼镜产品，还有...")
    assert f"gives `{note_filename(title[:30])}.md`" in readme
    assert f"gives `{note_filename(title_name(title)[:30])}.md`" in readme
