"""Note -> the text of its Markdown file: front matter (Obsidian properties) and a templated body."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Callable
from unicodedata import normalize

from vault_export.config import Config, LinksConfig, PropertiesConfig, TagsConfig
from vault_export import convert  # its converters load when a note is first rendered
from vault_export.convert.fences import fenced_code_lines
from vault_export.model import local_time, note_day
from vault_export.errors import UsageError
from vault_export.identity import ID_PROPERTY, URL_PROPERTIES, identity_property
from vault_export.render.properties import dump_properties
from vault_export.model import BodyFormat, Note
from vault_export.render.site import site_of
from vault_export.vault.links import NoteLinks, TopicLink, attachment_folder, attachments_by_name
from vault_export.vault.writer import attachment_path
from vault_export.vault.paths import TOPIC, stem_of, title_name
from vault_export.render.tags import normalize_tag
from vault_export.render.templates import NoteTemplate, add_filter
from vault_export.vault.images import first_image

RESERVED_KEYS = ("title", "url", "source", "type", "created", "date", "tags")
ALIASES = "aliases"  # Obsidian's own list of other names a note is found and linked by
# What the "web-clipper" preset takes from the input's other metadata, as Web Clipper names it.
CLIPPER_METADATA = ("author", "published", "description")
CLIPPER_TAG = "clippings"
LINK_UNSAFE = str.maketrans({char: " " for char in "[]|#^\n"})
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
    """Markdown as written (a summary, which language models write in Markdown) as an Obsidian
    callout: its marks and formulas shown, HTML and Obsidian's own syntax literal."""
    if not text or not text.strip():
        return ""
    lines = convert.written_markdown_to_markdown(text.strip()).split("\n")
    return "\n".join([f"> [!{kind}]"] + [f"> {line}" if line else ">" for line in lines])


add_filter("callout", callout)


# What a Weibo topic becomes in the body, by tags.style (properties list the tags unless "inline").
TOPICS_IN_BODY = {"inline": "tag", "both": "tag", "frontmatter": "text", "wikilink": "link"}
WIKILINKS = LinksConfig()  # wikilinks by name: topic links as the converter writes them


class NoteRenderer:
    """Renders notes with one configuration; templates are compiled once."""

    def __init__(self, config: Config):
        self.config = config
        self.zone = config.zone()
        self.tag_rule = make_tag_rule(config.tags)
        self.template_source = note_template_source(config.notes.template)
        self.template = NoteTemplate("notes.template", self.template_source,
                                     str(config.config_file or "configuration"))

    def render(self, note: Note, path: str) -> RenderedNote:
        """The note as the file at vault path `path`: its links start from there, and its file name
        decides whether the title needs an alias."""
        style = self.config.tags.style
        links = NoteLinks.of(self.config.links, path)
        body, body_tags = self._body(note, TOPICS_IN_BODY[style], links)
        if note.attachments:
            body = self._embed_attachments(body, note, links, path)
        topics = [self.tag_rule(tag) for tag in (*note.tags, *_title_topics(note.title))]
        tags = list(dict.fromkeys(tag for tag in [*topics, *body_tags] if tag))
        properties = self._properties(note, tags if style != "inline" else [], stem_of(path), first_image(body))
        variables = note_template_variables(note, self.zone, tags, body)
        return RenderedNote(properties, tidy_note(self.template.render(variables, str(note.origin))))

    def _body(self, note: Note, topics: str, links: NoteLinks) -> tuple[str, tuple[str, ...]]:
        if note.body_format is BodyFormat.HTML:
            topic_link = TopicLink(links) if links.links != WIKILINKS else None  # None: [[tag]], quicker
            converted = convert.html_to_markdown(note.body, note.url, tag_rule=self.tag_rule, topics=topics,
                                         topic_link=topic_link)
            return converted.markdown, converted.tags
        if note.body_format is BodyFormat.TEXT:
            return convert.text_to_markdown(note.body), ()
        return note.body.strip(), ()

    def _embed_attachments(self, body: str, note: Note, links: NoteLinks, path: str) -> str:
        """The reader embeds each attachment as ![[name]]: here it is embedded from where it is written."""
        setting = self.config.attachments_folder
        folder, by_name = attachment_folder(setting, path), attachments_by_name(setting)
        for attachment in note.attachments:
            embed = links.embed(attachment_path(folder, attachment.name), by_name=by_name)
            if embed != f"![[{attachment.name}]]":
                body = body.replace(f"![[{attachment.name}]]", embed)
        return body

    def _properties(self, note: Note, tags: list[str], stem: str, image: str | None) -> dict[str, Any]:
        extra = dict(note.extra)
        aliases = merged_aliases(extra.pop(ALIASES, None), alias_for(note.title, stem))
        created = local_time(note.created, self.zone) if note.created else None
        day = note_day(note, self.zone)
        if self.config.properties.preset == "web-clipper":
            optional = clipper_properties(note, extra, created, day, tags)
        else:
            optional = {"url": note.url, "site": site_of(note.url), "source": note.source, "type": note.type,
                        "created": created, "date": day, "tags": tags or None}
        properties: dict[str, Any] = {"title": note.title, ALIASES: aliases or None,
                                      ID_PROPERTY: identity_property(note, self.config.identity), **optional}
        properties = {key: value for key, value in properties.items() if value is not None}
        for key, value in extra.items():
            if key in RESERVED_KEYS or key in properties and properties[key] != value:
                properties[f"{key}_original"] = value
            else:
                properties.setdefault(key, value)
        if image:  # a note's own image property stays as it is
            properties.setdefault(COVER, image)
        return reshape_properties(properties, self.config.properties)


