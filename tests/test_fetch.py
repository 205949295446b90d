"""Fetching feeds over HTTP, against servers on 127.0.0.1 started by the tests (no other network)."""
from __future__ import annotations

import gzip
import socket
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from vault_export import __version__
from vault_export.inputs import feed_fetch as fetch_module
from vault_export.errors import InputError
from vault_export.inputs.feed_fetch import FetchResult, fetch
from vault_export.model import Origin
from vault_export.inputs.readers.feed import read_feed_bytes

FEED = b"<rss version='2.0'><channel><title>T</title><item><title>x</title></item></channel></rss>"
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 01 May 2024 10:00:00 GMT"


class FeedServer(BaseHTTPRequestHandler):
    """A few paths, each one behaviour; every request's headers are kept for the test to look at."""

    requests: list = []

    def do_GET(self):
        self.requests.append(dict(self.headers))
        route = {"/etag": self.with_etag, "/dated": self.with_last_modified, "/gzip": self.gzipped,
                 "/redirect": self.redirect, "/to-ftp": self.redirect_to_ftp,
                 "/big": self.big, "/big-unsized": self.big_unsized, "/gzip-bomb": self.gzip_bomb, "/gzip-cut": self.gzip_cut,
                 "/deflate": self.deflated, "/raw-deflate": self.raw_deflated, "/brotli": self.brotli}
        route.get(self.path, self.not_found)()

    def with_etag(self):
        if self.headers.get("If-None-Match") == ETAG:
            return self.answer(304, b"", {"ETag": ETAG})
        self.answer(200, FEED, {"ETag": ETAG})

    def with_last_modified(self):
        if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            return self.answer(304, b"")
        self.answer(200, FEED, {"Last-Modified": LAST_MODIFIED})

    def gzipped(self):
        assert "gzip" in self.headers.get("Accept-Encoding", "")
        self.answer(200, gzip.compress(FEED), {"Content-Encoding": "gzip"})

    def deflated(self):
        self.answer(200, zlib.compress(FEED), {"Content-Encoding": "deflate"})

    def raw_deflated(self):  # deflate data without the zlib header, as some servers send it
        compressor = zlib.compressobj(wbits=-15)
        self.answer(200, compressor.compress(FEED) + compressor.flush(), {"Content-Encoding": "deflate"})

    def brotli(self):
        self.answer(200, b"not really brotli", {"Content-Encoding": "br"})

    def redirect(self):
        self.answer(302, b"", {"Location": "/etag"})

    def redirect_to_ftp(self):
        self.answer(302, b"", {"Location": "ftp://127.0.0.1/feed.xml"})

    def big(self):
        self.answer(200, b"x" * 5000)

    def big_unsized(self):  # no Content-Length: only reading tells the size
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x" * 200_000)

    def gzip_bomb(self):
        self.answer(200, gzip.compress(b"\0" * 100_000), {"Content-Encoding": "gzip"})

    def gzip_cut(self):
        self.answer(200, gzip.compress(FEED)[:-12], {"Content-Encoding": "gzip"})

    def not_found(self):
        self.answer(404, b"no such feed")

    def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server():
    FeedServer.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def failure(url: str, timeout: float = 5.0) -> InputError:
    with pytest.raises(InputError) as caught:
        fetch(url, None, None, timeout=timeout)
    assert caught.value.path == url
    return caught.value


# ----------------------------------------------------------------------------- conditional requests

def test_first_fetch_returns_the_body_and_the_etag(server):
    result = fetch(f"{server}/etag", None, None)
    assert result == FetchResult("ok", FEED, ETAG, None, f"{server}/etag")


def test_matching_etag_gives_not_modified(server):
    result = fetch(f"{server}/etag", ETAG, None)
    assert (result.status, result.data, result.etag) == ("not-modified", None, ETAG)
    assert FeedServer.requests[-1]["If-None-Match"] == ETAG


