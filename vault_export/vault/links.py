"""Every link and embed vault-export writes into the vault, and where attachments go.

A link is made from the target's vault path, the text to show and the folder of the file that
holds it, as [links] says (Obsidian's useMarkdownLinks and newLinkFormat):

- style "wikilink": `[[path]]`, `[[path|text]]`, `![[path]]`; notes without `.md`.
- style "markdown": `[text](path.md)`, `![alt](path)`, the path percent-encoded.
- format "shortest": the base name when it is unique in the vault (our notes' names are kept
  unique, attachments are named by their content), else the vault path; "absolute": the vault path;
  "relative": the path from the linking file's folder, starting with `./` or `../` (Obsidian reads
  a path without them from the vault root first).

Attachments go where attachmentFolderPath says: "/" the vault root, "./" the note's own folder,
"./sub" a folder below the note's, anything else a vault folder.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from vault_export.config import LinksConfig
from vault_export.convert.escape import escape_text
from vault_export.vault.paths import NOTE_SUFFIX

# What would end a wikilink's text, start code, or read as HTML to a Markdown tool.
TEXT_UNSAFE = str.maketrans({"|": "/", "[": "(", "]": ")", "`": "'", "<": "‹", ">": "›", "\n": " "})
# What a wikilink's path cannot hold: it would end the link or start a heading or block reference.
NOT_IN_WIKILINK_PATH = re.compile(r"[\[\]|#^\n]")
# Alt text keeps words only: brackets and '|' would end the embed, and Obsidian reads `300` or
# `300x200` as a size.
NOT_IN_ALT = re.compile(r"[\[\]|\s]+")
SIZE = re.compile(r"\d+(?:x\d+)?")
# Percent-encoded in a Markdown link's destination: what would end it or break it (spaces,
# parentheses, '<', '>', '\'), split a table cell ('|'), start a heading or block reference in
# Obsidian ('#', '^'), or read as an encoding ('%'). Other characters, CJK ones too, stay as
# they are, as Obsidian writes them.
NOT_IN_DESTINATION = re.compile(r"[\s\x00-\x1f\x7f%()<>\\|#^\[\]]")


@dataclass(frozen=True)
class NoteLinks:
    """The links and embeds of the files in one vault folder ("" for the root): relative paths
    start from it. Equal for equal settings and folders, so it can key a cache."""

    links: LinksConfig = field(default_factory=LinksConfig)
    folder: str = ""

    @classmethod
    def of(cls, links: LinksConfig, path: str) -> "NoteLinks":
        """The links written into the file at vault path `path` (only relative ones depend on it)."""
        return cls(links, posixpath.dirname(path) if links.format == "relative" else "")

    def link(self, target: str, text: str = "", *, by_name: bool = True) -> str:
        """A link to the file at vault path `target`, showing `text` (its name when empty).
        `by_name`: whether no other file of the vault has its base name."""
        path = self.path(target, by_name)
        text = " ".join(text.translate(TEXT_UNSAFE).split())
        if self.links.style == "wikilink" and not NOT_IN_WIKILINK_PATH.search(path):
            path = path.removesuffix(NOTE_SUFFIX)
            return f"[[{path}]]" if not text or text == path else f"[[{path}|{text}]]"
        shown = text or posixpath.basename(target).removesuffix(NOTE_SUFFIX)
        return f"[{escape_text(shown, autolink=False)}]({destination(path)})"

    def embed(self, target: str, alt: str = "", *, by_name: bool = True) -> str:
        """An embed of the file at vault path `target`, with `alt` as its alt text when that is
        words, not a size. `by_name` as for `link`: see `attachments_by_name`."""
        path = self.path(target, by_name)
        words = NOT_IN_ALT.sub(" ", alt).strip()
        words = words if not SIZE.fullmatch(words) else ""
        if self.links.style == "wikilink" and not NOT_IN_WIKILINK_PATH.search(path):
            return f"![[{path}|{words}]]" if words else f"![[{path}]]"
        return f"![{escape_text(words, autolink=False)}]({destination(path)})"

    def path(self, target: str, by_name: bool) -> str:
        """The path a link names the file at vault path `target` by, with its extension."""
        if self.links.format == "absolute" or self.links.format == "shortest" and not by_name:
            return target
        if self.links.format == "shortest":
            return posixpath.basename(target)
        relative = posixpath.relpath(target, self.folder or ".")
        return relative if relative.startswith("../") else f"./{relative}"

    def topic(self, tag: str) -> str:
        """A link to the note named after a tag, which Obsidian creates at the vault root."""
        return self.link(tag + NOTE_SUFFIX, tag, by_name=False)


@dataclass(frozen=True)
class TopicLink:
    """`NoteLinks.topic` as a callable that compares by value (the converter keeps one per)."""

    links: NoteLinks

    def __call__(self, tag: str) -> str:
        return self.links.topic(tag)


def destination(path: str) -> str:
    """A vault path as a Markdown link's destination."""
    return NOT_IN_DESTINATION.sub(lambda match: quote(match.group(), safe=""), path)


def attachments_by_name(setting: str) -> bool:
    """Whether attachments are unique by name: named by their content, yes, unless every note's
    folder has its own ("./" modes), where one image saved by notes in two folders is two files."""
    return not _by_note(setting.strip())


def _by_note(setting: str) -> bool:
    return setting == "." or setting.startswith("./")


def attachment_folder(setting: str, note_path: str) -> str:
    """The vault folder ("" for the root) for the attachments of the note at `note_path`, by
    attachmentFolderPath (or our `attachments`): "/" the vault root, "./" the note's folder,
    "./sub" a folder below it, anything else a folder of the vault."""
    setting = setting.strip()
    if _by_note(setting):
        below = setting[2:].strip("/")
        folder = posixpath.normpath(posixpath.join(posixpath.dirname(note_path), below) or ".")
        return "" if folder == "." else folder
    return setting.strip("/")
