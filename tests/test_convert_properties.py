"""Hypothesis properties of tag normalisation and of the converter, judged by independent readers."""

import html
import re
import unicodedata

from bs4 import BeautifulSoup
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from support.roundtrip import holds_tex, obsidian_syntax
from vault_export.convert import html_to_markdown, text_to_markdown
from vault_export.render.tags import normalize_tag

FAST = settings(max_examples=200, deadline=None)

# What Obsidian reads after '#': it stops at whitespace, ASCII punctuation other than _-/ and
# the general and supplemental punctuation blocks.
OBSIDIAN_TAG = re.compile(r'[^\s!-,.:-@\[-^`{-~\u2000-\u206f\u2e00-\u2e7f]+')
COMMONMARK = MarkdownIt('commonmark').enable('table')
# Without text_join, backslash escapes stay separate tokens, so plain text tokens show what is unescaped.
COMMONMARK_TOKENS = MarkdownIt('commonmark').enable(['table', 'strikethrough']).disable('text_join')

TAG_TEXT = st.text(st.one_of(st.characters(), st.sampled_from('#/ _-.，。、《》“”！0123456789a')))
TEXT = st.text(st.one_of(st.characters(exclude_categories=('Cs',)),
                         st.sampled_from('#*_`~|<>[]()$%=^!&-+.:1\\ \n中，https://a.b/')))
ELEMENTS = ('p', 'div', 'section', 'span', 'b', 'strong', 'i', 'em', 'del', 'code', 'pre', 'a',
            'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'h1', 'h2', 'h6',
            'blockquote', 'br', 'hr', 'img', 'video', 'source', 'dl', 'dt', 'dd', 'script',
            'iframe', 'embed', 'font', 'sup')
ATTRIBUTES = ('', ' href="https://a.b/c d"', ' href="/n/x"', ' href="javascript:x()"', ' href="#x"',
              ' src="https://wx1.sinaimg.cn/orj360/a.jpg"', ' data-src="https://a.b/i.png"',
              ' src="data:image/png;base64,AA"', ' alt="[允悲]"', ' class="url-icon"',
              ' class="language-python"', ' colspan="3"', ' poster="https://a.b/p.jpg"')
TOPIC = '<a href="https://m.weibo.cn/search?containerid=1"><span class="surl-text">#{}#</span></a>'


def markup_pieces(with_topics: bool):
    pieces = [
        st.builds('<{}{}>'.format, st.sampled_from(ELEMENTS), st.sampled_from(ATTRIBUTES)),
        st.builds('</{}>'.format, st.sampled_from(ELEMENTS)),
        TEXT.map(html.escape),
        st.sampled_from(('<br><br>', '<!-- c -->', '&nbsp;', '&lt;div&gt;', '<![CDATA[x]]>')),
    ]
    if with_topics:
        pieces.append(TEXT.map(lambda text: TOPIC.format(html.escape(text))))
    return st.lists(st.one_of(pieces), max_size=25).map(''.join)


HTMLISH = st.one_of(TEXT, markup_pieces(with_topics=True))


def is_valid_tag(tag: str) -> bool:
    return (OBSIDIAN_TAG.fullmatch(tag) is not None
            and not tag.replace('/', '').isdigit()
            and all(segment and segment.strip('_') == segment for segment in tag.split('/'))
            and not any(_is_stray_punctuation(char) for char in tag))


def _is_stray_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith('P') and char not in '_-/'


def html_tokens(markdown: str) -> list[str]:
    return [token.content for token in _all_tokens(markdown) if token.type.startswith('html')]


def _all_tokens(markdown: str):
    for token in COMMONMARK_TOKENS.parse(markdown):
        yield token
        yield from token.children or ()


def usable_text(text: str) -> str:
    """The text without the control characters, noncharacters and stray BOMs the converter removes."""
    return re.sub(r'[\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff]', '', text.replace('\r', '\n'))


