"""One-line tests per conversion rule, grouped by feature."""

import re

import pytest
from bs4 import BeautifulSoup, Tag

from vault_export.convert import Converted, html_to_markdown, text_to_markdown
from vault_export.convert.escape import OTHER_SPACES
from vault_export.convert.parse import parse_html

TOPIC_URL = 'https://m.weibo.cn/search?containerid=231522type%3D1%26q%3D%23x%23'
CARD_ICON = 'https://h5.sinaimg.cn/upload/2015/09/25/3/timeline_card_small_web_default.png'
SINAIMG = 'https://wx1.sinaimg.cn'


def md(html: str, **options) -> str:
    return html_to_markdown(html, **options).markdown


def tags(html: str, **options) -> tuple[str, ...]:
    return html_to_markdown(html, **options).tags


def topic(text: str) -> str:
    return f'<a href="{TOPIC_URL}" data-hide=""><span class="surl-text">{text}</span></a>'


# Result shape

def test_returns_converted():
    assert html_to_markdown('<p>x</p>') == Converted('x', ())


def test_empty_input():
    assert md('') == ''


def test_whitespace_only_input():
    assert md(' \n<p> </p><br><div>\t</div>') == ''


def test_no_leading_or_trailing_blank_lines():
    assert md('<br><br><p>x</p><br><br>') == 'x'


# Inline formatting

def test_bold():
    assert md('<b>x</b>') == '**x**'


def test_strong():
    assert md('<strong>x</strong>') == '**x**'


def test_italic():
    assert md('<em>x</em>') == '*x*'


def test_strikethrough():
    assert md('<del>x</del>') == '~~x~~'


def test_spaces_move_outside_emphasis():
    assert md('a<b> x </b>b') == 'a **x** b'


def test_empty_emphasis_vanishes():
    assert md('a<b></b>b') == 'ab'


def test_nested_same_emphasis_is_not_doubled():
    assert md('<b>a<strong>b</strong></b>') == '**ab**'


def test_adjacent_emphasis_merges():
    assert md('<b>a</b><b>b</b>') == '**ab**'


def test_emphasis_around_punctuation_gets_space_next_to_letters():
    assert md('中文<b>“引号”</b>中文') == '中文 **“引号”** 中文'


def test_emphasis_ending_in_punctuation_before_text():
    assert md('<strong>划重点：</strong>开源') == '**划重点：** 开源'


def test_emphasis_around_punctuation_next_to_punctuation_needs_no_space():
    assert md('。<b>“x”</b>。') == '。**“x”**。'


def test_emphasis_around_blocks_is_dropped():
    assert md('<b><p>a</p><p>b</p></b>') == 'a\n\nb'


def test_emphasis_around_line_break():
    assert md('<b>a<br>b</b>') == '**a\\\nb**'


def test_inline_code():
    assert md('<code>a*b</code>') == '`a*b`'


def test_inline_code_with_backtick():
    assert md('<code>a`b</code>') == '`` a`b ``'


def test_inline_code_whitespace_is_collapsed():
    assert md('<code>a\n  b&nbsp;</code>') == '`a b`'


def test_code_block_inside_inline_code_is_one_line():
    assert md('<code><pre>a\nb</pre></code>') == '`a b`'


def test_unknown_inline_tags_are_unwrapped():
    assert md('<font color="red"><u>x</u></font>') == 'x'


# Headings

def test_atx_heading():
    assert md('<h2>Title</h2>') == '## Title'


def test_heading_blank_lines_around():
    assert md('a<h3>T</h3>b') == 'a\n\n### T\n\nb'


def test_empty_heading_vanishes():
    assert md('<h2> </h2><p>x</p>') == 'x'


def test_heading_with_line_break_stays_on_one_line():
    assert md('<h2>a<br>b</h2>') == '## a b'


def test_several_h1_are_demoted():
    assert md('<h1>a</h1><h1>b</h1><h2>c</h2>') == '## a\n\n## b\n\n### c'


def test_single_h1_is_kept():
    assert md('<h1>a</h1><h2>b</h2>') == '# a\n\n## b'


# Paragraphs and line breaks

def test_paragraphs_separated_by_one_blank_line():
    assert md('<p>a</p><p>b</p>') == 'a\n\nb'


def test_break_run_is_paragraph_break():
    assert md('a<br><br>b') == 'a\n\nb'


def test_long_break_run_is_one_paragraph_break():
    assert md('a<br><br><br><br>b') == 'a\n\nb'


def test_break_run_with_whitespace_between():
    assert md('a <br> \n <br> b') == 'a\n\nb'


def test_single_break_is_backslash_line_break():
    assert md('a<br>b') == 'a\\\nb'


