"""Reading RSS 0.91, RSS 1.0, RSS 2.0 and Atom feeds: one note per entry, or a clear reason why not."""
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from vault_export.model import BodyFormat, Note, Origin, ReadFailure
from vault_export.inputs.readers import candidates_for, reader_named
from vault_export.inputs.readers.feed import FeedReader, read_feed_bytes

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def read(name: str) -> list[Note | ReadFailure]:
    return list(FeedReader().read(FEEDS / name))


def note(name: str, position: int) -> Note:
    item = read(name)[position - 1]
    assert isinstance(item, Note), item
    return item


def only_failure(name: str) -> ReadFailure:
    items = read(name)
    assert len(items) == 1 and isinstance(items[0], ReadFailure), items
    return items[0]


# ----------------------------------------------------------------------------- registry and sniffing

def test_registered_for_feed_extensions():
    assert reader_named("feed") is not None
    for suffix in (".rss", ".atom", ".xml", ".rdf"):
        assert "feed" in [reader.name for reader in candidates_for(Path(f"x{suffix}"))]


@pytest.mark.parametrize("head", ['<?xml version="1.0"?>\n<rss version="2.0">', '<feed xmlns="http://www.w3.org/2005/Atom">',
                                  "<?xml version='1.0'?><rdf:RDF xmlns:rdf='x'>", "<!-- c -->\n<rss>"])
def test_sniff_accepts_feeds(head):
    assert FeedReader().sniff(head)


@pytest.mark.parametrize("head", ["<notes><note/></notes>", "<html><body>feed me</body></html>", "# A note\n"])
def test_sniff_refuses_other_files(head):
    assert not FeedReader().sniff(head)


# ----------------------------------------------------------------------------- one note per entry, by format

def test_rss_091_entries_with_the_feed_title_as_source():
    first, second = read("rss091.rss")
    assert (first.title, first.url, first.source, first.type) == ("Opening hours", "http://cafe.example/hours", "Café Notes", "feed")
    assert first.body == "Open from 8 to 18, café crème included."
    assert (first.origin, second.origin) == (Origin(str(FEEDS / "rss091.rss"), 1), Origin(str(FEEDS / "rss091.rss"), 2))
    assert str(second.origin).endswith("rss091.rss#2")


def test_rss_10_rdf_reads_dublin_core_date_subject_and_creator():
    first = note("rss10.rdf", 1)
    assert (first.title, first.url, first.source) == ("First run", "https://lab.example/log/1", "Lab Log")
    assert first.created == datetime(2024, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=9)))
    assert first.tags == ("baking",)
    assert first.extra == (("author", "Kim"),)


def test_rss_20_full_content_wins_over_the_description():
    first = note("rss20.xml", 1)
    assert first.body.startswith("<p>The full post") and first.body_format is BodyFormat.HTML
    assert first.summary is None


def test_rss_20_categories_become_tags_once_each():
    assert note("rss20.xml", 1).tags == ("Gardening", "vegetables")


def test_rss_20_extra_has_the_author_and_the_feeds_own_url():
    assert note("rss20.xml", 1).extra == (("author", "Ana"), ("feed", "https://garden.example/blog/feed.xml"))


def test_description_is_the_body_when_there_is_no_content():
    assert note("rss20.xml", 2).body == "Only a <b>description</b> here."


def test_atom_content_summary_and_categories():
    first = note("atom.atom", 1)
    assert first.body == '<p>Full text with <a href="https://notes.example/journal/notes/2">a relative link</a>.</p>'
    assert first.tags == ("Reading", "books")  # a category's label wins over its term, which may be a URI
    assert first.extra == (("author", "Lee"), ("feed", "https://notes.example/journal/atom.xml"))


def test_atom_text_content_is_plain_text():
    third = note("atom.atom", 3)
    assert (third.body, third.body_format) == ("Just text.\nTwo lines.", BodyFormat.TEXT)


def test_xhtml_content_is_html():
    second = note("atom.atom", 2)
    assert (second.body, second.body_format) == ("<p>Body <em>in</em> XHTML.</p>", BodyFormat.HTML)


# ----------------------------------------------------------------------------- titles

def test_html_title_becomes_plain_text():
    assert note("atom.atom", 1).title == "A <b> title"


def test_xhtml_title_becomes_plain_text():
    assert note("atom.atom", 2).title == "An xhtml title"


def test_text_title_keeps_its_angle_brackets():
    assert note("atom.atom", 3).title == "Plain text <not markup>"


def test_html_feed_title_becomes_plain_text():
    assert note("atom.atom", 1).source == "Journal & Co"


def test_untitled_entry_takes_its_first_line_cut_at_a_word():
    title = note("rss20.xml", 3).title
    assert title == "Quick note without a title: the first frost came early this year, and the beans…"


