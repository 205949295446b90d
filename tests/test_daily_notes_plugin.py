"""Small vaults with Obsidian's Daily notes settings (.obsidian/daily-notes.json) and property types
(.obsidian/types.json), exported through the CLI; the written vault is read back with js-yaml and
the day pages found with moment.js, as Obsidian finds them."""
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import collector_note, obsidian_vault, write
from support.node_tools import js_yaml_front_matter, moment_format
from support.vault_reader import read_vault, wikilinks
from vault_export.vault.daily import END, START
from vault_export.vault.property_types import WrittenTypes, property_types

# Days around the turns of week years, a leap day, and ordinal endings.
DAYS = ["2025-06-06", "2024-12-29", "2024-12-30", "2021-01-01", "2024-02-29", "2025-03-22", "2025-01-13"]


def saved_on(day: str, title: str | None = None, **more: str) -> str:
    return collector_note(title=title or f"Saved on {day}", url=f"https://example.com/{day}/{title}",
                          meta={"来源": "Weibo", "类型": "微博", "保存时间": f"{day}T03:00:00Z", "目录日期": day,
                                **more})


def warnings(result) -> list[str]:
    """The run's warnings but the one a vault that already holds notes gets on the first run."""
    return [text for text in result.report["warnings"] if not text.startswith("no sync state found")]


@pytest.fixture
def export(run_cli, inbox, vault):
    """Writes a note for each day given into the inbox and exports it; returns the CLI result."""
    def run(*days: str, extra: tuple = ()):
        for day in days:
            write(inbox / f"{day}.md", saved_on(day))
        result = run_cli("export", inbox, "--vault", vault, "--timezone", "Asia/Shanghai", *extra)
        assert result.exit_code == 0, result.stdout
        return result
    return run


@pytest.mark.parametrize("daily_notes", [
    {},  # Obsidian's defaults: the vault's top folder, YYYY-MM-DD
    {"folder": "Journal", "format": "YYYY-MM-DD"},
    {"folder": "Journal/Days/", "format": "YYYY/MM/DD"},
    {"folder": "/Days", "format": "DD.MM.YYYY"},
    {"folder": "", "format": "[Day] YYYY-MM-DD"},
    {"format": "gggg-[W]ww-dddd"},
    {"format": "YYYY/MMMM/Do [of] MMMM, dddd"},
])
def test_a_date_property_links_to_the_day_page(export, vault, daily_notes):
    """Obsidian shows a `date` property as a link to the daily note at the Daily notes folder and
    format for that date; the day page vault-export wrote is that note, and links back."""
    obsidian_vault(vault, daily_notes=daily_notes)
    result = export(*DAYS)
    notes = {path: front for path, front in js_yaml_front_matter(vault).items()
             if path.startswith("Clippings/")}
    dates = sorted({front["date"] for front in notes.values()})
    assert dates == sorted(DAYS)
    folder = daily_notes.get("folder", "").strip("/")
    names = moment_format([(date.fromisoformat(day), daily_notes.get("format") or "YYYY-MM-DD")
                           for day in dates], "Asia/Shanghai")
    expected = {day: f"{folder}/{name}.md".lstrip("/") for day, name in zip(dates, names)}
    assert sorted(result.report["daily_pages"]) == sorted(expected.values())
    for path, front in notes.items():
        page = (vault / expected[front["date"]]).read_text("utf-8")
        assert [link.target for link in wikilinks(page)] == [Path(path).stem]


def test_the_persons_daily_keys_win_over_the_vaults(export, vault, tmp_path):
    obsidian_vault(vault, daily_notes={"folder": "Journal", "format": "DD.MM.YYYY"})
    config = write(tmp_path / "c.toml", '[daily]\nformat = "%Y_%m_%d"\n')
    result = export("2025-06-06", extra=("--config", config))
    assert result.report["daily_pages"] == ["Journal/2025_06_06.md"]


TEMPLATE = """---
day: "{{date:YYYY-MM-DD}}"
tags:
  - daily
---
# {{title}}, {{DATE:dddd}}

Written {{ date }} at {{time}}; week {{date: W}}.
"""


