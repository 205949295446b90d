"""HTTP(S) GET for all that vault-export fetches (feed URLs, remote images): the only module that knows urllib.

What every request gets here: the tool's User-Agent; gzip or deflate bodies, inflated; only http(s)
URLs with a host name, at the start and after each redirect (urllib follows at most 10 and no loops);
a body refused once it is larger than the caller's cap, whether the server declares that size, sends
it or it inflates to it. What to ask for (Accept and other headers), what to make of the answer and
whether to try again is the caller's policy. Every failure leaves as HttpError.
"""
from __future__ import annotations

import http.client
import ssl
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message
from typing import Callable, Mapping
from urllib.parse import urlsplit

from vault_export import __version__

SCHEMES = ("http", "https")
USER_AGENT = f"vault-export/{__version__}"
CHUNK = 64 * 1024
# Content-Encoding -> zlib's wbits for it: 31 expects a gzip header, 15 a zlib one ("deflate" as
# the standard means it; servers that send bare deflate data are read with -15).
ENCODINGS = {"gzip": 31, "x-gzip": 31, "deflate": 15}


@dataclass(frozen=True)
class Response:
    data: bytes  # the body, inflated
    headers: Message
    url: str  # where redirects led


class HttpError(Exception):
    """Why a GET failed, as a reason for the person (str(error)).

    `status` and `headers` when the server answered with a status urllib does not handle itself
    (304 included), `url` where redirects had led by then; `transient` when the same request may
    well succeed later (a timeout, a dropped connection, a broken response); `too_large` when the
    body was over the cap."""

    def __init__(self, reason: str, *, status: int | None = None, headers: Message | None = None,
                 url: str | None = None, transient: bool = False, too_large: bool = False):
        super().__init__(reason)
        self.status = status
        self.headers = headers
        self.url = url
        self.transient = transient
        self.too_large = too_large


def get(url: str, *, accept: str, timeout: float, max_bytes: int,
        headers: Mapping[str, str] | None = None,
        check: Callable[[Message], object] | None = None) -> Response:
    """GET `url`; `timeout` bounds connecting and each read, not the whole download.

    `check` sees the response headers before the body is read, and may raise to refuse it."""
    _check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept,
                                                   "Accept-Encoding": "gzip, deflate", **(headers or {})})
    opener = urllib.request.build_opener(_HttpOnlyRedirects())  # per call: proxies as the environment is now
    try:
        with opener.open(request, timeout=timeout) as response:
            if check is not None:
                check(response.headers)
            return Response(_body(response, max_bytes), response.headers, response.geturl())
    except urllib.error.HTTPError as error:  # any status urllib does not handle itself, 304 included
        with error:
            raise HttpError(f"HTTP {error.code} {error.reason}", status=error.code, headers=error.headers,
                            url=error.geturl()) from None
    except (urllib.error.URLError, OSError) as error:
        raise _network_error(error, timeout) from None
    except (http.client.InvalidURL, ValueError) as error:  # a bad port, or characters a request cannot carry
        raise HttpError(f"invalid URL: {error}") from None
    except http.client.HTTPException as error:
        raise HttpError(f"the server sent a broken response: {error!r}", transient=True) from None


def too_large(max_bytes: int) -> str:
    megabytes = max_bytes / (1024 * 1024)
    return f"larger than {megabytes:g} MB" if megabytes >= 1 else f"larger than {max_bytes} bytes"


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """urllib would follow a redirect to ftp:// or file://; only http(s) is fetched."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in SCHEMES:
            fp.close()
            raise HttpError(f"redirected to a non-HTTP URL: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise HttpError("only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise HttpError("invalid URL: no host name")


def _network_error(error: OSError, timeout: float) -> HttpError:
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    transient = isinstance(cause, (TimeoutError, ConnectionError))
    if isinstance(cause, TimeoutError):
        reason = f"timed out after {timeout:g} s"
    elif isinstance(cause, ssl.SSLError):
        reason = f"secure connection failed: {cause}"
    elif isinstance(cause, ConnectionResetError):
        reason = f"the server closed the connection: {cause}"
    elif isinstance(cause, ConnectionError) and not isinstance(cause, ConnectionRefusedError):
        reason = f"the connection failed: {cause}"
    else:
        reason = f"cannot reach host (offline?): {cause}"
    return HttpError(reason, transient=transient)


def _body(response, max_bytes: int) -> bytes:
    """The response body, inflated, refusing anything over `max_bytes` (compressed or not)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise HttpError(too_large(max_bytes), too_large=True)
    raw = _read_capped(response, max_bytes)
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding == "identity":
        return raw
    if encoding not in ENCODINGS:
        raise HttpError(f"unsupported Content-Encoding {encoding!r}")
    return _inflate(raw, encoding, max_bytes)


def _read_capped(response, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise HttpError(too_large(max_bytes), too_large=True)
        chunks.append(chunk)
    return b"".join(chunks)


def _inflate(raw: bytes, encoding: str, max_bytes: int) -> bytes:
    wbits = ENCODINGS[encoding]
    try:
        decompressor = zlib.decompressobj(wbits)
        try:
            data = decompressor.decompress(raw, max_bytes + 1)
        except zlib.error:
            if wbits != 15:
                raise
            decompressor = zlib.decompressobj(-15)  # deflate data without the zlib header
            data = decompressor.decompress(raw, max_bytes + 1)
    except zlib.error as error:
        raise HttpError(f"invalid {encoding} body: {error}") from None
    if len(data) > max_bytes:
        raise HttpError(too_large(max_bytes), too_large=True)
    if not decompressor.eof:
        raise HttpError(f"invalid {encoding} body: it ends early")
    return data
