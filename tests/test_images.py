"""--download-images: remote images saved into the vault, served here by a local HTTP server."""
from __future__ import annotations

import gzip
import hashlib
import struct
import threading
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import collector_note, write
from vault_export.vault.images import (HOTLINKED_HOSTS, ImageLocalizer, embed_local_images, find_remote_images,
                                       on_hosts)
from vault_export.vault.state import State

FRONT = "---\ntitle: Post\n---\n"


def png(rgb: tuple[int, int, int]) -> bytes:
    """A 1x1 PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = zlib.compress(b"\x00" + bytes(rgb))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


def jpeg() -> bytes:
    """An 8x8 mid-grey baseline JPEG: one block whose coefficients are all zero."""
    def segment(marker: bytes, payload: bytes) -> bytes:
        return b"\xff" + marker + struct.pack(">H", len(payload) + 2) + payload
    one_code = b"\x01" + b"\x00" * 15 + b"\x00"  # a Huffman table with one 1-bit code, for symbol 0
    return (b"\xff\xd8" + segment(b"\xdb", b"\x00" + b"\x01" * 64)
            + segment(b"\xc0", struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00")
            + segment(b"\xc4", b"\x00" + one_code + b"\x10" + one_code)
            + segment(b"\xda", b"\x01\x01\x00\x00\x3f\x00") + b"\x3f" + b"\xff\xd9")


GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
       b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")  # 1x1, transparent
RED, BLUE, GREEN = png((255, 0, 0)), png((0, 0, 255)), png((0, 255, 0))
JPEG = jpeg()
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
CAP = 1000  # bytes: the size cap the localizer tests set
TOO_BIG = b"\x89PNG" + b"\x00" * 5000
ROUTES = {  # path -> (Content-Type, body); /missing.png and any other path: 404
    "/a.png": ("image/png", RED), "/b.jpg": ("image/jpeg", JPEG), "/raw": ("application/octet-stream", GIF),
    "/flaky.png": ("image/png", GREEN), "/slow.png": ("image/png", BLUE),
    "/page.png": ("text/html; charset=utf-8", b"<html>Log in</html>"),
    "/huge.png": ("image/png", TOO_BIG), "/endless.png": ("image/png", TOO_BIG),
    "/%E5%9B%BE%20x.png": ("image/png", RED),  # /图 x.png
    "/outage.png": ("image/png", BLUE),  # 503 while the server's `outage` is set
    "/gzipped.svg": ("image/svg+xml", gzip.compress(SVG)),  # sent with Content-Encoding: gzip
}


class ImageServer(ThreadingHTTPServer):
    """Serves the test's images on 127.0.0.1 and remembers every request."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ImageHandler)
        self.hits: Counter[str] = Counter()
        self.request_headers: list[dict[str, str]] = []
        self.release_slow = threading.Event()  # set only when the test ends
        self.outage = False

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"


