"""HTML read as a reader sees it: a field that says HTML is HTML (unknown elements show their
text; script, style, doctypes, comments and CDATA never show; entities decode once), HTML-escaped
plain text is decoded once, and Weibo topic links that lead elsewhere stay links.

Each check renders our Markdown back to HTML with markdown-it and compares what a browser would
show of that with what it shows of the input."""
import json

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from conftest import collector_note, notes_in, write
from vault_export.convert import html_to_markdown

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
TOPIC_SEARCH = "https://m.weibo.cn/search?containerid=231522type%3D1%26q%3D%23x%23"


def rendered(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(MARKDOWN.render(markdown), "html.parser")


def visible(markdown: str) -> str:
    """The text a reader sees of the Markdown, whitespace collapsed."""
    return " ".join(rendered(markdown).get_text().split())


def links(markdown: str) -> list[tuple[str, str]]:
    return [(link.get_text(), link["href"]) for link in rendered(markdown).find_all("a")]


def paragraphs(markdown: str) -> list[str]:
    return [" ".join(p.get_text().split()) for p in rendered(markdown).find_all("p")]


def body_of(note) -> str:
    return note.read_text("utf-8").split("\n---\n", 1)[1].strip()


def export_records(run_cli, inbox, vault, records: list[dict] | dict):
    write(inbox / "records.json", json.dumps(records, ensure_ascii=False))
    result = run_cli("export", inbox, "--vault", vault)
    assert result.exit_code == 0, result.stderr
    return {note.stem: body_of(note) for note in notes_in(vault)}


# What the browser shows of HTML: each case is (HTML, the text a reader sees).
SHOWN = [
    ("42 &gt; 1", "42 > 1"),
    ("Next &raquo;", "Next »"),
    ("&amp;lt;b&amp;gt; is a tag", "&lt;b&gt; is a tag"),  # decoded once, not twice
    ("<h7>Seven</h7> levels", "Seven levels"),
    ("<p>Run <samp>ls -l</samp> now</p>", "Run ls -l now"),
    ("<custom-tag>inside</custom-tag> after", "inside after"),
    ("<!DOCTYPE html><html><body><p>Page</p></body></html>", "Page"),
    ("before<![CDATA[hidden]]>after", "beforeafter"),
    ("<script>alert('x')</script>visible", "visible"),
    ("<style>p { color: red }</style>styled", "styled"),
    ("<!-- a comment -->shown", "shown"),
    ("<list>listed</list>, <soup>soup</soup>, <heading>heading</heading>", "listed, soup, heading"),
    ("<vx_topic tag=t>#fake#</vx_topic> and <vx-break>x", "#fake# and x"),
    ("<h2-card>card</h2-card> text", "card text"),
    ("<noembed>no embeds</noembed><noframes>no frames</noframes>page", "page"),
    ("<p>a <xmp><b>shown as written</b></xmp></p>", "a <b>shown as written</b>"),
]


@pytest.mark.parametrize("html, shown", SHOWN)
def test_html_shows_what_a_browser_shows(html, shown):
    assert visible(html_to_markdown(html).markdown) == shown


def test_unknown_elements_are_not_headings_or_lists():
    markdown = html_to_markdown("<h7>a</h7><h10>b</h10><list><p>c</p></list>").markdown
    assert not rendered(markdown).find(["h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"])


@pytest.mark.parametrize("key", ["html", "content_html"])
def test_a_field_that_says_html_is_html_whatever_it_holds(run_cli, inbox, vault, key):
    records = [{"title": f"Case {number}", key: html} for number, (html, _) in enumerate(SHOWN)]
    bodies = export_records(run_cli, inbox, vault, records)
    assert {title: visible(body) for title, body in bodies.items()} == \
        {f"Case {number}": shown for number, (_, shown) in enumerate(SHOWN)}


@pytest.mark.parametrize("key", ["content", "body", "text"])
@pytest.mark.parametrize("text, shown", [
    ("if a < b and b > c", "if a < b and b > c"),
    ("think step by step: <think> tokens", "think step by step: <think> tokens"),
    ("use List<T> or Map<K, V>", "use List<T> or Map<K, V>"),
    ("write to <user@example.com>", "write to <user@example.com>"),
    ("usage: convert <input> <output> <dir>", "usage: convert <input> <output> <dir>"),
    ("average &gt; 1 hour &amp; more", "average > 1 hour & more"),
    ("<p>a <samp>b</samp></p>", "a b"),
    ("<think>reasoning</think> answer", "reasoning answer"),
    ("line<br>break", "line break"),
    ("<!-- note --> text", "text"),
])
def test_a_field_that_does_not_say_is_html_only_when_it_parses_into_markup(run_cli, inbox, vault, key, text, shown):
    [body] = export_records(run_cli, inbox, vault, [{"title": "T", key: text}]).values()
    assert visible(body) == shown


def test_json_feed_content_text_is_text_whatever_it_holds(run_cli, inbox, vault):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "F",
            "items": [{"id": "1", "title": "T", "content_text": "<b>not bold</b> &gt; literal"}]}
    [body] = export_records(run_cli, inbox, vault, feed).values()
    assert visible(body) == "<b>not bold</b> &gt; literal"


