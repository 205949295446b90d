"""Reading saved web pages: metadata fallbacks, main content only, absolute links, bad inputs."""
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from vault_export.model import BodyFormat, Note, ReadFailure
from vault_export.inputs.readers import candidates_for, reader_named
from vault_export.inputs.readers.webpage import WebPageReader

FIXTURES = Path(__file__).parent / "fixtures" / "webpages"
ARTICLE_TEXT = "Hermit crabs trade shells in the shallow pools"


def read(path: Path) -> Note | ReadFailure:
    items = list(WebPageReader().read(path))
    assert len(items) == 1
    return items[0]


def page(tmp_path: Path, head: str = "", body: str = "<p>Some text.</p>", name: str = "p.html") -> Path:
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>", "utf-8")
    return path


@pytest.fixture
def article() -> Note:
    return read(FIXTURES / "article.html")


def test_reader_is_registered_for_html_and_htm():
    assert reader_named("webpage") is not None
    for name in ("a.html", "a.HTM"):
        assert "webpage" in [reader.name for reader in candidates_for(Path(name))]


def test_sniffs_html_even_after_a_comment():
    assert WebPageReader().sniff("<!-- saved from url=(0020)https://a.example/ -->\n<html>")
    assert WebPageReader().sniff("\ufeff<!doctype html><title>x</title>")
    assert not WebPageReader().sniff("# A Markdown note\n<p>html inside</p>")


# --- title ---------------------------------------------------------------------------------

def test_og_title_comes_first(article):
    assert article.title == "Tide Pools at Dawn"


def test_title_element_without_the_site_suffix_the_page_confirms():
    assert read(FIXTURES / "title-element.htm").title == "Sourdough Starter Basics"


def test_first_h1_when_there_is_no_title():
    assert read(FIXTURES / "heading-only.html").title == "Notes on Repairing a Bicycle Chain"


def test_file_name_when_the_page_names_nothing(tmp_path):
    assert read(page(tmp_path, "", "<p>Just a paragraph.</p>", name="Saved page.html")).title == "Saved page"


def test_title_whitespace_is_collapsed(tmp_path):
    assert read(page(tmp_path, "<title>\n  Two\t lines \n</title>")).title == "Two lines"


def test_suffix_naming_the_site_is_dropped(tmp_path):
    head = '<title>Release notes | Example Docs</title><meta property="og:site_name" content="Example Docs">'
    assert read(page(tmp_path, head)).title == "Release notes"


def test_unconfirmed_suffix_stays(tmp_path):
    assert read(page(tmp_path, "<title>Star Wars - Episode IV</title>")).title == "Star Wars - Episode IV"


def test_og_title_that_only_names_the_site_is_skipped(tmp_path):
    head = ('<meta property="og:title" content="Example AI"><title>How models learn</title>'
            '<link rel="canonical" href="https://example-ai.com/learn">')
    assert read(page(tmp_path, head)).title == "How models learn"


# --- url, source, time, tags ---------------------------------------------------------------

def test_canonical_link_beats_og_url(article):
    assert article.url == "https://coastline.example/posts/tide-pools"


def test_og_url_when_there_is_no_canonical_link():
    assert read(FIXTURES / "title-element.htm").url == "https://www.kitchen-log.example/bread/starter"


def test_relative_canonical_is_resolved_against_og_url(tmp_path):
    head = '<link rel="canonical" href="/a/b"><meta property="og:url" content="https://site.example/x?y=1">'
    assert read(page(tmp_path, head)).url == "https://site.example/a/b"


def test_no_url_without_canonical_or_og_url():
    assert read(FIXTURES / "heading-only.html").url is None


def test_site_name_is_the_source(article):
    assert article.source == "Coastline Notes"


def test_domain_without_www_is_the_source_otherwise():
    assert read(FIXTURES / "title-element.htm").source == "kitchen-log.example"


