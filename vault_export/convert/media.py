"""Video, audio and embedded frames: the address a reader could play or open, kept as an
embed Obsidian plays or as a link.

Cleaning (`clean_media`) leaves on each such element only the attributes the converter reads:
`src`, the absolute address, and a video's `poster`. `MediaRules` writes them: a direct media
file, a YouTube video or an X post as an embed (`![](...)`, which Obsidian plays), anything else
(Vimeo, Bilibili, streams) as a link.
"""

import re
from urllib.parse import parse_qs, urlsplit

from bs4 import Tag

from vault_export.convert.in_code import lines_in_code
from vault_export.convert.query import first_descendant_named
from vault_export.convert.tidy import LINE_START, strip_marks
from vault_export.convert.urls import bare_link, clean_image, clean_link, is_playable, markdown_url

MEDIA = ('video', 'audio', 'iframe', 'embed', 'object')
_FLASH = re.compile(r'\.swf(?:$|[?#])', re.IGNORECASE)  # no browser plays it any more
_YOUTUBE_EMBED = re.compile(r'(?:www\.)?youtube(?:-nocookie)?\.com$')
_YOUTUBE_ID = re.compile(r'/embed/([\w-]{6,})')
_VIMEO_ID = re.compile(r'/video/(\d+)')
_STATUS = re.compile(r'/status/(\d+)')
_TWITTER_HOSTS = frozenset({'x.com', 'twitter.com', 'www.x.com', 'www.twitter.com', 'mobile.twitter.com'})
_BILIBILI_VIDEO = re.compile(r'^(?:BV\w+|\d+)$')
_OPENED_ONLY = ('https://vimeo.com/', 'https://www.bilibili.com/')  # pages Obsidian does not embed
_WEB_SCHEMES = ('http://', 'https://')


def clean_media(element: Tag, base_url: str | None) -> None:
    """Keep the element's absolute address (its src, lazy pages' data-src, its first
    <source>'s, or an object's data) and a video's poster; a frame's only when it plays a
    video or post. A frame's or an object's content is what shows when it does not load: it
    goes, with the element when it has no address."""
    source = first_descendant_named(element, 'source') if element.name in ('video', 'audio') else None
    addresses = (element.get('data' if element.name == 'object' else 'src'), element.get('data-src'),
                 source and source.get('src'))
    src = next(filter(None, (_playable_address(element.name, address, base_url) for address in addresses)), None)
    poster = clean_image(element.get('poster'), base_url) if element.name == 'video' else None
    element.attrs = {name: value for name, value in (('src', src), ('poster', poster)) if value}
    if element.name in ('iframe', 'object'):
        element.clear()
        if not src:
            element.extract()


def _playable_address(name: str, address, base_url: str | None) -> str | None:
    src = clean_link(address, base_url) if isinstance(address, str) else None
    if not src or not src.startswith(_WEB_SCHEMES) or _FLASH.search(src):
        return None
    if name == 'iframe' and not (_video_page(src) or is_playable(src)):
        return None  # a frame of another page: widgets and ads, mostly
    return src


class MediaRules:
    """The converter's rules for the elements of MEDIA (a mixin of the markdownify subclass)."""

    def convert_video(self, el, text, parent_tags):
        """The poster as an image, the video, then the fallback text (Weibo's links to the
        video page)."""
        src, poster = el.get('src'), el.get('poster')
        if not (src or poster):
            return text
        if '_inline' in parent_tags:
            return f'{text} {bare_link(_video_page(src) or src)}' if src else text
        if 'pre' in parent_tags:  # code shows Markdown as it is: the addresses as text, a line each
            return lines_in_code(el, '\n'.join(filter(None, (poster, src and (_video_page(src) or src), text))))
        pieces = (f'![]({markdown_url(poster)})' if poster else '', _embed_or_link(src) if src else '', text)
        shown = [strip_marks(piece) for piece in pieces if strip_marks(piece)]
        # Media are not blocks to markdownify: the space after them would start the next line.
        return '\n\n' + '\n\n'.join(shown) + '\n\n' + LINE_START if shown else ''

    convert_audio = convert_embed = convert_iframe = convert_object = convert_video


def _embed_or_link(src: str) -> str:
    watch = _video_page(src)
    if watch and not watch.startswith(_OPENED_ONLY):
        return f'![]({markdown_url(watch)})'
    if not watch and is_playable(src):
        return f'![]({markdown_url(src)})'
    return bare_link(watch or src)


def _video_page(src: str) -> str | None:
    """The page of the video or post that a YouTube, X, Vimeo or Bilibili frame plays, which
    Obsidian embeds or opens."""
    try:
        parts = urlsplit(src)
    except ValueError:
        return None
    host, query = parts.hostname or '', parse_qs(parts.query)
    youtube = _YOUTUBE_ID.match(parts.path) if _YOUTUBE_EMBED.match(host) else None
    if youtube:
        return f'https://www.youtube.com/watch?v={youtube.group(1)}'
    tweet = _tweet_id(host, parts.path, query)
    if tweet:
        return f'https://x.com/i/status/{tweet}'
    vimeo = _VIMEO_ID.match(parts.path) if host == 'player.vimeo.com' else None
    if vimeo:
        return f'https://vimeo.com/{vimeo.group(1)}'
    bilibili = (query.get('bvid') or query.get('aid') or [''])[0] if host == 'player.bilibili.com' else ''
    if _BILIBILI_VIDEO.match(bilibili):
        return f'https://www.bilibili.com/video/{"" if bilibili.startswith("BV") else "av"}{bilibili}'
    return None


def _tweet_id(host: str, path: str, query: dict) -> str | None:
    """The id of the post that a Twitter or X frame shows."""
    if host == 'platform.twitter.com':
        found = (query.get('id') or [''])[0]
    else:
        status = _STATUS.search(path) if host in _TWITTER_HOSTS else None
        found = status.group(1) if status else ''
    return found if found.isdigit() else None
