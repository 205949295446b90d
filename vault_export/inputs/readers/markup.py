"""Whether a body that may be HTML or plain text is HTML, decided by what an HTML parser makes of it.

A field that says it holds HTML is HTML whatever it holds; this module decides for the others.
Such text is HTML when it holds markup that only HTML has: a comment, a doctype, CDATA, an end
tag (of any name: `</samp>`, `</h7>`, `</custom-tag>`), a tag with an attribute value or closed
by `/>`, or a line break or rule (`<br>`, `<hr>`, which never have an end tag). A lone `<think>`,
`List<T>` or `cmd <input> <output>` is plain text, and so is `a < b`. Plain text with character
references (`42 &gt; 1`) is HTML-escaped text: decoded once, it keeps its lines and paragraphs.
"""
from __future__ import annotations

import html
import re
from html.entities import html5

from vault_export.model import BodyFormat

_NAME = r"[A-Za-z][A-Za-z0-9]*(?:[-:][A-Za-z0-9_.-]*)*"
_ATTRIBUTE = r"""[^\s"'<>/=]+(?:\s*(?P<value>=)\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_MARKUP = re.compile(
    rf"<!--|<!doctype\s|<!\[CDATA\[|</{_NAME}\s*>|<(?P<start>{_NAME})(?:\s+{_ATTRIBUTE})*\s*(?P<closed>/?)>",
    re.IGNORECASE,
)
# Elements that never have an end tag and mean something without attributes. Not <input>, <link>
# or <source>: as words in angle brackets they are usual in plain text ("cmd <input> <output>").
_BREAKS = frozenset({"br", "hr", "wbr"})
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|([A-Za-z][A-Za-z0-9]*));")


def has_markup(text: str) -> bool:
    """Whether the text holds markup that plain text would not (see the module's doc)."""
    return any(_is_html(match) for match in _MARKUP.finditer(text))


def _is_html(match: re.Match) -> bool:
    name = match.group("start")
    return name is None or bool(match.group("closed") or match.group("value")) or name.lower() in _BREAKS


def has_references(text: str) -> bool:
    """Whether the text holds a character reference an HTML parser decodes (`&gt;`, `&#62;`)."""
    return any(match.group(1) is None or match.group(1) + ";" in html5 for match in _REFERENCE.finditer(text))


def guessed_body(text: str) -> tuple[str, BodyFormat]:
    """A body of a field that does not say what it holds: HTML when it has markup; otherwise
    plain text, with its character references decoded once."""
    if has_markup(text):
        return text, BodyFormat.HTML
    return (html.unescape(text) if has_references(text) else text), BodyFormat.TEXT
