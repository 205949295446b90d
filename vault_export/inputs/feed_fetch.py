"""Download a feed over HTTP(S), conditionally, so polling an unchanged feed costs one small request.

The request itself is vault_export.http's; this is the feed's policy: what to accept, the validators
of the last fetch, a 304 as "not modified", and every failure as InputError(url, reason).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vault_export.errors import InputError
from vault_export.http import HttpError, get

ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FetchResult:
    """What the server said: new bytes ('ok') or 'not-modified' (data is None).

    `etag` and `modified` are the validators to send next time (the previous ones when the server
    sent none); `final_url` is where redirects led."""

    status: Literal["ok", "not-modified"]
    data: bytes | None
    etag: str | None
    modified: str | None
    final_url: str


def fetch(url: str, etag: str | None, modified: str | None, timeout: float = 20.0) -> FetchResult:
    """GET `url`, sending the validators from the last fetch; `timeout` bounds connecting and each read."""
    conditions = {name: value for name, value in (("If-None-Match", etag), ("If-Modified-Since", modified))
                  if value}
    try:
        response = get(url, accept=ACCEPT, headers=conditions, timeout=timeout, max_bytes=MAX_BYTES)
    except HttpError as error:
        if error.status == 304:  # the feed is unchanged
            return FetchResult("not-modified", None, error.headers.get("ETag") or etag,
                               error.headers.get("Last-Modified") or modified, error.url)
        reason = f"{error}, the most a feed may be" if error.too_large else str(error)
        raise InputError(url, reason) from None
    return FetchResult("ok", response.data, response.headers.get("ETag"),
                       response.headers.get("Last-Modified"), response.url)
