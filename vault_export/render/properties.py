"""YAML front matter: written so that PyYAML (YAML 1.1) and YAML 1.2 readers such as js-yaml read it back
alike, and found and read in a note's text the one way Obsidian does, for every place that reads it."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Mapping

import yaml

# A string may stay unquoted only when no YAML 1.1 or 1.2 reader can take it for anything else.
PLAIN_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+.~=<\\]"  # first character
                        r"[^\n\r\t\"'\\]*$")  # no quote or escape inside
SPECIAL_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


# PyYAML's own emitter, not libyaml's: libyaml escapes every character beyond the BMP, emoji
# included, as "\U0001F525"; PyYAML writes them as they are wherever a plain scalar may.
class _Dumper(yaml.SafeDumper):
    pass


def _is_plain(value: str) -> bool:
    return bool(PLAIN_SAFE.match(value) and value.lower() not in SPECIAL_WORDS
                and ": " not in value and " #" not in value and not value.endswith((" ", ":"))
                and value.isprintable())


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if _is_plain(value) else '"')


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    # Obsidian reads only the offset-free form as a date-time property.
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", _datetime_text(value))


def _datetime_text(value: datetime) -> str:
    return value.replace(tzinfo=None).isoformat(timespec="seconds")


def _represent_date(dumper: yaml.SafeDumper, value: date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(datetime, _represent_datetime)
_Dumper.add_representer(date, _represent_date)


def dump_properties(properties: Mapping[str, Any]) -> str:
    """The properties as a front matter block, '---' lines included, keys in the given order."""
    if not properties:
        return ""
    return f"---\n{_simple_yaml(properties) or pyyaml_text(properties)}---\n"


def pyyaml_text(properties: Mapping[str, Any]) -> str:
    """The properties as YAML, written by PyYAML with the rules above."""
    return yaml.dump(dict(properties), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=1_000_000, default_flow_style=False)


# Keys and texts the quick writer takes; for anything longer PyYAML may write a key in the
# explicit "? key" form, or fold a line.
_SIMPLE_KEY_LENGTH = 100
_SIMPLE_TEXT_LENGTH = 10_000


def _simple_yaml(properties: Mapping[str, Any]) -> str | None:
    """What pyyaml_text writes, for the properties notes mostly have (texts, lists of texts,
    dates, numbers) at a fraction of the cost; None for anything else."""
    lines = []
    for key, value in properties.items():
        key = _simple_key(key) if type(key) is str else None
        if key is None:
            return None
        if type(value) is list:
            items = [_simple_scalar(item) if type(item) is str else None for item in value]
            if not items or None in items:
                return None
            lines.append(f"{key}:")
            lines.extend(f"- {item}" for item in items)
            continue
        value = _simple_scalar(value) if type(value) is str else _simple_value(value)
        if value is None:
            return None
        lines.append(f"{key}: {value}")
    lines.append("")
    return "\n".join(lines)


def _simple_key(text: str) -> str | None:
    # PyYAML writes an empty key, or one of many lines, in the explicit "? key" form.
    return _simple_scalar(text) if 0 < len(text) <= _SIMPLE_KEY_LENGTH and text.isprintable() else None


def _simple_scalar(text: str) -> str | None:
    if len(text) > _SIMPLE_TEXT_LENGTH:
        return None
    if _is_plain(text):
        return text
    return f'"{_ESCAPED.sub(_escape, text)}"'


# What PyYAML's emitter escapes in a double-quoted scalar, and how.
_ESCAPED = re.compile('[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]|["\\\\\u2028\u2029\ufeff]')
_SHORT_ESCAPES = {"\0": "0", "\x07": "a", "\x08": "b", "\x09": "t", "\x0a": "n", "\x0b": "v",
                  "\x0c": "f", "\x0d": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N",
                  "\u2028": "L", "\u2029": "P"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _SHORT_ESCAPES:
        return "\\" + _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _simple_value(value: Any) -> str | None:
    """Dates, and the numbers and flags the person's added properties may hold."""
    kind = type(value)
    if kind is datetime:
        return _datetime_text(value)
    if kind is date:
        return value.isoformat()
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    return "null" if value is None else None


# Front matter as Obsidian reads it: '---' as the very first line, up to the next line that is '---'.
FRONT_MATTER_OPENINGS = ("---\n", "---\r\n")
_CLOSING_LINE = re.compile(r"^---\r?(?:\n|\Z)", re.MULTILINE)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterError(ValueError):
    """Front matter that is not valid YAML; the message says why, and on which line of the file."""


def split_front_matter(text: str) -> tuple[str | None, str]:
    """A note's front matter YAML (the text between the '---' lines) and its body, byte for byte.

    (None, text) when the text has no front matter: its first line is not '---' (a byte order mark
    or a blank line before it counts as text), or no later line is '---' ('...' ends none). Either
    line may end in CRLF; the YAML may be empty, the body too."""
    start = next((len(opening) for opening in FRONT_MATTER_OPENINGS if text.startswith(opening)), None)
    closing = _CLOSING_LINE.search(text, start) if start is not None else None
    if closing is None:
        return None, text
    return text[start:closing.start()], text[closing.end():]


def parse_properties(front_matter: str | None) -> dict[str, Any]:
    """The properties front matter YAML holds: {} for none, an empty block, or YAML that is not a mapping.

    Raises FrontMatterError when the YAML is not valid."""
    if not front_matter:
        return {}
    try:
        properties = yaml.load(front_matter, Loader=_Loader)
    except yaml.YAMLError as error:
        raise FrontMatterError(_problem(error)) from None
    except (ValueError, TypeError) as error:  # such as a date that does not exist
        raise FrontMatterError(str(error)) from None
    return properties if isinstance(properties, dict) else {}


def read_properties(front_matter: str | None) -> dict[str, Any]:
    """parse_properties, with {} for YAML that is not valid (as Obsidian shows no properties then)."""
    try:
        return parse_properties(front_matter)
    except FrontMatterError:
        return {}


def _problem(error: yaml.YAMLError) -> str:
    problem, mark = getattr(error, "problem", None), getattr(error, "problem_mark", None)
    # The YAML starts on the file's second line; marks count lines from 0.
    return f"{problem} (line {mark.line + 2})" if problem and mark else str(error)
