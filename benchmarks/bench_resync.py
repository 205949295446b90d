#!/usr/bin/env python3
"""Time re-syncs of an exported vault: nothing changed, and NEW notes added (best of 3 each, after a
warm-up, every run a whole `vault-export export INPUTS --vault VAULT --quiet` process).

Before each "new notes" run, NEW files of --new (taken in name order, never twice) are copied into
a folder of their own under INPUTS (zz-new-<n>/), so the vault and the inputs grow by NEW each run;
files copied there by an earlier run of the script are not taken again.
Wall and CPU (user + system, the process and its workers) are printed per run and best of 3. Byte
code is made by the warm-up run and used by the others, as an installed tool's is.
Nothing here asserts a time; see benchmarks/README.md.

    .venv/bin/python benchmarks/bench_resync.py /var/tmp/p13/inputs /var/tmp/p13/vault --new /var/tmp/p13/new
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_export import exporter_environment

CLI = [sys.executable, "-m", "vault_export", "export"]


ENVIRONMENT = exporter_environment(Path(tempfile.mkdtemp(prefix="vault-export-pycache-")))


def timed(inputs: Path, vault: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one export process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*CLI, str(inputs), "--vault", str(vault), "--quiet"], check=True, env=ENVIRONMENT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def add_notes(inputs: Path, pool: list[Path], count: int) -> None:
    folder = next(inputs / f"zz-new-{n}" for n in range(1, 10_000) if not (inputs / f"zz-new-{n}").exists())
    folder.mkdir()
    for _ in range(count):
        shutil.copy2(pool.pop(0), folder)


def best_of(name: str, runs: int, inputs: Path, vault: Path, before_each=None) -> None:
    results = []
    for run in range(runs + 1):  # the first is a warm-up
        if before_each:
            before_each()
        wall, cpu = timed(inputs, vault)
        print(f"  {name} run {run}{' (warm-up)' if run == 0 else ''}: {wall:.2f} s wall, {cpu:.2f} s CPU",
              flush=True)
        if run:
            results.append((wall, cpu))
    print(f"{name}: best wall {min(w for w, _ in results):.2f} s, best CPU {min(c for _, c in results):.2f} s "
          f"(CPU {min(c for _, c in results):.2f} to {max(c for _, c in results):.2f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", type=Path)
    parser.add_argument("vault", type=Path)
    parser.add_argument("--new", type=Path, help="a folder of notes to add, NEW before each run")
    parser.add_argument("--count", type=int, default=10, help="notes added per run (NEW)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, Python {sys.version.split()[0]}")
    best_of("nothing changed", args.runs, args.inputs, args.vault)
    if args.new:
        copied = {path.name for path in args.inputs.glob("zz-new-*/*")}  # by an earlier run of this script
        pool = sorted(path for path in args.new.rglob("*") if path.is_file() and path.name not in copied)
        best_of(f"{args.count} new notes", args.runs, args.inputs, args.vault,
                lambda: add_notes(args.inputs, pool, args.count))


if __name__ == "__main__":
    main()