def test_single_break_drops_spaces_around():
    assert md('a <br> b') == 'a\\\nb'


def test_break_at_paragraph_end_vanishes():
    assert md('<p>a<br></p><p>b</p>') == 'a\n\nb'


def test_break_at_paragraph_start_vanishes():
    assert md('<p><br>a</p>') == 'a'


def test_break_before_block_vanishes():
    assert md('a<br><div>b</div>') == 'a\n\nb'


def test_break_in_list_item():
    assert md('<ul><li>a<br>b</li></ul>') == '- a\\\n  b'


def test_break_at_list_item_start_vanishes():
    assert md('<ul><li><br>a</li></ul>') == '- a'


def test_break_in_blockquote():
    assert md('<blockquote>a<br>b</blockquote>') == '> a\\\n> b'


def test_break_in_code_block_is_newline():
    assert md('<pre>a<br>b</pre>') == '```\na\nb\n```'


def test_newlines_in_html_text_are_spaces():
    assert md('<p>a\nb</p>') == 'a b'


def test_nbsp_is_a_space():
    assert md('<p>a&nbsp;&nbsp;<b>&nbsp;b</b></p>') == 'a **b**'


# Lists

def test_bullets_are_dashes():
    assert md('<ul><li>a</li><li>b</li></ul>') == '- a\n- b'


def test_ordered_list():
    assert md('<ol><li>a</li><li>b</li></ol>') == '1. a\n2. b'


def test_nested_list():
    assert md('<ul><li>a<ul><li>b</li></ul></li></ul>') == '- a\n  - b'


def test_list_directly_inside_list_is_indented():
    assert md('<ul><li>a</li><ul><li>b</li></ul><li>c</li></ul>') == '- a\n  - b\n- c'


def test_list_directly_inside_list_without_item_before():
    assert md('<ul><ul><li>b</li></ul></ul>') == '- - b'


def test_list_inside_ordered_list_is_indented_by_marker_width():
    assert md('<ol><li>a<ul><li>b</li></ul></li></ol>') == '1. a\n   - b'


def test_adjacent_ordered_lists_join():
    assert md('<ol><li>a</li></ol> <ol><li>b</li></ol>') == '1. a\n2. b'


def test_empty_list_items_are_dropped():
    assert md('<ol><br><li></li><li><br></li><li>a</li></ol>') == '1. a'


def test_stray_list_item_becomes_list():
    assert md('<p>a</p><li>b</li>') == 'a\n\n- b'


def test_text_after_list_in_inline_parent_is_a_new_paragraph():
    assert md('<span><ul><li>a</li></ul></span>b') == '- a\n\nb'


def test_rule_in_list_item_is_dropped():
    assert md('<ul><li><hr>a</li></ul>') == '- a'


def test_rule():
    assert md('a<hr>b') == 'a\n\n---\n\nb'


def test_trailing_hash_in_heading_is_escaped():
    assert md('<h3>a # </h3>') == '### a \\#'


def test_list_item_with_code_block_gets_blank_lines():
    assert md('<ol><li>a</li><li><pre>x</pre></li><li>b</li></ol>') == '1. a\n\n2. ```\n   x\n   ```\n\n3. b'


def test_list_item_with_heading_gets_blank_lines():
    assert md('<ul><li>a</li><li><h2>h</h2></li></ul>') == '- a\n\n- ## h'


def test_blank_lines_around_list():
    assert md('a<ul><li>b</li></ul>c') == 'a\n\n- b\n\nc'


# Block quotes

def test_blockquote():
    assert md('<blockquote><p>a</p><p>b</p></blockquote>') == '> a\n>\n> b'


def test_blockquote_after_text_is_a_new_block():
    assert md('a<blockquote>b</blockquote>') == 'a\n\n> b'


def test_blockquotes_in_separate_parents_merge():
    assert md('<div><blockquote>a</blockquote></div><div><blockquote>b</blockquote></div>') == '> a\n>\n> b'


def test_adjacent_blockquotes_in_list_item_merge():
    assert md('<ul><li><blockquote>a</blockquote><blockquote>b</blockquote></li></ul>') == '- > a\n  >\n  > b'


def test_list_in_blockquote_keeps_indentation():
    assert md('<blockquote><ul><li>a<ul><li>b</li></ul></li></ul></blockquote>') == '> - a\n>   - b'


def test_code_block_in_list_in_blockquote_keeps_indentation():
    assert md('<blockquote><ul><li><pre>x  y</pre></li></ul></blockquote>') == '> - ```\n>   x  y\n>   ```'


