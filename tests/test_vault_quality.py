"""Judge exported vaults with readers that are not ours: markdownlint, js-yaml, a link resolver, obsidiantools."""
from pathlib import Path

import pytest

from support.node_tools import ensure_node_tools, js_yaml_front_matter, markdownlint
from support.vault_reader import inline_tags, read_vault, unresolved_wikilinks

REPO = Path(__file__).resolve().parents[1]
REALWORLD = REPO.parent / "shared" / "realworld" / "collector"
SOURCES = {"seeds": REPO / "seeds", "hostile": Path(__file__).parent / "golden" / "hostile" / "input",
           "realworld": REALWORLD}
EXIT_CODES = {"seeds": 0, "hostile": 1, "realworld": 0}  # hostile has inputs that must fail


@pytest.fixture(scope="module", params=sorted(SOURCES))
def exported(request, tmp_path_factory):
    source = SOURCES[request.param]
    if not source.is_dir():
        pytest.skip(f"{source} is not here (the shared real-world notes live beside the repository)")
    from typer.testing import CliRunner
    from vault_export.cli.commands import app
    vault = tmp_path_factory.mktemp(request.param) / "vault"
    result = CliRunner().invoke(app, ["export", str(source), "--vault", str(vault), "--quiet"])
    assert result.exit_code == EXIT_CODES[request.param], result.output
    return vault


def test_markdownlint_finds_nothing(exported):
    ensure_node_tools()
    assert markdownlint(exported) == []


def test_every_wikilink_resolves(exported):
    assert unresolved_wikilinks(exported) == []


def test_front_matter_reads_the_same_with_yaml_1_1_and_1_2(exported):
    ensure_node_tools()
    notes = read_vault(exported)
    yaml12 = js_yaml_front_matter(exported)
    for relative, (properties, _) in notes.items():
        if properties is None:
            continue
        as_text = {key: value if isinstance(value, (str, list)) else str(value).replace(" ", "T")
                   for key, value in properties.items()}
        assert yaml12[relative] == as_text, relative


def test_python_frontmatter_reads_what_we_read(exported):
    """python-frontmatter, the library many scripts load notes with, splits them as we do."""
    import frontmatter
    for relative, (properties, body) in read_vault(exported).items():
        post = frontmatter.loads((exported / relative).read_text("utf-8"))
        assert post.metadata == (properties or {}), relative
        assert post.content.strip() == body.strip(), relative


def test_inline_tags_are_valid_and_listed_in_properties(exported):
    for relative, (properties, body) in read_vault(exported).items():
        if not relative.startswith("Clippings/"):
            continue
        tags = set(properties.get("tags") or [])
        assert all(not tag.startswith("#") and " " not in tag and not tag.isdigit() for tag in tags), relative
        assert set(inline_tags(body)) <= tags, relative


def test_obsidiantools_loads_the_vault_with_every_link_resolved(exported):
    """obsidiantools ignores backslash escapes, so literal text such as \\[\\[x\\]\\] may look like a link to it."""
    from obsidiantools.api import Vault
    vault = Vault(exported).connect().gather()
    texts = "".join(path.read_text("utf-8") for path in exported.rglob("*.md"))
    assert [name for name in vault.nonexistent_notes if f"\\[\\[{name}" not in texts] == []
    clippings = [name for name in vault.front_matter_index if not name[:4].isdigit()]
    assert clippings and all(vault.front_matter_index[name].get("title") for name in clippings)


@pytest.mark.parametrize("source", ["seeds", "realworld"])
def test_topics_as_wikilinks_pass_markdownlint(source, tmp_path):
    if not SOURCES[source].is_dir():
        pytest.skip(f"{SOURCES[source]} is not here")
    ensure_node_tools()
    from typer.testing import CliRunner
    from vault_export.cli.commands import app
    config = tmp_path / "config.toml"
    config.write_text('[tags]\nstyle = "wikilink"\n', encoding="utf-8")
    vault = tmp_path / "vault"
    result = CliRunner().invoke(app, ["export", str(SOURCES[source]), "--vault", str(vault), "--quiet",
                                      "--config", str(config)])
    assert result.exit_code == EXIT_CODES[source], result.output
    assert any("[[" in note.read_text("utf-8") for note in (vault / "Clippings").glob("*.md"))
    assert markdownlint(vault) == []
