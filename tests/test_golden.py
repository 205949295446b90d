"""Golden vaults: export known inputs and compare the vault file by file with the expected tree.

Set UPDATE_GOLDEN=1 to write the expected trees anew; review the diff before committing it.
The bundled seeds/ are one case, and their expected vault is the sample in examples/sample-vault.
"""
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
CASES = {"seeds": (REPO / "seeds", REPO / "examples" / "sample-vault")}
CASES.update({case.name: (case / "input", case / "expected")
              for case in sorted(GOLDEN.iterdir()) if (case / "input").is_dir()} if GOLDEN.is_dir() else {})


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and ".vault-export" not in path.relative_to(root).parts}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_vault(case, run_cli, tmp_path):
    source, expected = CASES[case]
    vault = tmp_path / "vault"
    result = run_cli("export", source, "--vault", vault, "--timezone", "Asia/Shanghai")
    assert result.exit_code in (0, 1), result.stderr
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(vault, expected, ignore=shutil.ignore_patterns(".vault-export"))
    actual, wanted = tree(vault), tree(expected)
    assert sorted(actual) == sorted(wanted)
    for name in wanted:
        assert actual[name].decode() == wanted[name].decode(), name