def test_blockquotes_holding_code_merge():
    assert md('<blockquote><pre>a</pre></blockquote><blockquote><pre>b</pre></blockquote>') == (
        '> ```\n> a\n> ```\n>\n> ```\n> b\n> ```')


def test_code_with_quote_lines_is_not_merged():
    assert md('<pre>&gt; a\n\n&gt; b</pre>') == '```\n> a\n\n> b\n```'


def test_adjacent_blockquotes_merge():
    assert md('<blockquote>a</blockquote><blockquote>b</blockquote>') == '> a\n>\n> b'


# Code blocks

def test_fenced_code_block():
    assert md('<pre><code>x = 1\n</code></pre>') == '```\nx = 1\n```'


def test_fenced_code_block_keeps_lines_and_spaces():
    assert md('<pre><code>a  b\n\n  c</code></pre>') == '```\na  b\n\n  c\n```'


def test_code_language_from_language_class():
    assert md('<pre><code class="language-python">x</code></pre>') == '```python\nx\n```'


def test_code_language_from_lang_class():
    assert md('<pre class="lang-js">x</pre>') == '```js\nx\n```'


def test_code_language_from_github_wrapper():
    assert md('<div class="highlight highlight-source-rust"><pre>x</pre></div>') == '```rust\nx\n```'


def test_code_language_from_syntaxhighlighter_brush():
    assert md('<pre class="brush: java;">x</pre>') == '```java\nx\n```'


def test_code_language_from_data_lang():
    assert md('<pre data-lang="go">x</pre>') == '```go\nx\n```'


def test_code_block_keeps_markdown_characters():
    assert md('<pre>*a* _b_ # c &lt;div&gt;</pre>') == '```\n*a* _b_ # c <div>\n```'


def test_code_block_with_fence_inside_gets_longer_fence():
    assert md('<pre>```\nx\n```</pre>') == '````\n```\nx\n```\n````'


def test_code_block_tabs_become_spaces():
    assert md('<pre>\tx</pre>') == '```\n    x\n```'


def test_code_block_trailing_spaces_dropped():
    assert md('<pre>x   \ny</pre>') == '```\nx\ny\n```'


def test_code_block_in_list_is_indented():
    assert md('<ul><li>a<pre>x\ny</pre></li></ul>') == '- a\n\n  ```\n  x\n  y\n  ```'


@pytest.mark.parametrize('block, shown', [
    ('<h2>b</h2>', 'b'), ('<blockquote>b</blockquote>', 'b'), ('<p>b</p>', 'b'), ('<div>b</div>', 'b'),
    ('<ol><li>b</li></ol>', '1. b'),  # a browser shows the number
    ('<hr>', ''), ('<p></p>', ''), ('<h3></h3>', ''),  # nothing, but the line ends: no word glued
    ('<video src="https://example.com/v.mp4">b</video>', 'https://example.com/v.mp4\nb'),
    ('<video poster="https://example.com/p.png"></video>', 'https://example.com/p.png'),
    ('<iframe src="https://www.youtube.com/embed/abcdefgh"></iframe>', 'https://www.youtube.com/watch?v=abcdefgh'),
])
def test_a_block_in_a_code_block_is_its_text_on_lines_of_its_own(block, shown):
    # In code, a heading's '#', a quote's '>', an embed's '![]()' or a paragraph's blank lines
    # would show as they are.
    assert md(f'<pre>a{block}c</pre>') == '```\na\n' + (shown + '\n' if shown else '') + 'c\n```'


def test_empty_code_block_vanishes():
    assert md('<pre> \n </pre>x') == 'x'


# Tables

def test_table():
    assert md('<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>') == (
        '| a | b |\n| --- | --- |\n| 1 | 2 |')


def test_table_pipe_in_cell_is_escaped():
    assert md('<table><tr><th>a|b</th></tr></table>') == '| a\\|b |\n| --- |'


def test_table_pipe_in_cell_code_is_escaped():
    assert md('<table><tr><th><code>a|b</code></th></tr></table>') == '| `a\\|b` |\n| --- |'


def test_table_cell_stays_on_one_line():
    assert md('<table><tr><th><p>a</p><p>b</p></th></tr></table>') == '| a b |\n| --- |'


def test_table_short_rows_are_padded():
    assert md('<table><tr><th>a</th><th>b</th></tr><tr><td>1</td></tr></table>') == (
        '| a | b |\n| --- | --- |\n| 1 | |')


def test_table_without_header_gets_empty_header():
    assert md('<table><tr><td>1</td></tr></table>') == '| |\n| --- |\n| 1 |'


def test_table_caption_goes_before_table():
    assert md('<table><caption>c</caption><tr><th>a</th></tr><tr><td>1</td></tr></table>') == (
        'c\n\n| a |\n| --- |\n| 1 |')


