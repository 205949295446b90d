"""YAML front matter that PyYAML (YAML 1.1) and YAML 1.2 readers such as js-yaml read back alike."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Mapping

import frontmatter
import yaml

DumperBase = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# A string may stay unquoted only when no YAML 1.1 or 1.2 reader can take it for anything else.
PLAIN_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+.~=<\\]"  # first character
                        r"[^\n\r\t\"'\\]*$")  # no quote or escape inside
SPECIAL_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


class _Dumper(DumperBase):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    plain = (PLAIN_SAFE.match(value) and value.lower() not in SPECIAL_WORDS
             and ": " not in value and " #" not in value and not value.endswith((" ", ":"))
             and value.isprintable())
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain else '"')


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    # Obsidian reads only the offset-free form as a date-time property.
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.strftime("%Y-%m-%dT%H:%M:%S"))


def _represent_date(dumper: yaml.SafeDumper, value: date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(datetime, _represent_datetime)
_Dumper.add_representer(date, _represent_date)


def dump_properties(properties: Mapping[str, Any]) -> str:
    """The properties as a front matter block, '---' lines included, keys in the given order."""
    if not properties:
        return ""
    text = yaml.dump(dict(properties), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=1_000_000, default_flow_style=False)
    return f"---\n{text}---\n"


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """A note's properties and body; no properties when it has no valid front matter."""
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError, TypeError):
        return {}, text
    metadata = post.metadata if isinstance(post.metadata, dict) else {}
    return metadata, post.content
