"""What a run plans: only the identities something changed for, so that a run costs what changed
and a run that finds nothing changed is the empty case of the same path.

An identity is planned again when an input holding one of its saves (now or at the last run) is
new, changed or gone; when its note's file is not as the last run left it (edited, moved or
deleted by the person); when its conflict is open; or when the last run did not settle it (a
failure, a skipped note, an image to fetch again). The other saves of those identities come from
the state's input cache. Every identity is planned when the settings changed, or when the last run
stopped before it finished planning, or a version that keeps no plan ran since.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from functools import cached_property

from vault_export.inputs.scan import Scan
from vault_export.model import Report, Save, Status
from vault_export.vault.batch import RETRY_IMAGES
from vault_export.vault.plan import PlannedNote
from vault_export.vault.state import (LIST_SEPARATOR, PLAN_SUMMARY, PLANNED_WITH, UNKNOWN_TIME, State,
                                      folder_mtime)

SETTLED = {Status.CREATED, Status.UPDATED, Status.UNCHANGED, Status.DUPLICATE}


Plan = tuple[str, list[str], list[str]]  # identity, its inputs, its saves' origins (oldest first)


class Replan:
    """The identities one run plans, and what the state remembers of the plan for the next run."""

    def __init__(self, state: State, vault: str, settings: str, edits_matter: bool, lists_unchanged: bool):
        self.state = state
        self.vault = vault
        self.edits_matter = edits_matter  # an edited note is written again or reported (not merged)
        self.lists_unchanged = lists_unchanged  # the run's report lists every item, unchanged ones too
        self.settings = hashlib.sha256(settings.encode()).hexdigest()
        # The plan holds for the run after the one that recorded it, and not after a run of a
        # version that keeps no plan.
        self.everything = state.meta(PLANNED_WITH) != f"{self.settings} {state.last_run_id()}"
        self.dirty: set[str] = set()  # the identities planned (when not everything)
        # Until this run has planned and synced, the next run must plan everything.
        state.begin()
        state.db.execute("DELETE FROM meta WHERE key = ?", (PLANNED_WITH,))
        state.commit()

    def saves(self, scan: Scan, report: Report) -> tuple[list[Save], dict[str, list[str]]]:
        """The saves to plan, and the inputs holding each identity's saves; the notes not planned
        are reported."""
        inputs: dict[str, list[str]] = {}
        saves = []
        for key, found in scan.saves.items():
            for save in found:
                saves.append(save)
                inputs.setdefault(save.identity, []).append(key)
        if self.everything:
            return saves, inputs
        self.dirty = scan.was | inputs.keys() | self.state.open_conflict_identities() | self._notes_to_look_at()
        self._report_settled(report)
        held = set(self.state.planned_inputs(self.dirty)) - scan.left - scan.saves.keys()
        for key in sorted(held):
            for fields in self.state.input_saves(key):
                if fields[0] in self.dirty:
                    saves.append(Save.from_cache(fields, key))
                    inputs.setdefault(fields[0], []).append(key)
        return saves, inputs

    @cached_property
    def folders(self) -> dict[str, int]:
        """The folders holding notes, as the last run left them; none recorded (a state of an older
        version): every folder, to be looked at."""
        return self.state.note_folders() or dict.fromkeys(self.state.folders_in_use(), UNKNOWN_TIME)

    def _notes_to_look_at(self) -> set[str]:
        """The notes whose file is not as the state left it. Adding, renaming, moving or deleting a
        file changes its folder's modification time, so only the notes of folders whose time
        changed are looked at, unless edits matter: an edit inside a note whose source did not
        change is what a merge keeps, and is merged when the source next changes."""
        changed, root = set(), self.vault + "/"
        for folder, folder_time in self.folders.items():
            if folder_mtime(self.vault, folder) == folder_time != UNKNOWN_TIME and not self.edits_matter:
                continue
            for identity, path, size, mtime_ns in self.state.notes_in(folder):
                try:
                    stat = os.lstat(root + path)
                except OSError:
                    changed.add(identity)
                    continue
                if stat.st_mtime_ns != mtime_ns or stat.st_size != size:
                    changed.add(identity)
        return changed

    def _report_settled(self, report: Report) -> None:
        """The notes the last run settled, whose file is as it left them and that nothing else
        changed for, are reported unchanged: listed when the run's report lists every item, else
        only counted; the others are planned again (and so are those with images to fetch again)."""
        summary = self._last_summary
        self.dirty |= set(summary["redo"]) if summary else self.state.plans_to_redo(RETRY_IMAGES)
        if self.lists_unchanged:
            for identity, origins, path in self.state.plans_with_notes():
                if identity not in self.dirty:
                    report.add_note(origins.split(LIST_SEPARATOR), Status.UNCHANGED, path)
        else:
            (notes, origins), (dirty_notes, dirty_origins) = self._all_counts, self._dirty_counts
            report.unlisted_unchanged = (notes - dirty_notes, origins - dirty_origins)

    @cached_property
    def _last_summary(self) -> dict | None:
        """What the last run recorded of its plans (see record); None from a version that kept none."""
        text = self.state.meta(PLAN_SUMMARY)
        summary = json.loads(text) if text else None
        return summary if summary and summary["run"] == self.state.last_run_id() else None

    @cached_property
    def _all_counts(self) -> tuple[int, int]:
        """(notes, origins) of all the plans the last run left."""
        return tuple(self._last_summary["counts"]) if self._last_summary else self.state.plan_counts()

    @cached_property
    def _dirty_counts(self) -> tuple[int, int]:
        """(notes, origins) of the last run's plans of the identities this run plans again."""
        return self.state.plan_counts(self.dirty)

    def record(self, plans: list[Plan], report: Report) -> None:
        """Remember each planned note's inputs and origins, and whether this run settled it; and,
        so that the next run need not read every plan, how many notes and origins all the plans
        hold and which notes must be planned again."""
        unsettled = {item.input for item in report.items if item.status not in SETTLED}
        state = self.state
        state.begin()
        notes, origins = (0, 0) if self.everything else self._all_counts
        forgotten = (0, 0) if self.everything else self._dirty_counts
        state.forget_planned(None if self.everything else self.dirty)
        state.save_planned((identity, inputs, origins, unsettled.isdisjoint(origins))
                           for identity, inputs, origins in plans)
        run = state.last_run_id() + 1  # this run, once recorded
        counts = (notes - forgotten[0] + len(plans), origins - forgotten[1] + sum(len(plan[2]) for plan in plans))
        redo = state.plans_to_redo(RETRY_IMAGES, None if self.everything else [plan[0] for plan in plans])
        state.set_meta(PLAN_SUMMARY, json.dumps({"run": run, "counts": counts, "redo": sorted(redo)}))
        state.set_meta(PLANNED_WITH, f"{self.settings} {run}")
        self._record_folders()
        state.commit()

    def _record_folders(self) -> None:
        """The folders holding notes, with their modification time now that the run wrote what it
        writes: every folder after a run that planned everything, else those recorded before and
        those this run saved notes into."""
        folders = self.state.folders_in_use() if self.everything else self.folders.keys() | self.state.folders_written
        self.state.save_note_folders({folder: folder_mtime(self.vault, folder) for folder in folders})


def plans_of(planned: Iterable[PlannedNote], inputs: dict[str, list[str]]) -> list[Plan]:
    """What record keeps of the planned notes, taken before the sync lets go of them."""
    return [(note.identity, sorted(set(inputs[note.identity])), [save.origin_text for save in note.saves])
            for note in planned]