def test_table_text_outside_cells_goes_before_table():
    assert md('<table>a<tr>b<td>1</td></tr></table>') == 'ab\n\n| |\n| --- |\n| 1 |'


def test_table_with_head_and_several_bodies():
    assert md('<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody>'
              '<tbody><tr><td>2</td></tr></tbody></table>') == '| a |\n| --- |\n| 1 |\n| 2 |'


def test_nested_table_is_flattened():
    assert md('<table><tr><th><table><tr><td>x</td><td>y</td></tr></table></th></tr></table>') == (
        '| x y |\n| --- |')


def test_table_without_cells_becomes_text():
    assert md('<table><tr></tr></table>x') == 'x'


def test_table_image_is_kept():
    assert md('<table><tr><th><img src="https://a.b/c.png"></th></tr></table>') == (
        '| ![](https://a.b/c.png) |\n| --- |')


def test_table_odd_colspan_is_one_column():
    assert md('<table><tr><td colspan="²">x</td></tr></table>') == '| |\n| --- |\n| x |'


def test_table_huge_colspan_is_limited():
    assert md('<table><tr><td colspan="99999999999999999999999">x</td></tr></table>') == (
        '| |\n| --- |\n| x |')


def test_table_colspan_makes_empty_cells():
    assert md('<table><tr><th colspan="2">a</th></tr><tr><td>1</td><td>2</td></tr></table>') == (
        '| a | |\n| --- | --- |\n| 1 | 2 |')


def test_blank_lines_around_table():
    assert md('a<table><tr><th>b</th></tr></table>c') == 'a\n\n| b |\n| --- |\n\nc'


# Links and images

def test_link():
    assert md('<a href="https://a.b/c">x</a>') == '[x](https://a.b/c)'


def test_link_text_equal_to_url_is_autolink():
    assert md('<a href="https://a.b/c">https://a.b/c</a>') == '<https://a.b/c>'


def test_link_spaces_move_outside_text():
    assert md('a<a href="https://a.b/"> x </a>b') == 'a [x](https://a.b/) b'


def test_link_without_text_vanishes():
    assert md('<a href="https://a.b/"></a>x') == 'x'


def test_link_without_href_is_text():
    assert md('<a name="top">x</a>') == 'x'


def test_fragment_link_is_text():
    assert md('<a href="#section">x</a>') == 'x'


def test_link_destination_parentheses_and_spaces_encoded():
    assert md('<a href="https://a.b/c (d)">x</a>') == '[x](https://a.b/c%20%28d%29)'


def test_protocol_relative_link_gets_https():
    assert md('<a href="//a.b/c">x</a>') == '[x](https://a.b/c)'


def test_relative_link_resolves_against_base_url():
    assert md('<a href="/c">x</a>', base_url='https://a.b/d') == '[x](https://a.b/c)'


def test_relative_link_without_base_url_is_text():
    assert md('<a href="/c">x</a>') == 'x'


def test_nested_link_keeps_outer_link():
    assert md('<a href="https://a.b/"><span><a href="https://c.d/">x</a></span></a>') == (
        '[x](https://a.b/)')


def test_link_around_blocks_follows_them():
    assert md('<a href="https://a.b/"><h3>T</h3><p>d</p></a>') == '### T\n\nd\n\n<https://a.b/>'


def test_link_around_one_paragraph_stays_a_link():
    assert md('<a href="https://a.b/"><p>d</p></a>') == '[d](https://a.b/)'


def test_unsafe_link_content_is_still_cleaned():
    assert md('<a href="javascript:x()"><img src="data:image/png;base64,AA">y</a>') == 'y'


def test_link_title_is_dropped():
    assert md('<a href="https://a.b/" title="t">x</a>') == '[x](https://a.b/)'


def test_image():
    assert md('<img src="https://a.b/c.png" alt="pic">') == '![pic](https://a.b/c.png)'


def test_image_in_link():
    assert md('<a href="https://a.b/"><img src="https://a.b/c.png"></a>') == (
        '[![](https://a.b/c.png)](https://a.b/)')


def test_image_alt_brackets_do_not_make_an_embed():
    assert md('<img src="https://a.b/c.png" alt="[x]">') == '![\\[x\\]](https://a.b/c.png)'


def test_image_in_heading_becomes_alt_text():
    assert md('<h2>a<img src="https://a.b/c.png" alt="b"></h2>') == '## ab'


def test_image_without_src_is_dropped():
    assert md('<img alt="x">y') == 'y'


def test_bare_url_in_text_becomes_autolink():
    assert md('<p>see https://a.b/c_d.</p>') == 'see <https://a.b/c_d>.'


