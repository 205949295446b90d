"""Note -> the text of its Markdown file: front matter (Obsidian properties) and a templated body."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import tzinfo
from pathlib import Path
from typing import Any, Callable

from vault_export.config import Config, PropertiesConfig, TagsConfig
from vault_export.convert import html_to_markdown, text_to_markdown
from vault_export.convert.fences import fenced_code_lines
from vault_export.model import local_time, note_day
from vault_export.errors import UsageError
from vault_export.render.properties import dump_properties
from vault_export.model import BodyFormat, Note
from vault_export.vault.paths import TOPIC
from vault_export.render.tags import normalize_tag
from vault_export.render.templates import NoteTemplate, add_filter
from vault_export.vault.images import first_image

RESERVED_KEYS = ("title", "url", "source", "type", "created", "date", "tags")
DEFAULT_NOTE_TEMPLATE = "{% if summary %}{{ summary | callout }}\n\n{% endif %}{{ body }}\n"
COVER = "image"  # the property naming a note's first image, which cards show (as Web Clipper names it)


@dataclass(frozen=True)
class RenderedNote:
    properties: dict[str, Any]
    body: str

    def text(self) -> str:
        front = dump_properties(self.properties)
        if not self.body:
            return front or "\n"
        return f"{front}\n{self.body}" if front else self.body


def callout(text: str | None, kind: str = "summary") -> str:
    """Plain text as an Obsidian callout, every character shown literally."""
    if not text or not text.strip():
        return ""
    lines = text_to_markdown(text.strip()).split("\n")
    return "\n".join([f"> [!{kind}]"] + [f"> {line}" if line else ">" for line in lines])


add_filter("callout", callout)


# What a Weibo topic becomes in the body, by tags.style (properties list the tags unless "inline").
TOPICS_IN_BODY = {"inline": "tag", "both": "tag", "frontmatter": "text", "wikilink": "link"}


class NoteRenderer:
    """Renders notes with one configuration; templates are compiled once."""

    def __init__(self, config: Config):
        self.config = config
        self.zone = config.zone()
        self.tag_rule = make_tag_rule(config.tags)
        self.template_source = _template_source(config.notes.template)
        self.template = NoteTemplate("notes.template", self.template_source,
                                     str(config.config_file or "configuration"))

    def render(self, note: Note) -> RenderedNote:
        style = self.config.tags.style
        body, body_tags = self._body(note, TOPICS_IN_BODY[style])
        topics = [self.tag_rule(tag) for tag in (*note.tags, *_title_topics(note.title))]
        tags = list(dict.fromkeys(tag for tag in [*topics, *body_tags] if tag))
        properties = self._properties(note, tags if style != "inline" else [], first_image(body))
        variables = {**template_variables(note, self.zone, tags), "body": body}
        return RenderedNote(properties, tidy_note(self.template.render(variables, str(note.origin))))

    def _body(self, note: Note, topics: str) -> tuple[str, tuple[str, ...]]:
        if note.body_format is BodyFormat.HTML:
            converted = html_to_markdown(note.body, note.url, tag_rule=self.tag_rule, topics=topics)
            return converted.markdown, converted.tags
        if note.body_format is BodyFormat.TEXT:
            return text_to_markdown(note.body), ()
        return note.body.strip(), ()

    def _properties(self, note: Note, tags: list[str], image: str | None = None) -> dict[str, Any]:
        properties: dict[str, Any] = {"title": note.title}
        optional = {
            "url": note.url, "source": note.source, "type": note.type,
            "created": local_time(note.created, self.zone) if note.created else None,
            "date": note_day(note, self.zone), "tags": tags or None,
        }
        properties.update((key, value) for key, value in optional.items() if value is not None)
        for key, value in note.extra:
            properties[key if key not in RESERVED_KEYS else f"{key}_original"] = value
        if image:  # a note's own image property stays as it is
            properties.setdefault(COVER, image)
        return reshape_properties(properties, self.config.properties)


def template_variables(note: Note, zone: tzinfo | None, tags: list[str]) -> dict[str, Any]:
    """What folder, file name and note templates may use."""
    return {"title": note.title, "url": note.url, "source": note.source, "type": note.type,
            "created": local_time(note.created, zone) if note.created else None,
            "date": note_day(note, zone), "tags": tags, "summary": note.summary,
            "meta": dict(note.extra)}


def reshape_properties(properties: dict[str, Any], rules: PropertiesConfig) -> dict[str, Any]:
    """The person's rename, drop and add rules; added values keep their TOML types."""
    reshaped = {name: value for key, value in properties.items()
                if (name := property_name(key, rules)) is not None}
    for key, value in rules.add.items():
        reshaped.setdefault(key, value)
    return reshaped


def property_name(key: str, rules: PropertiesConfig) -> str | None:
    """The name a property of ours has in the notes, after the person's rules; None when dropped."""
    return None if key in rules.drop else rules.rename.get(key, key)


def make_tag_rule(tags: TagsConfig) -> Callable[[str], str | None]:
    """Normalise a raw tag, then apply the person's rename map, case and prefix."""
    @lru_cache(maxsize=65536)  # notes share most of their tags
    def rule(raw: str) -> str | None:
        tag = normalize_tag(raw)
        if tag is None:
            return None
        tag = tags.rename.get(tag, tag)
        tag = tag.lower() if tags.lowercase else tag
        return normalize_tag(tags.prefix + tag)
    return rule


def tidy_note(text: str) -> str:
    """Whatever a template made: no trailing spaces, no blank-line runs outside code, one final newline,
    and a rule between two quotes that would otherwise merge into one."""
    lines: list[str] = []
    after_code = False  # whether the last line kept is fenced code
    stripped = [line.rstrip() for line in text.split("\n")]
    for line, in_code in zip(stripped, fenced_code_lines(text)):
        if not in_code and not line and (not lines or not lines[-1]):
            continue
        if line.startswith(">") and len(lines) > 1 and not lines[-1] and not after_code \
                and lines[-2].startswith(">"):
            lines += ["---", ""]
        lines.append(line)
        after_code = in_code
    return "\n".join(lines).strip("\n") + "\n" if any(lines) else ""


def _template_source(path: str) -> str:
    if not path:
        return DEFAULT_NOTE_TEMPLATE
    try:
        return Path(path).expanduser().read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(path, f"cannot read the note template: {error.strerror}") from None


def _title_topics(title: str) -> list[str]:
    return [match.group(0) for match in TOPIC.finditer(title)]
