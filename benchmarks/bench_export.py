#!/usr/bin/env python3
"""Benchmark `vault_export export` on synthetic collector notes (tests/support/corpus.py).

For each size N: a full export, re-syncs with nothing changed and with 10 new notes (each the
best of 3 runs after a warm-up, every run a whole CLI process) and with 1% of the inputs changed,
an I/O floor and turndown on the same HTML bodies, in one table of wall and CPU seconds, rates,
memory and ratios.
Nothing here asserts a time; see benchmarks/README.md.

    .venv/bin/python benchmarks/bench_export.py --sizes 2000,20000
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))
from support.corpus import Corpus, change_inputs, extract_body, generate  # noqa: E402

MB = 1024 * 1024
NEW_NOTES = 10


@dataclass
class Row:
    name: str
    wall: float | None = None
    cpu: float | None = None
    peak_mb: float | None = None  # the largest peak resident size (VmHWM) of any one process
    tree_mb: float | None = None  # the process tree's Pss summed, sampled every 0.1 s
    notes: int = 0
    nbytes: int = 0
    summary: dict | None = None
    note: str = ""
    ok: bool = True


def proc_field(path: str, key: str) -> str:
    """The rest of the first line of a /proc file that starts with key; '' without one."""
    try:
        with open(path) as f:
            return next((line[len(key):].lstrip(":\t ").strip() for line in f if line.startswith(key)), "")
    except OSError:
        return ""


def proc_kib(path: str, key: str) -> int:
    """The figure of a '<key> <n> kB' line of a /proc file; 0 without one."""
    value = proc_field(path, key).split()
    return int(value[0]) if value else 0


class MemorySampler(threading.Thread):
    """Every 0.1 s: the Pss (RSS without smaps_rollup) summed over a process and its descendants,
    so pages forked workers share count once, and the largest VmHWM of any one of them."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.tree_kib, self.largest_kib, self.samples = pid, 0, 0, 0
        self.stop = threading.Event()

    def pids(self) -> list[int]:
        out, todo = [], [self.pid]
        while todo:
            out.append(pid := todo.pop())
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as f:
                        todo.extend(int(c) for c in f.read().split())
            except OSError:
                pass
        return out

    def run(self) -> None:
        while not self.stop.is_set():
            pids = self.pids()
            self.tree_kib = max(self.tree_kib, sum(
                proc_kib(f"/proc/{p}/smaps_rollup", "Pss:") or proc_kib(f"/proc/{p}/status", "VmRSS:") for p in pids))
            self.largest_kib = max(self.largest_kib, *(proc_kib(f"/proc/{p}/status", "VmHWM:") for p in pids))
            self.samples += 1
            self.stop.wait(0.1)


