"""An independent reader of an exported vault, following Obsidian's rules.

- ``read_vault(dir)``: every note's front matter (PyYAML ``safe_load``) and body.
- ``unresolved_wikilinks(dir)``: ``[[links]]`` and ``![[embeds]]`` that name no file of the vault.
- ``markdown_links(body)``: ``[text](path)`` and ``![alt](path)`` to vault files, as markdown-it-py
  (CommonMark) parses them, their paths percent-decoded.
- ``vault_links(dir)``: every link and embed of every note, both kinds, with the files it reaches.
- ``inline_tags(body)``: the ``#tags`` Obsidian would see in a note body.

Code (fenced blocks and inline spans) and backslash-escaped characters are masked before links and
tags are looked for, the way Obsidian's Markdown parser hides them. Not modelled: indented code
blocks, math, HTML blocks and ``%%comments%%``.
"""
from __future__ import annotations

import posixpath
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml
from markdown_it import MarkdownIt
from urllib.parse import unquote

__all__ = [
    "MarkdownLink",
    "VaultLink",
    "VaultReadError",
    "WikiLink",
    "inline_tags",
    "iter_vault_files",
    "markdown_links",
    "mask_code",
    "read_vault",
    "split_front_matter",
    "unresolved_wikilinks",
    "vault_links",
    "wikilinks",
]

