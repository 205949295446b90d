"""Evernote exports (.enex): one note per <note>, its ENML as Markdown, its resources as attachments."""
from __future__ import annotations

import base64
import binascii
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from html.entities import html5
from pathlib import Path
from typing import Iterator

from lxml import etree

from vault_export.convert import html_to_markdown
from vault_export.model import Attachment, BodyFormat, Note, Origin, ReadFailure
from vault_export.vault.paths import safe_filename
from vault_export.inputs.readers.fields import RecordError, parse_saved_time, parse_tags

# No entity expansion and no network: an export is untrusted input, and can be very large.
SAFE_XML = {"resolve_entities": False, "no_network": True, "huge_tree": True}
XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
# Markers made of letters and digits only, so the HTML converter passes them through unescaped.
TODO_MARKERS = {True: "VXTODO1Q", False: "VXTODO0Q"}
EMBED_MARKER = "VXEMBED{}Q"
TODO_MARKER = re.compile(r"(?:^(?P<indent>[ \t]*)[-*+] )?VXTODO(?P<done>[01])Q[ \t]*", re.MULTILINE)
EMBED_MARKER_FOUND = re.compile(r"VXEMBED(\d+)Q")
TASK_GAP = re.compile(r"^([ \t]*- \[[ x]\] .*)\n\n(?=[ \t]*- \[[ x]\] )", re.MULTILINE)
FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")
MAX_STEM_BYTES = 100


@dataclass(frozen=True)
class Resource:
    data: bytes
    mime: str
    file_name: str


class EnexReader:
    name = "enex"
    extensions = (".enex",)

    def sniff(self, head: str) -> bool:
        return "<en-export" in head

    def read(self, path: Path) -> Iterator[Note | ReadFailure]:
        namer = AttachmentNamer()
        count = 0
        try:
            for count, element in enumerate(_note_elements(path), start=1):
                yield _read_note(element, Origin(str(path), count), namer)
        except etree.XMLSyntaxError as error:
            after = f" after note {count}" if count else ""
            yield ReadFailure(Origin(str(path)), f"invalid XML{after}: {error}")
            return
        if count == 0:
            yield ReadFailure(Origin(str(path)), "no <note> elements: not an Evernote export")


def _note_elements(path: Path) -> Iterator[etree._Element]:
    """Each <note> as it ends, then freed, so a large export is never held whole."""
    for _, element in etree.iterparse(str(path), events=("end",), tag="note", **SAFE_XML):
        yield element
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]


def _read_note(element: etree._Element, origin: Origin, namer: AttachmentNamer) -> Note | ReadFailure:
    try:
        return note_from_enex(element, origin, namer)
    except RecordError as error:
        return ReadFailure(origin, f"note {origin.position}: {error}")


def note_from_enex(element: etree._Element, origin: Origin, namer: AttachmentNamer) -> Note:
    title = " ".join(element.findtext("title", "").split())
    if not title:
        raise RecordError("no title")
    attributes = _attributes(element)
    url = attributes.pop("source-url", None)
    converter = EnmlConverter(_resources(element), namer)
    body, body_tags = converter.convert(element.findtext("content", ""), url)
    return Note(
        title=title, origin=origin, url=url, created=_time(element, "created"),
        tags=parse_tags([tag.text for tag in element.iterfind("tag")]) + body_tags,
        body=body, body_format=BodyFormat.MARKDOWN, extra=_extra(element, attributes),
        attachments=converter.attachments(), source_id=(element.findtext("guid") or "").strip() or None,
    )


def _time(element: etree._Element, name: str) -> datetime | None:
    text = (element.findtext(name) or "").strip()
    return parse_saved_time(text, name) if text else None


def _extra(element: etree._Element, attributes: dict[str, str]) -> tuple[tuple[str, str], ...]:
    updated = _time(element, "updated")
    return ((("updated", updated.isoformat()),) if updated else ()) + tuple(attributes.items())


def _attributes(element: etree._Element) -> dict[str, str]:
    """<note-attributes> children with text (author, source-url, ...), in input order."""
    return {child.tag: child.text.strip() for child in element.iterfind("note-attributes/*")
            if isinstance(child.tag, str) and child.text and child.text.strip()}


def _resources(element: etree._Element) -> dict[str, Resource]:
    """The note's resources by the MD5 of their data, which is how <en-media hash> names them."""
    resources = {}
    for item in element.iterfind("resource"):
        try:
            data = base64.b64decode(item.findtext("data", ""))
        except binascii.Error:
            continue  # its <en-media> then shows as a missing attachment
        file_name = item.findtext("resource-attributes/file-name", "").strip()
        md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
        resources[md5] = Resource(data, item.findtext("mime", "").strip(), file_name)
    return resources