def test_published_time_is_the_saved_time(article):
    assert article.created == datetime(2024, 5, 17, 4, 30, tzinfo=timezone.utc)
    assert article.created.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize("value, expected", [
    ("2024-05-17T04:30:00Z", datetime(2024, 5, 17, 4, 30, tzinfo=timezone.utc)),
    ("2024-05-17T04:30:00.123+0000", datetime(2024, 5, 17, 4, 30, 0, 123000, tzinfo=timezone.utc)),
    ("2024-05-17 06:30:00 +0200", datetime(2024, 5, 17, 4, 30, tzinfo=timezone.utc)),
    ("2024-05-17 12:30:00", datetime(2024, 5, 17, 4, 30, tzinfo=timezone.utc)),  # local (Shanghai)
    ("2024-05-17", datetime(2024, 5, 16, 16, 0, tzinfo=timezone.utc)),  # local midnight
])
def test_published_time_variants(tmp_path, value, expected):
    note = read(page(tmp_path, f'<meta property="article:published_time" content="{value}">'))
    assert note.created == expected and note.created.tzinfo is not None


def test_file_time_without_a_published_time(tmp_path):
    path = shutil.copy(FIXTURES / "title-element.htm", tmp_path / "saved.htm")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    assert read(Path(path)).created == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)


def test_unreadable_published_time_falls_back_to_the_file_time(tmp_path):
    path = page(tmp_path, '<meta property="article:published_time" content="last Tuesday">')
    os.utime(path, (1_700_000_000, 1_700_000_000))
    assert read(path).created == datetime.fromtimestamp(1_700_000_000, timezone.utc)


def test_article_tags_and_description(article):
    assert article.tags == ("ocean", "field notes")
    assert article.extra == (("description", "What lives in a tide pool, and when to look."),)
    assert article.summary is None


# --- content ---------------------------------------------------------------------------------

def test_body_is_the_article_as_html(article):
    assert article.body_format is BodyFormat.HTML
    assert ARTICLE_TEXT in article.body
    assert "Step only on bare rock" in article.body
    assert "A green anemone at low tide." in article.body


@pytest.mark.parametrize("boilerplate", [
    "Archive", "About the writer",  # nav
    "Coastline Notes home",  # header
    "Popular posts", "Storm watching",  # aside
    "All rights reserved",  # footer
    "tracking code", "app.js", "font-family",  # scripts and styles
    "newsletter",  # hidden
])
def test_boilerplate_is_gone(article, boilerplate):
    assert boilerplate not in article.body


def test_heading_that_repeats_the_title_is_dropped(article):
    assert "<h1" not in article.body


def test_links_and_images_are_absolute(article):
    assert 'href="https://coastline.example/guides/tides"' in article.body
    assert 'src="https://coastline.example/images/anemone.jpg"' in article.body


def test_lazy_images_get_their_real_address(article):
    assert 'src="https://coastline.example/images/sculpin.jpg"' in article.body
    assert 'src="https://coastline.example/images/sea-stars.jpg"' in article.body
    assert "data:image" not in article.body and "data-src" not in article.body


def test_base_element_decides_what_links_resolve_against(tmp_path):
    head = '<link rel="canonical" href="https://site.example/a/page"><base href="/static/">'
    note = read(page(tmp_path, head, '<p>See <a href="notes.html">the notes</a> for more.</p>'))
    assert 'href="https://site.example/static/notes.html"' in note.body


def test_relative_links_stay_when_the_page_has_no_url():
    assert 'href="tools.html"' in read(FIXTURES / "heading-only.html").body


def test_content_a_script_would_reveal_is_kept(tmp_path):
    text = " ".join(["The whole story waits in a hidden container until the app starts."] * 5)
    note = read(page(tmp_path, "<title>Hidden</title>", f'<div hidden><article><p>{text}</p></article></div>'))
    assert "The whole story" in note.body