def test_bare_url_keeps_balanced_parentheses():
    assert md('<p>(https://a.b/c_(d))</p>') == '(<https://a.b/c_(d)>)'


def test_bare_url_in_link_text_is_not_an_autolink():
    assert md('<a href="https://a.b/">go to https://a.b/</a>') == '[go to https://a.b/](https://a.b/)'


# WeChat markup

def test_wechat_lazy_image_uses_data_src():
    assert md('<img data-src="https://mmbiz.qpic.cn/x" src="data:image/gif;base64,R0">') == (
        '![](https://mmbiz.qpic.cn/x)')


def test_data_url_image_is_dropped():
    assert md('<img src="data:image/png;base64,iVBOR">x') == 'x'


def test_wechat_sections_and_spans_vanish():
    assert md('<section style="margin:0"><span style="color:red">a</span></section><section>b</section>') == (
        'a\n\nb')


def test_wechat_empty_paragraph_with_break_vanishes():
    assert md('<p>a</p><p><br></p><p>b</p>') == 'a\n\nb'


# Weibo markup

def test_topic_becomes_inline_tag():
    assert md(topic('#人工智能#') + '今天') == '#人工智能 今天'


def test_topic_tag_is_returned():
    assert tags(topic('#人工智能#')) == ('人工智能',)


def test_adjacent_topics_are_separated_by_one_space():
    assert md(topic('#a#') + topic('#b#') + '<br><br>x') == '#a #b\n\nx'


def test_topic_mid_text_has_space_on_both_sides():
    assert md('看' + topic('#机器学习#') + '吧') == '看 #机器学习 吧'


def test_topic_with_space_and_punctuation_is_tagged_normalised_and_kept_as_written():
    assert tags(topic('#AI， 未来#')) == ('AI_未来',)
    assert md(topic('#AI， 未来#')) == '\\#AI， 未来#'


def test_topic_tags_are_unique_in_order():
    assert tags(topic('#b#') + topic('#a#') + topic('#b#')) == ('b', 'a')


def test_numeric_topic_stays_literal_text():
    assert md(topic('#2025#') + '年') == '\\#2025\\#年'


def test_numeric_topic_returns_no_tag():
    assert tags(topic('#2025#')) == ()


def test_topic_as_text_is_literal():
    assert md(topic('#话题#') + '好', topics='text') == '\\#话题\\#好'


@pytest.mark.parametrize('style', ['text', 'link'])
def test_topic_not_as_tag_still_returns_tag(style):
    assert tags(topic('#话题#'), topics=style) == ('话题',)


def test_topic_as_link_names_the_note_of_its_tag():
    assert md(topic('#大模型#') + '好', topics='link') == '[[大模型]] 好'
    assert md(f'<p>(x){topic("#a#")}{topic("#b#")}</p>', topics='link') == '(x) [[a]] [[b]]'
    # HTML closes a link where another starts, so a topic never lands inside a link's text.
    assert md(f'<a href="https://x">see {topic("#话题#")}</a>', topics='link') == '[see](https://x) [[话题]]'


def test_topic_uses_tag_rule():
    assert md(topic('#a#'), tag_rule=lambda text: 'p/' + text) == '#p/a'


def test_topic_rejected_by_tag_rule_is_literal():
    assert md(topic('#a#'), tag_rule=lambda text: None) == '\\#a#'


def test_topic_before_break_keeps_a_space():
    assert md(topic('#a#') + '<br>b') == '#a \\\nb'


def test_topic_in_list_item():
    assert md('<ul><li>' + topic('#a#') + 'b</li></ul>') == '- #a b'


def test_topic_needs_a_weibo_link():
    assert md('<a href="https://notweibo.com/search">#x#</a>') == '[\\#x#](https://notweibo.com/search)'


def test_sinaurl_link_is_unwrapped():
    assert md('<a href="https://weibo.cn/sinaurl?u=https%3A%2F%2Fa.b%2Fc%3Fd%3D1">x</a>') == (
        '[x](https://a.b/c?d=1)')


def test_link_card_icon_is_dropped():
    assert md(f'<a href="https://a.b/"><span class="url-icon"><img src="{CARD_ICON}"></span>'
              '<span class="surl-text">title</span></a>') == '[title](https://a.b/)'


def test_emoticon_becomes_literal_alt_text():
    assert md('a<span class="url-icon"><img alt="[允悲]" src="https://h5.sinaimg.cn/x.png"></span>') == (
        'a[允悲]')


def test_mention_link_points_to_weibo():
    assert md('<a href="/n/量子位">@量子位</a>') == '[@量子位](https://weibo.com/n/量子位)'


