"""Parse HTML into the tree `BeautifulSoup(html, 'lxml')` builds, in less than half the time.

bs4's lxml builder passes each parser event through layers of general bookkeeping
(namespaces, tag counters, parse filters, relinking checks). `LeanLXMLBuilder` receives the
same events from lxml and links each node into the tree itself, with the same node classes,
attributes and whitespace rules, so that the tree is the same node for node.
"""

import threading
from typing import NamedTuple

from bs4 import BeautifulSoup
from bs4.builder import LXMLTreeBuilder
from bs4.element import Comment, Doctype, NavigableString, Tag

_PER_THREAD = threading.local()
_ASCII_SPACES = BeautifulSoup.ASCII_SPACES
# The fields NavigableString() gives a new string before it is linked into the tree.
_STRING_FIELDS = {
    'hidden': False, 'parent': None, 'previous_element': None, 'next_element': None,
    'previous_sibling': None, 'next_sibling': None,
}


class _Kind(NamedTuple):
    fields: dict | None  # the fields every new tag of the name starts with; None: use Tag()
    list_attributes: frozenset[str]  # attributes whose values bs4 splits into lists
    preserves_whitespace: bool
    string_class: type[NavigableString] | None  # of the strings inside, if not NavigableString


def parse_html(html: str) -> BeautifulSoup:
    builder = getattr(_PER_THREAD, 'builder', None)
    if builder is None:
        builder = _PER_THREAD.builder = LeanLXMLBuilder()
    return BeautifulSoup(html, builder=builder)


class LeanLXMLBuilder(LXMLTreeBuilder):
    """bs4's lxml HTML builder with lean handlers for the parser's events. It keeps its lxml
    parsers for the next document: setting up a new one costs more than a short note."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._parsers = {}  # by encoding
        self._kinds: dict[str, _Kind] = {}  # by tag name

    def parser_for(self, encoding):
        if encoding not in self._parsers:
            self._parsers[encoding] = super().parser_for(encoding)
        return self._parsers[encoding]

    def feed(self, markup) -> None:
        self._open = [self.soup]  # open tags, innermost last
        self._text = ''  # text not yet added to the tree
        self._last = None  # the node added last; as in bs4, no node links back to the root
        self._preserving = 0  # how many open tags keep their whitespace (<pre>, <textarea>)
        self._containers: list[Tag] = []  # open tags whose strings have a class of their own
        try:
            super().feed(markup)
        except BaseException:
            self._parsers.clear()  # a parser stopped inside a document cannot start the next
            raise
        finally:
            self._open = self._containers = self._last = None  # hold no tree between documents

    def start(self, name, attrs, nsmap=None) -> None:
        if self._text:
            self._add_text()
        kind = self._kinds.get(name) or self._kind(name)
        # lxml passes a mapping, slow to copy, and an empty one for a tag without attributes.
        attrs = self._attributes(kind, attrs) if attrs else self.attribute_dict_class()
        if kind.fields is None:
            tag = self._constructed_tag(name, attrs)
            self._link(tag, tag.__dict__)
        else:
            tag = Tag.__new__(Tag)
            tag.__dict__ = fields = kind.fields.copy()  # quicker than filling the instance's own
            fields['attrs'] = attrs
            fields['contents'] = []
            self._link(tag, fields)
        self._open.append(tag)
        if kind.preserves_whitespace:
            self._preserving += 1
        if kind.string_class:
            self._containers.append(tag)

    def end(self, name) -> None:
        if self._text:
            self._add_text()
        open_tags = self._open
        if open_tags[-1].name != name:  # lxml closes tags in order; bs4 ignores a stray end tag
            if not any(tag.name == name for tag in open_tags[1:]):
                return
            while open_tags[-1].name != name:
                self._close(open_tags.pop())
        closed = open_tags.pop()
        if self._preserving or self._containers:  # else closing it changes nothing
            self._close(closed)

    def data(self, content) -> None:
        self._text += content  # a string's text mostly comes in one piece: no list to join

    def comment(self, content) -> None:
        self._add_special(content, Comment)

    def doctype(self, name, pubid, system) -> None:
        self._add_special(str(Doctype.for_name_and_ids(name, pubid, system)), Doctype)

    def pi(self, target, content) -> None:
        self._add_special(target + ' ' + content, self.processing_instruction_class)

    def close(self) -> None:
        if self._text:
            self._add_text()
        super().close()

    def _kind(self, name: str) -> '_Kind':
        """What the builder needs to know about every tag of a name, asked once per name."""
        lists = self.cdata_list_attributes or {}
        fields = None if name == 'meta' else vars(self._constructed_tag(name))
        kind = self._kinds[name] = _Kind(
            fields,
            frozenset(lists.get('*', ())) | frozenset(lists.get(name.lower(), ())),
            name in self.preserve_whitespace_tags,
            self.string_containers.get(name),
        )
        return kind

    def _constructed_tag(self, name: str, attrs=None) -> Tag:
        namespaces = self.active_namespace_prefixes[-1]
        return Tag(self.soup, self, name, attrs=attrs, namespaces=namespaces)

    def _attributes(self, kind: '_Kind', attrs):
        """The tag's attributes, with the values of those that hold lists ('class' and the like)
        split, as bs4 does."""
        attrs = self.attribute_dict_class(attrs)
        for name in kind.list_attributes.intersection(attrs):
            attrs[name] = self.attribute_value_list_class(attrs[name].split())
        return attrs

    def _close(self, tag: Tag) -> None:
        if tag.name in self.preserve_whitespace_tags:
            self._preserving -= 1
        if self._containers and self._containers[-1] is tag:
            self._containers.pop()

    def _add_special(self, content: str, string_class: type[NavigableString]) -> None:
        if self._text:
            self._add_text()
        self._text = content
        self._add_text(string_class)

    def _add_text(self, string_class: type[NavigableString] = NavigableString) -> None:
        """Add the pending text as one string; bs4 shrinks whitespace-only text to one character."""
        text, self._text = self._text, ''
        if not self._preserving and not text.strip(_ASCII_SPACES):
            text = '\n' if '\n' in text else ' '
        if string_class is NavigableString and self._containers:
            string_class = self.string_containers[self._containers[-1].name]
        string = str.__new__(string_class, text)  # what NavigableString() does, less relinking
        string.__dict__ = fields = _STRING_FIELDS.copy()
        self._link(string, fields)

    def _link(self, node, fields: dict) -> None:
        """Append the node, whose attributes are `fields`, to the innermost open tag; it follows
        the node added last."""
        parent = self._open[-1]
        siblings = parent.contents
        last = self._last
        fields['parent'] = parent
        fields['previous_element'] = last
        if last is not None:
            last.next_element = node
        if siblings:
            previous = fields['previous_sibling'] = siblings[-1]
            previous.next_sibling = node
        siblings.append(node)
        self._last = node


def discard_tree(soup: BeautifulSoup) -> None:
    """Break the reference cycles of a tree no longer needed (its nodes link to each other),
    so that it is freed at once: left to the cyclic garbage collector, trees cost about a
    tenth of the conversion time."""
    node = soup.contents[0] if soup.contents else None
    while node is not None:  # soup.descendants, less its generator
        following = node.next_element
        node.__dict__.clear()
        node = following
    soup.__dict__.clear()
