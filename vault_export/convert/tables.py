"""Tables: the grid of cells a table shows, and its Markdown.

A Markdown table is a header row and body rows of equal width, each cell one line. Cleaning
(clean.py, with `wrap_bare_cells` and `as_grid`) leaves every table one tbody of such rows;
`TableRules` writes them, the first row as the header when it is all header cells.
"""

import re

from bs4 import BeautifulSoup, PageElement, Tag

from vault_export.convert.query import first_descendant_named, previous_tag, strings_of

MAX_COLSPAN = 20
_MAX_ROWSPAN = 1000
_CELLS = ('td', 'th')
_TABLE_PARTS = ('thead', 'tbody', 'tfoot')
_PART_ORDER = {'thead': 0, 'tfoot': 2}  # where browsers show a part's rows; the rest: 1
_TEXT_ALIGN = re.compile(r'text-align\s*:\s*(\w+)', re.IGNORECASE)


def colspan(cell: Tag) -> int:
    """How many columns the cell spans, as a number markdownify reads (it fails on '²')."""
    return _span(cell, 'colspan', MAX_COLSPAN)


def cells_of(row: Tag) -> list[Tag]:
    return [child for child in row.children if is_cell(child)]


def is_cell(node: PageElement) -> bool:
    return isinstance(node, Tag) and node.name in _CELLS


def wrap_bare_cells(table: Tag, soup: BeautifulSoup) -> None:
    """Put in a row each run of cells directly in the table or its head, body or foot, as
    browsers show them ('<thead><td>' makes a row, but markdownify sees no row there)."""
    parts = [table, *(child for child in table.children if isinstance(child, Tag) and child.name in _TABLE_PARTS)]
    for part in parts:
        row = None
        for child in list(part.children):
            if is_cell(child):
                if row is None:
                    row = soup.new_tag('tr')
                    child.insert_before(row)
                row.append(child.extract())
            elif isinstance(child, Tag) or child.strip():
                row = None


def as_grid(rows: list[Tag], soup: BeautifulSoup) -> list[Tag]:
    """The rows as Markdown can show them: the head's first and the foot's last wherever they
    stand in the source, without the empty rows that lead (an empty head would push the real
    one into the body), the head's first row all header cells, and an empty cell in each place
    a cell above covers with its rowspan."""
    rows.sort(key=lambda row: _PART_ORDER.get(row.parent.name, 1))  # stable: only parts move
    while len(rows) > 1 and _shows_nothing(rows[0]):
        rows.pop(0).extract()
    if rows and rows[0].parent.name == 'thead':
        for cell in cells_of(rows[0]):
            cell.name = 'th'
    if any(cell.has_attr('rowspan') for row in rows for cell in cells_of(row)):
        _fill_row_spans(rows, soup)
    return rows


def _fill_row_spans(rows: list[Tag], soup: BeautifulSoup) -> None:
    covered: dict[int, int] = {}  # column -> how many more rows a cell above covers it
    for row in rows:
        waiting, placed, column = cells_of(row), [], 0
        while waiting or any(count and later >= column for later, count in covered.items()):
            if covered.get(column) or not waiting:  # covered, or a gap before a covered column
                covered[column] = max(0, covered.get(column, 0) - 1)
                cell = soup.new_tag('td')
            else:
                cell = waiting.pop(0)
                rows_below = _span(cell, 'rowspan', _MAX_ROWSPAN) - 1
                covered.update(dict.fromkeys(range(column, column + colspan(cell)), rows_below))
            placed.append(cell)
            column += colspan(cell)
        row.extend(placed)  # in their new order, after whatever else the row holds


def _span(cell: Tag, attribute: str, most: int) -> int:
    span = cell.attrs.get(attribute, '')
    return max(1, min(int(span), most)) if span.isdecimal() and len(span) < 10 else 1


def _shows_nothing(row: Tag) -> bool:
    return not any(text.strip() for text in strings_of(row)) and first_descendant_named(row, 'img') is None


class TableRules:
    """The converter's rule for rows (a mixin of the markdownify subclass)."""

    def convert_tr(self, el, text, parent_tags):
        """A row. The first is the header when all its cells are header cells; else an empty
        header goes before it, since a Markdown table must have one."""
        if previous_tag(el) is not None:
            return f'|{text}\n'
        cells = cells_of(el)
        delimiters = '| ' + ' | '.join(_delimiter(cell) for cell in cells for _ in range(colspan(cell))) + ' |\n'
        if all(cell.name == 'th' for cell in cells):
            return f'|{text}\n{delimiters}'
        empty_header = '|' + ' |' * sum(colspan(cell) for cell in cells) + '\n'
        return f'{empty_header}{delimiters}|{text}\n'


def _delimiter(cell: Tag) -> str:
    """The delimiter row's cell for the cell's column: '---', aligned as the cell is."""
    align = (cell.get('align') or _TEXT_ALIGN.search(cell.get('style') or '') or '')
    align = (align if isinstance(align, str) else align.group(1)).strip().lower()
    return {'left': ':--', 'right': '--:', 'center': ':-:'}.get(align, '---')