def run_measured(name: str, cmd: list[str], cwd: Path, logs: Path, env: dict | None = None) -> tuple[Row, int]:
    """Run cmd with its output in logs/<name>.stdout|stderr; the child's CPU time (its own and that of
    every process it waited for) comes from wait4."""
    with open(logs / f"{name}.stdout", "wb") as out, open(logs / f"{name}.stderr", "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        sampler = MemorySampler(p.pid)
        sampler.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        sampler.stop.set()
        sampler.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    cpu = ru.ru_utime + ru.ru_stime
    # wait4's ru_maxrss (KiB) only when the run was too short to sample: it also counts the instant
    # between fork and exec, when the child is a copy of this benchmark process.
    peak = sampler.largest_kib or ru.ru_maxrss
    tree = sampler.tree_kib / 1024 if sampler.samples >= 3 and sampler.tree_kib else None
    return Row(name, wall, cpu, peak / 1024, tree), p.returncode


def tail(path: Path, lines: int = 15) -> str:
    return "\n".join("      | " + s for s in path.read_text("utf-8", "replace").rstrip().splitlines()[-lines:])


def best_of(runs: int, change, name: str, corpus: Corpus, vault: Path, logs: Path, jobs: int | None) -> Row:
    """The fastest of `runs` exports after a warm-up one, each after change(run) (None: nothing changes)."""
    rows = []
    for run in range(runs + 1):
        if change:
            change(run)
        rows.append(run_exporter(name, corpus, vault, logs, jobs))
    rows.pop(0)
    best = min(rows, key=lambda row: row.wall if row.ok else float("inf"))
    best.note = (best.note + "; " if best.note else "") + f"best of {runs}: " + \
        ", ".join(f"{row.wall:.2f}s" for row in rows)
    return best


def add_notes(corpus: Corpus, count: int, seed: int) -> None:
    """`count` new notes (URLs of their own) in a folder of their own under the corpus's root."""
    added = generate(corpus.root / f"new-{seed}", count, seed)
    corpus.files += added.files
    corpus.total_bytes += added.total_bytes


def exporter_environment(pycache: Path) -> dict[str, str]:
    """`-m vault_export` finds this checkout even when it is not installed; PYTHONPATH entries come
    first. Byte code is kept in `pycache`, not beside the sources, and made by the first run (even
    where PYTHONDONTWRITEBYTECODE is set), so that every later run starts as an installed tool does
    instead of compiling every module again."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(pycache),
           "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(REPO)]))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def run_exporter(name: str, corpus: Corpus, vault: Path, logs: Path, jobs: int | None) -> Row:
    report = logs / f"{name}.json"
    cmd = [sys.executable, "-m", "vault_export", "export", str(corpus.root), "--vault", str(vault),
           "--quiet", "--report", str(report)] + (["--jobs", str(jobs)] if jobs is not None else [])
    row, rc = run_measured(name, cmd, logs.parent, logs, exporter_environment(logs.parent / "pycache"))  # run from the work folder, not the repo
    row.notes, row.nbytes = len(corpus.files), corpus.total_bytes
    if report.exists():
        row.summary = json.loads(report.read_text("utf-8")).get("summary")
    else:
        row.note = "no report written"
    if rc != 0:  # a non-zero exit with a report (per-item errors) still counts
        row.ok = row.summary is not None
        row.note = f"exit {rc}; {row.note}\n{tail(logs / f'{name}.stderr')}"
    return row


def io_floor(corpus: Corpus, out: Path) -> Row:
    """In this process: read every input, write as many files of the same sizes, each a temporary
    file renamed over the target, then one os.sync() (the exporter flushes the vault's filesystem after each batch)."""
    c0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    nbytes = 0
    for day in sorted(d for d in corpus.root.iterdir() if d.is_dir()):
        (out / day.name).mkdir(parents=True)
        for entry in os.scandir(day):
            if entry.name.endswith(".md"):
                data = Path(entry.path).read_bytes()
                tmp = out / day.name / f".{entry.name}.tmp"
                tmp.write_bytes(data)
                os.replace(tmp, out / day.name / entry.name)
                nbytes += len(data)
    os.sync()
    wall, c1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
    cpu = c1.ru_utime - c0.ru_utime + c1.ru_stime - c0.ru_stime
    return Row("io-floor", wall, cpu, notes=len(corpus.files), nbytes=nbytes,
               note="in-process; temp file + os.replace per file, one os.sync() at the end")


def setup_turndown(workdir: Path) -> tuple[Path | None, str]:
    """npm install benchmarks/turndown in the work folder: (its folder, turndown's version), or
    (None, why not)."""
    npm, folder = shutil.which("npm"), workdir / "turndown-env"
    if not shutil.which("node") or not npm:
        return None, "skipped: node/npm not found on PATH"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "convert.mjs"):
        shutil.copy2(HERE / "turndown" / name, folder / name)
    if not (folder / "node_modules/turndown").exists():  # a kept --workdir has it already
        try:
            p = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder,
                               capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as e:
            return None, f"skipped: npm install failed ({e})"
        if p.returncode != 0:
            return None, "skipped: npm install failed\n" + (p.stderr or p.stdout)[-2000:]
    return folder, json.loads((folder / "node_modules/turndown/package.json").read_text())["version"]


def run_turndown(turndown: tuple[Path | None, str], bodies: Path, logs: Path) -> Row:
    """Only the conversion loop is timed, by convert.mjs itself; memory is the node process's."""
    folder, version = turndown
    if folder is None:
        return Row("turndown", ok=False, note=version)
    cmd = ["node", "--max-old-space-size=8192", str(folder / "convert.mjs"), str(bodies)]
    row, rc = run_measured("turndown", cmd, folder, logs)
    if rc != 0:
        return Row("turndown", ok=False, note=f"failed: node exit {rc}\n{tail(logs / 'turndown.stderr')}")
    res = json.loads((logs / "turndown.stdout").read_text().strip().splitlines()[-1])
    row.note = f"turndown {version} + gfm; conversion loop only (node process {row.wall:.2f}s wall)"
    row.wall, row.cpu, row.notes, row.nbytes = res["seconds"], res["cpu_seconds"], res["count"], res["in_bytes"]
    return row


def print_table(rows: list[Row]) -> None:
    floor, td = (next((r for r in rows if r.name == name and r.ok), None) for name in ("io-floor", "turndown"))
    widths = (18, 9, 9, 10, 8, 9, 9, 9, 11)

    def line(*cells: str) -> str:
        return "".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    def fmt(v: float | None, spec: str) -> str:
        return "-" if v is None else format(v, spec)

    print(line("step", "wall s", "CPU s", "notes/s", "MB/s", "peak MB", "tree MB", "x floor", "x turndown"))
    print("-" * sum(widths))
    for r in rows:
        if not r.ok:
            print(line(r.name + (" skipped" if r.note.startswith("skipped") else " FAILED"), *["-"] * 8))
            continue
        print(line(r.name, fmt(r.wall, ".2f"), fmt(r.cpu, ".2f"), fmt(r.notes / r.wall, ",.0f"),
                   fmt(r.nbytes / MB / r.wall, ".1f"), fmt(r.peak_mb, ".0f"), fmt(r.tree_mb, ".0f"),
                   fmt(floor and r.wall / floor.wall, ".2f"), fmt(td and r.wall / td.wall, ".2f")))
    print()
    for r in rows:
        if r.summary is not None:
            print(f"  {r.name}: summary " + ", ".join(f"{k}={v}" for k, v in r.summary.items()))
        if r.note:
            print(f"  {r.name}: {r.note}")


def machine_info(workdir: Path) -> list[str]:
    mounts = Path("/proc/mounts").read_text().splitlines() if Path("/proc/mounts").exists() else []
    dev, mnt, fs = max((m.split()[:3] for m in mounts if str(workdir).startswith(m.split()[1])),
                       key=lambda m: len(m[1]), default="???")  # the mount the work folder is on
    ram, load = proc_kib("/proc/meminfo", "MemTotal:") / MB, "/".join(f"{x:.2f}" for x in os.getloadavg())
    node = shutil.which("node") and subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=20)
    return [
        f"machine:  {platform.platform()}; {proc_field('/proc/cpuinfo', 'model name') or '?'}",
        f"cpus:     {os.cpu_count()}; {ram:.1f} GiB RAM; load average {load}",
        f"python:   {platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        f"node:     {node.stdout.strip() if node else 'not found'}",
        f"workdir:  {workdir} on {fs} ({dev} on {mnt})",
    ]


