"""The markdownify subclass that writes Obsidian-flavoured Markdown from a cleaned tree.

Each override handles one rule. Text returned by a `convert_*` method is not escaped again by
markdownify, so everything built here from attributes is escaped here.

`ObsidianConverter` holds every rule (those of lists, media and tables come from the mixins of
lists.py, media.py and tables.py) and runs on markdownify's own traversal;
`LeanObsidianConverter` is the same converter on the lean traversal of traverse.py, which
gives the same Markdown in less time.
"""

import re
import threading
import unicodedata

from bs4 import Tag
from markdownify import ATX, MarkdownConverter, strip_pre

from vault_export.convert.escape import escape_fragment, escape_text, may_change
from vault_export.convert.in_code import lines_in_code, text_lines_in_code
from vault_export.convert.lists import ListRules
from vault_export.convert.media import MediaRules
from vault_export.convert.query import first_descendant_named
from vault_export.convert.tables import TableRules
from vault_export.convert.tidy import (
    FLANK_GUARD, HARD_BREAK, LINE_START, SOFT_SPACE, split_edges, strip_marks,
)
from vault_export.convert.traverse import LeanTraversal
from vault_export.convert.urls import bare_link, markdown_url

_LANGUAGE_NAME = re.compile(r'[\w+#.-]+')
_LANGUAGE_CLASS = re.compile(
    r'(?:^|\s)(?:language|lang|highlight-source|highlight)-([\w+#.-]+)|brush:\s*([\w+#.-]+)'
    r'|(?:^|\s)(?:hljs|sourceCode)\s+(?!(?:language|lang)-)([\w+#.-]+)'  # highlight.js, pandoc
)
_BACKTICK_RUN = re.compile(r'`+')
_CELLS = frozenset({'td', 'th'})
_WHITESPACE = re.compile(r'\s+')
_HEADING_LINE = re.compile(r'#{1,6} ')
# A newline not after a <br>. The newline first: the regex engine skips quickly to the next one.
_BLOCK_BREAK = re.compile(f'\n(?<!{HARD_BREAK}\n)')
# On markdownify's traversal, for the tree being converted: the Markdown of the last child with
# some, by the id of its parent (see ObsidianConverter.process_element).
_LAST_CHILD_MARKDOWN = threading.local()


def _inline_markup(markup: str, same: frozenset[str]):
    """A converter wrapping text in `markup`, unless an ancestor already applies it or the
    text holds blocks (paragraphs, lists, headings...), which emphasis cannot span."""
    def convert(self, el, text, parent_tags):
        lead, content, trail = split_edges(text)
        already_applied = not same.isdisjoint(parent_tags) or '_noformat' in parent_tags
        if not content or already_applied or _BLOCK_BREAK.search(text):
            return text
        opening = FLANK_GUARD if _is_punctuation(content[0]) else ''
        closing = FLANK_GUARD if _is_punctuation(content[-1]) else ''
        return f'{lead}{opening}{markup}{content}{markup}{closing}{trail}'
    return convert


def _footnote_note(label: str, text: str) -> str:
    """`[^N]: text`, the note's further lines indented so that they stay in it."""
    lines = text.split('\n')
    rest = ''.join(f'\n    {line}' if line else '\n' for line in lines[1:])
    return f'\n\n[^{label}]: {lines[0]}{rest}\n\n'


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in 'PS'