def test_comments_of_the_page_are_not_content(tmp_path):
    note = read(page(tmp_path, "<title>T</title>", "<!-- build 42 --><article><p>Real words here.</p></article>"))
    assert "build 42" not in note.body


# --- encodings -------------------------------------------------------------------------------

def test_meta_charset_is_used(tmp_path):
    html = '<html><head><meta charset="gbk"><title>潮间带笔记</title></head><body><p>海葵在清晨张开。</p></body></html>'
    path = tmp_path / "gbk.html"
    path.write_bytes(html.encode("gbk"))
    note = read(path)
    assert note.title == "潮间带笔记" and "海葵在清晨张开" in note.body


def test_bom_beats_a_wrong_meta_charset(tmp_path):
    html = '<html><head><meta charset="iso-8859-1"><title>Café déjà vu</title></head><body><p>x</p></body></html>'
    path = tmp_path / "bom.html"
    path.write_bytes(b"\xef\xbb\xbf" + html.encode("utf-8"))
    assert read(path).title == "Café déjà vu"


def test_xml_declaration_is_accepted(tmp_path):
    path = tmp_path / "x.html"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<html><head><title>XHTML</title></head>'
                    "<body><p>Body text.</p></body></html>", "utf-8")
    assert read(path).title == "XHTML"


# --- failures --------------------------------------------------------------------------------

def test_a_file_that_is_not_html_fails_with_a_reason():
    failure = read(FIXTURES / "not-html.html")
    assert isinstance(failure, ReadFailure)
    assert "not an HTML page" in failure.reason


def test_a_page_without_title_or_content_fails(tmp_path):
    failure = read(page(tmp_path, "", "<nav><a href='/'>Home</a></nav>"))
    assert isinstance(failure, ReadFailure)
    assert "no title and no readable content" in failure.reason


def test_an_empty_file_fails(tmp_path):
    path = tmp_path / "empty.html"
    path.write_bytes(b"")
    assert isinstance(read(path), ReadFailure)


def test_mathjax_formulas_kept_in_scripts_reach_the_note(tmp_path):
    prose = " ".join(["The field splits the resonance into two lines we can measure."] * 8)
    body = (f'<article><h1>Sensing</h1><p>{prose}</p><p>It reduces to:</p>'
            '<script type="math/tex; mode=display">f = D + \\gamma B</script>'
            '<p>where <script type="math/tex">\\gamma</script> is the ratio.</p>'
            '<script>track()</script></article>')
    note = read(page(tmp_path, "<title>Sensing</title>", body))
    assert "<script" in note.body and "track()" not in note.body
    from vault_export.convert import html_to_markdown
    markdown = html_to_markdown(note.body).markdown
    assert "$$\nf = D + \\gamma B\n$$" in markdown and "where $\\gamma$ is the ratio" in markdown


# --- site patterns -----------------------------------------------------------------------------

def markdown_of(note: Note) -> str:
    from vault_export.convert import html_to_markdown
    return html_to_markdown(note.body, note.url).markdown


PROSE = " ".join(["Each card tells how the team rebuilt one part of the service this spring."] * 4)


def test_parts_that_utility_classes_hide_are_left_out(tmp_path):
    card = ('<article><a href="/p{n}"><h3><span class="print:hidden">### </span>Post {n}'
            '<span class="hidden">(copy for machines)</span></h3><p>{prose}</p></a>'
            '<span class="md:hidden">mobile menu</span><span class="hidden md:block">Shown on desktop</span>'
            '</article>')
    body = "<main><h1>Blog</h1>" + "".join(card.format(n=n, prose=PROSE) for n in range(3)) + "</main>"
    markdown = markdown_of(read(page(tmp_path, "<title>Blog</title>", body)))
    assert "###" not in markdown.replace("### Post", "") and "copy for machines" not in markdown
    assert "mobile menu" not in markdown and "Shown on desktop" in markdown
    assert all(f"Post {n}" in markdown for n in range(3))  # every card, not only the first