@pytest.mark.parametrize("template_setting", ["Templates/Daily", "Templates/Daily.md", "/Templates/Daily"])
def test_a_new_day_page_starts_from_the_persons_template(export, vault, template_setting):
    obsidian_vault(vault, daily_notes={"folder": "Journal", "format": "YYYY/MM/DD", "template": template_setting})
    write(vault / "Templates/Daily.md", TEMPLATE)
    result = export("2025-06-06")
    assert result.report["daily_pages"] == ["Journal/2025/06/06.md"] and warnings(result) == []
    text = (vault / "Journal/2025/06/06.md").read_text("utf-8")
    head, region = text.split(START)
    assert re.fullmatch(r'---\nday: "2025-06-06"\ntags:\n  - daily\n---\n# 06, Friday\n\n'
                        r"Written 2025/06/06 at \d\d:\d\d; week 23\.\n\n", head)
    assert region.endswith(END + "\n") and "[[Saved on 2025-06-06]]" in region
    front, _ = read_vault(vault)["Journal/2025/06/06.md"]
    assert front == {"day": "2025-06-06", "tags": ["daily"]}


def test_the_template_is_applied_once(export, vault, inbox):
    obsidian_vault(vault, daily_notes={"template": "Daily template"})
    write(vault / "Daily template.md", "# {{title}}\n\n## Tasks\n\n- [ ] \n")
    export("2025-06-06")
    page = vault / "2025-06-06.md"
    page.write_text(page.read_text("utf-8") + "\nMy evening notes.\n", encoding="utf-8")
    write(inbox / "later.md", saved_on("2025-06-06", title="A later post"))
    assert export().report["daily_pages"] == ["2025-06-06.md"]
    text = page.read_text("utf-8")
    assert text.count("## Tasks") == 1 and text.startswith("# 2025-06-06\n\n## Tasks\n")
    assert "[[A later post]]" in text and text.endswith("My evening notes.\n")


def test_a_page_the_person_made_keeps_its_text_and_gets_no_template(export, vault):
    obsidian_vault(vault, daily_notes={"template": "Daily template"})
    write(vault / "Daily template.md", "# From the template\n")
    write(vault / "2025-06-06.md", "# Made on the phone\n")
    export("2025-06-06")
    text = (vault / "2025-06-06.md").read_text("utf-8")
    assert text.startswith("# Made on the phone\n\n" + START) and "From the template" not in text


@pytest.mark.parametrize("content, reason", [(None, "not found"), (b"\xff\xfe bad", "not UTF-8 text")])
def test_a_template_that_cannot_be_read_is_named_and_the_pages_are_made_without_it(export, vault, content,
                                                                                    reason):
    obsidian_vault(vault, daily_notes={"template": "Templates/Daily"})
    if content is not None:
        (vault / "Templates").mkdir()
        (vault / "Templates/Daily.md").write_bytes(content)
    result = export("2025-06-06", "2025-06-07")
    assert warnings(result) == [f"Templates/Daily.md: the daily notes template cannot be read ({reason}); "
                                         "new daily pages are made without it"]
    assert sorted(result.report["daily_pages"]) == ["2025-06-06.md", "2025-06-07.md"]
    assert (vault / "2025-06-06.md").read_text("utf-8").startswith(START)


def test_no_template_is_read_when_no_page_is_new(export, vault):
    obsidian_vault(vault, daily_notes={"template": "Templates/Missing"})
    write(vault / "2025-06-06.md", "mine\n")
    assert warnings(export("2025-06-06")) == []


# --------------------------------------------------------------------------- types.json

OURS = {"title": "text", "aliases": "aliases", "url": "text", "site": "text", "source": "text", "type": "text",
        "created": "datetime", "date": "date", "tags": "tags"}


