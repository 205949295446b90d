"""One record of fields (a JSON object, a front matter block) -> Note: field names and value rules."""
from __future__ import annotations

import re
from contextlib import suppress
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

from vault_export.inputs.readers.markup import guessed_body
from vault_export.model import BodyFormat, Note, Origin

# Note field -> the record keys that fill it; the first key with a value wins.
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "name"),
    "url": ("url", "link", "source_url"),
    "body": ("html", "content_html", "content", "body", "text", "content_text"),
    "summary": ("ai_summary", "summary"),
    "source": ("source", "site"),
    "type": ("type", "kind"),
    "created": ("saved_at", "saved", "created_at", "created", "time"),
    "date": ("catalog_date", "date"),
    "tags": ("tags",),
}
BODY_KEYS = frozenset(FIELD_KEYS["body"])
# The keys that say what their value is (content_html and content_text: JSON Feed's); the others may hold either.
BODY_FORMAT_KEYS = {"html": BodyFormat.HTML, "content_html": BodyFormat.HTML, "content_text": BodyFormat.TEXT}
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
EPOCH_MILLISECONDS_ABOVE = 10**11  # as seconds that is the year 5138; as milliseconds, 1973
EPOCH_TEXT = re.compile(r"\d+(\.\d+)?")
URL = re.compile(r"https?://\S+$", re.IGNORECASE)
TAG_SEPARATORS = re.compile(r"[,，、]")

Chosen = dict[str, tuple[str, Any]]  # Note field -> (the record's key, its value)


class RecordError(ValueError):
    """A record that cannot become a note; the message names the field and what is wrong with it."""


def note_from_record(record: Mapping[str, Any], origin: Origin, *, markdown_body: str | None = None,
                     fallback_title: str | None = None) -> Note:
    """The note a record describes; a Markdown file passes its own body and a title to fall back on."""
    keys = FIELD_KEYS if markdown_body is None else {f: k for f, k in FIELD_KEYS.items() if f != "body"}
    chosen, extra = pick_fields(record, keys)
    url, source = _url_and_source(_text(chosen, "url"), _text(chosen, "source"))
    body, body_format = (markdown_body, BodyFormat.MARKDOWN) if markdown_body is not None \
        else _body(chosen)
    return Note(
        title=_title(chosen, fallback_title), origin=origin, url=url, source=source,
        type=_text(chosen, "type"), created=_parsed(chosen, "created", parse_saved_time),
        date=_parsed(chosen, "date", parse_catalog_date), tags=_parsed(chosen, "tags", parse_tags) or (),
        summary=_text(chosen, "summary"), body=body, body_format=body_format, extra=extra,
    )


def pick_fields(record: Mapping[str, Any], keys: Mapping[str, tuple[str, ...]]
                ) -> tuple[Chosen, tuple[tuple[str, Any], ...]]:
    """Each field's first key that has a value, and the record's other values in input order."""
    present: dict[str, str] = {}
    for key, value in record.items():
        if not _empty(value):
            present.setdefault(_key(key), key)
    chosen: Chosen = {}
    for field, names in keys.items():
        found = next((present[name] for name in names if name in present), None)
        if found is not None:
            chosen[field] = (found, record[found])
    return chosen, _extra(record, {key for key, _ in chosen.values()}, keys)


def _extra(record: Mapping[str, Any], used: set[str], keys: Mapping[str, tuple[str, ...]]
           ) -> tuple[tuple[str, Any], ...]:
    known = {name for names in keys.values() for name in names}
    # A body's other copies (say its plain text beside the HTML) would only bloat the front matter.
    dropped = BODY_KEYS & known
    return tuple(
        (str(key), plain_value(value)) for key, value in record.items()
        if key not in used and value is not None and _key(key) not in dropped
        and not (_key(key) in known and _empty(value))
    )


def plain_value(value: Any) -> Any:
    """A value for the front matter; a time with an offset as ISO 8601 text, as properties drop offsets."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat()
    if isinstance(value, list):
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain_value(item) for key, item in value.items()}
    return value


def parse_saved_time(value: Any, key: str = "time") -> datetime:
    """ISO 8601 (with Z, an offset, or none: local time), a date (local midnight), or Unix epoch."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str):
        with suppress(ValueError):
            return datetime.fromisoformat(value.strip())
    if _is_epoch(value):
        return _from_epoch(float(value), key)
    raise RecordError(f"{key} {value!r} is not an ISO 8601 time or a Unix epoch time")


def _is_epoch(value: Any) -> bool:
    if isinstance(value, str):
        return bool(EPOCH_TEXT.fullmatch(value.strip()))
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _from_epoch(number: float, key: str) -> datetime:
    """Seconds, or milliseconds when the number is too large to be seconds (UTC)."""
    try:
        if number > EPOCH_MILLISECONDS_ABOVE:
            return UNIX_EPOCH + timedelta(milliseconds=number)
        return UNIX_EPOCH + timedelta(seconds=number)
    except OverflowError:
        raise RecordError(f"{key} {number:g} is too large for a Unix epoch time") from None


def parse_catalog_date(value: Any, key: str = "date") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    with suppress(ValueError):
        return datetime.fromisoformat(str(value).strip()).date()
    raise RecordError(f"{key} {value!r} is not a date (YYYY-MM-DD)")


def parse_tags(value: Any, key: str = "tags") -> tuple[str, ...]:
    """A list, or a comma-separated string; a leading '#' is dropped from each tag."""
    if isinstance(value, str):
        parts = TAG_SEPARATORS.split(value)
    elif isinstance(value, list):
        parts = [str(item) for item in value if not _empty(item)]
    else:
        raise RecordError(f"{key} must be a list or a comma-separated string, not {value!r}")
    return tuple(tag for tag in (part.strip().lstrip("#").strip() for part in parts) if tag)


def _title(chosen: Chosen, fallback: str | None) -> str:
    title = " ".join((_text(chosen, "title") or fallback or "").split())
    if not title:
        raise RecordError(f"no title (expected one of {', '.join(FIELD_KEYS['title'])})")
    return title


def _text(chosen: Chosen, field: str) -> str | None:
    if field not in chosen:
        return None
    key, value = chosen[field]
    if isinstance(value, (list, dict)):
        raise RecordError(f"{key} must be text, not {'a list' if isinstance(value, list) else 'an object'}")
    return (value.isoformat() if isinstance(value, date) else str(value)).strip()


def _parsed(chosen: Chosen, field: str, parse: Callable[[Any, str], Any]) -> Any:
    if field not in chosen:
        return None
    key, value = chosen[field]
    return parse(value, key)


def _url_and_source(url: str | None, source: str | None) -> tuple[str | None, str | None]:
    """A URL given as the source (as Obsidian Web Clipper writes it) is the URL; its site is the source."""
    if source and URL.match(source):
        site = urlsplit(source).hostname or source
        return url or source, site.removeprefix("www.")
    return url, source


def _body(chosen: Chosen) -> tuple[str, BodyFormat]:
    text = _text(chosen, "body") or ""
    said = BODY_FORMAT_KEYS.get(_key(chosen["body"][0])) if text else None
    return (text, said) if said else guessed_body(text)


def _empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


def _key(key: Any) -> str:
    """Keys compared case-insensitively, with spaces and hyphens as underscores ('Saved At', 'source-url')."""
    return re.sub(r"[\s-]+", "_", str(key).strip().lower())
