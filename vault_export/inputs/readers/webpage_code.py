"""Line numbers that code highlighters put beside code, which are not part of the code.

Two layouts: a number at the start of each line (an element holding only "1", "2", "3"...,
the same kind of element on every line), and a gutter column (a table cell, beside the cell
with the code, holding only the numbers 1 to n).
"""
from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree
from lxml import html as lxml_html

NUMBER = re.compile(r"^\s*(\d{1,5})\s*$")
NUMBER_COLUMN = re.compile(r"^\s*1(?:\s+\d{1,5})*\s*$")
CODE_TABLE_CELLS = etree.XPath(".//table[.//pre]//td")


def drop_line_numbers(root: lxml_html.HtmlElement) -> None:
    for cell in CODE_TABLE_CELLS(root):
        if cell.getparent() is not None and _is_gutter(cell):
            table = next(cell.iterancestors("table"))
            cell.drop_tree()
            _unwrap_layout_table(table)
    for pre in list(root.iter("pre")):
        _drop_numbers_at_line_starts(pre)


def _is_gutter(cell: lxml_html.HtmlElement) -> bool:
    text = " ".join(cell.itertext())  # the numbers may be apart only by <br>s
    if not NUMBER_COLUMN.match(text):
        return False
    numbers = [int(number) for number in text.split()]
    if numbers != list(range(1, len(numbers) + 1)):
        return False
    others = [other for other in cell.itersiblings() if other.tag == "td"]
    return any(other.find(".//pre") is not None or other.find(".//code") is not None for other in others)


def _unwrap_layout_table(table: lxml_html.HtmlElement) -> None:
    """A table left with one cell, the code, was only there to lay out the gutter: the cell's
    <pre> takes its place (inside a <pre> around the table, the text of that <pre>)."""
    cells = table.findall(".//td")
    if len(cells) != 1 or table.getparent() is None:
        return
    inner = cells[0].find(".//pre")
    if inner is None:
        holder = lxml_html.Element("div")
        holder.text = cells[0].text
        holder.extend(cells[0])
    elif next(table.iterancestors("pre"), None) is not None:
        holder = lxml_html.Element("span")
        holder.text = inner.text
        holder.extend(inner)
    else:  # the <pre> also replaces a <code> that only wrapped the table
        holder = inner
        wrapper = table.getparent()
        if wrapper.tag == "code" and len(wrapper) == 1 and \
                not _collapse(wrapper.text) + _collapse(table.tail):
            table = wrapper
    holder.tail = table.tail
    table.getparent().replace(table, holder)


def _drop_numbers_at_line_starts(pre: lxml_html.HtmlElement) -> None:
    groups: dict[tuple, list[lxml_html.HtmlElement]] = defaultdict(list)
    at_line_start = True
    for event, node in etree.iterwalk(pre, events=("start", "end")):
        if event == "start":
            if node is not pre and at_line_start and len(node) == 0 and NUMBER.match(node.text or ""):
                groups[(node.tag, node.get("class"), node.get("style"))].append(node)
            text = node.text or ""
        else:
            text = node.tail if node is not pre else ""
            text = text or ""
            if node.tag in ("div", "br") and node is not pre:
                at_line_start = True
        if text.strip():
            at_line_start = text.endswith("\n")
        elif "\n" in text:
            at_line_start = True
    for numbers in groups.values():
        if len(numbers) > 1 and _consecutive([int(NUMBER.match(node.text).group(1)) for node in numbers]):
            for node in numbers:
                node.drop_tree()


def _collapse(text: str | None) -> str:
    return "".join((text or "").split())


def _consecutive(numbers: list[int]) -> bool:
    return len(numbers) > 1 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
