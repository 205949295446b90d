"""Vaults synced under another identity scheme (an older version, or other `identity` keys): the
state's notes are renamed to their new identities, so no note is written a second time."""
from __future__ import annotations

import json

from vault_export.identity import IDENTITY_SCHEME, is_web_url, normalize_url
from vault_export.vault.state import State

SCHEME = "identity_scheme"
MIGRATING = "identity_migration"  # "yes" until a run has matched every note to its new identity


def migrate_identities(state: State, keys: tuple[str, ...]) -> None:
    """When the scheme changed: the cached saves (holding old identities) are dropped, URLs the
    state knows are normalised, and the run is marked as migrating (see NoteLocator)."""
    scheme = json.dumps([IDENTITY_SCHEME, list(keys)])
    if state.meta(SCHEME) == scheme:
        return
    state.begin()
    state.forget_identities()
    if state.has_notes():
        _normalise_urls(state)
        state.set_meta(MIGRATING, "yes")
    state.set_meta(SCHEME, scheme)
    state.commit()


def _normalise_urls(state: State) -> None:
    """A note known by a URL as saved is known by its normalised URL; of two that normalise to the
    same (two arXiv versions), the one already normalised, else the first, is renamed."""
    known = set(state.identities())
    for identity in sorted(known):
        if is_web_url(identity) and (new := normalize_url(identity)) not in known:
            state.rename_identity(identity, new)
            known.add(new)


def migrating(state: State) -> bool:
    return state.meta(MIGRATING) == "yes"


def migrated(state: State) -> None:
    state.set_meta(MIGRATING, "no")
