"""Clean a parsed HTML tree before it is converted.

Drops what is unsafe or invisible, fixes links and images, turns Weibo topics, emoticons and
link cards into what they mean, and repairs the structures markdownify would mis-convert
(lists directly inside lists, ragged or nested tables, `<br>` runs).
The tree is changed in place; one walk visits every node.
"""

from collections.abc import Callable, Iterator

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.element import PreformattedString

from vault_export.convert.elements import HTML_ELEMENTS
from vault_export.convert.math import MATH, formula_of_katex, formula_of_mathml, formula_of_script
from vault_export.convert.media import MEDIA, clean_media
from vault_export.convert.query import descendants_named, first_descendant_named, strings_of
from vault_export.convert.tables import as_grid, cells_of, colspan, is_cell, wrap_bare_cells
from vault_export.convert.urls import clean_image, clean_link, is_weibo_topic_url
from vault_export.render.tags import is_tag_as_written

TOPIC = 'vx-topic'  # internal element: a Weibo topic, its tag in the 'tag' attribute
PARAGRAPH_BREAK = 'vx-break'  # internal element: a run of <br> that separates paragraphs

# Not the media of media.py, which keeps their addresses. A browser shows no <title>, <noembed> or
# <noframes> in a page's body.
_DROPPED = frozenset({
    'style', 'frame', 'frameset', 'noscript', 'applet',
    'template', 'head', 'svg', 'canvas', 'select', 'button', 'title', 'noembed', 'noframes',
})
# Blocks markdownify does not know, which would run into the text on their sides.
_DIV_LIKE = frozenset({
    'header', 'footer', 'main', 'nav', 'aside', 'figure', 'address', 'center', 'details',
    'summary', 'hgroup', 'fieldset', 'legend', 'form', 'search', 'dialog', 'figcaption',
})
_MARKUP_GROUPS = {
    'b': '**', 'strong': '**', 'em': '*', 'i': '*', 'del': '~~', 's': '~~', 'strike': '~~', 'mark': '==',
}
_TABLE_PARTS = ('caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th')
_HEADINGS = ('h1', 'h2', 'h3', 'h4', 'h5', 'h6')
_TO_CLEAN = (Tag, PreformattedString)  # text needs no cleaning
_LEVEL_UP = object()  # on the walk's stack: below it, a tag's children, one level deeper
# markdownify recurses once per level; deeper content is lifted up to this depth.
MAX_DEPTH = 60