def test_weibo_relative_link_defaults_to_weibo_base():
    assert md('<span class="surl-text">x</span><a href="/u/1">y</a>') == 'x[y](https://weibo.com/u/1)'


def test_weibo_orj360_becomes_large():
    assert md(f'<img src="{SINAIMG}/orj360/a.jpg">') == f'![]({SINAIMG}/large/a.jpg)'


def test_weibo_orj480_becomes_large():
    assert md(f'<img src="{SINAIMG}/orj480/a.jpg">') == f'![]({SINAIMG}/large/a.jpg)'


def test_weibo_mw690_becomes_large():
    assert md(f'<img src="{SINAIMG}/mw690/a.jpg">') == f'![]({SINAIMG}/large/a.jpg)'


def test_weibo_mw2000_becomes_large():
    assert md(f'<img src="{SINAIMG}/mw2000/a.jpg">') == f'![]({SINAIMG}/large/a.jpg)'


def test_weibo_thumb150_becomes_large():
    assert md(f'<img src="{SINAIMG}/thumb150/a.jpg">') == f'![]({SINAIMG}/large/a.jpg)'


def test_weibo_bmiddle_becomes_large():
    assert md(f'<img src="{SINAIMG}/bmiddle/a.jpg">') == f'![]({SINAIMG}/large/a.jpg)'


def test_weibo_other_sinaimg_paths_are_kept():
    assert md('<img src="https://h5.sinaimg.cn/m/emoticon/x.png">') == '![](https://h5.sinaimg.cn/m/emoticon/x.png)'


def test_weibo_video_becomes_poster_video_and_fallback_text():
    assert md(f'<video poster="{SINAIMG}/orj480/p.jpg"><source src="https://f.video/x.mp4">'
              '<p>请前往<a href="https://video.weibo.com/show?fid=1">微博视频</a>观看。</p></video>') == (
        f'![]({SINAIMG}/large/p.jpg)\n\n![](https://f.video/x.mp4)\n\n请前往[微博视频](https://video.weibo.com/show?fid=1)观看。')


def test_weibo_forward_blockquote():
    assert md('a<br><blockquote> - 转发 <a href="https://weibo.com/1">@量子位</a>: b</blockquote>') == (
        'a\n\n> \\- 转发 [@量子位](https://weibo.com/1): b')


# Safety

def test_script_is_dropped():
    assert md('a<script>alert(1)</script>b') == 'ab'


def test_style_is_dropped():
    assert md('<style>p {color: red}</style>x') == 'x'


def test_blank_iframe_noscript_object_without_data_are_dropped():
    assert md('<iframe src="about:blank">i</iframe><noscript>n</noscript><object>o</object>x') == 'x'


def test_flash_embed_is_dropped_but_not_what_follows_it():
    assert md('<p>a<embed src="https://a.b/f.swf">b</p>') == 'ab'


def test_comment_is_dropped():
    assert md('a<!-- secret -->b') == 'ab'


def test_event_handlers_are_dropped():
    assert md('<p onclick="alert(1)"><a href="https://a.b/" onmouseover="x()">y</a></p>') == '[y](https://a.b/)'


def test_javascript_link_keeps_text():
    assert md('<a href="javascript:alert(1)">x</a>') == 'x'


def test_obfuscated_javascript_link_keeps_text():
    assert md('<a href=" java\tscript:alert(1)">x</a>') == 'x'


def test_vbscript_link_keeps_text():
    assert md('<a href="VBScript:msgbox(1)">x</a>') == 'x'


def test_data_link_keeps_text():
    assert md('<a href="data:text/html,<b>x</b>">x</a>') == 'x'


def test_javascript_link_hidden_in_sinaurl_keeps_text():
    assert md('<a href="https://weibo.cn/sinaurl?u=javascript%3Aalert(1)">x</a>') == 'x'


def test_mailto_link_is_kept():
    assert md('<a href="mailto:a@b.c">mail</a>') == '[mail](mailto:a@b.c)'


# Text that must stay literal

def test_asterisks_are_escaped():
    assert md('<p>*a*</p>') == '\\*a*'


def test_underscores_at_word_edges_are_escaped():
    assert md('<p>_a_</p>') == '\\_a_'


def test_underscores_inside_words_are_kept():
    assert md('<p>snake_case</p>') == 'snake_case'


def test_leading_hash_is_escaped():
    assert md('<p># not a heading</p>') == '\\# not a heading'


def test_hash_word_mid_line_is_escaped():
    assert md('<p>a #tag b</p>') == 'a \\#tag b'


def test_hash_inside_word_is_kept():
    assert md('<p>C#</p>') == 'C#'


