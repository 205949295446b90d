"""What a reader sees survives conversion: marks, to-do boxes, tables, media, and the breaks
between words. Each case renders our Markdown back to HTML with markdown-it and compares what
shows with the input; every conversion runs on both the lean and the libraries' own paths."""

import re
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from vault_export.convert import html_to_markdown

READER = MarkdownIt('commonmark').enable(['table', 'strikethrough'])


def markdown(html: str, **options) -> str:
    lean = html_to_markdown(html, **options, plain_libraries=False).markdown
    assert html_to_markdown(html, **options, plain_libraries=True).markdown == lean
    return lean


def shown(html: str, **options) -> BeautifulSoup:
    """The page a reader of our Markdown sees."""
    return BeautifulSoup(READER.render(markdown(html, **options)), 'html.parser')


def words(page: BeautifulSoup) -> list[str]:
    return page.get_text(' ').split()


def texts(page: BeautifulSoup, selector: str) -> list[str]:
    return [' '.join(element.get_text(' ').split()) for element in page.select(selector)]


# Marks

@pytest.mark.parametrize('tag', ['strike', 's', 'del'])
def test_struck_text_stays_struck(tag):
    page = shown(f'<p>kept <{tag}>gone</{tag}> kept</p>')
    assert texts(page, 's') == ['gone']
    assert words(page) == ['kept', 'gone', 'kept']


def test_highlight_becomes_obsidian_highlight():
    assert markdown('<p>a <mark>lit</mark> b</p>') == 'a ==lit== b'


def test_adjacent_highlights_are_one():
    assert markdown('<mark>a</mark><mark>b</mark>') == '==ab=='


def test_nested_strike_is_struck_once():
    assert markdown('<strike>a <del>b</del> c</strike>') == '~~a b c~~'


# To-do items

def test_checkboxes_starting_items_become_tasks():
    assert markdown('<ul><li><input type="checkbox" checked> done</li>'
                    '<li><input type=checkbox>to do</li></ul>') == '- [x] done\n- [ ] to do'


def test_a_task_box_inside_a_label_or_paragraph_of_the_item_counts():
    html = ('<ul class="task-list"><li><p><label><input type="checkbox" checked disabled> a</label></p>'
            '<ul><li><input type="checkbox"> b</li></ul></li></ul>')
    assert markdown(html) == '- [x] a\n\n  - [ ] b'


def test_a_box_elsewhere_shows_nothing():
    """Pages mostly hide such boxes and style their labels as toggles (side notes, menus)."""
    html = ('<p>Text.<label for="sn1" class="margin-toggle">1</label><input type="checkbox" id="sn1" '
            'class="margin-toggle"><span class="sidenote">Note.</span> More.</p>')
    assert markdown(html) == 'Text.1Note. More.'
    assert markdown('<ul><li>later <input type="checkbox"></li></ul>') == '- later'


def test_other_form_fields_show_nothing():
    assert markdown('<p>a <input type="text" value="typed"> b</p>') == 'a b'


# Tables

def table(html: str) -> tuple[list[str], list[list[str]]]:
    """The header cells and body rows a reader sees in our Markdown table."""
    page = shown(html)
    assert len(page.select('table')) == 1, page
    body = [texts(row, 'td') for row in page.select('tbody tr')]
    return texts(page, 'thead th'), body