class TreeCleaner:
    """Cleans one tree; `clean` returns the tags of the Weibo topics it found, in order."""

    def __init__(self, soup: BeautifulSoup, base_url: str | None,
                 tag_rule: Callable[[str], str | None]):
        self.soup = soup
        self.base_url = base_url
        self.tag_rule = tag_rule
        self.tags: list[str] = []
        self._headings: list[Tag] = []
        self._too_deep: list[Tag] = []
        self._fixers = {
            **dict.fromkeys(_DROPPED, Tag.extract),
            **dict.fromkeys(_MARKUP_GROUPS, _merge_next_same_markup),
            **dict.fromkeys(_DIV_LIKE, _rename_to_div),
            'a': self._fix_link, 'img': self._fix_image, 'span': self._fix_span,
            'br': self._fix_break_run, 'ul': self._fix_list, 'ol': self._fix_list,
            'li': self._fix_stray_item, 'table': self._fix_table,
            'tr': _fix_stray_table_part, 'td': _fix_cell, 'th': _fix_cell,
            **dict.fromkeys(MEDIA, self._fix_media), 'input': _fix_input,
            'math': self._fix_mathml, 'script': self._fix_script,
        }

    def clean(self) -> list[str]:
        for node, depth in _walk(self.soup):
            if isinstance(node, Tag):
                self._visit(node, depth)
            else:  # comments, CDATA, doctypes... (the walk skips text)
                node.extract()
        _demote_if_several_h1(self._headings)
        for tag in reversed(self._too_deep):  # innermost first
            if tag.parent is not None:
                tag.unwrap()
        return self.tags

    def _visit(self, tag: Tag, depth: int) -> None:
        name = tag.name
        fix = self._fixers.get(name)
        if fix is not None:  # no fixer makes a heading
            fix(tag)
        elif name in _HEADINGS:
            self._headings.append(tag)
        elif name not in HTML_ELEMENTS:  # an unknown element, or one posing as the converter's own
            tag.name = 'span'
        # A <br> renamed into a paragraph break stays, as a new tag in its place would.
        if depth > MAX_DEPTH and tag.parent is not None and tag.name != PARAGRAPH_BREAK:
            self._too_deep.append(tag)

    def _fix_link(self, link: Tag) -> None:
        href = clean_link(link.attrs.get('href'), self.base_url)
        topic = _topic_text(link) if is_weibo_topic_url(href) else None
        if topic:
            self._replace_topic(link, topic)
        elif href:
            link.attrs = {'href': href}
        else:  # keep the text; renamed, not unwrapped, so that the walk still visits its content
            link.name, link.attrs = 'span', {}

    def _replace_topic(self, link: Tag, topic: str) -> None:
        text = topic[1:-1].strip()
        tag = self.tag_rule(text)
        if tag:
            self.tags.append(tag)
        if tag and is_tag_as_written(text):  # else the body keeps the text, every character of it
            replacement = self.soup.new_tag(TOPIC, string=topic, attrs={'tag': tag})
        else:
            replacement = NavigableString(topic)
        link.replace_with(replacement)

    def _fix_image(self, image: Tag) -> None:
        urls = (image.attrs.get(name) for name in ('data-src', 'data-original', 'src'))
        src = next(filter(None, (clean_image(url, self.base_url) for url in urls if url)), None)
        if src:
            image.attrs = {'src': src, 'alt': image.attrs.get('alt') or ''}
        else:
            image.extract()

    def _fix_media(self, media: Tag) -> None:
        clean_media(media, self.base_url)

    def _fix_span(self, span: Tag) -> None:
        """Weibo's url-icon spans hold an emoticon (alt text like '[允悲]') or a link-card icon;
        KaTeX's spans hold a formula."""
        classes = span.attrs.get('class') or ()
        if 'katex' in classes:
            self._replace_with_formula(span, formula_of_katex(span))
        if 'url-icon' not in classes:
            return
        image = first_descendant_named(span, 'img')
        alt = image.get('alt') if image else None
        if alt:
            span.replace_with(NavigableString(alt))
        else:
            span.extract()

    def _fix_mathml(self, math: Tag) -> None:
        self._replace_with_formula(math, formula_of_mathml(math))

    def _fix_script(self, script: Tag) -> None:
        if not self._replace_with_formula(script, formula_of_script(script)):
            script.extract()

    def _replace_with_formula(self, tag: Tag, formula: tuple[str, bool] | None) -> bool:
        """Put the formula in the tag's place; False when there is none."""
        if not formula:
            return False
        tex, display = formula
        tag.replace_with(self.soup.new_tag(MATH, attrs={'tex': tex, **({'display': ''} if display else {})}))
        return True

    def _fix_break_run(self, br: Tag) -> None:
        """Two or more <br> in a row separate paragraphs; a single one stays a line break."""
        run = _break_run(br)  # it starts and ends with a <br>
        if len(run) < 2 or _nearest_ancestor(br, 'pre'):
            return
        br.name, br.attrs = PARAGRAPH_BREAK, {}  # quicker than replacing it with a new tag
        for node in run[1:]:
            node.extract()

    def _fix_list(self, list_tag: Tag) -> None:
        """Join the lists that directly follow (Markdown would join them, numbering each from
        1), drop what shows nothing (an empty item would still take a number), and move what
        sits directly in the list (often a nested list) into a list item."""
        following = _next_content_sibling(list_tag)
        while isinstance(following, Tag) and following.name == list_tag.name:
            _move_children(following.extract(), list_tag)
            following = _next_content_sibling(list_tag)
        item = None
        for child in list(list_tag.children):
            if _shows_nothing(child):
                child.extract()
            elif isinstance(child, Tag) and child.name == 'li':
                item = child
            else:
                if item is None:
                    item = self.soup.new_tag('li')
                    child.insert_before(item)
                item.append(child.extract())

    def _fix_stray_item(self, item: Tag) -> None:
        if item.parent.name not in ('ul', 'ol'):
            item.wrap(self.soup.new_tag('ul'))

    def _fix_table(self, table: Tag) -> None:
        wrap_bare_cells(table, self.soup)
        rows = descendants_named(table, ('tr',))
        rows = as_grid([row for row in rows if _nearest_ancestor(row, 'table') is table], self.soup)
        widths = [sum(colspan(cell) for cell in cells_of(row)) for row in rows]
        if _nearest_ancestor(table, 'table') or not any(widths):
            _flatten_table(table)
        else:
            self._rebuild_table(table, rows, widths)

    def _rebuild_table(self, table: Tag, rows: list[Tag], widths: list[int]) -> None:
        """One tbody of rows padded to the same width; whatever else the table held (captions,
        text outside cells) goes before it, as browsers show it. markdownify would put such
        content inside rows or, after a caption or with several tbody, drop the header line."""
        before, body = self.soup.new_tag('div'), self.soup.new_tag('tbody')
        widest = max(widths)
        for row, width in zip(rows, widths):
            for child in list(row.children):
                if not (_is_blank(child) or is_cell(child)):
                    row.insert_before(child.extract())  # keeps it in document order
            if width < widest:
                row.extend([self.soup.new_tag('td') for _ in range(widest - width)])
            body.append(row.extract())
        _move_children(table, before)
        _flatten_table(before)
        table.extend([before, body])


