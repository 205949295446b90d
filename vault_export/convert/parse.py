"""Parse HTML into the BeautifulSoup tree that `BeautifulSoup(html, 'lxml')` builds, faster.

bs4's lxml builder passes every parser event through several layers of generic bookkeeping
(namespaces, tag counters, parse filters). `LeanLXMLBuilder` receives the same lxml events and
links each node into the tree directly, with the same node classes, attributes and whitespace
rules, so the tree is the same node for node.
"""

from bs4 import BeautifulSoup
from bs4.builder import LXMLTreeBuilder
from bs4.element import Comment, Doctype, NavigableString, Tag



def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, builder=LeanLXMLBuilder())


class LeanLXMLBuilder(LXMLTreeBuilder):
    """bs4's lxml HTML builder with lean handlers for the parser's events."""

    def feed(self, markup) -> None:
        self._stack = [self.soup]  # open tags, innermost last
        self._text: list[str] = []  # text not yet added to the tree
        self._last = None  # the node added last, in document order; bs4 links no node to the root
        self._preserving = 0  # open tags that keep their whitespace
        self._containers: list[Tag] = []  # open tags whose strings have a class of their own
        self._prototypes: dict[str, tuple[dict, frozenset[str]]] = {}  # see _new_tag
        super().feed(markup)

    def start(self, name, attrs, nsmap=None) -> None:
        if self._text:
            self._add_text()
        # lxml passes a mapping, slow to copy, and an empty one for a tag without attributes.
        tag = self._new_tag(name, self.attribute_dict_class(attrs) if attrs else self.attribute_dict_class())
        self._link(tag)
        self._stack.append(tag)
        if name in self.preserve_whitespace_tags:
            self._preserving += 1
        if name in self.string_containers:
            self._containers.append(tag)

    def end(self, name) -> None:
        if self._text:
            self._add_text()
        stack = self._stack
        if stack[-1].name != name:  # lxml closes tags in order; bs4 would ignore a stray end tag
            if not any(tag.name == name for tag in stack[1:]):
                return
            while stack[-1].name != name:
                self._close(stack.pop())
        self._close(stack.pop())

    def data(self, content) -> None:
        self._text.append(content)

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

    def _new_tag(self, name: str, attrs) -> Tag:
        """A tag as bs4 makes it. Its constructor works out the same settings for every tag of
        a name, so later tags of that name start as a copy of the first one's."""
        return Tag(self.soup, self, name, attrs=attrs, namespaces=self.active_namespace_prefixes[-1])

    def _close(self, tag: Tag) -> None:
        if tag.name in self.preserve_whitespace_tags:
            self._preserving -= 1
        if self._containers and self._containers[-1] is tag:
            self._containers.pop()

    def _add_special(self, content: str, string_class: type[NavigableString]) -> None:
        if self._text:
            self._add_text()
        self._text.append(content)
        self._add_text(string_class)

    def _add_text(self, string_class: type[NavigableString] = NavigableString) -> None:
        """Add the pending text as one string; bs4 shrinks whitespace-only text to one character."""
        text = ''.join(self._text)
        self._text = []
        if not self._preserving and not text.strip(BeautifulSoup.ASCII_SPACES):
            text = '\n' if '\n' in text else ' '
        if string_class is NavigableString and self._containers:
            string_class = self.string_containers[self._containers[-1].name]
        self._link(string_class(text))

    def _link(self, node) -> None:
        """Append the node to the innermost open tag; it follows the node added last."""
        parent = self._stack[-1]
        siblings = parent.contents
        node.parent = parent
        node.previous_element = self._last
        if self._last is not None:
            self._last.next_element = node
        if siblings:
            node.previous_sibling, siblings[-1].next_sibling = siblings[-1], node
        siblings.append(node)
        self._last = node