@pytest.mark.parametrize('html, header, body', [
    pytest.param('<table><thead><td>H1</td><td>H2</td></thead><tbody><tr><td>a</td><td>b</td></tr></tbody></table>',
                 ['H1', 'H2'], [['a', 'b']], id='cells straight in thead'),
    pytest.param('<table><thead><tr><th></th><th></th></tr></thead>'
                 '<tbody><tr><th>A</th><th>B</th></tr><tr><td>a</td><td>b</td></tr></tbody></table>',
                 ['A', 'B'], [['a', 'b']], id='empty header row'),
    pytest.param('<table><tr><th>A</th><th>B</th></tr><tr><td>a</td><td>b</td></tr></table>',
                 ['A', 'B'], [['a', 'b']], id='no thead, first row of th'),
    pytest.param('<table><thead><tr><td>A</td></tr></thead><tr><td>a</td></tr></table>',
                 ['A'], [['a']], id='thead of td'),
    pytest.param('<table><tr><td>a</td><td>b</td></tr><tr><th>X</th><td>y</td></tr></table>',
                 ['', ''], [['a', 'b'], ['X', 'y']], id='no header, th in the body'),
    pytest.param('<table><tr><th colspan="2">Wide</th><th>C</th></tr><tr><td>a</td><td>b</td><td>c</td></tr></table>',
                 ['Wide', '', 'C'], [['a', 'b', 'c']], id='colspan'),
    pytest.param('<table><tr><th>A</th><th>B</th><th>C</th></tr><tr><td>1</td><td rowspan="2">tall</td><td>3</td></tr>'
                 '<tr><td>4</td><td>6</td></tr></table>',
                 ['A', 'B', 'C'], [['1', 'tall', '3'], ['4', '', '6']], id='rowspan'),
    pytest.param('<table><tr><th>A</th><th>B</th></tr><tr><td rowspan="3">x</td><td>1</td></tr></table>',
                 ['A', 'B'], [['x', '1']], id='rowspan past the last row'),
    pytest.param('<table><tr><td><p>one</p><p>two</p></td><td>a|b</td></tr>'
                 '<tr><td>x<br>y</td><td><ul><li>i</li></ul></td></tr></table>',
                 ['', ''], [['one two', 'a|b'], ['x y', '• i']], id='blocks, pipes and breaks in cells'),
    pytest.param('<table><tr><td><ul><li>a</li><li>b</li></ul></td><td><ol start="2"><li>c</li></ol></td></tr></table>',
                 ['', ''], [['• a • b', '2. c']], id='lists in cells'),
    pytest.param('<table><tfoot><tr><td>sum</td></tr></tfoot><tbody><tr><td>a</td></tr></tbody>'
                 '<thead><tr><th>H</th></tr></thead></table>', ['H'], [['a'], ['sum']], id='parts out of order'),
    pytest.param('<table><tr><td>one</td></tr><tr><td>two</td></tr></table>',
                 [''], [['one'], ['two']], id='one column'),
    pytest.param('<table><tr><td>out<table><tr><td>in1</td><td>in2</td></tr></table></td></tr></table>',
                 [''], [['out in1 in2']], id='nested table'),
])
def test_table_shows_its_header_and_rows(html, header, body):
    assert table(html) == (header, body)


def test_table_caption_shows_before_the_table():
    page = shown('<table><caption>Cap</caption><tr><th>A</th></tr><tr><td>a</td></tr></table>')
    assert words(page) == ['Cap', 'A', 'a']
    assert texts(page, 'p') == ['Cap']


def test_table_alignment_is_kept():
    page = shown('<table><tr><th align="left">L</th><th style="text-align: right">R</th><th align="center">C</th>'
                 '<th>N</th></tr><tr><td>1</td><td>2</td><td>3</td><td>4</td></tr></table>')
    aligned = [cell.get('style') for cell in page.select('thead th')]
    assert aligned == ['text-align:left', 'text-align:right', 'text-align:center', None]


# Empty blocks and the breaks between words

BLOCKS = ['div', 'p', 'section', 'article', 'header', 'footer', 'main', 'nav', 'aside', 'figure',
          'address', 'center', 'details', 'blockquote', 'pre', 'h1', 'h3', 'h6', 'ul', 'ol', 'dl',
          'table', 'li', 'dt', 'dd', 'figcaption', 'hgroup', 'fieldset', 'form']


@pytest.mark.parametrize('inside', ['', ' ', '<br>', '<span></span>'])
@pytest.mark.parametrize('tag', BLOCKS)
def test_an_empty_block_still_breaks_the_line(tag, inside):
    lines = markdown(f'before <{tag}>{inside}</{tag}> after').split('\n')
    assert lines[0] == 'before' and lines[-1] == 'after'


@pytest.mark.parametrize('tag', BLOCKS)
def test_a_block_between_words_stands_apart(tag):
    page = shown(f'before<{tag}>middle</{tag}>after')
    assert words(page) == ['before', 'middle', 'after']