def bench_size(n: int, args: argparse.Namespace, workdir: Path, turndown: tuple[Path | None, str]) -> dict:
    base = workdir / f"n{n}"
    shutil.rmtree(base, ignore_errors=True)
    vault, logs = base / "vault", base / "logs"
    logs.mkdir(parents=True)
    print(f"\n=== N = {n:,} ===", flush=True)
    t0 = time.perf_counter()
    corpus = generate(base / "inputs", n, args.seed)
    mix = ", ".join(f"{k} {v}" for k, v in sorted(corpus.kinds.items(), key=lambda kv: -kv[1]))
    print(f"generated {len(corpus.files):,} notes, {corpus.total_bytes / MB:.1f} MB in {corpus.dates} date folders "
          f"in {time.perf_counter() - t0:.1f}s ({mix}; re-saves of an earlier URL {corpus.resaves})", flush=True)
    bodies = base / "bodies.jsonl"
    with open(bodies, "w", encoding="utf-8") as f:  # one JSON string per line, for convert.mjs
        for path in corpus.files:
            f.write(json.dumps(extract_body(path.read_text("utf-8")), ensure_ascii=False) + "\n")
    rows: list[Row] = []

    def step(what: str, measure, *arguments) -> None:
        print(f"running {what} ...", flush=True)
        os.sync()  # no step pays for writing out an earlier step's files (the exporter flushes its own)
        rows.append(measure(*arguments))

    step("export", run_exporter, "export", corpus, vault, logs, args.jobs)
    step("resync (nothing changed)", best_of, 3, None, "resync-0%", corpus, vault, logs, args.jobs)
    step(f"resync ({NEW_NOTES} new notes)", best_of, 3, lambda run: add_notes(corpus, NEW_NOTES, args.seed + run + 1),
         "resync-new", corpus, vault, logs, args.jobs)
    changed = change_inputs(corpus, 0.01, args.seed)
    corpus.total_bytes = sum(p.stat().st_size for p in corpus.files)
    step(f"resync ({len(changed)} inputs changed)", run_exporter, "resync-1%", corpus, vault, logs, args.jobs)
    step("io floor", io_floor, corpus, base / "floor")
    step("turndown", run_turndown, turndown, bodies, logs)
    print()
    print_table(rows)
    # Nothing is deleted until the whole run is over: on ext4 without a journal, creating files
    # within ~30 s of deleting many is slow, which would slow down the next size's steps.
    return {"n": n, "input_mb": corpus.total_bytes / MB, "dates": corpus.dates, "resaves": corpus.resaves,
            "kinds": corpus.kinds, "rows": [r.__dict__ for r in rows]}