def test_post_kept_as_bbcode_in_a_data_attribute(tmp_path):
    events = ('[{"announcement_body": {"headline": "Version 2 is out", "body": "[p]The [b]new[/b] build is'
              ' here. Read the [url=\\"https://notes.example/v2\\"]release notes[/url].[/p]'
              '[list][*]Faster saves[*]New map[/list][previewyoutube=\\"abc123;full\\"][/previewyoutube]"}}]')
    body = f'<div id="config" data-events="{events.replace(chr(34), "&quot;")}"></div><div id="root"></div>'
    note = read(page(tmp_path, "<title>Game - Version 2 is out - Store News</title>", body))
    assert note.title == "Version 2 is out"
    markdown = markdown_of(note)
    assert "The **new** build is here. Read the [release notes](https://notes.example/v2)." in markdown
    assert "- Faster saves\n- New map" in markdown
    assert "![](https://www.youtube.com/watch?v=abc123)" in markdown


def test_feed_page_keeps_only_the_permalinked_post(tmp_path):
    other = '<div class="feedItem-1a"><p>Someone else wrote this unrelated note in the feed.</p></div>'
    unit = ('<div class="feedPermalinkUnit-x9"><div class="header"><a href="/@ann">Ann</a> · 3h</div>'
            f'<div class="body-2b"><p>{PROSE}</p></div>'
            '<div class="images"><img src="https://cdn.example/pic.jpg" alt=""></div>'
            '<div class="actions">12 Likes 3 Replies</div></div>')
    note = read(page(tmp_path, '<meta property="og:title" content="Ann (@ann)">', other + unit + other))
    markdown = markdown_of(note)
    assert PROSE in markdown and "![](https://cdn.example/pic.jpg)" in markdown
    assert "unrelated" not in markdown and "Likes" not in markdown and "3h" not in markdown


def test_x_article_is_titled_by_its_article_title(tmp_path):
    body = (f'<article data-testid="tweet"><div data-testid="twitter-article-title">Notes on tides</div>'
            f'<div><p>{PROSE}</p></div></article>')
    note = read(page(tmp_path, '<title>Ann on X: "Notes on tides" / X</title>', body))
    assert note.title == "Notes on tides"


def test_x_post_is_titled_by_its_author(tmp_path):
    body = ('<article data-testid="tweet"><div data-testid="User-Name"><a href="/ann">Ann</a>'
            '<a href="/ann">@ann</a></div><div data-testid="tweetText">Low tide at six.</div></article>')
    assert read(page(tmp_path, "<title>X conversation</title>", body)).title == "Post by @ann on X"


def test_mastodon_post_is_titled_by_author_and_instance(tmp_path):
    head = '<meta property="og:title" content="Ann Lee (@ann@social.example)">'
    assert read(page(tmp_path, head)).title == "Post by Ann Lee on social.example"


@pytest.mark.parametrize("title, body, expected", [
    # an acronym after the last separator is the brand; what is before it stays whole
    ("Array - JavaScript | MDN", "<h1>Array</h1>", "Array - JavaScript"),
    # the title opens with the headline the page shows, then account and app names
    ("Meeting notes - ann@mail.example - Mail", "<h2>Meeting notes</h2>", "Meeting notes"),
])
def test_title_suffixes(tmp_path, title, body, expected):
    assert read(page(tmp_path, f"<title>{title}</title>", body + "<p>Text.</p>")).title == expected


# --- footnotes and formulas ------------------------------------------------------------------

def article_markdown(tmp_path, body: str, outside: str = "") -> str:
    prose = f"<p>{PROSE}</p>" * 3
    html = f"<article><h1>Notes</h1>{prose}{body}</article>{outside}"
    return markdown_of(read(page(tmp_path, "<title>Notes</title>", html)))