def words(text: str) -> str:
    """The text as the converter keeps it, whitespace collapsed."""
    return ' '.join(usable_text(text).split())


def code_lines(text: str) -> list[str]:
    """The non-blank lines of a code text, with whitespace inside each line collapsed."""
    lines = usable_text(text).split('\n')
    return [' '.join(line.split()) for line in lines if line.strip()]


def rendered_code(markdown: str) -> str:
    return BeautifulSoup(COMMONMARK.render(markdown), 'html.parser').get_text()


def rendered_text(markdown: str) -> str:
    return ' '.join(BeautifulSoup(COMMONMARK.render(markdown), 'html.parser').get_text().split())


def assert_tidy(markdown: str) -> None:
    lines = markdown.split('\n')
    assert markdown == markdown.strip('\n')
    assert all(line == line.rstrip() for line in lines), 'trailing whitespace'
    assert '\n\n\n' not in markdown, 'run of blank lines'
    assert not re.search(r'[\ufdd0-\ufdef]', markdown), 'internal mark left'


# Tags

@FAST
@given(TAG_TEXT)
def test_normalized_tag_is_valid(text):
    tag = normalize_tag(text)
    assert tag is None or is_valid_tag(tag)


@FAST
@given(TAG_TEXT)
def test_normalize_tag_is_idempotent(text):
    tag = normalize_tag(text)
    assert tag is None or normalize_tag(tag) == tag


@FAST
@given(TAG_TEXT)
def test_normalized_tag_is_never_all_digits(text):
    tag = normalize_tag(text)
    assert tag is None or not tag.replace('/', '').isdigit()


@FAST
@given(TAG_TEXT)
def test_normalize_tag_keeps_words_apart(text):
    tag = normalize_tag(f'{text} x')
    assert tag is None or tag == 'x' or tag.endswith(('_x', '/x'))


# Converter: never raises, never emits raw HTML, always tidy

@FAST
@given(HTMLISH)
def test_converter_never_raises_and_emits_no_html(markup):
    markdown = html_to_markdown(markup).markdown
    assert html_tokens(markdown) == []


@FAST
@given(HTMLISH)
def test_converter_output_is_tidy(markup):
    assert_tidy(html_to_markdown(markup).markdown)


@FAST
@given(HTMLISH)
def test_converter_never_makes_an_embed(markup):
    assert '![[' not in html_to_markdown(markup).markdown


@FAST
@given(HTMLISH)
def test_converter_returns_valid_unique_tags(markup):
    tags = html_to_markdown(markup).tags
    assert len(set(tags)) == len(tags) and all(is_valid_tag(tag) for tag in tags)


@FAST
@given(markup_pieces(with_topics=False))
def test_converter_leaves_no_obsidian_syntax_in_text(markup):
    assume(not holds_tex(BeautifulSoup(markup, 'lxml').get_text()))
    assert obsidian_syntax(html_to_markdown(markup).markdown) == []


# Text stays literal

@FAST
@given(TEXT)
def test_code_block_keeps_its_lines(text):
    markdown = html_to_markdown(f'<pre><code>{html.escape(text)}</code></pre>').markdown
    assert code_lines(rendered_code(markdown)) == code_lines(text)


@FAST
@given(TEXT)
def test_html_text_renders_as_itself(text):
    markdown = html_to_markdown(f'<p>{html.escape(text)}</p>').markdown
    assert rendered_text(markdown) == words(text)


@FAST
@given(TEXT)
def test_plain_text_renders_as_itself(text):
    assert rendered_text(text_to_markdown(text)) == words(text)


@FAST
@given(TEXT)
def test_plain_text_leaves_no_obsidian_syntax(text):
    assume(not holds_tex(text))
    assert obsidian_syntax(text_to_markdown(text)) == []


@FAST
@given(TEXT)
def test_plain_text_output_is_tidy(text):
    markdown = text_to_markdown(text)
    assert_tidy(markdown)
    assert html_tokens(markdown) == []
