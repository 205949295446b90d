"""Feed URLs given as sources: fetched conditionally, kept in a cache file so notes can be read again."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from vault_export.model import Note, ReadFailure
from vault_export.vault.state import STATE_DIR, State
from vault_export.vault.writer import write_atomic

FEED_CACHE = f"{STATE_DIR}/cache/feeds"
URL_PREFIXES = ("http://", "https://")

if TYPE_CHECKING:
    from vault_export.inputs.feed_fetch import FetchResult


def is_url(source: str) -> bool:
    return source.lower().startswith(URL_PREFIXES)


def cache_file(cache_dir: Path, url: str) -> Path:
    return cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.xml"


def fetch_to_cache(url: str, state: State, cache_dir: Path, has_cached_notes: bool) -> FetchResult:
    """Fetch the feed (conditionally when its notes are cached) and keep new bytes in the cache.

    Raises InputError with the reason when the feed cannot be fetched."""
    from vault_export.inputs.feed_fetch import fetch  # HTTP: loaded by a run with a feed URL

    etag, modified = state.feed_validators(url) if has_cached_notes else (None, None)
    result = fetch(url, etag, modified)
    if result.status == "ok":
        write_atomic(cache_file(cache_dir, url), result.data)
    return result


def read_remote(path: Path, url: str) -> Iterator[Note | ReadFailure]:
    """The notes of a fetched feed, named after its URL, relative links resolved against it."""
    from vault_export.inputs.readers.feed import read_feed_bytes  # the feed parser, loaded for a feed

    yield from read_feed_bytes(path.read_bytes(), url)
