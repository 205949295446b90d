"""A run killed at any moment leaves no partial note; two runs never write one vault at once."""
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import collector_note, write

ENV = {**os.environ, "TZ": "Asia/Shanghai"}
KILLER = textwrap.dedent("""
    import functools, importlib, os, signal, sys
    from vault_export.cli import main
    owner = [name for name in "{owner}".split(".") if name]  # none: a function of the module itself
    target = functools.reduce(getattr, owner, importlib.import_module("vault_export.{module}"))
    original, calls = target.{name}, [0]
    def dying(*args, **kwargs):
        calls[0] += 1
        if calls[0] == {when}:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    target.{name} = dying
    sys.argv = ["vault-export", *sys.argv[1:]]
    main()
""")


def export(*args, script: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "vault_export"]
    return subprocess.run([*command, "export", *map(str, args)], env=ENV, capture_output=True, text=True,
                          timeout=120)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".vault-export" not in p.relative_to(root).parts}


@pytest.fixture(scope="module")
def many_inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    for index in range(120):
        day = f"2025-06-{1 + index % 5:02d}"
        write(folder / day / f"{index}.md", collector_note(
            title=f"Note {index}", url=f"https://x/{index}", body=f"<p>Body {index}</p>" * 20,
            meta={"保存时间": f"{day}T0{index % 10}:00:00Z", "目录日期": day}))
    return folder


@pytest.fixture(scope="module")
def clean_tree(many_inputs, tmp_path_factory) -> dict[str, bytes]:
    vault = tmp_path_factory.mktemp("clean") / "vault"
    assert export(many_inputs, "--vault", vault, "--jobs", "1").returncode == 0
    return tree(vault)


@pytest.mark.parametrize("module, owner, name, when", [
    ("vault.writer", "os", "replace", 1), ("vault.writer", "os", "replace", 60), ("vault.writer", "os", "replace", 121),
    ("vault.writer", "os", "replace", 124), ("vault.state", "State", "commit", 1), ("vault.state", "State", "commit", 3),
    ("vault.writer", "", "sync_filesystem", 1),
])
def test_a_killed_run_leaves_no_partial_note_and_the_next_run_completes(
        many_inputs, clean_tree, tmp_path, module, owner, name, when):
    """SIGKILL at the n-th rename, commit, sync or low-level write of the run."""
    vault = tmp_path / "vault"
    script = KILLER.format(module=module, owner=owner, name=name, when=when)
    killed = export(many_inputs, "--vault", vault, "--jobs", "1", script=script)
    assert killed.returncode == -signal.SIGKILL
    visible = {path: data for path, data in tree(vault).items() if not Path(path).name.startswith(".")}
    for path, data in visible.items():
        assert path.startswith("Daily/") or data == clean_tree.get(path), f"partial or stray note: {path}"
    assert export(many_inputs, "--vault", vault, "--jobs", "1").returncode == 0
    assert tree(vault) == clean_tree


HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from vault_export.vault.lock import vault_lock
    with vault_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        sys.stdin.readline()
""")


def hold_lock(vault: Path) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(vault)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    return holder


def test_a_second_run_exits_75_naming_the_holder(tmp_path):
    write(tmp_path / "in" / "a.md", collector_note())
    holder = hold_lock(tmp_path / "vault")
    try:
        second = export(tmp_path / "in", "--vault", tmp_path / "vault")
        assert second.returncode == 75 and f"pid {holder.pid}" in second.stderr
        assert not (tmp_path / "vault" / "Clippings").exists()
    finally:
        holder.communicate("\n")


def test_wait_lets_a_second_run_go_once_the_first_ends(tmp_path):
    write(tmp_path / "in" / "a.md", collector_note())
    holder = hold_lock(tmp_path / "vault")
    waiting = subprocess.Popen([sys.executable, "-m", "vault_export", "export", str(tmp_path / "in"),
                                "--vault", str(tmp_path / "vault"), "--wait", "60"], env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    holder.communicate("\n")
    assert waiting.wait(timeout=60) == 0
    assert (tmp_path / "vault" / "Clippings" / "A saved post.md").exists()


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    write(tmp_path / "in" / "a.md", collector_note())
    holder = hold_lock(tmp_path / "vault")
    holder.kill()
    holder.wait()
    assert export(tmp_path / "in", "--vault", tmp_path / "vault").returncode == 0


FULL_DISK = textwrap.dedent("""
    import errno, os, sys
    import vault_export.vault.writer as writer
    from vault_export.cli import main
    original, calls = writer.os.replace, [0]
    def full(*args, **kwargs):
        calls[0] += 1
        if calls[0] >= {when}:
            raise OSError(errno.{code}, os.strerror(errno.{code}))
        return original(*args, **kwargs)
    writer.os.replace = full
    sys.argv = ["vault-export", *sys.argv[1:]]
    main()
