"""Golden vaults: export known inputs and compare the vault file by file with the expected tree.

Each case is `tests/golden/<case>/` with `expected/` (the vault), `input/` (the inputs; the seeds
case reads the bundled `seeds/`) and, where inputs must fail, `failures.txt` (their file names).
Set UPDATE_GOLDEN=1 to write the expected trees anew (those tests then skip); review the diff.
"""
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(case.name for case in GOLDEN.iterdir() if (case / "expected").is_dir())


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and ".vault-export" not in path.relative_to(root).parts}


def source_of(case: str) -> Path:
    return REPO / "seeds" if case == "seeds" else GOLDEN / case / "input"


def expected_failures(case: str) -> set[str]:
    listed = GOLDEN / case / "failures.txt"
    return set(listed.read_text("utf-8").split()) if listed.exists() else set()


@pytest.mark.parametrize("case", CASES)
def test_golden_vault(case, run_cli, tmp_path):
    vault, expected = tmp_path / "vault", GOLDEN / case / "expected"
    result = run_cli("export", source_of(case), "--vault", vault, "--timezone", "Asia/Shanghai")
    failed = {name for name, status in result.statuses().items() if status == "failed"}
    assert failed == expected_failures(case), result.stderr
    assert result.exit_code == (1 if failed else 0), result.stderr
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(vault, expected, ignore=shutil.ignore_patterns(".vault-export"))
        pytest.skip(f"{expected} written anew: review the diff")
    actual, wanted = tree(vault), tree(expected)
    assert sorted(actual) == sorted(wanted)
    for name in wanted:
        assert actual[name].decode() == wanted[name].decode(), name
