"""`--help` and `--version` answer without loading the pipeline, the HTML stack or Jinja; a run that
reads nothing loads no parser."""
import subprocess
import sys

import pytest

HEAVY = ("vault_export.pipeline", "bs4", "lxml", "markdownify", "jinja2", "rich", "yaml", "sqlite3")
PROBE = """
import sys
from vault_export.cli import main
sys.argv = ["vault-export", *{args!r}]
try:
    main()
except SystemExit:
    pass
print("loaded:", *(name for name in {heavy!r} if name in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["export", "--help"], ["watch", "--help"], []])
def test_help_and_version_load_nothing_heavy(args):
    done = subprocess.run([sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
                          capture_output=True, text=True, timeout=60)
    *printed, loaded = (done.stdout + done.stderr).strip().splitlines()
    assert "Usage: vault-export" in "".join(printed) or printed[0].startswith("vault-export "), printed
    assert loaded == "loaded:", f"{loaded} (for {args})"


def test_version_alone_prints_the_version():
    done = subprocess.run([sys.executable, "-m", "vault_export", "--version"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("vault-export ")


PARSERS = ("bs4", "lxml", "markdownify", "markdown_it", "feedparser", "trafilatura", "charset_normalizer", "rich")


def test_a_run_that_reads_nothing_loads_no_parser(tmp_path):
    """A scheduled run that finds nothing changed reads no input and converts nothing: it loads
    none of the readers' and the converter's libraries (nor rich, without a terminal)."""
    inbox, vault = tmp_path / "inbox", tmp_path / "vault"
    inbox.mkdir()
    (inbox / "a.md").write_text("# A post\n\n**URL**: https://example.com/a\n\n## 原始摘要\n\n<p>Hello</p>\n",
                                encoding="utf-8")
    args = ["export", str(inbox), "--vault", str(vault), "--quiet"]
    probe = PROBE.format(args=args, heavy=PARSERS)
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert first.stderr.strip().splitlines()[-1] != "loaded:"  # the first run reads and converts the note
    again = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert again.stderr.strip().splitlines()[-1] == "loaded:", again.stderr
    assert (vault / "Clippings" / "A post.md").exists()
