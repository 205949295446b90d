"""Obsidian tag normalisation.

Obsidian reads a tag as letters of any script, digits, `_`, `-`, `/` (nesting) and emoji, and
ends it at whitespace or ASCII punctuation. Full-width CJK punctuation does not end a tag, so
it would silently become part of it: we strip it along with every other punctuation mark.
"""

import re
import unicodedata

_KEPT_CATEGORIES = frozenset({'L', 'M', 'N'})
_KEPT_PUNCTUATION = frozenset('_-/')
_EMOJI_SKIN_TONES = range(0x1F3FB, 0x1F400)
# Obsidian ends a tag in these blocks even at symbols (general and supplemental punctuation).
_TAG_ENDING_BLOCKS = (range(0x2000, 0x2070), range(0x2E00, 0x2E80))
_NUMBER_SEPARATORS = re.escape('.,:;+*~^\'"`!?@$%&=|\\<>()[]{}#．，：')
_SEPARATOR_BETWEEN_DIGITS = re.compile(rf'(?<=\d)[{_NUMBER_SEPARATORS}]+(?=\d)')
_WHITESPACE = re.compile(r'\s+')


def normalize_tag(raw: str) -> str | None:
    """Turn a topic/category text ('#人工智能#', 'machine learning', 'C++') into a valid
    Obsidian tag without '#', or None when nothing valid is left."""
    # Keep numbers apart before punctuation goes: 'v1.5' -> 'v1_5', not 'v15'.
    text = _SEPARATOR_BETWEEN_DIGITS.sub('_', raw)
    text = ''.join(char for char in text if char.isspace() or is_tag_character(char))
    text = _WHITESPACE.sub('_', text.strip())
    # Underscores at the edges read as emphasis markers to Markdown tools ('#a_ b_').
    segments = (segment.strip('_') for segment in text.split('/'))
    tag = '/'.join(segment for segment in segments if segment)
    return tag if tag and not tag.replace('/', '').isdigit() else None


def is_tag_as_written(text: str) -> bool:
    """Whether `text` is a valid tag as it is written, so that a tag shows all of it."""
    return normalize_tag(text) == text


def is_tag_character(char: str) -> bool:
    """Whether Obsidian keeps `char` inside a tag (and we want it there)."""
    code = ord(char)
    if char in _KEPT_PUNCTUATION or code in _EMOJI_SKIN_TONES:
        return True
    if any(code in block for block in _TAG_ENDING_BLOCKS):
        return False
    category = unicodedata.category(char)
    return category[0] in _KEPT_CATEGORIES or category == 'So'
