"""Three-way merge of a note the person edited: what we last wrote is the base."""
from __future__ import annotations

from typing import Any

from merge3 import Merge3

from vault_export.render.properties import dump_properties, read_properties, split_front_matter

MISSING = object()


class MergeConflict(Exception):
    """The person's edits and ours overlap; nothing may be merged automatically."""


def merge_note(base: str, theirs: str, ours: str) -> str:
    """Their file with our changes since `base` applied; MergeConflict where both changed the same part."""
    base_props, base_body = _split(base)
    their_props, their_body = _split(theirs)
    our_props, our_body = _split(ours)
    body = merge_text(base_body, their_body, our_body)
    if our_props == base_props:  # keep their front matter exactly as they wrote it
        return theirs[: len(theirs) - len(their_body)] + body
    properties = merge_properties(base_props, their_props, our_props)
    return dump_properties(properties) + body


def merge_properties(base: dict, theirs: dict, ours: dict) -> dict[str, Any]:
    """Key by key: a key only one side changed takes that side's value; both changing it differently conflicts."""
    merged: dict[str, Any] = {}
    for key in list(theirs) + [key for key in ours if key not in theirs]:
        value = _merge_value(base.get(key, MISSING), theirs.get(key, MISSING), ours.get(key, MISSING), key)
        if value is not MISSING:
            merged[key] = value
    return merged


def _merge_value(base: Any, theirs: Any, ours: Any, key: str) -> Any:
    if theirs == base or theirs == ours:
        return ours
    if ours == base:
        return theirs
    if all(isinstance(value, list) for value in (base, theirs, ours)):
        return _merge_list(base, theirs, ours)
    raise MergeConflict(f"property {key!r} was changed both in the vault and in the input")


def _merge_list(base: list, theirs: list, ours: list) -> list:
    """Lists such as tags: keep what they added, drop what they removed, apply ours."""
    removed = [item for item in base if item not in theirs]
    added = [item for item in theirs if item not in base and item not in ours]
    return [item for item in ours if item not in removed] + added


def merge_text(base: str, theirs: str, ours: str) -> str:
    merger = Merge3(base.splitlines(True), theirs.splitlines(True), ours.splitlines(True))
    lines: list[str] = []
    for group in merger.merge_groups():
        if group[0] == "conflict":
            raise MergeConflict("the same lines were changed both in the vault and in the input")
        lines.extend(group[1])
    return "".join(lines)


def _split(text: str) -> tuple[dict[str, Any], str]:
    front_matter, body = split_front_matter(text)
    return read_properties(front_matter), body