def test_stale_etag_gives_the_new_body(server):
    assert fetch(f"{server}/etag", '"v0"', None).status == "ok"


def test_last_modified_is_returned_and_sent_back(server):
    first = fetch(f"{server}/dated", None, None)
    assert (first.status, first.modified) == ("ok", LAST_MODIFIED)
    second = fetch(f"{server}/dated", first.etag, first.modified)
    assert (second.status, second.modified) == ("not-modified", LAST_MODIFIED)
    assert FeedServer.requests[-1]["If-Modified-Since"] == LAST_MODIFIED


def test_no_conditional_headers_without_validators(server):
    fetch(f"{server}/etag", None, None)
    assert "If-None-Match" not in FeedServer.requests[-1] and "If-Modified-Since" not in FeedServer.requests[-1]


def test_user_agent_names_the_tool(server):
    fetch(f"{server}/etag", None, None)
    assert FeedServer.requests[-1]["User-Agent"] == f"vault-export/{__version__}"


def test_fetched_bytes_read_as_notes_named_by_the_url(server):
    result = fetch(f"{server}/redirect", None, None)
    [note] = read_feed_bytes(result.data, f"{server}/redirect", base_url=result.final_url)
    assert (note.title, note.origin) == ("x", Origin(f"{server}/redirect", 1))


# ----------------------------------------------------------------------------- bodies and redirects

def test_gzip_body_is_decompressed(server):
    assert fetch(f"{server}/gzip", None, None).data == FEED


@pytest.mark.parametrize("path", ["/deflate", "/raw-deflate"])
def test_deflate_body_is_decompressed(server, path):
    assert fetch(f"{server}{path}", None, None).data == FEED
    assert FeedServer.requests[-1]["Accept-Encoding"] == "gzip, deflate"


def test_an_unknown_content_encoding_fails(server):
    assert failure(f"{server}/brotli").reason == "unsupported Content-Encoding 'br'"


def test_truncated_gzip_fails(server):
    assert "invalid gzip body" in failure(f"{server}/gzip-cut").reason


def test_redirect_is_followed_and_reported(server):
    result = fetch(f"{server}/redirect", None, None)
    assert (result.data, result.final_url) == (FEED, f"{server}/etag")


def test_redirect_to_another_scheme_is_refused(server):
    assert failure(f"{server}/to-ftp").reason == "redirected to a non-HTTP URL: ftp://127.0.0.1/feed.xml"


@pytest.mark.parametrize("path", ["/big", "/big-unsized", "/gzip-bomb"])
def test_bodies_over_the_cap_are_refused(server, monkeypatch, path):
    monkeypatch.setattr(fetch_module, "MAX_BYTES", 1000)
    assert failure(f"{server}{path}").reason.startswith("larger than")


# ----------------------------------------------------------------------------- failures

def test_http_error_status_is_named(server):
    assert failure(f"{server}/missing").reason == "HTTP 404 Not Found"


def test_a_server_that_never_answers_times_out():
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections, never replies
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/feed"
        assert failure(url, timeout=0.5).reason == "timed out after 0.5 s"


def test_a_closed_port_cannot_be_reached():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    assert failure(f"http://127.0.0.1:{port}/feed").reason.startswith("cannot reach host (offline?): ")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/feed", "/tmp/feed.xml"])
def test_only_http_urls_are_fetched(url):
    assert failure(url).reason == "only http:// and https:// URLs can be fetched"


@pytest.mark.parametrize("url, reason", [("http:///feed.xml", "invalid URL: no host name"),
                                         ("http://127.0.0.1:port/", "invalid URL: nonnumeric port: 'port'")])
def test_invalid_urls_are_named(url, reason):
    assert failure(url).reason == reason


def test_a_url_with_characters_a_request_cannot_carry(server):
    assert failure(f"{server}/页").reason.startswith("invalid URL: 'ascii' codec")