@pytest.mark.parametrize('html', ['a<hr>b', 'a<br>b', 'a<p></p>b', 'a<div></div>b', 'a<h2> </h2>b'])
def test_breaks_without_spaces_keep_words_apart(html):
    assert words(shown(html)) == ['a', 'b']


@pytest.mark.parametrize('html', [
    'a <span></span> b', 'a <em> </em> b', 'a<b> </b>b', 'a <code> </code> b', 'a<code> </code>b',
    'a <!-- note --> b', 'a<a href="https://e.com/"> </a>b', 'a <img src=""> b', 'a <kbd></kbd> b',
])
def test_empty_or_blank_inline_elements_keep_the_space(html):
    assert words(shown(html)) == ['a', 'b']


@pytest.mark.parametrize('html', ['a<span></span>b', 'a<!-- note -->b', 'a<em></em>b', 'a<img src="">b'])
def test_empty_inline_elements_add_no_space(html):
    assert words(shown(html)) == ['ab']


def test_cells_and_items_keep_their_words_apart():
    assert words(shown('<table><tr><td>a</td><td>b</td></tr></table>')) == ['a', 'b']
    assert words(shown('<ul><li>a</li><li>b</li></ul>')) == ['a', 'b']
    assert words(shown('<td>a</td><td>b</td>')) == ['a', 'b']  # cells outside a table


# Media

def media(html: str, **options) -> tuple[list[str], list[str]]:
    """The embeds (images to markdown-it) and links a reader of our Markdown sees."""
    page = shown(html, **options)
    return [image['src'] for image in page.select('img')], [link['href'] for link in page.select('a')]


@pytest.mark.parametrize('html, embeds, links', [
    pytest.param('<video src="https://e.com/v.mp4">Your browser cannot play it</video>',
                 ['https://e.com/v.mp4'], [], id='video src'),
    pytest.param('<video controls><source src="https://e.com/v.webm" type="video/webm">'
                 '<source src="https://e.com/v.mp4"></video>', ['https://e.com/v.webm'], [], id='video source'),
    pytest.param('<video poster="https://e.com/p.jpg" src="https://e.com/v.mp4"></video>',
                 ['https://e.com/p.jpg', 'https://e.com/v.mp4'], [], id='video with poster'),
    pytest.param('<video src="https://e.com/live.m3u8"></video>', [], ['https://e.com/live.m3u8'], id='stream'),
    pytest.param('<audio controls src="https://e.com/a.mp3"></audio>', ['https://e.com/a.mp3'], [], id='audio'),
    pytest.param('<audio><source src="https://e.com/a.ogg"></audio>', ['https://e.com/a.ogg'], [], id='audio source'),
    pytest.param('<iframe src="https://www.youtube.com/embed/b_PXuEPxN50?si=x"></iframe>',
                 ['https://www.youtube.com/watch?v=b_PXuEPxN50'], [], id='youtube'),
    pytest.param('<iframe src="https://www.youtube-nocookie.com/embed/b_PXuEPxN50"></iframe>',
                 ['https://www.youtube.com/watch?v=b_PXuEPxN50'], [], id='youtube nocookie'),
    pytest.param('<iframe src="https://platform.twitter.com/embed/Tweet.html?id=1675626836821409792"></iframe>',
                 ['https://x.com/i/status/1675626836821409792'], [], id='tweet'),
    pytest.param('<iframe src="https://player.vimeo.com/video/45725193?h=a2"></iframe>',
                 [], ['https://vimeo.com/45725193'], id='vimeo'),
    pytest.param('<iframe src="//player.bilibili.com/player.html?bvid=BV1xx411c7mD&page=1"></iframe>',
                 [], ['https://www.bilibili.com/video/BV1xx411c7mD'], id='bilibili'),
    pytest.param('<iframe src="https://e.com/talk.webm"></iframe>', ['https://e.com/talk.webm'], [],
                 id='frame of a file'),
    pytest.param('<iframe src="about:blank" data-src="https://www.youtube.com/embed/b_PXuEPxN50"></iframe>',
                 ['https://www.youtube.com/watch?v=b_PXuEPxN50'], [], id='lazy frame'),
    pytest.param('<embed src="https://e.com/clip.mov">', ['https://e.com/clip.mov'], [], id='embed'),
    pytest.param('<object data="https://e.com/doc.pdf"><p>fallback</p></object>',
                 [], ['https://e.com/doc.pdf'], id='object'),
])
def test_media_keep_their_address(html, embeds, links):
    assert media(html) == (embeds, links)


