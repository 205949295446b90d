"""File names that every system accepts and every link resolves to."""
from __future__ import annotations

import re
import unicodedata

from vault_export.convert.tex_text import tex_as_text

NOTE_SUFFIX = ".md"
MAX_NAME_BYTES = 200 - len(NOTE_SUFFIX)  # the whole file name stays within 200 bytes
UNTITLED = "Untitled"
# Refused by Windows or macOS, or breaking [[links]] in Obsidian (a backtick pair reads as code).
FORBIDDEN = re.compile(r'[*"\\/<>:|?#^\[\]`\x00-\x1f\x7f]')
TOPIC = re.compile(r"#[^#\n]+#")
TRAILING_ELLIPSIS = re.compile(r"(\.{2,}|…+|⋯+)\s*$")
# Windows reserves these names whatever follows their first dot: 'NUL.txt_' too.
WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(?=\.|$)", re.IGNORECASE)
# Nothing reads well at a name's end that opens or joins what no longer follows ('paper，').
TRAILING_MARKS = ". ,，、;；:：-–—(（【「『《“‘"
NATURAL_BREAK = re.compile(r"[\s，。、！？；,.;!)）】」』-]")


def name_from_title(title: str) -> str:
    """The title as it reads, without Weibo topics and trailing ellipsis, as the start of a file
    name: its TeX as text ('$\\texttt{SAILOR}$' -> 'SAILOR')."""
    title = tex_as_text(title)
    without_topics = TOPIC.sub(" ", title)
    if not without_topics.strip():
        without_topics = title.replace("#", " ")
    return TRAILING_ELLIPSIS.sub("", without_topics.strip())


def title_name(title: str) -> str:
    """The title as a file name shows it, before it is cut to length or made unique: the
    `name` the folder, file name and note templates may use."""
    return safe_filename(_note_name(title), max_bytes=None)


def safe_filename(text: str, max_bytes: int | None = MAX_NAME_BYTES) -> str:
    """A file name stem: no forbidden characters, no leading dot, no trailing dot, space or comma,
    no name Windows reserves, bounded (unless max_bytes is None)."""
    name = unicodedata.normalize("NFC", text)
    name = FORBIDDEN.sub(" ", name)
    name = _without_leading_marks(name)
    name = _bounded(name, max_bytes)
    if WINDOWS_RESERVED.match(name):
        name = _bounded(WINDOWS_RESERVED.sub(r"\1_", name, count=1), max_bytes)
    return name or UNTITLED


def _note_name(title: str) -> str:
    """The title's name, with no word that only an underscore opens (a folder's '_inbox' keeps its)."""
    words = _without_leading_marks(FORBIDDEN.sub(" ", name_from_title(title))).split(" ")
    return " ".join(_without_opening_underscores(word) for word in words)


def _without_leading_marks(name: str) -> str:
    return " ".join(name.split()).lstrip(". -")  # no hidden files, nothing that reads as a command-line option


def _without_opening_underscores(word: str) -> str:
    """'_ftn' as 'ftn': to Markdown tools, '_ftn _ftnref' (in a link on a daily page) reads as
    emphasis with a space inside. Underscores within a word ('snake_case', '__init__') stay."""
    rest = word.lstrip("_")
    return rest if rest != word and rest[:1].isalnum() and "_" not in rest else word


def _bounded(name: str, max_bytes: int | None) -> str:
    return (_cut(name, max_bytes) if max_bytes is not None else name).rstrip(TRAILING_MARKS)


def _cut(name: str, max_bytes: int) -> str:
    """Cut to max_bytes of UTF-8, at a space or punctuation in the last third when there is one."""
    if len(name.encode()) <= max_bytes:
        return name
    cut = name.encode()[:max_bytes].decode("utf-8", errors="ignore")
    breaks = [match.start() for match in NATURAL_BREAK.finditer(cut)]
    if breaks and breaks[-1] >= len(cut) * 2 // 3:
        return cut[: breaks[-1]]
    return cut


def stem_of(path: str) -> str:
    """A note's base name, from its vault-relative '/'-path."""
    return path.rsplit("/", 1)[-1].removesuffix(NOTE_SUFFIX)


def note_filename(title: str) -> str:
    return safe_filename(_note_name(title))


class NameRegistry:
    """Hands out file names unique in the vault, compared case-insensitively by base name.

    It keeps the hash of each name, not the name: a big vault has many. Two names of one hash
    (about one chance in 10^9 in a vault of 200,000) cost a name its " 2", nothing else."""

    def __init__(self, taken: set[str] = frozenset()):
        self._taken = {_name_key(name) for name in taken}

    def claim(self, stem: str) -> str:
        """The stem itself when free, else 'stem 2', 'stem 3', ... (cut so the suffix fits)."""
        candidate, number = stem, 1
        while (key := _name_key(candidate)) in self._taken:
            number += 1
            suffix = f" {number}"
            candidate = safe_filename(stem, MAX_NAME_BYTES - len(suffix.encode())) + suffix
        self._taken.add(key)
        return candidate


def _name_key(name: str) -> int:
    return hash(name.casefold())