# Stands in for masked characters (code, escaped punctuation). Not whitespace, not punctuation,
# not a bracket: it neither starts nor continues a tag or a link.
_MASK = "\ufffc"
_ASCII_PUNCT = frozenset(string.punctuation)
_TAG_BREAKERS = _ASCII_PUNCT - set("_-/")
_FENCE = re.compile(r"^(?:[ \t]*>)*[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_WIKILINK = re.compile(r"(?P<bang>!?)\[\[(?P<inner>[^\[\]\n]+)\]\]")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # an address, not a vault path
_COMMONMARK = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class MarkdownLink:
    href: str  # the destination as markdown-it-py gives it (percent-encoded)
    target: str  # the vault path it names: percent-decoded, without "#heading"
    text: str  # the link's text, or the image's alt text
    embed: bool  # written as ![...](...)


@dataclass(frozen=True)
class VaultLink:
    note: str  # the linking note's vault path
    raw: str  # a wikilink as written, or a Markdown link's destination
    target: str  # the path it names ("" for a heading of the same note)
    text: str | None  # what it shows: the alias or link text (None: a wikilink without alias)
    embed: bool
    wikilink: bool
    files: tuple[str, ...]  # the vault paths it reaches: one when it resolves, none when broken,
    # several when it names a base name that several files have (Obsidian picks one of them)
    in_properties: bool = False  # in a front matter value (Obsidian's properties take wikilinks only)


class VaultReadError(ValueError):
    """A file of the vault could not be read as a note; the message starts with its path."""


@dataclass(frozen=True)
class WikiLink:
    raw: str  # as written, e.g. "![[photo.png|200]]"
    target: str  # the file part, e.g. "photo.png" ("" for a link to a heading of the same note)
    heading: str  # the part after "#", without it ("" if none)
    alias: str | None  # the part after "|" (None if none)
    embed: bool  # written as ![[...]]


# ----------------------------------------------------------------------------- reading notes

def iter_vault_files(vault_dir: Path | str) -> Iterator[Path]:
    """All files of the vault, hidden files and folders (``.obsidian``, ``.trash``) left out."""
    root = Path(vault_dir)
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            yield path


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Split ``text`` into (front matter YAML, body).

    Front matter exists only when the very first line is ``---`` and a later line is ``---``
    (a trailing ``\\r`` is allowed). Otherwise the YAML part is None and the body is all the text.
    A byte order mark counts as text, so a file starting with one has no front matter.
    """
    lines = text.split("\n")
    if lines[0].rstrip("\r") != "---":
        return None, text
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r") == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:])
    return None, text


def read_vault(vault_dir: Path | str) -> dict[str, tuple[dict[str, Any] | None, str]]:
    """Map each note's vault-relative POSIX path to (front matter, body).

    The front matter is what ``yaml.safe_load`` (YAML 1.1: dates become ``datetime.date``) makes of
    the block: ``None`` when the note has none, ``{}`` when the block is empty. Raises
    ``VaultReadError`` for a note that is not UTF-8 or whose front matter is not a YAML mapping.
    """
    root = Path(vault_dir)
    notes: dict[str, tuple[dict[str, Any] | None, str]] = {}
    for path in iter_vault_files(root):
        if path.suffix.lower() != ".md":
            continue
        rel = path.relative_to(root).as_posix()
        notes[rel] = _read_note(path, rel)
    return notes


def _read_note(path: Path, rel: str) -> tuple[dict[str, Any] | None, str]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise VaultReadError(f"{rel}: not UTF-8 ({exc})") from exc
    block, body = split_front_matter(text)
    if block is None:
        return None, body
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        raise VaultReadError(f"{rel}: front matter is not valid YAML: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise VaultReadError(f"{rel}: front matter is a {type(data).__name__}, not a mapping")
    return data, body


# ----------------------------------------------------------------------------- masking code

def mask_code(markdown: str) -> str:
    """Return ``markdown`` with code and escaped punctuation replaced by a mask character.

    The result has the same length and the same line breaks, so positions carry over. Masked:
    fenced code blocks (``` or ~~~, fence lines included, also inside lists and block quotes),
    inline code spans (backtick runs of equal length, within one paragraph) and the character after
    a backslash when it is ASCII punctuation (``\\#``, ``\\[``, ``\\|``; the backslash stays).
    """
    return _mask_inline(_mask_fences(markdown))


def _mask_fences(text: str) -> str:
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE.match(line.rstrip("\r"))
        if fence is None:
            if m and not (m["fence"][0] == "`" and "`" in m["info"]):
                fence = m["fence"]
                out.append(_masked(line))
            else:
                out.append(line)
            continue
        if m and m["fence"][0] == fence[0] and len(m["fence"]) >= len(fence) and not m["info"].strip():
            fence = None
        out.append(_masked(line))
    return "\n".join(out)


def _masked(line: str) -> str:
    return _MASK * len(line.rstrip("\r")) + ("\r" if line.endswith("\r") else "")


def _mask_inline(text: str) -> str:
    chars = list(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in _ASCII_PUNCT:
            chars[i + 1] = _MASK
            i += 2
        elif ch == "`":
            i = _mask_code_span(text, chars, i)
        else:
            i += 1
    return "".join(chars)


def _mask_code_span(text: str, chars: list[str], start: int) -> int:
    """Mask the code span opening at ``start``; return the index to continue from."""
    opener_end = start
    while opener_end < len(text) and text[opener_end] == "`":
        opener_end += 1
    run = opener_end - start
    para_end = _BLANK_LINE.search(text, opener_end)
    limit = para_end.start() if para_end else len(text)
    closer = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(text, opener_end, limit)
    if closer is None:
        return opener_end  # an unmatched run is literal backticks
    for k in range(start, closer.end()):
        if chars[k] not in "\r\n":
            chars[k] = _MASK
    return closer.end()


# ----------------------------------------------------------------------------- links

def wikilinks(markdown: str) -> list[WikiLink]:
    """The wikilinks and embeds of a Markdown text, in order, outside code and escapes."""
    links = []
    for m in _WIKILINK.finditer(mask_code(markdown)):
        raw = markdown[m.start():m.end()]
        inner = raw[3:-2] if m["bang"] else raw[2:-2]
        if not inner.strip():
            continue
        links.append(_parse_link(raw, inner, bool(m["bang"])))
    return links


def _parse_link(raw: str, inner: str, embed: bool) -> WikiLink:
    alias = None
    if "|" in inner:
        inner, alias = inner.split("|", 1)
        inner = inner.removesuffix("\\")  # [[a\|b]] is how a link is written inside a table
    target, _, heading = inner.partition("#")
    return WikiLink(raw=raw, target=target.strip(), heading=heading.strip(), alias=alias, embed=embed)


def markdown_links(markdown: str) -> list[MarkdownLink]:
    """The Markdown links and images of a text that point into the vault (no scheme), in order."""
    links = []
    for block in _COMMONMARK.parse(markdown):
        children = block.children or []
        for i, token in enumerate(children):
            href = token.attrGet("href") if token.type == "link_open" else token.attrGet("src")
            if token.type not in ("link_open", "image") or _SCHEME.match(str(href)):
                continue
            text = token.content if token.type == "image" else "".join(
                child.content for child in _until_link_close(children[i + 1:]))
            target = unquote(str(href).partition("#")[0])
            links.append(MarkdownLink(str(href), target, text, token.type == "image"))
    return links


def _until_link_close(tokens: list) -> Iterator:
    for token in tokens:
        if token.type == "link_close":
            return
        yield token


def vault_links(vault_dir: Path | str) -> list[VaultLink]:
    """Every wikilink, embed and Markdown link to a vault file in the notes (wikilinks in front
    matter too), with the files each reaches by Obsidian's rules (see ``unresolved_wikilinks``;
    a Markdown link's path is percent-decoded first)."""
    root = Path(vault_dir)
    index = _LinkIndex(root)
    found = []
    for rel, (front_matter, body) in read_vault(root).items():
        for link in _front_matter_links(front_matter):
            found.append(VaultLink(rel, link.raw, link.target, link.alias, link.embed, True,
                                   index.files(link.target, rel), in_properties=True))
        for link in wikilinks(body):
            found.append(VaultLink(rel, link.raw, link.target, link.alias, link.embed, True,
                                   index.files(link.target, rel)))
        for link in markdown_links(body):
            found.append(VaultLink(rel, link.href, link.target, link.text, link.embed, False,
                                   index.files(link.target, rel)))
    return found


def unresolved_wikilinks(vault_dir: Path | str) -> list[tuple[str, str]]:
    """(note, link as written) for every wikilink or embed that names no file of the vault.

    Obsidian's resolution: case-insensitive; a target names a note by base name without ``.md``
    (or with it), an attachment by base name with its extension, or either by a path: vault-relative
    or a trailing part of one, with or without ``.md`` for notes. A leading ``/`` makes the path
    vault-absolute; ``./`` and ``../`` make it relative to the linking note. ``[[#heading]]`` points
    into the note itself. Links in note bodies and in front matter strings are checked.
    """
    root = Path(vault_dir)
    index = _LinkIndex(root)
    missing = []
    for rel, (front_matter, body) in read_vault(root).items():
        for link in _front_matter_links(front_matter) + wikilinks(body):
            if not index.resolves(link.target, rel):
                missing.append((rel, link.raw))
    return missing


class _LinkIndex:
    """The lower-cased names by which links may reach the files of a vault, each with its files."""

    def __init__(self, root: Path):
        self.full: dict[str, set[str]] = {}  # whole vault-relative paths
        self.tails: dict[str, set[str]] = {}  # every trailing part of a path (base names included)
        for path in iter_vault_files(root):
            rel = path.relative_to(root).as_posix()
            parts = rel.lower().split("/")
            for name in _with_and_without_md("/".join(parts)):
                self.full.setdefault(name, set()).add(rel)
            for i in range(len(parts)):
                for name in _with_and_without_md("/".join(parts[i:])):
                    self.tails.setdefault(name, set()).add(rel)

    def files(self, target: str, from_rel: str) -> tuple[str, ...]:
        """The files a link target reaches from the note at ``from_rel``: a path from the note's
        folder for ``./`` and ``../``, from the root for ``/``; else a vault path, and only when
        there is none by that path, every file whose path ends with it."""
        if not target:
            return (from_rel,)
        target = target.lower()
        if target.startswith(("./", "../")):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_rel.lower()), target))
            found = self.full.get(joined, set())
        elif target.startswith("/"):
            found = self.full.get(target.lstrip("/"), set())
        else:
            found = self.full.get(target) or self.tails.get(target, set())
        return tuple(sorted(found))

    def resolves(self, target: str, from_rel: str) -> bool:
        return bool(self.files(target, from_rel))


