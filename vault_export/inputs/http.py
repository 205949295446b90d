"""Download a feed over HTTP(S), conditionally, so polling an unchanged feed costs one small request.

This is the only module that knows urllib: every failure leaves it as InputError(url, reason).
"""
from __future__ import annotations

import http.client
import ssl
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from vault_export import __version__
from vault_export.errors import InputError

SCHEMES = ("http", "https")
USER_AGENT = f"vault-export/{__version__}"
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024


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


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """urllib would follow a redirect to ftp://; only http(s) is allowed here."""

    def __init__(self, url: str):
        self.url = url  # the URL the person gave, which every error names

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in SCHEMES:
            raise InputError(self.url, f"redirected to a non-HTTP URL: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, etag: str | None, modified: str | None, timeout: float = 20.0) -> FetchResult:
    """GET `url`, sending the validators from the last fetch; `timeout` bounds connecting and each read."""
    _check_url(url)
    opener = urllib.request.build_opener(_HttpOnlyRedirects(url))
    try:
        with opener.open(_request(url, etag, modified), timeout=timeout) as response:
            data = _body(url, response)
            return FetchResult("ok", data, response.headers.get("ETag"),
                               response.headers.get("Last-Modified"), response.geturl())
    except urllib.error.HTTPError as error:  # any status urllib does not handle itself, 304 included
        with error:
            return _from_http_error(url, error, etag, modified)
    except (urllib.error.URLError, OSError) as error:
        raise InputError(url, _network_reason(error, timeout)) from None
    except (http.client.InvalidURL, ValueError) as error:  # a bad port, or characters a request cannot carry
        raise InputError(url, f"invalid URL: {error}") from None
    except http.client.HTTPException as error:
        raise InputError(url, f"the server sent a broken response: {error!r}") from None


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise InputError(url, "only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise InputError(url, "invalid URL: no host name")


def _from_http_error(url: str, error: urllib.error.HTTPError, etag: str | None,
                     modified: str | None) -> FetchResult:
    """A 304 means the feed is unchanged; any other status urllib raises is a failure."""
    if error.code != 304:
        raise InputError(url, f"HTTP {error.code} {error.reason}") from None
    return FetchResult("not-modified", None, error.headers.get("ETag") or etag,
                       error.headers.get("Last-Modified") or modified, error.geturl())


def _request(url: str, etag: str | None, modified: str | None) -> urllib.request.Request:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    return urllib.request.Request(url, headers=headers)


def _network_reason(error: OSError, timeout: float) -> str:
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(cause, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(cause, ssl.SSLError):
        return f"secure connection failed: {cause}"
    if isinstance(cause, ConnectionResetError):
        return f"the server closed the connection: {cause}"
    return f"cannot reach host (offline?): {cause}"


def _body(url: str, response) -> bytes:
    """The response body, un-gzipped, refusing anything over MAX_BYTES (compressed or not)."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise InputError(url, _too_large())
    raw = _read_capped(url, response)
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding == "gzip":
        return _gunzip(url, raw)
    if encoding != "identity":
        raise InputError(url, f"unsupported Content-Encoding {encoding!r}")
    return raw


def _read_capped(url: str, response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise InputError(url, _too_large())
        chunks.append(chunk)
    return b"".join(chunks)


def _gunzip(url: str, raw: bytes) -> bytes:
    decompressor = zlib.decompressobj(wbits=31)  # 31: expect a gzip header
    try:
        data = decompressor.decompress(raw, MAX_BYTES + 1)
    except zlib.error as error:
        raise InputError(url, f"invalid gzip body: {error}") from None
    if len(data) > MAX_BYTES:
        raise InputError(url, _too_large())
    if not decompressor.eof:
        raise InputError(url, "invalid gzip body: it ends early")
    return data


def _too_large() -> str:
    return f"larger than {MAX_BYTES / (1024 * 1024):g} MB, the most a feed may be"
