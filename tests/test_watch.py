"""`vault-export watch` as a person runs it: a subprocess that exports each saved note within a
second, outlives its source folder going away, shares the vault's lock, and stops on a signal."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import collector_note, write
from test_crash_and_lock import ENV, KILLER, export, hold_lock

SOON = 1.0  # what the person may wait for a saved note to show in the vault
DEADLINE = 30.0  # how long a test waits for anything before it fails


class Watch:
    """A running `vault-export watch`, its output in files (a full pipe would stall it)."""

    def __init__(self, tmp_path: Path, *args, script: str | None = None):
        self.out, self.err = tmp_path / "watch.out", tmp_path / "watch.err"
        command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "vault_export"]
        with open(self.out, "w") as out, open(self.err, "w") as err:  # its own group, as a terminal's job
            self.process = subprocess.Popen([*command, "watch", *map(str, args)], env=ENV, stdout=out,
                                            stderr=err, text=True, start_new_session=True)

    def stdout(self) -> str:
        return self.out.read_text()

    def stderr(self) -> str:
        return self.err.read_text()

    def runs(self) -> int:
        return self.stdout().count(" exported ")

    def stop(self, number: int = signal.SIGTERM) -> int:
        self.process.send_signal(number)
        return self.process.wait(timeout=DEADLINE)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def until(condition, what: str, deadline: float = DEADLINE) -> float:
    """Poll until condition() holds; the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > deadline:
            raise AssertionError(f"not within {deadline} s: {what}")
        time.sleep(0.02)
    return time.monotonic() - start


@pytest.fixture
def watching(tmp_path):
    started = []

    def start(*args) -> Watch:
        watch = Watch(tmp_path, *args)
        started.append(watch)
        until(lambda: watch.runs() >= 1 or watch.process.poll() is not None, "the first run")
        assert watch.process.poll() is None, watch.stderr()
        return watch

    yield start
    for watch in started:
        watch.kill()


def save(folder: Path, name: str, title: str) -> Path:
    return write(folder / name, collector_note(title=title, url=f"https://weibo.com/1/{name}"))


def note(vault: Path, title: str) -> Path:
    return vault / "Clippings" / f"{title}.md"


def test_a_saved_note_shows_within_a_second_and_sigterm_stops_with_the_lock_free(watching, tmp_path):
    inbox, vault = tmp_path / "inbox", tmp_path / "vault"
    save(inbox, "a.md", "First note")
    watch = watching(inbox, "--vault", vault)
    assert note(vault, "First note").exists()
    save(inbox, "b.md", "Second note")
    took = until(note(vault, "Second note").exists, "the saved note in the vault")
    assert took < SOON
    until(lambda: watch.runs() >= 2, "the run's line")
    assert watch.stop() == 0
    assert "exported 1 inputs: 1 created" in watch.stdout()  # one line per run, with its counts
    assert not (vault / ".vault-export" / "lock.pid").exists()
    assert export(inbox, "--vault", vault).returncode == 0  # the lock is free


# The signal comes from inside the run, at the n-th call of a function: the run is surely under way.
SIGNALLED = KILLER.replace("os.kill(os.getpid(), signal.SIGKILL)", "os.killpg(os.getpgid(0), signal.{signal})")


@pytest.mark.parametrize("number, jobs, module, owner, name, when", [
    ("SIGTERM", "1", "vault.writer", "os", "replace", 5),
    ("SIGINT", "2", "vault.triage", "Triage", "_triage", 70),  # while the workers render
])
def test_a_signal_during_a_run_lets_it_finish_then_stops_with_the_state_consistent(
        tmp_path, number, jobs, module, owner, name, when):
    """SIGINT goes to the whole group, as Ctrl-C on a terminal does: the workers too."""
    inbox, vault = tmp_path / "inbox", tmp_path / "vault"
    for index in range(80):
        save(inbox, f"{index}.md", f"Note {index}")
    script = SIGNALLED.format(module=module, owner=owner, name=name, when=when, signal=number)
    watch = Watch(tmp_path, inbox, "--vault", vault, "--jobs", jobs, script=script)
    try:
        assert watch.process.wait(timeout=120) == 0, watch.stderr()
    finally:
        watch.kill()
    assert "exported 80 inputs: 80 created" in watch.stdout()
    assert not (vault / ".vault-export" / "lock.pid").exists()
    again = export(inbox, "--vault", vault, "--report", tmp_path / "again.json")
    assert again.returncode == 0
    assert json.loads((tmp_path / "again.json").read_text())["summary"]["unchanged"] == 80


def test_the_source_folder_deleted_and_made_again_is_watched_again(watching, tmp_path):
    inbox, vault = tmp_path / "inbox", tmp_path / "vault"
    save(inbox, "a.md", "First note")
    watch = watching(inbox, "--vault", vault)
    shutil.rmtree(inbox)
    until(lambda: "is gone" in watch.stderr(), "word that the source is gone")
    save(inbox, "b.md", "After it came back")
    until(note(vault, "After it came back").exists, "a note saved into the new folder")
    assert note(vault, "First note").exists()  # the gone folder's notes stay
    save(inbox, "c.md", "Saved later")
    until(note(vault, "Saved later").exists, "a note saved once it is watched again")
    assert watch.stderr().count("is gone") == 1 and watch.stderr().count("is back") == 1
    assert watch.stop() == 0