def _walk(root: Tag) -> Iterator[tuple[PageElement, int]]:
    """Every tag and comment-like string below root with its depth, in document order, without
    recursion. Nodes removed while the walk is under way are skipped with their children."""
    stack, depth = _to_walk(root), 1
    while stack:
        node = stack.pop()
        if node is _LEVEL_UP:
            depth -= 1
        elif node.parent is not None:
            yield node, depth
            children = _to_walk(node) if isinstance(node, Tag) and node.parent is not None else None
            if children:
                stack.append(_LEVEL_UP)
                stack += children
                depth += 1


def _to_walk(tag: Tag) -> list[PageElement]:
    return [child for child in reversed(tag.contents) if isinstance(child, _TO_CLEAN)]


def _nearest_ancestor(node: PageElement, name: str) -> Tag | None:
    parent = node.parent
    while parent is not None and parent.name != name:
        parent = parent.parent
    return parent


def _topic_text(link: Tag) -> str | None:
    """'#话题#' for the text of a link to a Weibo topic, else None."""
    text = ''.join(strings_of(link)).strip()
    return text if len(text) >= 3 and text[0] == '#' and text[-1] == '#' else None


def _break_run(br: Tag) -> list[PageElement]:
    """br and the <br> (and blank text) that follow it directly."""
    run = [br]
    node = br.next_sibling
    while node is not None and (_is_blank(node) or node.name == 'br'):
        run.append(node)
        node = node.next_sibling
    while run and run[-1].name != 'br':
        run.pop()
    return run


def _move_children(source: Tag, target: Tag) -> None:
    for child in list(source.children):
        target.append(child.extract())


def _next_content_sibling(tag: Tag) -> PageElement | None:
    node = tag.next_sibling
    while node is not None and _is_blank(node):
        node = node.next_sibling
    return node


def _shows_nothing(node: PageElement) -> bool:
    if isinstance(node, Tag):
        no_text = not any(string.strip() for string in strings_of(node))
        return no_text and first_descendant_named(node, 'img') is None
    return _is_blank(node)


def _is_blank(node: PageElement) -> bool:
    """Whitespace, or a comment or the like, which the walk removes anyway."""
    return isinstance(node, PreformattedString) or isinstance(node, NavigableString) and not node.strip()


def _rename_to_div(block: Tag) -> None:
    block.name = 'div'


def _fix_input(field: Tag) -> None:
    """A checkbox shows its state (a to-do item's box); other fields go."""
    if field.get('type', '').lower() == 'checkbox':
        field.attrs = {'type': 'checkbox', **({'checked': ''} if field.has_attr('checked') else {})}
    else:
        field.extract()


def _fix_cell(cell: Tag) -> None:
    """A cell gets a colspan that markdownify can read (it fails on '²') and that is not huge."""
    if 'colspan' in cell.attrs:
        cell['colspan'] = str(colspan(cell))
    _fix_stray_table_part(cell)


def _fix_stray_table_part(tag: Tag) -> None:
    if _nearest_ancestor(tag, 'table') is None:
        _flatten_table_part(tag)


def _flatten_table_part(tag: Tag) -> None:
    if tag.name in ('td', 'th'):
        tag.name = 'span'
        tag.append(' ')
    else:
        tag.name = 'p' if tag.name == 'tr' else 'div'


def _flatten_table(table: Tag) -> None:
    """A table in a table cell, or one without cells, becomes text: Markdown cells hold one line."""
    for part in descendants_named(table, _TABLE_PARTS):
        _flatten_table_part(part)
    table.name = 'div'


def _merge_next_same_markup(tag: Tag) -> None:
    """'<b>a</b><b>b</b>' would become '**a****b**'."""
    markup = _MARKUP_GROUPS[tag.name]
    following = tag.next_sibling
    while isinstance(following, Tag) and _MARKUP_GROUPS.get(following.name) == markup:
        _move_children(following, tag)
        following.extract()
        following = tag.next_sibling


def _demote_if_several_h1(headings: list[Tag]) -> None:
    """A note has at most one top-level heading; several h1 move one level down."""
    if sum(heading.name == 'h1' for heading in headings) < 2:
        return
    for heading in headings:
        heading.name = _HEADINGS[min(_HEADINGS.index(heading.name) + 1, 5)]
