"""Note -> the text of its Markdown file: front matter (Obsidian properties) and body."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Callable

from .config import Config, TagsConfig
from .convert import html_to_markdown, text_to_markdown
from .dates import local_time, note_day
from .frontmatter import dump_properties
from .model import BodyFormat, Note
from .paths import TOPIC
from .tags import normalize_tag

RESERVED_KEYS = ("title", "url", "source", "type", "created", "date", "tags")


@dataclass(frozen=True)
class RenderedNote:
    properties: dict[str, Any]
    body: str

    def text(self) -> str:
        parts = [dump_properties(self.properties)]
        if self.body:
            parts.append(self.body + "\n")
        return "\n".join(part for part in parts if part) or "\n"


def make_tag_rule(tags: TagsConfig) -> Callable[[str], str | None]:
    """Normalise a raw tag, then apply the person's rename map, case and prefix."""
    def rule(raw: str) -> str | None:
        tag = normalize_tag(raw)
        if tag is None:
            return None
        tag = tags.rename.get(tag, tag)
        tag = tag.lower() if tags.lowercase else tag
        return normalize_tag(tags.prefix + tag)
    return rule


def render_note(note: Note, config: Config, zone: tzinfo | None) -> RenderedNote:
    rule = make_tag_rule(config.tags)
    body, body_tags = _body(note, rule, inline_tags=config.tags.style in ("inline", "both"))
    tags = _unique([rule(tag) for tag in (*note.tags, *_title_topics(note.title))] + list(body_tags))
    properties = _properties(note, zone, tags if config.tags.style != "inline" else [])
    return RenderedNote(properties, _join_blocks([_summary_callout(note.summary), body]))


def _body(note: Note, rule, inline_tags: bool) -> tuple[str, tuple[str, ...]]:
    if note.body_format is BodyFormat.HTML:
        converted = html_to_markdown(note.body, note.url, tag_rule=rule, inline_tags=inline_tags)
        return converted.markdown, converted.tags
    if note.body_format is BodyFormat.TEXT:
        return text_to_markdown(note.body), ()
    return note.body.strip(), ()


def _title_topics(title: str) -> list[str]:
    return [match.group(0) for match in TOPIC.finditer(title)]


def _unique(tags: list[str | None]) -> list[str]:
    return list(dict.fromkeys(tag for tag in tags if tag))


def _properties(note: Note, zone: tzinfo | None, tags: list[str]) -> dict[str, Any]:
    properties: dict[str, Any] = {"title": note.title}
    optional = {
        "url": note.url, "source": note.source, "type": note.type,
        "created": local_time(note.created, zone) if note.created else None,
        "date": note_day(note, zone), "tags": tags or None,
    }
    properties.update((key, value) for key, value in optional.items() if value is not None)
    for key, value in note.extra:
        properties[key if key not in RESERVED_KEYS else f"{key}_original"] = value
    return properties


def _summary_callout(summary: str | None) -> str:
    if not summary or not summary.strip():
        return ""
    lines = text_to_markdown(summary.strip()).split("\n")
    return "\n".join(["> [!summary]"] + [f"> {line}" if line else ">" for line in lines])


def _join_blocks(blocks: list[str]) -> str:
    """Blocks separated by a blank line; a rule keeps two quotes in a row from reading as one."""
    text = ""
    for block in filter(None, blocks):
        if text.rsplit("\n", 1)[-1].startswith(">") and block.startswith(">"):
            text += "\n\n---"
        text = f"{text}\n\n{block}" if text else block
    return text
