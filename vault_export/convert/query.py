"""Quick tree queries. bs4's find methods give the same answers, but set up a general filter
on every call, which costs more than the search itself on the small trees of notes."""

from collections.abc import Collection, Iterator

from bs4 import PageElement, Tag


def descendants_named(tag: Tag, names: Collection[str]) -> list[Tag]:
    """As tag.find_all(names), for names without a namespace prefix."""
    return [node for node in tag.descendants if isinstance(node, Tag) and node.name in names]


def first_descendant_named(tag: Tag, name: str) -> Tag | None:
    """As tag.find(name), for a name without a namespace prefix."""
    matches = (node for node in tag.descendants if isinstance(node, Tag) and node.name == name)
    return next(matches, None)


def strings_of(tag: Tag) -> Iterator[str]:
    """As tag.strings: the strings below the tag of the types that count as its text."""
    types = tag.interesting_string_types
    return (node for node in tag.descendants if type(node) in types)


def previous_tag(node: PageElement) -> Tag | None:
    """As node.find_previous_sibling(): the closest earlier sibling that is a tag."""
    return next((sibling for sibling in node.previous_siblings if isinstance(sibling, Tag)), None)