def test_a_source_folder_replaced_by_another_is_followed(watching, tmp_path):
    inbox, vault = tmp_path / "inbox", tmp_path / "vault"
    save(inbox, "a.md", "First note")
    watch = watching(inbox, "--vault", vault)
    save(tmp_path / "fresh", "b.md", "From the new folder")
    inbox.rename(tmp_path / "old")
    (tmp_path / "fresh").rename(inbox)
    until(note(vault, "From the new folder").exists, "the new folder's note")
    save(tmp_path / "old", "c.md", "Into the old folder")  # no longer the source
    save(inbox, "d.md", "Into the new folder")
    until(note(vault, "Into the new folder").exists, "a note saved into the new folder")
    assert not note(vault, "Into the old folder").exists()
    assert watch.stop() == 0


def test_an_unmounted_inbox_is_left_out_until_notes_are_back(watching, tmp_path):
    inbox, other, vault = tmp_path / "inbox", tmp_path / "other", tmp_path / "vault"
    save(inbox, "a.md", "From the inbox")
    save(other, "b.md", "From the other")
    watch = watching(inbox, other, "--vault", vault)
    (inbox / "a.md").unlink()  # as an unmounted inbox looks: an empty folder
    until(lambda: "holds no notes" in watch.stderr(), "word that the inbox is empty")
    save(other, "c.md", "Still exported")
    until(note(vault, "Still exported").exists, "the other source's new note")
    save(inbox, "d.md", "The inbox is back")
    until(note(vault, "The inbox is back").exists, "the inbox's note once it has notes again")
    assert watch.stderr().count("holds no notes") == 1
    assert watch.stop(signal.SIGINT) == 0


def test_a_scheduled_export_runs_between_watched_runs_and_the_watch_waits_for_a_held_lock(watching, tmp_path):
    inbox, vault, report = tmp_path / "inbox", tmp_path / "vault", tmp_path / "report.json"
    save(inbox, "a.md", "First note")
    watch = watching(inbox, "--vault", vault, "--report", report)
    assert export(inbox, "--vault", vault).returncode == 0  # the watch holds no lock while idle
    holder = hold_lock(vault)
    try:
        save(inbox, "b.md", "Saved while locked")
        until(lambda: f"pid {holder.pid}" in watch.stderr(), "word that the lock is taken")
        assert not note(vault, "Saved while locked").exists()
    finally:
        holder.communicate("\n")
    until(note(vault, "Saved while locked").exists, "the note once the lock is free")
    until(lambda: len(json.loads(report.read_text())["items"]) == 2, "the report of the last run")
    assert watch.stderr().count(f"pid {holder.pid}") == 1
    assert watch.stop() == 0


def test_a_file_source_saved_by_renaming_a_new_copy_over_it_is_exported_each_time(watching, tmp_path):
    inbox, vault = tmp_path / "inbox", tmp_path / "vault"
    source = save(inbox, "a.md", "Draft")
    watch = watching(source, "--vault", vault)
    save(inbox, "b.md", "Not a source")
    for title in ("Second draft", "Final"):
        fresh = write(inbox / ".a.md.tmp", collector_note(title=title, url="https://weibo.com/1/a.md"))
        fresh.replace(source)  # as an editor saves: a hidden copy renamed over the file
        until(lambda: f"title: {title}\n" in note(vault, "Draft").read_text(), f"the note titled {title}")
    assert watch.stop() == 0
    assert not note(vault, "Not a source").exists()
    assert "is back" not in watch.stderr() and "is gone" not in watch.stderr()


def test_a_vault_and_a_report_inside_the_source_start_no_run_of_their_own(watching, tmp_path):
    inbox = tmp_path / "inbox"
    vault, report = inbox / "vault", inbox / "report.out"
    save(inbox, "a.md", "First note")
    watch = watching(inbox, "--vault", vault, "--report", report)
    for runs, title in enumerate(("Second note", "Third note"), start=2):
        save(inbox, f"{runs}.md", title)
        until(lambda: note(vault, title).exists() and watch.runs() >= runs, f"the run of {title}")
    # `status` takes longer than a run: a run started by what the last run wrote would show by then.
    status = subprocess.run([sys.executable, "-m", "vault_export", "status", "--vault", str(vault)], env=ENV,
                            capture_output=True, text=True, timeout=DEADLINE)
    assert status.returncode == 0 and "notes tracked: 3" in status.stdout
    assert watch.runs() == 3  # one per save, none for what the runs wrote
    assert watch.stop() == 0


def test_quiet_prints_no_line_per_run(watching, tmp_path):
    inbox, vault = tmp_path / "inbox", tmp_path / "vault"
    save(inbox, "a.md", "First note")
    watch = Watch(tmp_path, inbox, "--vault", vault, "-q")
    try:
        until(note(vault, "First note").exists, "the first run")
        save(inbox, "b.md", "Second note")
        until(note(vault, "Second note").exists, "the second run")
        assert watch.stop() == 0
        assert watch.stdout() == "" and watch.stderr() == ""
    finally:
        watch.kill()


def test_a_missing_source_is_a_usage_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "vault_export", "watch", str(tmp_path / "nowhere"),
                           "--vault", str(tmp_path / "vault")], env=ENV, capture_output=True, text=True,
                          timeout=DEADLINE)
    assert done.returncode == 2 and "nowhere" in done.stderr