def test_hash_inside_word_mid_line_is_kept():
    assert md('<p>C# is</p>') == 'C# is'


def test_leading_number_dot_is_escaped():
    assert md('<p>1. not a list</p>') == '1\\. not a list'


def test_leading_greater_than_is_escaped():
    assert md('<p>&gt; not a quote</p>') == '\\> not a quote'


def test_leading_dash_is_escaped():
    assert md('<p>- not a list</p>') == '\\- not a list'


def test_leading_plus_is_escaped():
    assert md('<p>+ not a list</p>') == '\\+ not a list'


def test_dash_line_is_not_a_rule():
    assert md('<p>---</p>') == '\\---'


def test_html_like_text_is_escaped():
    assert md('<p>&lt;div&gt;x&lt;/div&gt;</p>') == '\\<div>x\\</div>'


def test_text_that_would_open_an_html_block_keeps_its_escape():
    """At a line's start '<?', '<!' and '<div' open an HTML block, which hides the text, with no
    closing '>'; inside a line they are text."""
    for text in ('&lt;?', '&lt;!x', '&lt;div', '&lt;/pre'):
        assert md(f'<p>{text}</p>') == '\\' + text.replace('&lt;', '<')
    assert md('<p>a &lt;? b</p>') == 'a <? b'


def test_text_that_would_open_a_code_fence_keeps_its_escape():
    """Three backticks at a line's start open a fenced code block, closed or not; inside a line
    they are text."""
    assert md('<p>```</p>') == '\\```'
    assert md('<p>```python</p>') == '\\```python'
    assert md('<p>a ``` b</p>') == 'a ``` b'


def test_dollar_tex_is_math_and_money_is_literal():
    assert md('<p>$\\epsilon$ or $5</p>') == '$\\epsilon$ or $5'


def test_obsidian_comment_is_escaped():
    assert md('<p>%%x%%</p>') == '\\%%x\\%%'


def test_comment_and_highlight_marks_joined_across_elements_are_escaped():
    assert md('<p>%<span>%x</span></p>') == '%\\%x'
    assert md('<p>a=<b>=x</b></p>') == 'a=**=x**'
    assert md('<p><code>%<span>%</span></code></p>') == '`%%`'  # code shows them as they are


KATEX = ('<span class="katex"><span class="katex-mathml"><math><semantics><mi>k</mi>'
         '<annotation encoding="application/x-tex">k_{n+1} = n^2</annotation></semantics></math></span>'
         '<span class="katex-html" aria-hidden="true">kn+1=n2</span></span>')


def test_katex_becomes_inline_tex_without_its_rendering():
    assert md(f'<p>so {KATEX} holds</p>') == 'so $k_{n+1} = n^2$ holds'


def test_katex_display_becomes_a_tex_block():
    assert md(f'<p>a</p><span class="katex-display">{KATEX}</span><p>b</p>') == 'a\n\n$$\nk_{n+1} = n^2\n$$\n\nb'


def test_mathml_gives_its_tex_annotation_or_alttext():
    assert md('<p>Solve <math alttext="ax^{2}+c=0"><mi>a</mi></math>.</p>') == 'Solve $ax^{2}+c=0$.'
    assert md('<math display="block"><annotation encoding="application/x-tex">\\sum_i x</annotation></math>') == (
        '$$\n\\sum_i x\n$$')


def test_mathml_without_tex_keeps_its_text():
    assert md('<p><math><mi>x</mi><mo>+</mo><mn>1</mn></math></p>') == 'x+1'


def test_mathjax_scripts_become_tex_and_other_scripts_go():
    assert md('<p>A <script type="math/tex">x^2</script> b<script>alert(1)</script></p>') == 'A $x^2$ b'
    assert md('<p>a</p><script type="math/tex; mode=display">\\int f</script>') == 'a\n\n$$\n\\int f\n$$'


def test_a_formula_with_a_dollar_stays_text():
    assert md('<p><math alttext="\\$5"><mn>5</mn></math></p>') == '5'


def test_a_formula_in_a_table_cell_stays_inline_and_escapes_bars():
    assert md('<table><tr><th>h</th></tr><tr><td><math display="block" alttext="|x|"></math></td></tr></table>') == (
        '| h |\n| --- |\n| $\\|x\\|$ |')


def test_wikilink_is_escaped():
    assert md('<p>[[x]]</p>') == '\\[\\[x]]'


def test_highlight_is_escaped():
    assert md('<p>==x==</p>') == '\\==x=='


def test_single_equals_is_kept():
    assert md('<p>a = b</p>') == 'a = b'


def test_block_id_is_escaped():
    assert md('<p>a ^block</p>') == 'a \\^block'


