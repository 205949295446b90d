"""`--help` and `--version` answer without loading the pipeline, the HTML stack or Jinja."""
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