def test_linked_footnotes_become_obsidian_footnotes(tmp_path):
    body = ('<p>Tides follow the moon.<sup id="r1"><a href="#n1">1</a></sup> Mostly.'
            '<sup id="r2"><a href="#n2">2</a></sup></p>'
            '<h2>Footnotes</h2><ol class="footnotes"><li id="n1">And the sun. <a href="#r1">↩</a></li>'
            '<li id="n2">See <a href="https://tides.example/">the tables</a>. <a href="#r2">↩</a></li></ol>')
    markdown = article_markdown(tmp_path, body)
    assert "Tides follow the moon.[^1] Mostly.[^2]" in markdown
    assert markdown.endswith("[^1]: And the sun.\n\n[^2]: See [the tables](https://tides.example/).")
    assert "Footnotes" not in markdown and "↩" not in markdown


@pytest.mark.parametrize("body, outside, in_text, notes", [
    pytest.param('<p>First claim.<span class="fn">1<span class="footnote-text" style="display:none">'
                 'Tooltip note.</span></span></p>'
                 '<p>Second claim.<span class="note-ref" data-note="x7"><a href="#">*</a></span></p>'
                 '<aside id="x7" style="display:none">Aside note.</aside>', "",
                 "First claim.[^1]\n\nSecond claim.[^2]", "[^1]: Tooltip note.\n\n[^2]: Aside note.",
                 id="hidden tooltip, and a note a data attribute names"),
    pytest.param("<p>We said so before<sup>1</sup> and again<sup>2</sup>.</p>",
                 '<div class="post-footnotes"><h4>Footnotes</h4><ol><li>In the spring issue.</li>'
                 '<li>In the autumn issue.</li></ol></div>',
                 "We said so before[^1] and again[^2].",
                 "[^1]: In the spring issue.\n\n[^2]: In the autumn issue.",
                 id="loose marks, notes outside the article"),
    pytest.param('<p>Round corners<label class="ref">1</label><input type="checkbox">'
                 '<span class="sidenote"><sup>1</sup> Everywhere now.</span> became a trend.</p>', "",
                 "Round corners[^1] became a trend.", "[^1]: Everywhere now.",
                 id="sidenote after its mark, the text after it stays"),
])
def test_footnote_families(tmp_path, body, outside, in_text, notes):
    markdown = article_markdown(tmp_path, body, outside)
    assert in_text in markdown and markdown.endswith(notes)
    assert "Footnotes" not in markdown


def test_cross_references_to_equations_are_not_footnotes(tmp_path):
    body = ('<p>By the theorem (<a href="#thm">1</a>) it holds.</p>'
            '<h3><a name="thm"></a>Theorem 1</h3><p>Every bounded sequence has a limit point.</p>')
    markdown = article_markdown(tmp_path, body)
    assert "[^" not in markdown and "(1) it holds" in markdown


def test_formula_images_become_tex(tmp_path):
    body = ('<p>A ratio <img src="https://latex.example/svg.image?%5Cfrac%7Ba%7D%7Bb%7D"> inline,'
            ' a sum <img src="https://charts.example/chart?cht=tx&amp;chl=%5Csum_i+x_i"> too.</p>'
            '<p><img src="https://cdn.example/eq1.svg" alt="e^{i\\pi} + 1 = 0"></p>'
            '<p><img src="https://cdn.example/cat.jpg" alt="A cat on a wall"></p>')
    markdown = article_markdown(tmp_path, body)
    assert "A ratio $\\frac{a}{b}$ inline, a sum $\\sum_i x_i$ too." in markdown
    assert "$$\ne^{i\\pi} + 1 = 0\n$$" in markdown
    assert "![A cat on a wall](https://cdn.example/cat.jpg)" in markdown


# --- code blocks -----------------------------------------------------------------------------