def _with_and_without_md(name: str) -> tuple[str, ...]:
    return (name, name[:-3]) if name.endswith(".md") else (name,)


def _front_matter_links(front_matter: Any) -> list[WikiLink]:
    if isinstance(front_matter, str):
        return wikilinks(front_matter)
    if isinstance(front_matter, dict):
        front_matter = list(front_matter.values())
    if isinstance(front_matter, list):
        return [link for value in front_matter for link in _front_matter_links(value)]
    return []


# ----------------------------------------------------------------------------- tags

def inline_tags(body: str) -> list[str]:
    """The tags Obsidian finds in a note body, without ``#``, in order (repeats kept).

    A ``#`` starts a tag at the start of a line or after whitespace; the tag runs over letters of
    any script, digits, ``_``, ``-``, ``/``, emoji and non-ASCII punctuation, and ends at
    whitespace or other ASCII punctuation. ``# Heading`` is no tag (nothing follows the ``#``), an
    all-digit tag (``#2025``) is no tag, ``\\#`` and ``#`` inside code are no tags.
    """
    text = mask_code(body)
    tags = []
    for i, ch in enumerate(text):
        if ch != "#" or (i > 0 and not text[i - 1].isspace()):
            continue
        end = i + 1
        while end < len(text) and _is_tag_char(text[end]):
            end += 1
        tag = text[i + 1:end]
        if tag and not re.fullmatch(r"[0-9]+", tag):
            tags.append(tag)
    return tags


def _is_tag_char(ch: str) -> bool:
    return not ch.isspace() and ch not in _TAG_BREAKERS and ch != _MASK