def test_escaped_plain_text_keeps_its_paragraphs(run_cli, inbox, vault):
    text = "First &lt;para&gt;.\n\nSecond &amp; last."
    [body] = export_records(run_cli, inbox, vault, [{"title": "T", "content": text}]).values()
    assert paragraphs(body) == ["First <para>.", "Second & last."]


def test_collector_abstract_in_plain_text_is_decoded_once_and_keeps_paragraphs(run_cli, inbox, vault):
    abstract = ("We measure sessions with an average &gt; 1 hour,\nwrapped by the collector.\n\n"
                "Scores of 5 &lt; 7 &amp;amp; more.")
    write(inbox / "paper.md", collector_note(title="A paper", url="https://arxiv.org/abs/1", body=abstract, summary=None))
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    [note] = notes_in(vault)
    assert paragraphs(body_of(note)) == [
        "We measure sessions with an average > 1 hour, wrapped by the collector.",
        "Scores of 5 < 7 &amp; more.",
    ]


def test_collector_html_body_is_still_html(run_cli, inbox, vault):
    write(inbox / "post.md", collector_note(body="<p>Hello <custom-tag>there</custom-tag> &raquo;</p>", summary=None))
    run_cli("export", inbox, "--vault", vault)
    [note] = notes_in(vault)
    assert visible(body_of(note)) == "Hello there »"


FEED = """<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
<entry><title>Escaped HTML</title><link href="https://example.com/1"/>
  <content type="html">&lt;p&gt;Run &lt;samp&gt;make&lt;/samp&gt; &amp;raquo;&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</content></entry>
<entry><title>Plain text</title><link href="https://example.com/2"/>
  <content type="text">&lt;b&gt;not bold&lt;/b&gt; 42 &gt; 1</content></entry>
</feed>"""


def test_feed_content_shows_as_its_type_says(run_cli, inbox, vault):
    write(inbox / "feed.atom", FEED)
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    bodies = {note.stem: body_of(note) for note in notes_in(vault)}
    assert visible(bodies["Escaped HTML"]) == "Run make »"
    assert visible(bodies["Plain text"]) == "<b>not bold</b> 42 > 1"


RSS = """<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>F</title>
<item><title>Second description</title><link>https://example.com/1</link><description>Short</description>
  <dc:description>&lt;p&gt;Run &lt;samp&gt;make&lt;/samp&gt; &amp;raquo;&lt;/p&gt;</dc:description></item>
<item><title>Plain content</title><link>https://example.com/2</link>
  <content>Use &lt;custom-tag&gt;this&lt;/custom-tag&gt; &amp;amp; &lt;h7&gt;that&lt;/h7&gt;</content></item>
<item><title>Angle brackets</title><link>https://example.com/3</link>
  <content>if a &lt; b then &lt;think&gt;</content></item>
</channel></rss>"""


def test_rss_text_that_does_not_say_its_type_is_html_when_it_parses_into_markup(run_cli, inbox, vault):
    write(inbox / "feed.rss", RSS)
    assert run_cli("export", inbox, "--vault", vault).exit_code == 0
    bodies = {note.stem: visible(body_of(note)) for note in notes_in(vault)}
    assert bodies == {"Second description": "Run make »", "Plain content": "Use this & that",
                      "Angle brackets": "if a < b then <think>"}


# Weibo topics

def test_topic_link_to_a_sinaurl_short_link_stays_a_link():
    html = '<a href="https://weibo.cn/sinaurl?u=https%3A%2F%2Fexample.com%2Fpost">#话题#</a> text'
    converted = html_to_markdown(html)
    assert links(converted.markdown) == [("#话题#", "https://example.com/post")]
    assert visible(converted.markdown) == "#话题# text"


@pytest.mark.parametrize("href", ["https://weibo.com/1864763962", "https://video.weibo.com/show?fid=1",
                                  "https://example.com/x"])
def test_topic_text_linking_to_any_other_page_stays_a_link(href):
    converted = html_to_markdown(f'<a href="{href}">#话题#</a>')
    assert (links(converted.markdown), converted.tags) == ([("#话题#", href)], ())


@pytest.mark.parametrize("href", [TOPIC_SEARCH, "https://s.weibo.com/weibo?q=%23x%23", "/search?q=%23x%23"])
def test_topic_link_to_weibo_search_becomes_a_tag(href):
    converted = html_to_markdown(f'<a href="{href}">#话题#</a>', "https://weibo.com")
    assert (converted.markdown, converted.tags) == ("#话题", ("话题",))
