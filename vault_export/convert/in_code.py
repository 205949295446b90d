"""Blocks inside <pre>: each one's text on lines of its own, as browsers show it.

A block's Markdown (a heading's `#`, a quote's `>`, a rule, the blank lines around a paragraph)
would show as it is in the code block, so inside <pre> a block converter gives its text only.
"""
from functools import wraps

from bs4 import Tag

# The blocks whose converters go through lines_in_code: after one of them a line has ended.
LINE_BLOCKS = frozenset({'p', 'div', 'article', 'section', 'dl', 'dd', 'blockquote', 'hr', 'ol', 'ul',
                         'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'video', 'audio', 'iframe', 'embed', 'object'})


def lines_in_code(block: Tag, text: str) -> str:
    """The block's text on lines of its own; an empty block still ends the line before it."""
    before = block.previous_sibling
    after_line_end = before is None or (before.name in LINE_BLOCKS if isinstance(before, Tag)
                                        else before.endswith('\n'))
    text = text.strip('\n')
    return ('' if after_line_end else '\n') + (text + '\n' if text else '')


def text_lines_in_code(convert):
    """A block converter that, inside <pre>, gives the block's text on lines of its own."""
    @wraps(convert)
    def converted(self, el, text, parent_tags):
        if 'pre' in parent_tags:
            return lines_in_code(el, text)
        return convert(self, el, text, parent_tags)
    return converted