def test_untitled_entry_without_text_fails_with_a_reason():
    failure = read("rss20.xml")[3]
    assert failure == ReadFailure(Origin(str(FEEDS / "rss20.xml"), 4), "entry has no title and no text to take one from")


def test_untitled_cjk_entry_is_cut_without_spaces():
    feed = ("<rss version='2.0'><channel><title>T</title><item><description>" + "长" * 100
            + "</description></item></channel></rss>").encode()
    assert next(read_feed_bytes(feed, "cjk.xml")).title == "长" * 80 + "…"


# ----------------------------------------------------------------------------- links

def test_atom_links_resolve_against_xml_base():
    assert note("atom.atom", 1).url == "https://notes.example/journal/entries/1"


def test_an_entrys_own_xml_base_wins():
    assert note("atom.atom", 2).url == "https://notes.example/other/entry-2"


def test_rss_links_and_images_resolve_against_the_feeds_link():
    assert note("rss20.xml", 2).url == "https://garden.example/blog/posts/basil"
    assert 'src="https://garden.example/blog/img/tomato.jpg"' in note("rss20.xml", 1).body
    assert note("rss091.rss", 2).url == "http://cafe.example/menu.html"


def test_fetched_feed_resolves_against_the_url_it_came_from():
    data = (FEEDS / "rss20.xml").read_bytes()
    second = list(read_feed_bytes(data, "https://garden.example/blog/feed/rss.xml"))[1]
    assert second.url == "https://garden.example/blog/feed/posts/basil"
    assert second.origin == Origin("https://garden.example/blog/feed/rss.xml", 2)
    assert ("feed", "https://garden.example/blog/feed/rss.xml") in second.extra


def test_base_url_overrides_the_label_after_a_redirect():
    data = (FEEDS / "rss20.xml").read_bytes()
    second = list(read_feed_bytes(data, "http://old.example/rss", base_url="https://new.example/x/rss"))[1]
    assert (second.url, second.origin.path) == ("https://new.example/x/posts/basil", "http://old.example/rss")


# ----------------------------------------------------------------------------- dates

def test_published_keeps_its_own_offset():
    assert note("atom.atom", 1).created == datetime(2024, 5, 30, 9, 0, tzinfo=timezone(timedelta(hours=-5)))


def test_updated_is_used_without_published():
    assert note("atom.atom", 2).created == datetime(2024, 5, 31, 8, 0, tzinfo=timezone(timedelta(hours=2)))


def test_rss_date_with_offset_and_with_gmt():
    assert note("rss20.xml", 1).created == datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    assert note("rss20.xml", 2).created == datetime(2024, 5, 2, 8, 15, tzinfo=timezone.utc)


def test_entry_without_a_date_has_no_created():
    assert note("atom.atom", 3).created is None
    assert note("rss091.rss", 1).created is None


def test_unusual_date_falls_back_to_feedparsers_utc_reading():
    feed = (b"<rss version='2.0'><channel><title>T</title><item><title>x</title>"
            b"<pubDate>2024-05-01 10:00:00</pubDate></item></channel></rss>")
    assert next(read_feed_bytes(feed, "f.xml")).created == datetime(2024, 5, 1, 10, 0, tzinfo=timezone.utc)


# ----------------------------------------------------------------------------- broken inputs

def test_malformed_feed_still_gives_its_entries():
    assert [item.title for item in read("malformed.xml")] == ["Survived", "Also survived"]


def test_malformed_feed_without_entries_fails_with_the_parsers_reason():
    failure = only_failure("broken-before-entries.xml")
    assert failure.origin == Origin(str(FEEDS / "broken-before-entries.xml"))
    assert failure.reason == "malformed feed: line 4, column 21: unclosed token"


def test_other_xml_is_not_a_feed():
    assert only_failure("not-a-feed.xml").reason == \
        "not an RSS or Atom feed: the root element is not <rss>, <feed> or <rdf:RDF>"


def test_an_html_page_is_not_a_feed():
    page = b"<!DOCTYPE html><html><head><title>Blog</title></head><body><p>hi<br></body></html>"
    failure = next(read_feed_bytes(page, "https://blog.example/"))
    assert failure.reason.startswith("not an RSS or Atom feed (line ") and "mismatched tag" in failure.reason


def test_empty_file_fails():
    assert next(read_feed_bytes(b"  \n", "e.xml")) == ReadFailure(Origin("e.xml"), "empty file")


def test_a_well_formed_feed_without_entries_gives_nothing():
    assert read("empty-feed.atom") == []


def test_doctype_pointing_at_the_web_is_not_fetched(monkeypatch):
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("the feed reader must not open URLs")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    assert len(read("rss091.rss")) == 2


def test_bytes_that_look_like_a_path_are_not_opened(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text("<rss version='2.0'><channel><item><title>leak</title></item></channel></rss>")
    failure = next(read_feed_bytes(str(secret).encode(), "x.xml"))
    assert isinstance(failure, ReadFailure)
