"""markdownify's tree traversal, rewritten lean.

`LeanTraversal` visits the tree exactly as markdownify's `process_tag` and `process_text` do,
and calls the same `convert_<tag>` methods with the same text and parent tags, but it shares
the parent-tag sets between elements, asks for ancestors by name instead of searching the
tree, and leaves most text and boundaries alone after a cheap check. It implements the
options the Obsidian converter uses: `wrap` on, no `strip` or `convert` lists.
"""

import re
from functools import lru_cache

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Doctype
from markdownify import MarkdownConverter

# Elements whose inner edge whitespace markdownify drops, as should_remove_whitespace_inside.
_BLOCKS = frozenset({
    'p', 'blockquote', 'article', 'div', 'section', 'ol', 'ul', 'li', 'dl', 'dt', 'dd',
    'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th',
})
_HEADING = re.compile(r'h\d')  # markdownify's test: any name starting so is a heading
_NO_FORMAT = frozenset({'pre', 'code', 'kbd', 'samp'})
_HTML_WHITESPACE = re.compile(r'[\t \r\n]+')
_WHITESPACE_TO_SQUEEZE = re.compile(r'[\t\r\n]|  ')  # where _HTML_WHITESPACE changes something
_NO_PARENTS = frozenset()


class LeanTraversal(MarkdownConverter):
    """A MarkdownConverter whose traversal is cheap; subclasses add the `convert_*` rules."""

    def convert_soup(self, soup: BeautifulSoup) -> str:
        return self.process_tag(soup, _NO_PARENTS)

    def process_tag(self, node: Tag, parent_tags: frozenset[str] = _NO_PARENTS) -> str:
        """The element's Markdown: its children's, joined, through its `convert_<tag>`."""
        children_tags = _children_tags(parent_tags, node.name)
        strips_inside = _is_block(node.name)
        strings = []
        for child in node.contents:
            if isinstance(child, Tag):
                text = self.process_tag(child, children_tags)
            elif isinstance(child, (Comment, Doctype)) or _ignored_whitespace(child, strips_inside):
                continue
            else:
                text = self.process_text(child, children_tags)
            if text:
                strings.append(text)
        text = ''.join(strings)
        if '\n' in text and 'pre' not in children_tags:  # no newline, no boundary to collapse
            text = _join_blocks(strings)
        convert = self.get_conv_fn_cached(node.name)
        return convert(node, text, parent_tags) if convert else text

    def process_text(self, el, parent_tags: frozenset[str] = _NO_PARENTS) -> str:
        """Text with its whitespace squeezed, escaped, and trimmed next to blocks."""
        text = str(el)
        if 'pre' not in parent_tags and _WHITESPACE_TO_SQUEEZE.search(text):
            text = _HTML_WHITESPACE.sub(' ', text)
        if '_noformat' not in parent_tags:
            text = self.escape(text, parent_tags)
        before, after = el.previous_sibling, el.next_sibling
        in_block = _is_block(el.parent.name)
        if _strips_outside(before) or in_block and not before:
            text = text.lstrip(' \t\r\n')
        if _strips_outside(after) or in_block and not after:
            text = text.rstrip()
        return text


@lru_cache(maxsize=1024)
def _children_tags(parent_tags: frozenset[str], name: str) -> frozenset[str]:
    """The parent tags of an element's children: its own, its name, and '_inline' in headings
    and cells or '_noformat' in code, as markdownify adds them."""
    tags = {name}
    if _HEADING.match(name) or name in ('td', 'th'):
        tags.add('_inline')
    if name in _NO_FORMAT:
        tags.add('_noformat')
    return parent_tags | tags


def _is_block(name: str) -> bool:
    return name in _BLOCKS or _HEADING.match(name) is not None


def _strips_outside(node) -> bool:
    """Whether markdownify drops whitespace next to this sibling: blocks and <pre>."""
    return isinstance(node, Tag) and (node.name == 'pre' or _is_block(node.name))


def _ignored_whitespace(text, strips_inside: bool) -> bool:
    """markdownify skips whitespace-only text at a block's inner edge or next to a block."""
    if text.strip():
        return False
    before, after = text.previous_sibling, text.next_sibling
    if strips_inside and (not before or not after):
        return True
    return _strips_outside(before) or _strips_outside(after)


def _join_blocks(strings: list[str]) -> str:
    """Join the children's strings; where one ends and the next starts with newlines, keep
    the longer run, at most two (markdownify's collapse at element boundaries)."""
    parts, pending = [], ''  # pending: the newlines the previous string ended with
    for string in strings:
        if string[0] != '\n' and string[-1] != '\n':
            parts += (pending, string)
            pending = ''
            continue
        start = len(string) - len(string.lstrip('\n'))
        if start == len(string):  # only newlines: all of them lead, none trail
            lead, content, trail = string, '', ''
        else:
            end = len(string.rstrip('\n'))
            lead, content, trail = string[:start], string[start:end], string[end:]
        if pending and lead:
            lead = '\n' * min(2, max(len(pending), len(lead)))
        else:
            parts.append(pending)
        parts += (lead, content)
        pending = trail
    parts.append(pending)
    return ''.join(parts)