@pytest.mark.parametrize('html', [
    '<iframe src="about:blank">hidden fallback</iframe>', '<iframe>hidden</iframe>',
    '<object data="movie.swf"><param name="movie" value="movie.swf"></object><embed src="movie.swf">',
    '<video></video>', '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="https://e.substack.com/embed">fallback</iframe>',  # widgets and ads, mostly
])
def test_media_without_a_usable_address_show_nothing(html):
    assert markdown(html, base_url='https://e.com/') == ''


def test_relative_media_addresses_resolve_against_the_base():
    assert media('<video src="/v.mp4"></video>', base_url='https://e.com/a/') == (['https://e.com/v.mp4'], [])


def test_video_fallback_text_follows_the_video():
    page = shown('<video src="https://e.com/v.mp4"><p>Watch it <a href="https://e.com/page">there</a></p></video>')
    assert words(page) == ['Watch', 'it', 'there']
    assert [link['href'] for link in page.select('a')] == ['https://e.com/page']


def test_media_in_running_text_do_not_indent_what_follows():
    assert markdown('<p>see <iframe src="https://www.youtube.com/embed/abcdefg"></iframe> this</p>') == (
        'see\n\n![](https://www.youtube.com/watch?v=abcdefg)\n\nthis')


def test_media_in_a_cell_or_heading_become_links():
    assert media('<table><tr><td><video src="https://e.com/v.mp4"></video></td></tr></table>') == (
        [], ['https://e.com/v.mp4'])
    assert markdown('<h2>Clip <video src="https://e.com/v.mp4"></video></h2>') == '## Clip <https://e.com/v.mp4>'
    assert markdown('<h2>Talk <iframe src="https://www.youtube.com/embed/abcdefg"></iframe></h2>') == (
        '## Talk <https://www.youtube.com/watch?v=abcdefg>')


# The kinds of case other converters' test suites check

def test_code_block_languages():
    cases = {
        '<pre><code class="language-ruby">x</code></pre>': 'ruby',
        '<div class="highlight highlight-ruby"><pre><span class="pl-k">x</span></pre></div>': 'ruby',
        '<pre><code class="hljs python">x</code></pre>': 'python',
        '<pre class="sourceCode haskell"><code class="sourceCode haskell">x</code></pre>': 'haskell',
        '<pre data-language="rust"><code>x</code></pre>': 'rust',
        '<pre class="brush: js">x</pre>': 'js',
        '<pre><code class="hljs">x</code></pre>': None,
    }
    for html, language in cases.items():
        code = shown(html).select_one('pre code')
        assert code.get('class') == ([f'language-{language}'] if language else None), html
        assert code.get_text() == 'x\n'


def test_pre_keeps_its_breaks_and_spacing():
    page = shown('<pre>a<br>  b\n\n\nc</pre>')
    assert page.select_one('pre code').get_text() == 'a\n  b\n\n\nc\n'


@pytest.mark.parametrize('html', [
    '<code>a literal ` here</code>', '<code>``` and ````</code>', '<code>`lead</code>', '<code><span>_x_</span></code>',
])
def test_code_spans_show_their_text(html):
    assert texts(shown(html), 'code') == [BeautifulSoup(html, 'html.parser').get_text()]


def test_nested_lists_keep_their_levels():
    page = shown('<ul><li>a<ol><li>b<ul><li>c</li></ul></li></ol></li><li>d</li></ul>')
    assert texts(page, 'ul > li > ol > li > ul > li') == ['c']
    assert [li.find(string=True).strip() for li in page.select('body > ul > li, ul:not(li ul) > li')][:2] == ['a', 'd']


def test_blockquote_holds_its_list_heading_and_code():
    page = shown('<blockquote><h2>H</h2><ol><li>one</li><li>two</li></ol><pre><code>x &lt; 1</code></pre></blockquote>')
    assert texts(page, 'blockquote h2') == ['H']
    assert texts(page, 'blockquote ol li') == ['one', 'two']
    assert texts(page, 'blockquote pre') == ['x < 1']


