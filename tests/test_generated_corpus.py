"""A generated corpus of every kind of collector note (support/corpus.py, as the benchmark uses),
exported end to end: worker processes change no byte, and a second run changes nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.corpus import generate

KINDS = {"weibo", "wechat", "page", "arxiv", "long"}


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and ".vault-export" not in path.relative_to(root).parts}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    # 150 notes: more than the exporter renders in its own process, so --jobs 2 starts workers.
    corpus = generate(tmp_path_factory.mktemp("corpus") / "inputs", 150, seed=20250606)
    assert set(corpus.kinds) == KINDS and corpus.resaves > 0  # every kind, and re-saves of a URL
    return corpus


def test_the_generator_is_deterministic(corpus, tmp_path):
    again = generate(tmp_path / "inputs", 150, seed=20250606)
    assert tree(again.root) == tree(corpus.root)
    assert tree(generate(tmp_path / "other", 150, seed=1).root) != tree(corpus.root)


def test_one_and_two_jobs_write_the_same_vault_and_a_second_run_changes_nothing(run_cli, corpus, tmp_path):
    one = run_cli("export", corpus.root, "--vault", tmp_path / "one", "--jobs", "1")
    two = run_cli("export", corpus.root, "--vault", tmp_path / "two", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0, one.stderr + two.stderr
    created = one.report["summary"]["created"]
    assert created == len(corpus.files) - corpus.resaves and one.report["summary"]["failed"] == 0
    assert one.report["items"] == two.report["items"]
    written = tree(tmp_path / "two")
    assert sum(path.startswith("Clippings/") for path in written) == created
    assert tree(tmp_path / "one") == written

    mtimes = {path: path.stat().st_mtime_ns for path in (tmp_path / "two").rglob("*.md")}
    again = run_cli("export", corpus.root, "--vault", tmp_path / "two", "--jobs", "2")
    assert again.exit_code == 0
    assert again.report["summary"]["unchanged"] == created
    assert {item["status"] for item in again.report["items"]} == {"unchanged", "duplicate"}
    assert tree(tmp_path / "two") == written
    assert {path: path.stat().st_mtime_ns for path in (tmp_path / "two").rglob("*.md")} == mtimes
