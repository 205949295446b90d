"""RSS 0.9x/1.0/2.0 and Atom feeds, from a file or from fetched bytes: one note per entry.

feedparser only ever sees bytes wrapped in a stream, so it never opens a file or a URL itself.
It is asked to resolve relative URIs (only it tracks each element's xml:base, and links to images
must stay valid in the vault) but not to sanitise HTML: the convert stage cleans every reader's HTML
by one set of rules, and feedparser's sanitiser would silently drop content (embeds, attributes)
before that stage could decide.
"""
from __future__ import annotations

import email.utils
import io
import re
import xml.sax
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import feedparser
from bs4 import BeautifulSoup

from vault_export.errors import InputError
from vault_export.model import BodyFormat, Note, Origin, ReadFailure
from vault_export.inputs.readers.markup import guessed_body

FEED_ROOT = re.compile(r"<(rss|feed|rdf:RDF)[\s>]")
HTML_TYPES = ("text/html", "application/xhtml+xml")
BLOCK_TAGS = ["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr"]
TITLE_LENGTH = 80


class FeedReader:
    name = "feed"
    extensions = (".rss", ".atom", ".xml", ".rdf")

    def sniff(self, head: str) -> bool:
        return bool(FEED_ROOT.search(head))

    def read(self, path: Path) -> Iterator[Note | ReadFailure]:
        yield from read_feed_bytes(path.read_bytes(), str(path))


def read_feed_bytes(data: bytes, label: str, base_url: str | None = None) -> Iterator[Note | ReadFailure]:
    """Every entry of the feed in `data`, in feed order; `label` (a path or URL) names the origin.

    Relative links resolve against `base_url` (the URL the bytes came from; a URL label is used when
    it is not given), else against the feed's own link."""
    if not data.strip():
        yield ReadFailure(Origin(label), "empty file")
        return
    parsed = _parse(data, base_url or (label if _is_url(label) else None))
    if not parsed.entries:
        problem = _whole_feed_problem(parsed)
        if problem:
            yield ReadFailure(Origin(label), problem)
        return
    source = _plain_text(parsed.feed.get("title_detail")) or None
    feed_url = label if _is_url(label) else _link(parsed.feed, "self")
    typed = parsed.version.startswith("atom")
    for position, entry in enumerate(parsed.entries, start=1):
        origin = Origin(label, position)
        try:
            yield entry_note(entry, origin, source, feed_url, typed)
        except InputError as error:
            yield ReadFailure(origin, error.reason)


def _parse(data: bytes, base_url: str | None) -> feedparser.FeedParserDict:
    parsed = _feedparser(data, base_url)
    site = _site_link(parsed.feed)
    if base_url is None and site:
        parsed = _feedparser(data, site)  # again, now that the base for relative links is known
    return parsed


def _feedparser(data: bytes, base_url: str | None) -> feedparser.FeedParserDict:
    # application/xml: the encoding comes from the BOM or the XML declaration (RFC 3023)
    headers = {"content-type": "application/xml", "content-location": base_url or ""}
    return feedparser.parse(io.BytesIO(data), response_headers=headers,
                            resolve_relative_uris=True, sanitize_html=False)


def _whole_feed_problem(parsed: feedparser.FeedParserDict) -> str | None:
    """Why a feed without entries failed, or None when it is a well-formed, empty feed."""
    reason = _bozo_reason(parsed.bozo_exception) if parsed.bozo else None
    if not parsed.version:
        return "not an RSS or Atom feed" + (f" ({reason})" if reason else
                                            ": the root element is not <rss>, <feed> or <rdf:RDF>")
    return f"malformed feed: {reason}" if reason else None


def _bozo_reason(error: Exception) -> str:
    if isinstance(error, xml.sax.SAXParseException):
        column = error.getColumnNumber() + 1  # expat counts columns from 0
        return f"line {error.getLineNumber()}, column {column}: {error.getMessage()}"
    return str(error) or type(error).__name__