class ObsidianConverter(ListRules, MediaRules, TableRules, MarkdownConverter):
    """Markdown for Obsidian: ATX headings, '-' bullets, fenced code, everything else literal."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        # With no wrap width, 'wrap' only turns newlines inside text into spaces, as HTML does.
        wrap = True
        wrap_width = None
        keep_inline_images_in = ['td', 'th']
        topics = 'tag'  # what a Weibo topic becomes: 'tag', 'link' or 'text'
        topic_link = None  # for 'link': tag -> the link to write; None: [[tag]]

    def escape(self, text, parent_tags):
        return escape_fragment(text, autolink='a' not in parent_tags)

    text_may_change = staticmethod(may_change)  # False: no whitespace to squeeze, nothing to escape

    def escape_seam(self, before: str, text: str, parent_tags) -> str:
        """A child's Markdown `text` where it follows `before`, the Markdown of the child before
        it (both non-empty) in their parent. Each piece of text was escaped on its own, so '%' +
        '%' from two pieces could still make '%%' (an Obsidian comment) and '=' + '=' '==' (a
        highlight): escape the second sign."""
        if text[0] in '%=' and before[-1] == text[0] and '_noformat' not in parent_tags:
            return '\\' + text
        return text

    def convert_soup(self, soup):
        """markdownify's, with a fresh record for `process_element` (unused by the lean traversal)."""
        _LAST_CHILD_MARKDOWN.by_parent = {}
        try:
            return super().convert_soup(soup)
        finally:
            del _LAST_CHILD_MARKDOWN.by_parent

    def process_element(self, node, parent_tags=None):
        """markdownify's step for each child it converts, in order, plus `escape_seam`, which its
        traversal has no place for: it joins the children's Markdown without looking at it."""
        text = super().process_element(node, parent_tags)
        if text:
            by_parent = _LAST_CHILD_MARKDOWN.by_parent
            parent = id(node.parent)
            before = by_parent.get(parent)
            if before:
                text = self.escape_seam(before, text, parent_tags)
            by_parent[parent] = text
        return text

    convert_b = convert_strong = _inline_markup('**', frozenset({'b', 'strong'}))
    convert_em = convert_i = _inline_markup('*', frozenset({'em', 'i'}))
    convert_del = convert_s = convert_strike = _inline_markup('~~', frozenset({'del', 's', 'strike'}))
    convert_mark = _inline_markup('==', frozenset({'mark'}))  # Obsidian's highlight

    def convert_a(self, el, text, parent_tags):
        lead, content, trail = split_edges(text)
        href = el.get('href')
        if not content or not href or 'a' in parent_tags or '_noformat' in parent_tags:
            return text
        if _BLOCK_BREAK.search(content):  # link text cannot hold blocks: the link follows them
            return f'{lead}{content}\n\n{bare_link(href)}\n\n{trail}'
        if el.get_text().strip() == href:
            return f'{lead}{bare_link(href)}{trail}'
        heading = _HEADING_LINE.match(content) if '\n' in lead else None
        if heading:  # a linked heading: the heading holds the link
            return f'{lead}{heading.group()}[{content[heading.end():]}]({markdown_url(href)}){trail}'
        return f'{lead}[{content}]({markdown_url(href)}){trail}'

    def convert_img(self, el, text, parent_tags):
        alt = escape_text(el.get('alt') or '', autolink=False)
        src = el.get('src')
        if not src or '_inline' in parent_tags and not _CELLS & parent_tags:
            return alt
        return f'![{alt}]({markdown_url(src)})'

    def convert_br(self, el, text, parent_tags):
        if 'pre' in parent_tags:
            return '\n'
        if '_inline' in parent_tags or '_noformat' in parent_tags:
            return ' '
        return HARD_BREAK + '\n' + LINE_START

    def convert_sup(self, el, text, parent_tags):
        label = el.get('data-footnote-ref')  # a footnote mark, as the web page reader writes it
        if label and label.isdigit():
            return f'[^{label}]'
        return text  # no Markdown for it; markdownify's version would pull blocks inside inline

    convert_sub = convert_sup

    @text_lines_in_code
    def convert_hr(self, el, text, parent_tags):
        # In a list item, '- ---' would be read as one rule instead of an item.
        return '\n\n' if 'li' in parent_tags else super().convert_hr(el, text, parent_tags)

    # vx-break and vx-topic are the internal elements that clean.py puts in the tree.
    def convert_vx_break(self, el, text, parent_tags):
        if '_inline' in parent_tags or '_noformat' in parent_tags:
            return ' '
        return '\n\n' + LINE_START

    def convert_vx_topic(self, el, text, parent_tags):
        """A Weibo topic as an inline tag or a link to the note named after its tag, spaced apart
        (Obsidian ends a tag where a space is; a link right after '(...)' reads as a reversed
        link to linters), or as its text."""
        style = self.options['topics']
        if style == 'text' or '_noformat' in parent_tags:
            return text
        if style == 'link':
            make_link = self.options['topic_link']
            marked = make_link(el['tag']) if make_link else f'[[{el["tag"]}]]'
            if _CELLS & parent_tags:
                marked = marked.replace('|', '\\|')  # GFM splits table cells before it sees links
        else:
            marked = f'#{el["tag"]}'
        return f'{SOFT_SPACE}{marked}{SOFT_SPACE}'

    def convert_vx_math(self, el, text, parent_tags):
        """A formula (see math.py): a $$ block where blocks may go, else inline."""
        tex = el['tex']
        if _CELLS & parent_tags:
            tex = tex.replace('|', '\\|')  # GFM splits table cells before it sees the formula
        if el.has_attr('display') and '_inline' not in parent_tags and 'li' not in parent_tags:
            return f'\n\n$$\n{tex}\n$$\n\n'
        return f'${tex}$'

    def convert_code(self, el, text, parent_tags):
        if '_noformat' in parent_tags:  # inside <pre> or another code element
            return text
        text = _WHITESPACE.sub(' ', text)  # as HTML shows it; a new line could start a block
        if text == ' ':
            return text  # an empty code span would glue the words on its sides
        if _CELLS & parent_tags:
            text = text.replace('|', '\\|')  # GFM splits table cells before it sees code spans
        return super().convert_code(el, text, parent_tags)

    convert_kbd = convert_samp = convert_code

    def convert_pre(self, el, text, parent_tags):
        code = strip_pre(text).expandtabs(4)
        if not code.strip():
            return _empty_block(parent_tags)
        if '_inline' in parent_tags or '_noformat' in parent_tags:
            return self.convert_code(el, code, parent_tags)
        longest_run = max((len(run) for run in _BACKTICK_RUN.findall(code)), default=0)
        fence = '`' * max(3, longest_run + 1)
        return f'\n\n{fence}{_code_language(el)}\n{code}\n{fence}\n\n'

    def convert_hN(self, n, el, text, parent_tags):
        if 'pre' in parent_tags:
            return lines_in_code(el, text)
        text = strip_marks(text)
        return super().convert_hN(n, el, text, parent_tags) if text else _empty_block(parent_tags)

    @text_lines_in_code
    def convert_p(self, el, text, parent_tags):
        return super().convert_p(el, strip_marks(text), parent_tags) or _empty_block(parent_tags)

    @text_lines_in_code
    def convert_div(self, el, text, parent_tags):
        label = el.get('data-footnote')  # a footnote's note, as the web page reader writes it
        if label and label.isdigit() and '_inline' not in parent_tags:
            return _footnote_note(label, strip_marks(text).strip())
        return super().convert_div(el, strip_marks(text), parent_tags) or _empty_block(parent_tags)

    convert_article = convert_section = convert_dl = convert_dd = convert_div

    def convert_dt(self, el, text, parent_tags):
        return self.convert_p(el, self.convert_b(el, text, parent_tags), parent_tags)

    @text_lines_in_code
    def convert_blockquote(self, el, text, parent_tags):
        quoted = super().convert_blockquote(el, strip_marks(text), parent_tags)
        # markdownify opens a quote with one newline: after text, it would join the paragraph.
        return quoted if '_inline' in parent_tags else '\n' + quoted



class LeanObsidianConverter(LeanTraversal, ObsidianConverter):
    """ObsidianConverter on the lean traversal: the same Markdown, in less time."""


def _empty_block(parent_tags) -> str:
    """An empty block still ends the line of the text before it."""
    return ' ' if '_inline' in parent_tags else '\n\n'


def _code_language(pre: Tag) -> str:
    """The language named by the <pre>, its <code> or their wrappers (class or data-lang)."""
    code = first_descendant_named(pre, 'code')
    for element in (pre, code, pre.parent, pre.parent and pre.parent.parent):
        if isinstance(element, Tag):
            language = _language_of(element)
            if language:
                return language
    return ''


def _language_of(element: Tag) -> str | None:
    declared = element.get('data-lang') or element.get('data-language') or ''
    if _LANGUAGE_NAME.fullmatch(declared):
        return declared
    match = _LANGUAGE_CLASS.search(' '.join(element.get('class') or ()))
    return match and next(filter(None, match.groups()))
