"""Footnotes of a saved page, gathered into one form the converter writes as Obsidian footnotes.

Pages mark footnotes in many ways. Two families are read here:

- linked: a short mark ("1", "[2]", "*") that links to the note (`href="#id"`, or a `data-*`
  attribute naming its id), in or around a <sup> or with a name that says footnote, ref or
  note; the note may be anywhere in the page, hidden, or outside the article;
- loose: a bare <sup>N</sup> in the text, its note a paragraph opening with <sup>N</sup>, or
  the Nth item of a list in a part of the page whose class or id says "footnotes".
  An inline note hidden inside its mark (a tooltip) is read as well.

Each mark becomes `<sup data-footnote-ref="N">N</sup>` and each note a
`<div data-footnote="N">` in a list at the end of the content, numbered in reading order;
the page's own list goes, with its heading ("Notes", "Footnotes"...).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

MARK = re.compile(r"^[\[(]?(\d{1,3}|[a-z]|[*†‡§]{1,3})[\])]?$")
FOOTNOTE_WORD = re.compile(r"foot|fn|note|ref|cite|ftn", re.IGNORECASE)
NOTES_HEADING = re.compile(r"^(?:foot|end)?notes?$|^references$", re.IGNORECASE)
BACK_LINK = re.compile(r"^[↩↑^⏎]|^back$|^return", re.IGNORECASE)
LEADING_MARK = re.compile(r"^\s*[\[(]?(\d{1,3}|[*†‡§]{1,3})[\])]?[.:]?\s+")
SIDENOTE = re.compile(r"sidenote|marginnote", re.IGNORECASE)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
LINKED_MARKS = etree.XPath(".//a[contains(@href, '#')] | .//*[@*[starts-with(name(), 'data-')]]")
NOTES_LISTS = etree.XPath(".//*[re:test(@class, 'footnotes', 'i') or re:test(@id, 'footnotes', 'i')]"
                          "//li", namespaces={"re": "http://exslt.org/regular-expressions"})


@dataclass
class Footnote:
    mark: lxml_html.HtmlElement  # the element that shows the mark in the text
    note: lxml_html.HtmlElement  # the element that holds the note


def gather_footnotes(body: lxml_html.HtmlElement, root: lxml_html.HtmlElement) -> None:
    """Find the footnotes of the content `root` (their notes anywhere in `body`) and rewrite
    them into the one form (see the module's doc)."""
    ids = {element.get("id") or element.get("name"): element
           for element in body.iter(etree.Element) if element.get("id") or element.get("name")}
    order = {element: index for index, element in enumerate(body.iter(etree.Element))}
    footnotes = _inline_notes(root) + _linked(root, ids, order)
    if not footnotes:
        footnotes = _loose(body, root)
    footnotes = _unique(footnotes)
    if footnotes:
        _rewrite(root, footnotes)


def _inline_notes(root) -> list[Footnote]:
    """Notes written where their mark is: hidden inside it (a tooltip), or a sidenote after it."""
    found = []
    for note in root.iter(etree.Element):
        classes = note.get("class") or ""
        if SIDENOTE.search(classes) or _is_hidden(note) and FOOTNOTE_WORD.search(classes):
            mark = _inline_mark(note, root)
            if mark is not None:
                found.append(Footnote(mark, note))
    return found


def _inline_mark(note, root):
    """The mark of an inline note: the element around it, or the one just before it (past
    the checkbox of a CSS toggle), when that shows only a mark."""
    parent = note.getparent()
    if parent is not None and parent is not root and MARK.match(_collapse(parent.text or "")):
        return parent
    before = note.getprevious()
    while before is not None and before.tag == "input" and not (before.tail or "").strip():
        before = before.getprevious()
    if before is not None and not (before.tail or "").strip() and \
            MARK.match(_collapse(before.text_content())):
        return before
    return None


def _linked(root, ids, order) -> list[Footnote]:
    """Marks that link to their notes; a link to a place before it is a note's link back."""
    found = []
    for link in LINKED_MARKS(root):
        target = _target(link, ids)
        if target is None or not MARK.match(_collapse(link.text_content())) or \
                order.get(target, 0) < order.get(link, 0):
            continue
        mark = _mark_wrapper(link)
        note = _note_of(target)
        if note is None or _contains(note, mark) or not _says_footnote(link, mark, target):
            continue
        found.append(Footnote(mark, note))
    return found


def _target(link, ids):
    """What the link points to in this page: its fragment's element (also after a file name, as
    in a saved chapter's 'ch02.html#fn1'), or the element a data-* attribute names."""
    href = link.get("href") or ""
    if "#" in href:
        return ids.get(href.split("#", 1)[1])
    for name, value in link.attrib.items():
        if name.startswith("data-") and value in ids and ids[value] is not link:
            return ids[value]
    return None


def _mark_wrapper(link):
    """The outermost element around the link that shows nothing but its mark."""
    mark = link
    while (parent := mark.getparent()) is not None and parent.tag in ("sup", "span", "a") and \
            _collapse(parent.text_content()) == _collapse(link.text_content()):
        mark = parent
    return mark


def _note_of(target):
    """The element holding the note: the target, or the block around an anchor that holds
    nothing or only the note's mark."""
    note = target
    while note is not None and MARK.match(_collapse(note.text_content()) or "1"):
        note = note.getparent()
    if note is None or note.tag in HEADINGS or note.tag in ("body", "html") or \
            any(True for _ in note.iter(*HEADINGS)):
        return None
    return note


def _says_footnote(link, mark, target) -> bool:
    """A mark in superscript or in brackets ("[1]", a citation), to a hidden note, or with a
    name that says footnote; a bare "1" to an anchor is a cross-reference (to an equation...)."""
    if mark.tag == "sup" or link.find(".//sup") is not None or _is_hidden(target) or \
            _collapse(link.text_content()).startswith("["):
        return True
    names = " ".join(element.get(attribute) or "" for element in (link, mark, target)
                     for attribute in ("href", "id", "name", "class"))
    return bool(FOOTNOTE_WORD.search(names))


def _loose(body, root) -> list[Footnote]:
    """Bare <sup>N</sup> marks, their notes a paragraph opening with <sup>N</sup> or the Nth
    item of a footnotes list."""
    notes: dict[str, lxml_html.HtmlElement] = {}
    for sup in body.iter("sup"):
        block = sup.getparent()
        if block is not None and block.tag in ("p", "li", "div") and _opens(block, sup):
            notes.setdefault(_collapse(sup.text_content()), block)
    for number, item in enumerate(NOTES_LISTS(body), start=1):
        notes.setdefault(str(number), item)
    found = []
    for sup in root.iter("sup"):
        label = _collapse(sup.text_content())
        note = notes.get(label)
        if note is not None and sup.find(".//a") is None and label.isdigit() and \
                not _contains(note, sup):
            found.append(Footnote(sup, note))
    return found


def _opens(block, sup) -> bool:
    return not (block.text or "").strip() and next(block.iterchildren(etree.Element), None) is sup


def _unique(footnotes: list[Footnote]) -> list[Footnote]:
    """One note for each mark, the first found; a second one (the same note shown both beside
    the text and at the end) goes."""
    unique: dict[lxml_html.HtmlElement, Footnote] = {}
    for footnote in footnotes:
        unique.setdefault(footnote.mark, footnote)
    kept = {footnote.note for footnote in unique.values()}
    for note in {footnote.note for footnote in footnotes} - kept:
        if note.getparent() is not None:
            parent = note.getparent()
            note.drop_tree()
            _drop_emptied(parent)
    return list(unique.values())


def _rewrite(root, footnotes: list[Footnote]) -> None:
    numbers: dict[lxml_html.HtmlElement, int] = {}
    for footnote in footnotes:
        numbers.setdefault(footnote.note, len(numbers) + 1)
    notes = [_note_block(note, number) for note, number in numbers.items()]
    for footnote in footnotes:
        _replace_mark(footnote.mark, numbers[footnote.note])
    section = etree.SubElement(root, "section", {"data-footnotes": ""})
    for block in notes:
        section.append(block)


def _replace_mark(mark, number: int) -> None:
    sup = lxml_html.Element("sup", {"data-footnote-ref": str(number)})
    sup.text = str(number)
    sup.tail = mark.tail
    if mark.getparent() is not None:
        mark.getparent().replace(mark, sup)


def _note_block(note, number: int):
    """The note moved into a <div data-footnote="N">, without its mark and back links; the
    list or section it leaves, once empty, goes with its heading."""
    parent = note.getparent()
    block = lxml_html.Element("div", {"data-footnote": str(number)})
    note.attrib.pop("style", None)
    note.attrib.pop("hidden", None)
    for link in list(note.iter("a")):
        if BACK_LINK.match(_collapse(link.text_content())) and (link.get("href") or "").startswith("#"):
            link.drop_tree()
    first = next(note.iterchildren(etree.Element), None)
    if first is not None and not (note.text or "").strip() and \
            MARK.match(_collapse(first.text_content()).rstrip(".:")):
        first.drop_tree()
    note.text = LEADING_MARK.sub("", note.text or "", count=1) or None
    if note.tag in ("li", "aside", "span", "dd"):
        note.tag = "div"
    _detach(note)
    block.append(note)
    _drop_emptied(parent)
    return block


def _detach(element) -> None:
    """Take the element out of the tree, leaving the text after it in place."""
    tail, element.tail = element.tail, None
    previous, parent = element.getprevious(), element.getparent()
    if tail and previous is not None:
        previous.tail = (previous.tail or "") + tail
    elif tail:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _drop_emptied(element) -> None:
    """Drop the element while it shows nothing, or nothing but a notes heading."""
    while element is not None and element.getparent() is not None:
        text = _collapse(element.text_content())
        only_heading = text and element.find(".//*") is not None and NOTES_HEADING.match(text)
        if text and not only_heading or element.find(".//img") is not None:
            return
        parent = element.getparent()
        _drop_notes_heading_before(element)
        element.drop_tree()
        element = parent


def _drop_notes_heading_before(element) -> None:
    heading = element.getprevious()
    if heading is not None and heading.tag in HEADINGS and \
            NOTES_HEADING.match(_collapse(heading.text_content())):
        heading.drop_tree()


def _contains(ancestor, element) -> bool:
    return any(node is ancestor for node in element.iterancestors()) or ancestor is element


def _is_hidden(element) -> bool:
    return element.get("hidden") is not None or bool(HIDDEN.search(element.get("style") or ""))


def _collapse(text: str) -> str:
    return " ".join(text.split())
