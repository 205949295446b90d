"""Escape text so that Markdown and Obsidian read it literally.

The input is one piece of inline text with no line breaks. Its start is treated as a possible
line start and its end as possibly followed by a link, because where a piece lands in the
final document is not known while it is escaped: a missing backslash turns text into a heading,
list, tag, embed or math. The backslashes that turn out needless where the piece landed are
dropped once the document is assembled (unescape.py, from tidy).
"""

import re
from functools import partial

from vault_export.convert.tex_text import escape_around_tex, may_hold_tex

_WHITESPACE = re.compile(r'\s+')
# What str.isspace() and '\s' accept but the plain space, as ranges of a character class: the
# regex engine scans for one class several times quicker than for '[^\S ]'.
OTHER_SPACES = '\t-\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000'
_UNUSUAL_WHITESPACE = re.compile(f'[{OTHER_SPACES}]')
# The escapes below put a backslash before their match's 'mark' group. Most patterns start
# with the character they look for, lookarounds after it, so that the regex engine can skip
# quickly to the next such character.
# Backslash first, so that no backslash added later is itself escaped.
_ALWAYS_SPECIAL = re.compile(r'(?P<mark>[\\`*~|<\[\]$])')
# Underscores between letters or digits never make emphasis: 'snake_case' stays readable.
_LOOSE_UNDERSCORE = re.compile(r'(?P<mark>_)(?:(?<![^\W_]_)|(?![^\W_]))')
# '#' starts a heading or a tag and '^' a block id only at a line start or after whitespace.
_WORD_START_MARK = re.compile(r'(?P<mark>[#^])(?<!\S[#^])')
# '==' is a highlight and '%%' a comment in Obsidian; single signs are plain text.
_DOUBLED_MARK = re.compile(r'([=%])\1+')
_ENTITY_LIKE = re.compile(r'(?P<mark>&)(?=#?\w+;)')
_LINE_START_MARK = re.compile(r'^ ?(?P<mark>[-+=>])')
_LIST_NUMBER = re.compile(r'^ ?\d{1,9}(?P<mark>[.)])(?=\s|$)')
_UNESCAPED_LAST_MARK = re.compile(r'(?<!\\)(?:\\\\)*(?P<mark>[!#])(?=\s*$)')
# A bare URL ends at non-ASCII (Chinese text follows URLs without a space) and at '$' (math).
_URL = re.compile(r'https?://[^\s<>"`|\\^{}$\x7f-\U0010ffff]+')
_URL_TRAILING_PUNCTUATION = '.,;:!?\'"*_~]'
_SCHEME_ONLY = re.compile(r'https?://$')
# Text in which none of these occurs comes out unchanged (most text does): a quick way out.
_MAY_CHANGE = re.compile(r'[\\`*~|<\[\]$_#^!&]|==|%%|://|[^\S ]|  |^ ?[-+=>\d]')
# The characters _MAY_CHANGE's matches start with, but for two spaces and the line start: a
# search for one class of characters runs several times quicker than the whole alternation.
_CHANGE_START = re.compile(f'[\\\\`*~|<\\[\\]$_#^!&=%:{OTHER_SPACES}]')
_LINE_START_SIGN = re.compile(r' ?[-+=>\d]')


def escape_text(text: str, *, autolink: bool = True) -> str:
    """Escape one piece of inline text; bare URLs become `<url>` autolinks when `autolink`."""
    if not may_change(text):
        return text
    if '  ' in text or _UNUSUAL_WHITESPACE.search(text):
        text = _WHITESPACE.sub(' ', text)
    if may_hold_tex(text):  # TeX formulas are written as Obsidian's math, for it to typeset
        return escape_around_tex(text, partial(_escape_squeezed, autolink=autolink))
    return _escape_squeezed(text, autolink=autolink)


def _escape_squeezed(text: str, *, autolink: bool) -> str:
    if not autolink or '://' not in text:
        return _escape_plain(text)
    parts, position = [], 0
    for start, url in _find_urls(text):
        parts += [_escape_plain(text[position:start]), f'<{url}>']
        position = start + len(url)
    parts.append(_escape_plain(text[position:]))
    return ''.join(parts)


def escape_fragment(text: str, *, autolink: bool = True) -> str:
    """Like `escape_text`, for a piece of a line: 'Wow!' + '[x](y)' is an image, and a line
    '#tag text#' reads as a closed ATX heading to Markdown linters."""
    if not may_change(text):
        return text
    text = escape_text(text, autolink=autolink)
    if text.rstrip().endswith(('!', '#')):  # else the pattern cannot match
        text = _UNESCAPED_LAST_MARK.sub(_escape_mark, text)
    return text


def may_change(text: str) -> bool:
    """Whether escaping may change the text (whether _MAY_CHANGE occurs in it); most text
    comes out unchanged. Text for which it is False holds no whitespace but single spaces."""
    if '  ' in text or _LINE_START_SIGN.match(text):
        return True
    return _CHANGE_START.search(text) is not None and _MAY_CHANGE.search(text) is not None


def _escape_plain(text: str) -> str:
    for pattern, replacement in _PLAIN_ESCAPES:
        if pattern.search(text):  # cheaper than sub() when nothing matches, the usual case
            text = pattern.sub(replacement, text)
    return text


def _escape_mark(match: re.Match) -> str:
    """The match with a backslash before its 'mark' group. A function, not a template such as
    r'\1\\\2': Python 3.11 handles templates in Python code, several times slower."""
    matched, mark = match.group(), match.start('mark') - match.start()
    return f'{matched[:mark]}\\{matched[mark:]}'


def _escape_each(match: re.Match) -> str:
    return ''.join('\\' + char for char in match.group())


# In order: an escape must not be escaped again by a later step.
_PLAIN_ESCAPES = (
    (_ALWAYS_SPECIAL, _escape_mark), (_LOOSE_UNDERSCORE, _escape_mark),
    (_WORD_START_MARK, _escape_mark), (_DOUBLED_MARK, _escape_each), (_ENTITY_LIKE, _escape_mark),
    (_LINE_START_MARK, _escape_mark), (_LIST_NUMBER, _escape_mark),
)


def _find_urls(text: str):
    """Yield (start, url) for each bare URL, without the punctuation that ends its sentence."""
    for match in _URL.finditer(text):
        url = _without_trailing_punctuation(match.group())
        if not _SCHEME_ONLY.match(url):
            yield match.start(), url


def _without_trailing_punctuation(url: str) -> str:
    while url and (url[-1] in _URL_TRAILING_PUNCTUATION or _has_unmatched_paren(url)):
        url = url[:-1]
    return url


def _has_unmatched_paren(url: str) -> bool:
    return url.endswith(')') and url.count(')') > url.count('(')