class ImageHandler(BaseHTTPRequestHandler):
    server: ImageServer

    def do_GET(self):
        self.server.hits[self.path] += 1
        self.server.request_headers.append({key.lower(): value for key, value in self.headers.items()})
        try:
            self.respond()
        except OSError:  # the client gave up (timeout, size cap) before the body was sent
            pass

    def respond(self):
        path = urlsplit(self.path).path  # as a proxy, the server is asked for whole URLs
        if path == "/to-ftp.png":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/a.png")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if path == "/slow.png":
            self.server.release_slow.wait(10)
        if path == "/flaky.png" and self.server.hits[self.path] == 1 or \
                path == "/outage.png" and self.server.outage:
            return self.send_error(503)
        if path not in ROUTES:
            return self.send_error(404)
        content_type, body = ROUTES[path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if path == "/gzipped.svg":
            self.send_header("Content-Encoding", "gzip")
        if path != "/endless.png":  # without Content-Length, the cap must hold while streaming
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    image_server = ImageServer()
    thread = threading.Thread(target=image_server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    yield image_server
    image_server.release_slow.set()
    image_server.shutdown()
    image_server.server_close()
    thread.join()


@pytest.fixture
def state(vault):
    opened = State.open(vault)
    yield opened
    opened.close()


@pytest.fixture
def localizer(vault, state):
    return make_localizer(vault, state)


def make_localizer(vault: Path, state: State, **options) -> ImageLocalizer:
    defaults = {"dry_run": False, "timeout": 0.3, "max_bytes": CAP, "sleep": lambda seconds: None}
    return ImageLocalizer(vault, "Attachments", state, **defaults | options)


def name_of(data: bytes, extension: str) -> str:
    return hashlib.sha256(data).hexdigest()[:16] + extension


def note(*embeds: str) -> str:
    return FRONT + "\n" + "\n\n".join(embeds) + "\n"


def attachments(vault: Path) -> dict[str, bytes]:
    folder = vault / "Attachments"
    return {path.name: path.read_bytes() for path in folder.iterdir()} if folder.exists() else {}


# -- finding and rewriting embeds, no network
def test_finds_bare_and_angled_image_addresses():
    assert find_remote_images("![a](https://x/1.png) and ![](<https://x/2 b.png> \"title\")") == \
        ["https://x/1.png", "https://x/2 b.png"]


def test_ignores_links_local_images_and_escaped_embeds():
    assert find_remote_images("[a](https://x/1.png) ![b](pic.png) \\![c](https://x/3.png)") == []


def test_ignores_front_matter_code_blocks_and_code_spans():
    text = ("---\ncover: ![a](https://x/0.png)\n---\n`![b](https://x/1.png)`\n\n"
            "```\n![c](https://x/2.png)\n```\n\n"
            "~~~~md\n![d](https://x/3.png)\n~~~\n~~~~\n![e](https://x/4.png)\n")
    assert find_remote_images(text) == ["https://x/4.png"]


def test_videos_audio_and_posts_obsidian_plays_are_no_images_to_fetch():
    text = ("![](https://e.com/v.mp4?Expires=1) ![](https://www.youtube.com/watch?v=abc) "
            "![](https://x.com/i/status/1) ![](https://e.com/a.ogg) ![](https://e.com/still.png)")
    assert find_remote_images(text) == ["https://e.com/still.png"]


def test_embeds_by_name_keeping_words_as_alt_text():
    names = {"https://x/1.png": "abc.png"}
    assert embed_local_images("![](https://x/1.png)", names) == "![[abc.png]]"
    assert embed_local_images("![A \\[red\\] dot](https://x/1.png)", names) == "![[abc.png|A red dot]]"
    assert embed_local_images("![300x200](<https://x/1.png>)", names) == "![[abc.png]]"  # would be a size
    assert embed_local_images("![a|b](https://x/1.png)", names) == "![[abc.png|a b]]"


def test_the_cover_property_links_the_vaults_file():
    names = {"https://x/1.png": "abc.png"}
    text = "---\ntitle: T\nimage: https://x/1.png\n---\n![](https://x/1.png)\n"
    assert embed_local_images(text, names, cover="image") == '---\ntitle: T\nimage: "[[abc.png]]"\n---\n![[abc.png]]\n'
    assert embed_local_images(text, names) == "---\ntitle: T\nimage: https://x/1.png\n---\n![[abc.png]]\n"
    other = "---\nimage: https://x/2.png\nurl: https://x/1.png\n---\n![](https://x/1.png)\n"
    assert embed_local_images(other, names, cover="image") == other.replace("![](https://x/1.png)", "![[abc.png]]")
    renamed = '---\n"a: b": https://x/1.png\n---\n'
    assert embed_local_images(renamed, names, cover="a: b") == '---\n"a: b": "[[abc.png]]"\n---\n'


def test_unknown_images_keep_their_links():
    text = "![a](https://x/2.png)"
    assert embed_local_images(text, {"https://x/1.png": "abc.png"}) == text


# -- downloading, from the local server
def test_images_are_saved_by_content_hash_and_fetched_once(server, localizer, vault):
    a, b, raw = server.url("/a.png"), server.url("/b.jpg"), server.url("/raw")
    texts, warnings = localizer.localize([note(f"![]({a})", f"![photo]({b})"),
                                          note(f"![]({a})", f"![]({raw})")])
    red, grey, gif = name_of(RED, ".png"), name_of(JPEG, ".jpg"), name_of(GIF, ".gif")
    assert warnings == []
    assert texts == [note(f"![[{red}]]", f"![[{grey}|photo]]"), note(f"![[{red}]]", f"![[{gif}]]")]
    assert attachments(vault) == {red: RED, grey: JPEG, gif: GIF}  # octet-stream: the bytes tell the type
    assert server.hits == {"/a.png": 1, "/b.jpg": 1, "/raw": 1}
    localizer.localize([note(f"![]({a})")])  # a later batch of the same run
    assert server.hits["/a.png"] == 1


def test_requests_send_no_referer(server, localizer):
    localizer.localize([note(f"![]({server.url('/a.png')})")])
    assert [headers.get("referer") for headers in server.request_headers] == [None]
    assert server.request_headers[0]["user-agent"].startswith("vault-export/")


@pytest.mark.parametrize("path, reason, attempts", [
    ("/missing.png", "HTTP 404", 1),
    ("/page.png", "not an image (Content-Type text/html)", 1),
    ("/huge.png", f"larger than {CAP} bytes", 1),
    ("/endless.png", f"larger than {CAP} bytes", 1),
    ("/slow.png", "timed out after 0.3 s", 2),
    ("/to-ftp.png", "redirected to a non-HTTP URL: ftp://127.0.0.1/a.png", 1),
])
def test_an_image_that_cannot_be_fetched_keeps_its_link(server, vault, state, path, reason, attempts):
    url = server.url(path)
    text = note(f"![x]({url})")
    texts, warnings = make_localizer(vault, state, retries=1).localize([text])
    assert texts == [text]
    assert len(warnings) == 1 and warnings[0].startswith(f"{url}: cannot download image: {reason}")
    assert warnings[0].endswith("; the note keeps the remote link")
    assert server.hits[path] == attempts
    assert attachments(vault) == {} and state.image_names([url]) == {}


def test_addresses_with_spaces_and_non_ascii_characters_are_encoded(server, localizer):
    texts, warnings = localizer.localize([note(f"![]({server.url('/图%20x.png')})")])
    assert warnings == [] and texts == [note(f"![[{name_of(RED, '.png')}]]")]


def test_a_compressed_image_is_saved_inflated(server, localizer, vault):
    texts, warnings = localizer.localize([note(f"![]({server.url('/gzipped.svg')})")])
    assert warnings == [] and texts == [note(f"![[{name_of(SVG, '.svg')}]]")]
    assert attachments(vault) == {name_of(SVG, ".svg"): SVG}


def test_server_errors_are_retried_after_a_growing_pause(server, vault, state):
    pauses = []
    texts, warnings = make_localizer(vault, state, sleep=pauses.append).localize(
        [note(f"![]({server.url('/flaky.png')})")])
    assert warnings == [] and texts == [note(f"![[{name_of(GREEN, '.png')}]]")]
    assert server.hits["/flaky.png"] == 2 and pauses == [0.5]


def test_a_failure_is_reported_once_per_run(server, localizer):
    url = server.url("/missing.png")
    assert len(localizer.localize([note(f"![]({url})"), note(f"![]({url})")])[1]) == 1
    assert localizer.localize([note(f"![]({url})")])[1] == []
    assert server.hits["/missing.png"] == 1


def test_a_later_run_uses_the_state_and_fetches_only_missing_files(server, vault, state, localizer):
    a = server.url("/a.png")
    localizer.localize([note(f"![]({a})")])
    texts, _ = make_localizer(vault, state).localize([note(f"![]({a})")])
    assert texts == [note(f"![[{name_of(RED, '.png')}]]")] and server.hits["/a.png"] == 1
    (vault / "Attachments" / name_of(RED, ".png")).unlink()
    make_localizer(vault, state).localize([note(f"![]({a})")])
    assert server.hits["/a.png"] == 2 and attachments(vault) == {name_of(RED, ".png"): RED}


def test_a_dry_run_fetches_and_writes_nothing_but_embeds_what_the_vault_has(server, vault, state):
    a, b = server.url("/a.png"), server.url("/b.jpg")
    remote = note(f"![]({a})")
    assert make_localizer(vault, state, dry_run=True).localize([remote]) == ([remote], [])
    assert server.hits == {} and attachments(vault) == {}
    make_localizer(vault, state).localize([remote])
    texts, warnings = make_localizer(vault, state, dry_run=True).localize([note(f"![]({a})", f"![]({b})")])
    assert texts == [note(f"![[{name_of(RED, '.png')}]]", f"![]({b})")] and warnings == []
    assert server.hits == {"/a.png": 1}


# -- through the command line
def test_export_downloads_once_and_a_rerun_downloads_nothing(server, run_cli, inbox, vault):
    body = f'<p>Look.</p><img src="{server.url("/a.png")}"><img src="{server.url("/missing.png")}">'
    source = write(inbox / "post.md", collector_note(body=body))
    export = ("export", inbox, "--vault", vault, "--download-images")
    first = run_cli(*export)
    assert first.exit_code == 0
    text = (vault / "Clippings" / "A saved post.md").read_text("utf-8")
    assert f"![[{name_of(RED, '.png')}]]" in text and f"![]({server.url('/missing.png')})" in text
    assert first.report["warnings"] == [f"{server.url('/missing.png')}: cannot download image: HTTP 404 "
                                        "Not Found; the note keeps the remote link"]
    assert attachments(vault) == {name_of(RED, ".png"): RED}
    assert run_cli(*export).statuses() == {"post.md": "unchanged"}
    write(source, collector_note(body=body.replace("Look.", "Look again.")))  # rendered again: state knows a.png
    assert run_cli(*export).statuses() == {"post.md": "updated"}
    assert server.hits == {"/a.png": 1, "/missing.png": 2}


def test_turning_the_option_on_renders_notes_again(server, run_cli, inbox, vault):
    write(inbox / "post.md", collector_note(body=f'<img src="{server.url("/a.png")}">'))
    path = vault / "Clippings" / "A saved post.md"
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    assert f"![]({server.url('/a.png')})" in path.read_text("utf-8") and server.hits == {}
    assert run_cli("export", inbox, "--vault", vault, "--download-images").statuses() == {"post.md": "updated"}
    assert f"![[{name_of(RED, '.png')}]]" in path.read_text("utf-8")


def test_an_image_down_for_a_while_is_fetched_by_a_later_run(server, run_cli, inbox, vault, monkeypatch):
    monkeypatch.setattr("vault_export.vault.images.BACKOFF", 0)  # the pauses between tries, not the test
    body = f'<img src="{server.url("/outage.png")}"><img src="{server.url("/missing.png")}">'
    write(inbox / "post.md", collector_note(body=body))
    export = ("export", inbox, "--vault", vault, "--download-images")
    server.outage = True
    assert run_cli(*export).statuses() == {"post.md": "created"}
    assert run_cli(*export).statuses() == {"post.md": "unchanged"}  # rendered again, tried again
    server.outage = False
    assert run_cli(*export).statuses() == {"post.md": "updated"}
    text = (vault / "Clippings" / "A saved post.md").read_text("utf-8")
    assert f"![[{name_of(BLUE, '.png')}]]" in text and f"![]({server.url('/missing.png')})" in text
    assert run_cli(*export).statuses() == {"post.md": "unchanged"}
    # 3 tries a run while it is down; the 404 is asked again only when the note is rendered again
    assert server.hits == {"/outage.png": 7, "/missing.png": 3}


# -- download_images = "hotlinked": only the hosts that refuse other sites. The server plays those
# hosts as the HTTP proxy the environment names, so a request for http://wx1.sinaimg.cn/a.png goes
# to 127.0.0.1 and nowhere else.
@pytest.fixture
def proxy(server, monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", server.url(""))
    return server


def test_only_images_of_hotlinked_hosts_are_fetched(proxy, vault, state):
    weibo, wechat = "http://wx1.sinaimg.cn/a.png", "http://mmbiz.qpic.cn/b.jpg"
    others = ["http://example.com/raw", "http://notsinaimg.cn/a.png", "http://sinaimg.cn.example.com/a.png",
              "http://qpic.cn/b.jpg"]
    text = note(f"![]({weibo})", f"![]({wechat})", *(f"![]({url})" for url in others))
    [localized], warnings = make_localizer(vault, state, hosts=HOTLINKED_HOSTS).localize([text])
    assert warnings == []
    assert localized == note(f"![[{name_of(RED, '.png')}]]", f"![[{name_of(JPEG, '.jpg')}]]",
                             *(f"![]({url})" for url in others))
    assert proxy.hits == {weibo: 1, wechat: 1}


def test_a_host_matches_itself_and_its_subdomains():
    assert on_hosts("https://tvax1.sinaimg.cn/large/x.jpg", HOTLINKED_HOSTS)
    assert on_hosts("https://SINAIMG.CN./x.jpg", HOTLINKED_HOSTS)
    assert on_hosts("https://mmbiz.qlogo.cn/mmbiz_jpg/x/0", HOTLINKED_HOSTS)
    assert not on_hosts("https://evilsinaimg.cn/x.jpg", HOTLINKED_HOSTS)
    assert not on_hosts("https://qpic.cn/x.jpg", HOTLINKED_HOSTS)


def test_the_cover_property_follows_the_image_into_the_vault(proxy, run_cli, tmp_path, inbox, vault):
    weibo, other = "http://wx1.sinaimg.cn/a.png", "http://example.com/b.jpg"
    write(inbox / "post.md", collector_note(body=f'<img src="{weibo}"><img src="{other}">'))
    config = write(tmp_path / "config.toml", 'download_images = "hotlinked"\n')
    assert run_cli("export", inbox, "--vault", vault, "--config", config).exit_code == 0
    text = (vault / "Clippings" / "A saved post.md").read_text("utf-8")
    red = name_of(RED, ".png")
    assert f'\nimage: "[[{red}]]"\n' in text and f"![[{red}]]" in text and f"![]({other})" in text
    assert proxy.hits == {weibo: 1}
    assert run_cli("export", inbox, "--vault", vault, "--config", config).statuses() == {"post.md": "unchanged"}
    # --download-images wins over the configuration: every host, the cover unchanged
    assert run_cli("export", inbox, "--vault", vault, "--config", config,
                   "--download-images").statuses() == {"post.md": "updated"}
    text = (vault / "Clippings" / "A saved post.md").read_text("utf-8")
    assert f'\nimage: "[[{red}]]"\n' in text and f"![[{name_of(JPEG, '.jpg')}]]" in text
    assert proxy.hits == {weibo: 1, other: 1}
    assert run_cli("export", inbox, "--vault", vault, "--config", config,
                   "--no-download-images").statuses() == {"post.md": "updated"}
    assert f"\nimage: {weibo}\n" in (vault / "Clippings" / "A saved post.md").read_text("utf-8")