def alias_for(title: str, stem: str) -> str | None:
    """The title, when the file name does not show it as written: search and link suggestions
    then find the note by its full title."""
    text = " ".join(title.split())
    return text if text and normalize("NFC", text) != stem else None


def merged_aliases(given: Any, ours: str | None) -> list[str]:
    """The aliases an input brings (a list, or one text), then ours, each once."""
    items = given if isinstance(given, list) else [given] if given is not None else []
    names = [str(item) for item in items if item is not None and str(item).strip()]
    return list(dict.fromkeys([*names, ours] if ours else names))


def clipper_properties(note: Note, extra: dict[str, Any], created: datetime | None, day: date | None,
                       tags: list[str]) -> dict[str, Any]:
    """The properties after the title as Obsidian Web Clipper's default template writes them: the
    note's day stands for `published` when the input names none; the metadata they take are
    removed from `extra`."""
    author, published, description = (extra.pop(key, None) for key in CLIPPER_METADATA)
    summary = " ".join(note.summary.split()) if note.summary else None
    return {"source": note.url, "author": author_links(author) or None,
            "published": published if published is not None else day,
            "created": created.date() if created else day,
            "description": description if description is not None else summary or None,
            "tags": list(dict.fromkeys([CLIPPER_TAG, *tags]))}


def author_links(author: Any) -> list[str]:
    """Authors as Web Clipper lists them: each a link, `[[Name]]`; a text holds them separated by ', '."""
    names = author if isinstance(author, list) else str(author).split(", ") if author is not None else []
    links = []
    for name in map(str, names):
        name = name.strip()
        if name.startswith("[[") and name.endswith("]]"):
            links.append(name)
        elif words := " ".join(name.translate(LINK_UNSAFE).split()):
            links.append(f"[[{words}]]")
    return list(dict.fromkeys(links))


def template_variables(note: Note, zone: tzinfo | None, tags: list[str]) -> dict[str, Any]:
    """What folder, file name and note templates may use."""
    return {"title": note.title, "name": title_name(note.title), "url": note.url, "site": site_of(note.url),
            "source": note.source, "type": note.type,
            "created": local_time(note.created, zone) if note.created else None,
            "date": note_day(note, zone), "tags": tags, "summary": note.summary,
            "meta": dict(note.extra)}


def note_template_variables(note: Note, zone: tzinfo | None, tags: list[str], body: str) -> dict[str, Any]:
    """What the note (body) template may use: those of the other templates, and the converted body."""
    return {**template_variables(note, zone, tags), "body": body}


def url_property(rules: PropertiesConfig) -> str:
    """The property a note's URL is written in: how a moved note, or the notes of a lost state,
    are found again."""
    key = "source" if rules.preset == "web-clipper" else "url"
    return rules.rename.get(key, key)


def identity_keys(config: Config) -> tuple[str, ...]:
    """The properties a note in the vault may hold its id in: the `identity` keys, and our `id`."""
    return tuple(dict.fromkeys([*config.identity, property_name(ID_PROPERTY, config.properties) or ID_PROPERTY]))


def url_keys(config: Config) -> tuple[str, ...]:
    """The properties a note in the vault may hold its URL in: ours, and Web Clipper's `source`."""
    return tuple(dict.fromkeys([url_property(config.properties), *URL_PROPERTIES]))


def reshape_properties(properties: dict[str, Any], rules: PropertiesConfig) -> dict[str, Any]:
    """The person's rename, drop and add rules; added values keep their TOML types. A property
    renamed to the name of another takes its place."""
    taken = {rules.rename[key] for key in properties if key in rules.rename and key not in rules.drop}
    taken -= set(rules.rename)
    reshaped = {name: value for key, value in properties.items()
                if key not in taken and (name := property_name(key, rules)) is not None}
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


def note_template_source(path: str) -> str:
    if not path:
        return DEFAULT_NOTE_TEMPLATE
    try:
        return Path(path).expanduser().read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(path, f"cannot read the note template: {error.strerror}") from None


def _title_topics(title: str) -> list[str]:
    return [match.group(0) for match in TOPIC.finditer(title)]