@pytest.mark.parametrize('href', [
    'https://e.com/a b', 'https://e.com/wiki/Foo_(bar)', 'https://e.com/a)b', 'https://e.com/?q=<x>',
    'https://e.com/a\\b',
])
def test_link_addresses_survive(href):
    page = shown(f'<a href="{href}">text</a>')
    assert [unquote(link['href']) for link in page.select('a')] == [href]
    assert words(page) == ['text']


@pytest.mark.parametrize('alt', ['a [b] c', 'x]y', '*not em*', 'a|b'])
def test_image_alt_text_survives(alt):
    assert [image['alt'] for image in shown(f'<img src="https://e.com/i.png" alt="{alt}">').select('img')] == [alt]


def test_heading_with_link():
    page = shown('<h2><a href="https://e.com/">head</a> more</h2>')
    assert [link['href'] for link in page.select('h2 a')] == ['https://e.com/']
    assert texts(page, 'h2') == ['head more']


@pytest.mark.parametrize('html', ['<hr>', '<hr/>', '<hr></hr>', '<hr class="x" noshade>'])
def test_rules(html):
    assert len(shown(f'<p>a</p>{html}<p>b</p>').select('hr')) == 1


def test_definition_list_shows_terms_and_definitions():
    page = shown('<dl><dt>Term</dt><dd>Meaning</dd><dt>Two</dt><dd>Second</dd></dl>')
    assert words(page) == ['Term', 'Meaning', 'Two', 'Second']
    assert texts(page, 'strong') == ['Term', 'Two']


@pytest.mark.parametrize('html, text', [
    ('H<sub>2</sub>O', 'H2O'), ('x<sup>2</sup>', 'x2'), ('<abbr title="HyperText">HTML</abbr>', 'HTML'),
    ('<bdi>abc</bdi> d', 'abc d'), ('<q>quoted</q>', '"quoted"'), ('<u>u</u> <ins>i</ins> <small>s</small>', 'u i s'),
    ('a <h7>seven</h7> b', 'a seven b'), ('<h0>zero</h0> <h10>ten</h10>', 'zero ten'),
])
def test_other_inline_elements_show_their_text(html, text):
    assert ' '.join(words(shown(html))) == text


def test_kbd_and_samp_are_code():
    assert texts(shown('<kbd>Ctrl</kbd>+<kbd>C</kbd> <samp>out</samp>'), 'code') == ['Ctrl', 'C', 'out']


def test_whitespace_inside_inline_marks_moves_outside():
    page = shown('Text.<em> in em </em><strong>strong </strong>next')
    assert texts(page, 'em') == ['in em'] and texts(page, 'strong') == ['strong']
    assert words(page) == ['Text.', 'in', 'em', 'strong', 'next']


def test_html5_blocks_are_paragraphs_apart():
    page = shown('<header>Top</header><main><p>Body</p><figure><img src="https://e.com/i.png">'
                 '<figcaption>Cap</figcaption></figure></main><footer>End</footer>')
    assert [re.sub(r'\s+', ' ', p.get_text()).strip() for p in page.select('p')] == ['Top', 'Body', '', 'Cap', 'End']


def test_a_linked_heading_stays_a_heading_holding_the_link():
    page = shown('<a href="https://e.com/post"><h2>Post <em>title</em></h2></a><p>text</p>')
    assert [link['href'] for link in page.select('h2 a')] == ['https://e.com/post']
    assert texts(page, 'h2') == ['Post title'] and texts(page, 'h2 em') == ['title']


@pytest.mark.parametrize('html, first', [
    ('<ol start="3"><li>a</li><li>b</li></ol>', '3'), ('<ol><li value="5">a</li><li>b</li></ol>', '5'),
    ('<ol start="-1"><li>a</li></ol>', None), ('<ol start="1.5"><li>a</li></ol>', None),
    ('<ol start="1234567890"><li>a</li></ol>', None),  # more digits than a Markdown list number holds
])
def test_ordered_lists_start_where_the_browser_starts_them(html, first):
    page = shown(html)
    assert page.select_one('ol').get('start') == first
    assert texts(page, 'li')[0] == 'a'
