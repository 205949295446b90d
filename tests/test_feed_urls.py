"""Feed URLs as sources: notes from entries, conditional polling, clear errors when offline."""
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Blog</title><link>https://blog.example.org/</link>
<item><title>First post</title><link>https://blog.example.org/1</link>
<pubDate>Fri, 06 Jun 2025 10:00:00 +0800</pubDate><category>notes</category>
<description>&lt;p&gt;Hello &lt;a href="/about"&gt;about&lt;/a&gt;&lt;/p&gt;</description></item>
<item><title>Second post</title><link>https://blog.example.org/2</link>
<pubDate>Sat, 07 Jun 2025 10:00:00 +0800</pubDate><description>Plain text body.</description></item>
</channel></rss>"""


class FeedServer:
    def __init__(self):
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(dict(self.headers))
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", str(len(FEED)))
                self.end_headers()
                self.wfile.write(FEED)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


def test_a_feed_url_becomes_notes_and_polling_again_costs_one_conditional_request(run_cli, vault, feed_server):
    first = run_cli("export", feed_server.url, "--vault", vault)
    assert first.exit_code == 0, first.stderr
    created = [item for item in first.report["items"] if item["status"] == "created"]
    assert [item["input"] for item in created] == [f"{feed_server.url}#1", f"{feed_server.url}#2"]
    first_post = (vault / "Clippings" / "First post.md").read_text("utf-8")
    base = feed_server.url.rsplit("/", 1)[0]
    assert "source: Example Blog" in first_post and f"({base}/about)" in first_post
    second = run_cli("export", feed_server.url, "--vault", vault)
    assert {item["status"] for item in second.report["items"]} == {"unchanged"}
    assert feed_server.requests[-1].get("If-None-Match") == '"v1"'


def test_an_unreachable_feed_fails_with_a_clear_reason_and_the_run_goes_on(run_cli, vault, inbox):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    from conftest import collector_note, write
    write(inbox / "a.md", collector_note())
    result = run_cli("export", f"http://127.0.0.1:{closed_port}/feed.xml", inbox, "--vault", vault)
    assert result.exit_code == 1
    statuses = {item["input"]: (item["status"], item["message"]) for item in result.report["items"]}
    status, message = statuses[f"http://127.0.0.1:{closed_port}/feed.xml"]
    assert status == "failed" and "cannot reach" in message
    assert statuses[str(inbox / "a.md")][0] == "created"