class AttachmentNamer:
    """Names attachments by content: the same bytes get the first name they were given, file-wide."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def attachment(self, resource: Resource) -> Attachment:
        digest = hashlib.sha256(resource.data).hexdigest()
        if digest not in self._names:
            self._names[digest] = attachment_name(resource, digest)
        return Attachment(self._names[digest], resource.data)


def attachment_name(resource: Resource, digest: str) -> str:
    """'<file name stem>-<12 hex of the SHA-256><extension>', or 'attachment-...' without a file name."""
    base_name = re.split(r"[\\/]", resource.file_name)[-1]
    found = FILE_EXTENSION.search(base_name)
    extension = found.group(0).lower() if found else mimetypes.guess_extension(resource.mime) or ".bin"
    stem = base_name[: found.start()] if found else base_name
    prefix = safe_filename(stem, MAX_STEM_BYTES) if stem.strip() else "attachment"
    return f"{prefix}-{digest[:12]}{extension}"


class EnmlConverter:
    """ENML -> Markdown: Evernote's elements become markers in HTML that the HTML converter keeps."""

    def __init__(self, resources: dict[str, Resource], namer: AttachmentNamer):
        self.resources = resources
        self.namer = namer
        self.embeds: list[str] = []  # the Markdown for each <en-media>, by marker number
        self.embedded: dict[str, Attachment] = {}  # by MD5 of the data

    def convert(self, enml: str, base_url: str | None) -> tuple[str, tuple[str, ...]]:
        """The body's Markdown and the tags its text carries."""
        if not enml.strip():
            return self._unreferenced(), ()
        root = parse_enml(enml)
        for element in list(root.iter(etree.Element)):
            handler = getattr(self, f"convert_{element.tag.replace('-', '_')}", None)
            if handler:
                handler(element)
        root.tag = "div"
        converted = html_to_markdown(etree.tostring(root, encoding="unicode", method="html"), base_url)
        body = self._restore_markers(converted.markdown)
        return "\n\n".join(part for part in (body, self._unreferenced()) if part), converted.tags

    def attachments(self) -> tuple[Attachment, ...]:
        return tuple(self.embedded.values())

    def convert_en_todo(self, element: etree._Element) -> None:
        _replace_with_text(element, TODO_MARKERS[element.get("checked", "").lower() == "true"])

    def convert_en_media(self, element: etree._Element) -> None:
        md5 = element.get("hash", "").strip().lower()
        _replace_with_text(element, EMBED_MARKER.format(len(self.embeds)))
        self.embeds.append(self._embed(md5))

    def convert_en_crypt(self, element: etree._Element) -> None:
        _replace_with_text(element, "(encrypted content, not exported)")

    def convert_ul(self, element: etree._Element) -> None:
        """Evernote 10 writes checklists as <ul style="--en-todo:true"><li style="--en-checked:...">."""
        if "--en-todo:true" in _style(element):
            for item in element.iterchildren("li"):
                _prepend_text(item, TODO_MARKERS["--en-checked:true" in _style(item)])

    def _embed(self, md5: str) -> str:
        resource = self.resources.get(md5)
        if resource is None:
            return f"(missing attachment {md5})"
        self.embedded[md5] = self.namer.attachment(resource)
        return f"![[{self.embedded[md5].name}]]"

    def _unreferenced(self) -> str:
        """Resources no <en-media> shows, embedded at the end rather than lost."""
        return "\n\n".join(self._embed(md5) for md5 in self.resources if md5 not in self.embedded)

    def _restore_markers(self, markdown: str) -> str:
        markdown = TODO_MARKER.sub(
            lambda found: f"{found['indent'] or ''}- [{'x' if found['done'] == '1' else ' '}] ", markdown)
        markdown = EMBED_MARKER_FOUND.sub(lambda found: self.embeds[int(found[1])], markdown)
        return TASK_GAP.sub(r"\1\n", markdown)  # consecutive to-dos: one list, not paragraphs


def parse_enml(enml: str) -> etree._Element:
    """The <en-note> tree; HTML's named entities (ENML's DTD defines them) as numeric references."""
    text = NAMED_ENTITY.sub(_numeric_entity, enml)
    try:
        root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(recover=True, **SAFE_XML))
    except etree.XMLSyntaxError as error:
        raise RecordError(f"content is not ENML: {error}") from None
    if root is None:
        raise RecordError("content is not ENML")
    _drop_namespaces(root)
    return root


def _drop_namespaces(root: etree._Element) -> None:
    """Clipped content may carry an XHTML namespace; the handlers and the HTML converter want bare names."""
    for element in root.iter(etree.Element):
        element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(root)


def _numeric_entity(found: re.Match) -> str:
    """A named reference XML knows stays; others become numeric; unknown ones stay literal text."""
    name = found.group(1)
    if name in XML_ENTITIES:
        return found.group(0)
    characters = html5.get(f"{name};")
    if characters is None:
        return f"&amp;{name};"
    return "".join(f"&#{ord(character)};" for character in characters)


def _replace_with_text(element: etree._Element, text: str) -> None:
    tail = element.tail
    element.clear()
    element.tag, element.text, element.tail = "span", text, tail


def _prepend_text(element: etree._Element, text: str) -> None:
    """Put text before the first words inside element (an <li> often wraps them in a <div>)."""
    while len(element) and not (element.text or "").strip():
        element = element[0]
    element.text = text + (element.text or "")


def _style(element: etree._Element) -> str:
    return element.get("style", "").replace(" ", "").lower()


READER = EnexReader()