def test_line_numbers_at_line_starts_are_not_code(tmp_path):
    lines = "".join(f'<span class="ln">{n}</span>print({n}, [1, 2])\n' for n in range(1, 4))
    markdown = article_markdown(tmp_path, f"<pre><code>{lines}</code></pre>")
    assert "```\nprint(1, [1, 2])\nprint(2, [1, 2])\nprint(3, [1, 2])\n```" in markdown


def test_a_gutter_column_beside_the_code_goes_with_its_layout_table(tmp_path):
    code = ('<div class="highlight"><code><table><tr><td class="numbers"><pre>1\n2</pre></td>'
            '<td><pre>x = 1\ny = 2</pre></td></tr></table></code></div>')
    markdown = article_markdown(tmp_path, code)
    assert "```\nx = 1\ny = 2\n```" in markdown and "|" not in markdown


# --- chrome around the post ------------------------------------------------------------------

def test_related_posts_share_and_newsletter_boxes_are_not_content(tmp_path):
    body = ('<div class="css-related-container"><h3>More posts</h3><a href="/x">Other story</a></div>'
            '<div class="share-panel">Share on Mastodon</div>'
            '<div class="newsletter_box">Subscribe to our newsletter</div>'
            '<p class="h2-related">Text that belongs to the section above.</p>')
    markdown = article_markdown(tmp_path, body)
    assert "Other story" not in markdown and "Share on" not in markdown and "Subscribe" not in markdown
    assert "Text that belongs to the section above." in markdown


def test_a_table_of_contents_goes_but_other_link_lists_stay(tmp_path):
    body = ('<ul><li><a href="#one">One</a></li><li><a href="#two">Two</a>'
            '<ul><li><a href="#three">Three</a></li></ul></li></ul>'
            '<h2 id="one">One</h2><p>First part.</p><h2 id="two">Two</h2><p>Second part.</p>'
            '<h3 id="three">Three</h3><p>Third part.</p>'
            '<ul><li><a href="https://a.example/">Reading one</a></li><li><a href="#one">Back</a></li>'
            '<li><a href="https://b.example/">Reading two</a></li></ul>')
    markdown = article_markdown(tmp_path, body)
    assert "- One" not in markdown and "[One]" not in markdown and "## One" in markdown
    assert "Reading one" in markdown


def test_folded_callout_bodies_are_kept(tmp_path):
    body = ('<div class="callout is-collapsed"><div class="callout-title">FAQ</div>'
            '<div class="callout-content" style="display: none;"><p>Yes, it folds.</p></div></div>'
            '<div style="display:none"><p>A hidden tracking notice.</p></div>')
    markdown = article_markdown(tmp_path, body)
    assert "Yes, it folds." in markdown and "tracking notice" not in markdown


def test_a_latexml_paper_is_read_whole(tmp_path):
    cite = '<cite>[<a href="https://arxiv.example/html/1#bib.bib{0}">{0}</a>]</cite>'
    intro = " ".join(f"Point {n} was made before {cite.format(n)}." for n in range(1, 4))
    html = ('<article class="ltx_document"><div class="ltx_page_content"><section><h2>Introduction</h2>'
            f'<div class="ltx_para"><p>{intro}</p></div></section>'
            '<section class="ltx_bibliography"><h2>References</h2><ul>'
            + "".join(f'<li id="bib.bib{n}"><span>[{n}]</span> Author {n}. A long title of the paper'
                      f' number {n}, on sequence models. Proceedings, 2014.</li>' for n in range(1, 9))
            + "</ul></section></div></article>")
    markdown = markdown_of(read(page(tmp_path, "<title>Paper</title>", html)))
    assert "Point 1 was made before" in markdown and "Author 8" in markdown