def test_backticks_are_escaped():
    assert md('<p>`x`</p>') == '\\`x`'


def test_tilde_is_escaped():
    assert md('<p>~~x~~</p>') == '\\~~x~~'


def test_pipe_is_escaped():
    assert md('<p>a | b</p>') == 'a | b'


def test_entity_like_text_is_escaped():
    assert md('<p>&amp;copy;</p>') == '\\&copy;'


def test_plain_ampersand_is_kept():
    assert md('<p>Q&amp;A</p>') == 'Q&A'


def test_backslash_is_escaped():
    assert md('<p>a\\*</p>') == 'a\\\\*'


def test_exclamation_before_link_is_escaped():
    assert md('Wow!<a href="https://a.b/">x</a>') == 'Wow\\![x](https://a.b/)'


def test_link_text_is_escaped():
    assert md('<a href="https://a.b/">[*x*]</a>') == '[\\[\\*x*\\]](https://a.b/)'


def test_definition_list_is_plain_paragraphs():
    assert md('<dl><dt>term</dt><dd>meaning</dd></dl>') == '**term**\n\nmeaning'


# Garbage in, best effort out

def test_unclosed_tags():
    assert md('<div><p><b>a<i>b') == '**a*b***'


def test_stray_closing_tags():
    assert md('a</div></p></b>b') == 'ab'


def test_binary_junk_does_not_raise():
    assert md('\x00\x01\ud800\ufffe<\x7f>x') == '<>x'


def test_deep_nesting_does_not_raise():
    assert md('<div>' * 5000 + 'x' + '</div>' * 5000) == 'x'


def test_deep_list_nesting_does_not_raise():
    assert md('<ul><li>' * 500 + 'x').endswith('- x')


def test_noncharacters_in_input_are_removed():
    assert md('a\ufdd0b\ufdd1c') == 'abc'


# Parsing: the lean builder makes the tree bs4 makes, node for node

TREE_LINKS = ('parent', 'previous_element', 'next_element', 'previous_sibling', 'next_sibling')


def tree_shape(soup: BeautifulSoup) -> list[tuple]:
    nodes = [soup, *soup.descendants]
    position = {id(node): index for index, node in enumerate(nodes)}
    return [(type(node), node.name, str(node) if not isinstance(node, Tag) else node.attrs,
             [position.get(id(getattr(node, link))) for link in TREE_LINKS]) for node in nodes]


@pytest.mark.parametrize('html', [
    '', 'text', '<!DOCTYPE html><p>a<!-- c -->b</p>\n', '<?php x ?><![CDATA[y]]>',
    '<pre>  \n </pre> <textarea> </textarea>\n\n <p> </p>', '<ruby>a<rt> x <b>y</b></rt></ruby>',
    '<p class="a  b" rel="x">q</p><a rel="me  you" class="">l</a>', '<b><i>x</b>y</i></p>tail',
    '<table><tr><td>a<td>b</table><style>a{}</style><script> </script>', '<svg:rect>t</svg:rect>',
])
def test_parse_builds_the_tree_bs4_builds(html):
    assert tree_shape(parse_html(html)) == tree_shape(BeautifulSoup(html, 'lxml'))


# Plain text

def test_text_paragraphs():
    assert text_to_markdown('a\n\n\nb') == 'a\n\nb'


def test_text_line_breaks_are_backslashes():
    assert text_to_markdown('a\nb') == 'a\\\nb'


def test_text_lines_are_stripped():
    assert text_to_markdown('  a  \n\tb\t') == 'a\\\nb'


def test_text_whitespace_only_lines_separate_paragraphs():
    assert text_to_markdown('a\n \t\nb') == 'a\n\nb'


def test_text_crlf():
    assert text_to_markdown('a\r\nb\r\n\r\nc') == 'a\\\nb\n\nc'


def test_text_is_literal():
    assert text_to_markdown('# a\n1. b\n$5 *y*') == '\\# a\\\n1\\. b\\\n$5 \\*y*'


def test_text_tex_is_math():
    assert text_to_markdown('$\\epsilon$-greedy') == '$\\epsilon$-greedy'


def test_text_bare_url_is_autolink():
    assert text_to_markdown('code at https://a.b/c.') == 'code at <https://a.b/c>.'


def test_text_empty():
    assert text_to_markdown(' \n\n ') == ''


def test_other_spaces_are_the_whitespace_but_the_space():
    """escape.OTHER_SPACES spells out a set that Python's Unicode data defines."""
    other_spaces = re.compile(f'[{OTHER_SPACES}]')
    everything = ''.join(map(chr, range(0x110000)))
    assert other_spaces.findall(everything) == [c for c in everything if c.isspace() and c != ' ']
