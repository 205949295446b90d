"""markdownify's tree traversal, rewritten lean.

`LeanTraversal` visits the tree exactly as markdownify's `process_tag` and `process_text` do,
and calls the same `convert_<tag>` methods with the same text and parent tags, but it shares
the parent-tag sets between elements, asks for ancestors by name instead of searching the
tree, and leaves most text and boundaries alone after a cheap check. It implements the
options the Obsidian converter uses: `wrap` on, no `strip` or `convert` lists.

It holds no conversion rule of its own: every rule is the converter's, so that markdownify's
own traversal, given the same converter, writes the same Markdown (the convert package's
plain-libraries mode checks it). Besides markdownify's methods it calls two hooks the
converter provides: `text_may_change(text)` and `escape_seam(before, text, parent_tags)`.
"""

import re
from functools import lru_cache
from itertools import pairwise

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, Doctype

# Elements whose inner edge whitespace markdownify drops, as should_remove_whitespace_inside.
_BLOCKS = frozenset({
    'p', 'blockquote', 'article', 'div', 'section', 'ol', 'ul', 'li', 'dl', 'dt', 'dd',
    'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th',
})
_HEADING = re.compile(r'h\d')  # markdownify's test: any name starting so is a heading
_NO_FORMAT = frozenset({'pre', 'code', 'kbd', 'samp'})
_HTML_WHITESPACE = re.compile(r'[\t \r\n]+')
_SQUEEZED_WHITESPACE = re.compile(r'[\t\r\n]')  # with two spaces, what _HTML_WHITESPACE changes
_NO_PARENTS = frozenset()
_UNKNOWN = object()  # a tag name not in the converter's cache yet


class LeanTraversal:
    """A mixin for a MarkdownConverter subclass that replaces markdownify's traversal with a
    cheap one: name it before the converter in the bases, `class C(LeanTraversal, Converter)`.

    The converter provides `text_may_change(text)`, whether squeezing whitespace or escaping may
    change the text (when it is False, both are skipped), and `escape_seam`, which markdownify's
    traversal reaches through the converter's `process_element`."""

    def convert_soup(self, soup: BeautifulSoup) -> str:
        return self.process_tag(soup, _NO_PARENTS)

    def process_tag(self, node: Tag, parent_tags: frozenset[str] = _NO_PARENTS) -> str:
        """The element's Markdown: its children's, joined, through its `convert_<tag>`."""
        name = node.name
        children_tags = _children_tags(parent_tags, name)
        strings = []
        for child in node.contents:
            if isinstance(child, Tag):
                text = self.process_tag(child, children_tags)
            elif isinstance(child, (Comment, Doctype)):
                continue
            elif child.strip() or not _ignored_whitespace(child, name):  # strip(): quick, usual
                text = self.process_text(child, children_tags)
            else:
                continue
            if text:
                strings.append(text)
        text = self._joined(strings, children_tags) if len(strings) > 1 else ''.join(strings)
        convert = self.convert_fn_cache.get(name, _UNKNOWN)
        if convert is _UNKNOWN:
            convert = self.get_conv_fn_cached(name)
        return convert(node, text, parent_tags) if convert else text

    def process_text(self, el, parent_tags: frozenset[str] = _NO_PARENTS) -> str:
        """Text with its whitespace squeezed, escaped, and trimmed next to blocks."""
        text = str(el)
        if self.text_may_change(text):
            if 'pre' not in parent_tags and ('  ' in text or _SQUEEZED_WHITESPACE.search(text)):
                text = _HTML_WHITESPACE.sub(' ', text)
            if '_noformat' not in parent_tags:
                text = self.escape(text, parent_tags)
        if text and (text[0] in ' \t\r\n' or text[-1].isspace()):  # else nothing to trim
            text = _trimmed_next_to_blocks(el, text)
        return text

    def _joined(self, strings: list[str], children_tags: frozenset[str]) -> str:
        """Several children's strings joined: each after the converter's `escape_seam`, then
        with markdownify's collapse of newlines where two of them meet."""
        escape_seam = self.escape_seam
        before = strings[0]
        for index in range(1, len(strings)):
            before = strings[index] = escape_seam(before, strings[index], children_tags)
        text = ''.join(strings)
        if '\n' in text and 'pre' not in children_tags and _newlines_meet(strings):
            text = _join_blocks(strings)
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


@lru_cache(maxsize=1024)
def _is_block(name: str) -> bool:
    return name in _BLOCKS or _HEADING.match(name) is not None


@lru_cache(maxsize=1024)
def _strips_outside_name(name: str) -> bool:
    return name == 'pre' or _is_block(name)


def _strips_outside(node) -> bool:
    """Whether markdownify drops whitespace next to this sibling: blocks and <pre>."""
    return isinstance(node, Tag) and _strips_outside_name(node.name)


def _trimmed_next_to_blocks(el, text: str) -> str:
    """The text without its whitespace at a block's inner edge or next to a block."""
    before, after = el.previous_sibling, el.next_sibling
    in_block = _is_block(el.parent.name)
    if _strips_outside(before) or in_block and not before:
        text = text.lstrip(' \t\r\n')
    if _strips_outside(after) or in_block and not after:
        text = text.rstrip()
    return text


def _ignored_whitespace(text, parent_name: str) -> bool:
    """Whether markdownify skips this whitespace-only text: at a block's inner edge or next
    to a block."""
    before, after = text.previous_sibling, text.next_sibling
    if (not before or not after) and _is_block(parent_name):
        return True
    return _strips_outside(before) or _strips_outside(after)


def _newlines_meet(strings: list[str]) -> bool:
    """Whether a string ending with a newline is followed by one starting with a newline:
    without such a boundary, `_join_blocks` only joins the strings."""
    return any(first[-1] == '\n' and second[0] == '\n' for first, second in pairwise(strings))


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