def test_the_types_of_the_written_properties_are_registered(export, vault, inbox):
    obsidian_vault(vault)
    write(inbox / "tagged.md", saved_on("2025-06-06", title="About #AI# today", 作者="Alice"))
    result = export()
    assert warnings(result) == []
    types_file = vault / ".obsidian/types.json"
    assert json.loads(types_file.read_text("utf-8")) == {"types": {**OURS, "作者": "text"}}
    assert types_file.read_text("utf-8").startswith('{\n  "types": {\n    "title": "text",\n')
    # The types fit the values as a YAML 1.2 reader sees them.
    front = js_yaml_front_matter(vault)["Clippings/About today.md"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", front["created"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", front["date"]) and front["tags"] == ["AI"]


def test_the_persons_types_are_kept_and_a_different_one_is_named(export, vault):
    settings = obsidian_vault(vault) / ".obsidian/types.json"
    settings.write_text('{"types": {"created": "date", "url": "text", "status": "checkbox"}, "other": [1]}\n',
                        encoding="utf-8")
    result = export("2025-06-06")
    assert warnings(result) == [
        ".obsidian/types.json: property 'created' has the type 'date' there, but vault-export writes it as "
        "'datetime'; left as it is"]
    written = json.loads(settings.read_text("utf-8"))
    assert written == {"types": {"created": "date", "url": "text", "status": "checkbox", "title": "text",
                                 "site": "text", "source": "text", "type": "text", "date": "date"}, "other": [1]}
    assert settings.read_text("utf-8").endswith("}\n")  # its own way of ending is kept


def test_renamed_and_added_properties_get_the_types_of_their_values(export, vault, tmp_path):
    obsidian_vault(vault, folder=".config")
    config = write(tmp_path / "c.toml", 'obsidian_folder = ".config"\n[properties]\nrename = { created = "saved" }\n'
                                        'drop = ["type"]\nadd = { rating = 5, read = false, topics = ["a", "b"] }\n')
    result = export("2025-06-06", extra=("--config", config))
    assert warnings(result) == []
    assert json.loads((vault / ".config/types.json").read_text("utf-8"))["types"] == {
        "title": "text", "url": "text", "site": "text", "source": "text", "saved": "datetime", "date": "date",
        "rating": "number",
        "read": "checkbox", "topics": "multitext"}


def test_a_run_that_adds_no_type_leaves_the_file_alone(export, vault):
    obsidian_vault(vault)
    export("2025-06-06")
    types_file = vault / ".obsidian/types.json"
    before = types_file.stat().st_mtime_ns, types_file.read_bytes()
    assert not types_file.read_bytes().endswith(b"\n")  # as Obsidian writes it
    export("2025-06-07")
    assert (types_file.stat().st_mtime_ns, types_file.read_bytes()) == before


def test_a_types_file_that_is_not_one_is_left_alone(export, vault):
    settings = obsidian_vault(vault) / ".obsidian/types.json"
    settings.write_text("{not json", encoding="utf-8")
    result = export("2025-06-06")
    assert warnings(result) == [".obsidian/types.json: property types not registered: not valid JSON"]
    assert settings.read_text("utf-8") == "{not json"


@pytest.mark.parametrize("with_config_folder, extra", [(False, ()), (True, ("--dry-run",))])
def test_no_types_file_without_a_config_folder_or_on_a_dry_run(export, vault, with_config_folder, extra):
    vault.mkdir()
    if with_config_folder:
        obsidian_vault(vault)
    export("2025-06-06", extra=extra)
    assert not (vault / ".obsidian/types.json").exists()


def test_property_types_of_values():
    types = property_types({"created": datetime(2025, 6, 6, 1), "date": date(2025, 6, 6), "tags": ["a"],
                            "aliases": ["b"], "n": 1.5, "flag": True, "list": [1, "x"], "nested": [{"a": 1}],
                            "when": "2025-06-06T10:00", "text": "x", "empty": None, "blank": ""})
    assert types == (("created", "datetime"), ("date", "date"), ("tags", "tags"), ("aliases", "aliases"),
                     ("n", "number"), ("flag", "checkbox"), ("list", "multitext"), ("nested", None),
                     ("when", None), ("text", "text"))
    written = WrittenTypes()
    written.add(types)
    written.add((("n", "text"), ("text", "text"), ("new", "number")))
    assert written.types["n"] is None and written.types["text"] == "text" and written.types["new"] == "number"
