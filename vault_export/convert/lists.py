"""Lists: items, their numbers, nesting, and the boxes of to-do items."""

import re

from bs4 import Tag

from vault_export.convert.in_code import text_lines_in_code
from vault_export.convert.tidy import strip_marks

_BLOCK_START = re.compile(r'#|\||```')


class ListRules:
    """The converter's rules for lists and their items (a mixin of the markdownify subclass)."""

    def convert_input(self, el, text, parent_tags):
        """A checkbox (clean.py keeps no other field) that starts a list item: the task's box.
        Elsewhere nothing: pages hide such boxes to make toggles (Tufte's side notes...)."""
        if not _starts_list_item(el) or '_inline' in parent_tags:
            return ''
        return '[x] ' if el.has_attr('checked') else '[ ] '

    def convert_li(self, el, text, parent_tags):
        text = strip_marks(text)
        # In a cell or heading, on one line: the bullet a browser shows, not a Markdown one.
        item = _list_item(el, text.strip(), '• ' if '_inline' in parent_tags else '- ')
        # Code fences, headings, tables and paragraphs need blank lines around them.
        return f'\n\n{item}\n' if '\n\n' in text or _BLOCK_START.match(text) else item

    @text_lines_in_code
    def convert_list(self, el, text, parent_tags):
        """markdownify's list, but always followed by a blank line outside list items: markdownify
        ends it with one newline when no block follows it in its parent, but inline text may follow
        the parent, and without a blank line it would join the last item."""
        if 'li' in parent_tags:
            return '\n' + text.rstrip()
        return ('\n\n' + text).rstrip('\n') + '\n\n'

    convert_ul = convert_ol = convert_list


def _starts_list_item(element: Tag) -> bool:
    """Whether the element is in a list item, with no text or image before it there."""
    for node in element.previous_elements:
        if isinstance(node, Tag) and node.name in ('li', 'img'):
            return node.name == 'li' and node in element.parents
        if not isinstance(node, Tag) and node.strip():
            return False
    return False


def _list_item(el: Tag, content: str, bullet: str) -> str:
    """markdownify's list item: the bullet or the item's number, and later lines indented to match."""
    if not content:
        return '\n'
    if el.parent is not None and el.parent.name == 'ol':
        bullet = f'{_item_number(el)}. '
    if '\n' in content:
        indent = ' ' * len(bullet)
        indented = '\n'.join(indent + line if line else '' for line in content.split('\n'))
        content = indented[len(bullet):]
    return f'{bullet}{content}\n'


def _item_number(item: Tag) -> int:
    """The number a browser shows: the list's start, or the value of an item at or before it,
    counted on (Markdown numbers the items after the first itself)."""
    earlier = 0  # items before it, up to one with a value
    for node in (item, *item.previous_siblings):
        if isinstance(node, Tag) and node.name == 'li':
            if _is_number(node.get('value')):
                return int(node['value']) + earlier
            earlier += 1
    start = item.parent.get('start')
    return (int(start) if _is_number(start) else 1) + earlier - 1


def _is_number(value) -> bool:
    return isinstance(value, str) and value.isdecimal() and len(value) < 10