def entry_note(entry: dict, origin: Origin, source: str | None, feed_url: str | None, typed: bool) -> Note:
    """`typed`: the feed says what each text is (Atom); else 'text/plain' is only feedparser's guess."""
    body, body_format = _body(entry, typed)
    return Note(
        title=_plain_text(entry.get("title_detail")) or _title_from_text(body, body_format, origin),
        origin=origin, url=entry.get("link") or None, source=source, type="feed",
        created=_entry_time(entry), tags=_tags(entry), body=body, body_format=body_format,
        extra=_extra(entry.get("author"), feed_url), source_id=(entry.get("id") or "").strip() or None,
    )


def _extra(author: str | None, feed_url: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((key, value) for key, value in (("author", author), ("feed", feed_url)) if value)


def _body(entry: dict, typed: bool) -> tuple[str, BodyFormat]:
    """The full content (HTML preferred among alternatives), else the summary. An untyped text
    feedparser takes for plain text because its tags are not on feedparser's short list of HTML
    elements is judged again, as any text that does not say what it is."""
    contents = [item for item in entry.get("content", []) if item.get("value", "").strip()]
    contents.sort(key=lambda item: item.get("type") not in HTML_TYPES)
    detail = contents[0] if contents else entry.get("summary_detail")
    if not detail or not detail.get("value", "").strip():
        return "", BodyFormat.TEXT
    if detail.get("type") in HTML_TYPES:
        return detail["value"], BodyFormat.HTML
    return (detail["value"], BodyFormat.TEXT) if typed else guessed_body(detail["value"])


def _plain_text(detail: dict | None) -> str:
    """A title element's text on one line, with any HTML markup and entities turned into text."""
    if not detail:
        return ""
    value = detail.get("value", "")
    if detail.get("type") in HTML_TYPES:
        value = BeautifulSoup(value, "html.parser").get_text()
    return " ".join(value.split())


def _title_from_text(body: str, body_format: BodyFormat, origin: Origin) -> str:
    """The first line of the entry's text, cut at a word boundary when it is long."""
    text = _html_text(body) if body_format is BodyFormat.HTML else body
    first_line = next((" ".join(line.split()) for line in text.split("\n") if line.strip()), "")
    if not first_line:
        raise InputError(origin, "entry has no title and no text to take one from")
    if len(first_line) <= TITLE_LENGTH:
        return first_line
    cut = first_line[:TITLE_LENGTH]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-") + "…"


def _html_text(markup: str) -> str:
    soup = BeautifulSoup(markup, "html.parser")
    for block in soup.find_all(BLOCK_TAGS):
        block.insert_after("\n")
    return soup.get_text()


def _entry_time(entry: dict) -> datetime | None:
    """When the entry was published, else updated; the feed's own offset is kept when it gives one."""
    for key in ("published", "updated"):
        moment = _with_offset(entry.get(key)) or _as_utc(entry.get(f"{key}_parsed"))
        if moment:
            return moment
    return None


def _with_offset(raw: str | None) -> datetime | None:
    """An RFC 3339 (Atom) or RFC 822 (RSS) time as written; None when it has no offset or another form."""
    if not raw:
        return None
    for parse in (datetime.fromisoformat, email.utils.parsedate_to_datetime):
        try:
            moment = parse(raw.strip())
        except (TypeError, ValueError):
            continue
        if moment.tzinfo:
            return moment
    return None


def _as_utc(parsed) -> datetime | None:
    """feedparser's normalised time (a UTC struct_time, from any of the date forms it understands)."""
    return datetime(*parsed[:6], tzinfo=timezone.utc) if parsed else None


def _tags(entry: dict) -> tuple[str, ...]:
    """One tag per category: its human label when given (terms can be URIs), else its term."""
    names = ((tag.get("label") or tag.get("term") or "").strip() for tag in entry.get("tags", []))
    return tuple(dict.fromkeys(name for name in names if name))


def _site_link(feed: dict) -> str | None:
    site = _link(feed, "alternate")
    return site if site and _is_url(site) else None


def _link(feed: dict, relation: str) -> str | None:
    return next((link.get("href") for link in feed.get("links", []) if link.get("rel") == relation), None)


def _is_url(label: str) -> bool:
    return label.startswith(("http://", "https://"))


READER = FeedReader()
