"""An upgrade of a library that shapes the notes' bytes renders the notes again on the next export,
so that a vault never mixes notes converted by two versions."""
import markdownify
import pytest

from conftest import collector_note, write
from vault_export.vault import keys

META = {"来源": "Weibo", "保存时间": "2025-06-06T01:00:00Z", "目录日期": "2025-06-06"}
BODY = "<p>Before the rule.</p><hr><p>After the rule.</p>"


@pytest.fixture
def export(run_cli, inbox, vault):
    """A vault with one note whose body has a thematic break; returns a function that exports again."""
    write(inbox / "a.md", collector_note(title="Post", url="https://x/1", body=BODY, meta=META))
    assert run_cli("export", inbox, "--vault", vault).statuses() == {"a.md": "created"}
    return lambda: run_cli("export", inbox, "--vault", vault)


def upgrade(monkeypatch, library: str) -> None:
    """As if `library` had been upgraded to a version that writes thematic breaks as '***'."""
    installed = dict(keys.library_versions())
    assert library in installed
    upgraded = tuple({**installed, library: installed[library] + ".post1"}.items())
    monkeypatch.setattr(keys, "library_versions", lambda: upgraded)
    monkeypatch.setattr(markdownify.MarkdownConverter, "convert_hr", lambda self, el, text, parent_tags: "\n\n***\n\n")


def body(vault) -> str:
    return (vault / "Clippings/Post.md").read_text("utf-8")


def test_the_installed_versions_are_read():
    versions = dict(keys.library_versions())
    assert set(versions) == {"beautifulsoup4", "markdownify", "lxml", "PyYAML"}
    assert all(version[0].isdigit() for version in versions.values())


def test_a_changed_conversion_of_the_same_versions_is_not_noticed(export, vault, monkeypatch):
    """What the versions in the render key are for: an unchanged input is not rendered again."""
    monkeypatch.setattr(markdownify.MarkdownConverter, "convert_hr", lambda self, el, text, parent_tags: "\n\n***\n\n")
    assert export().statuses() == {"a.md": "unchanged"}
    assert "***" not in body(vault)


@pytest.mark.parametrize("library", keys.RENDERING_LIBRARIES)
def test_an_upgraded_library_renders_the_note_again(export, vault, monkeypatch, library):
    assert "\n---\n\nAfter the rule." in body(vault)
    upgrade(monkeypatch, library)
    assert export().statuses() == {"a.md": "updated"}
    assert "\n***\n\nAfter the rule." in body(vault)
    assert export().statuses() == {"a.md": "unchanged"}  # rendered once, then settled again