""")


@pytest.mark.parametrize("code", ["ENOSPC", "EROFS"])
def test_a_full_or_read_only_disk_stops_the_run_cleanly_and_the_next_run_completes(
        many_inputs, clean_tree, tmp_path, code):
    vault = tmp_path / "vault"
    stopped = export(many_inputs, "--vault", vault, "--jobs", "1", script=FULL_DISK.format(when=40, code=code))
    assert stopped.returncode == 1
    assert os.strerror(getattr(__import__("errno"), code)) in stopped.stderr
    assert stopped.stderr.count("\n") <= 3  # one clear message, not one per note
    assert export(many_inputs, "--vault", vault, "--jobs", "1").returncode == 0
    assert tree(vault) == clean_tree


INTERRUPTER = KILLER.replace("os.kill(os.getpid(), signal.SIGKILL)", "raise KeyboardInterrupt")


def test_ctrl_c_during_a_write_leaves_no_temporary_file(many_inputs, clean_tree, tmp_path):
    vault = tmp_path / "vault"
    script = INTERRUPTER.format(module="writer", owner="os", name="replace", when=30)
    interrupted = export(many_inputs, "--vault", vault, "--jobs", "1", script=script)
    assert interrupted.returncode != 0
    assert not [path for path in vault.rglob("*") if path.name.startswith(".vault-export-tmp-")]
    assert export(many_inputs, "--vault", vault, "--jobs", "1").returncode == 0
    assert tree(vault) == clean_tree


def test_a_batch_is_flushed_on_the_vaults_filesystem_only(run_cli, inbox, vault, monkeypatch):
    import vault_export.vault.writer as writer
    if writer._syncfs is None:
        pytest.skip("this system has no syncfs: every filesystem is flushed")
    flushed = []
    monkeypatch.setattr(writer.os, "sync", lambda: pytest.fail("os.sync flushes every filesystem on the machine"))
    monkeypatch.setattr(writer, "_syncfs", lambda descriptor: flushed.append(os.readlink(f"/proc/self/fd/{descriptor}")) or 0)
    write(inbox / "a.md", collector_note())
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    assert flushed and set(flushed) == {str(vault.resolve())}


STALLED = textwrap.dedent("""
    import sys, time
    import vault_export.vault.batch as batch
    from vault_export.cli import main
    original = batch.BatchWriter.write
    def stalled(*args, **kwargs):
        time.sleep(120)  # the workers exist and hold rendered notes: the test kills this process now
        return original(*args, **kwargs)
    batch.BatchWriter.write = stalled
    sys.argv = ["vault-export", *sys.argv[1:]]
    main()
""")


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(child) for child in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def poll(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
def test_the_workers_of_a_killed_run_die_with_it(many_inputs, tmp_path):
    run = subprocess.Popen([sys.executable, "-c", STALLED, "export", str(many_inputs), "--vault",
                            str(tmp_path / "vault"), "--jobs", "2", "-q"], env=ENV,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert poll(lambda: len(children(run.pid)) >= 2, 60), "the run never started its workers"
        workers = children(run.pid)
    finally:
        run.kill()
        run.wait()
    outlived = not poll(lambda: not any(alive(pid) for pid in workers), 10)
    survivors = [pid for pid in workers if alive(pid)]
    for pid in survivors:  # not left behind by a failing test
        os.kill(pid, signal.SIGKILL)
    assert not outlived, f"workers outlived their run: {survivors}"
