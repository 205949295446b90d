"""Every input format in one folder, in one run: each becomes notes through the same pipeline."""
import shutil
from pathlib import Path

from conftest import SEEDS
from support.node_tools import ensure_node_tools, markdownlint
from support.vault_reader import read_vault, unresolved_wikilinks

FIXTURES = Path(__file__).parent / "fixtures"
ONE_OF_EACH = {
    "seed.txt": SEEDS / "000_86f4595439d53eb0.txt",
    "items.json": FIXTURES / "readers" / "items.json",
    "notebook.enex": FIXTURES / "readers" / "notebook.enex",
    "web-clipper.md": FIXTURES / "readers" / "web-clipper.md",
    "feed.atom": FIXTURES / "feeds" / "atom.atom",
    "page.html": FIXTURES / "webpages" / "article.html",
}


def test_one_folder_of_every_format_exports_in_one_run(run_cli, tmp_path, vault):
    inbox = tmp_path / "mixed"
    inbox.mkdir()
    for name, source in ONE_OF_EACH.items():
        shutil.copy(source, inbox / name)
    result = run_cli("export", inbox, "--vault", vault)
    read_from = {Path(item["input"].split("#")[0]).name for item in result.report["items"]
                 if item["status"] == "created"}
    assert read_from == set(ONE_OF_EACH)
    notes = read_vault(vault)
    assert all(properties.get("title") for path, (properties, _) in notes.items() if path.startswith("Clippings/"))
    assert any(path.startswith("Attachments/") for path in (p.relative_to(vault).as_posix() for p in vault.rglob("*")))
    clipped = "Clippings/How to keep notes a guide.md"  # the clipper's own links to notes the person has
    assert unresolved_wikilinks(vault) == [(clipped, "[[Ana Silva]]"), (clipped, "[[Zettelkasten]]")]
    ensure_node_tools()
    assert markdownlint(vault) == []