def counts(text: str) -> list[int]:
    return [int(s) for s in text.split(",")]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=counts, default="2000,20000,100000",
                    help="comma-separated note counts (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=None, help="passed to the exporter as --jobs N")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where to generate inputs and vaults (default: a new folder under the temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the generated inputs, vaults and logs")
    ap.add_argument("--seed", type=int, default=20250606, help="generator seed (default: %(default)s)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    if min(args.sizes) < 1:
        ap.error("--sizes takes positive note counts")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="vault-export-bench-"))).resolve()
    if workdir == REPO or REPO in workdir.parents:
        print("refusing to generate data inside the repository; pick another --workdir", file=sys.stderr)
        return 2
    workdir.mkdir(parents=True, exist_ok=True)
    print("vault-export benchmark\n" + "\n".join(machine_info(workdir)))
    print(f"exporter: {sys.executable} -m vault_export export ... "
          f"{'--jobs ' + str(args.jobs) if args.jobs is not None else '(default jobs)'}")
    print(f"sizes:    {', '.join(f'{n:,}' for n in args.sizes)}; seed {args.seed}")
    turndown = setup_turndown(workdir)
    print(f"turndown: {turndown[1]} + turndown-plugin-gfm, in {turndown[0]}" if turndown[0] else
          f"turndown: {turndown[1]}")
    results = []
    try:
        for n in args.sizes:
            results.append(bench_size(n, args, workdir, turndown))
    finally:
        if args.json:
            args.json.write_text(json.dumps({"machine": machine_info(workdir), "jobs": args.jobs, "results": results},
                                            indent=2, ensure_ascii=False))
        if args.keep:
            print(f"\nkept: {workdir}")
        elif args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
        else:  # a --workdir of the user's: remove only what this run made
            for path in [workdir / f"n{n}" for n in args.sizes] + [workdir / "turndown-env"]:
                shutil.rmtree(path, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