def hn_comment(user: str, text: str, level: int) -> str:
    return (f'<tr class="athing comtr"><td><table><tr><td class="ind"><img src="s.gif" width="{40 * level}">'
            f'</td><td><div class="comhead"><a class="hnuser" href="user?id={user}">{user}</a>'
            f' <span class="age" title="2025-03-02T10:00:00"><a href="item?id=2">1 hour ago</a></span></div>'
            f'<div class="comment"><span class="commtext">{text}</span><div class="reply">reply</div></div>'
            '</td></tr></table></td></tr>')


def test_hacker_news_story_with_its_thread(tmp_path):
    item = ('<table class="fatitem"><tr class="athing"><td><span class="titleline">'
            '<a href="https://story.example/post">Ships in bottles</a></span></td></tr>'
            '<tr><td class="subtext"><span class="score">99 points</span></td></tr></table>')
    tree = (hn_comment("ann", "Top comment.", 0) + hn_comment("bob", "An answer.", 1)
            + hn_comment("cy", "Another thread.", 0))
    head = ('<title>Ships in bottles | Hacker News</title>'
            '<link rel="canonical" href="https://news.example/item?id=1">')
    body = f'<table id="hnmain">{item}<table class="comment-tree">{tree}</table></table>'
    note = read(page(tmp_path, head, body))
    markdown = markdown_of(note)
    assert note.title == "Ships in bottles" and "99 points" not in markdown
    assert markdown.startswith("<https://story.example/post>\n\n---\n\n## Comments")
    assert ("> **ann** · [2025-03-02](https://news.example/item?id=2)\n>\n> Top comment.\n>\n"
            "> > **bob** · [2025-03-02](https://news.example/item?id=2)\n> >\n> > An answer.") in markdown
    assert markdown.endswith("---\n\n> **cy** · [2025-03-02](https://news.example/item?id=2)\n>\n"
                             "> Another thread.")
    assert "reply" not in markdown


def test_hacker_news_comment_page_is_titled_by_the_comment(tmp_path):
    text = "Bottles are blown around the finished ship, which is why it fits."
    item = f'<table class="fatitem">{hn_comment("ann", text, 0)}</table>'
    note = read(page(tmp_path, "<title>Ships | Hacker News</title>", item))
    assert note.title == f"Comment by ann: {text[:50]}..."
    assert markdown_of(note) == f"**ann** · 2025-03-02\n\n{text}"


def reddit_comment(user: str, text: str, children: str = "") -> str:
    return (f'<div class="thing comment" data-permalink="/r/boats/c/{user}/"><div class="entry">'
            f'<p class="tagline"><a class="author" href="/user/{user}">{user}</a>'
            f'<span class="score">5 points</span><time datetime="2025-04-01T10:00:00Z">1 day ago</time></p>'
            f'<div class="usertext-body"><div class="md"><p>{text}</p></div></div></div>'
            f'<div class="child"><div class="sitetable">{children}</div></div></div>')


def test_old_reddit_post_with_its_thread(tmp_path):
    post = ('<div class="thing link"><a class="title" href="/r/boats/x/">Knots</a><div class="entry">'
            '<div class="usertext-body"><div class="md"><p>Which knot holds best?</p></div></div></div></div>')
    comments = (reddit_comment("ann", "The bowline.", reddit_comment("bob", "Agreed."))
                + reddit_comment("cy", "A hitch."))
    head = '<title>Knots : boats</title><link rel="canonical" href="https://old.reddit.example/r/boats/x/">'
    body = f'{post}<div class="commentarea"><div class="sitetable">{comments}</div></div>'
    markdown = markdown_of(read(page(tmp_path, head, body)))
    assert markdown.startswith("Which knot holds best?\n\n---\n\n## Comments\n\n"
                               "> **ann** · [2025-04-01](https://old.reddit.example/r/boats/c/ann/)"
                               " · 5 points\n"
                               ">\n> The bowline.\n>\n> > **bob**")
    assert markdown.endswith("---\n\n> **cy** · [2025-04-01](https://old.reddit.example/r/boats/c/cy/)"
                             " · 5 points\n>\n> A hitch.")
