"""--download-images: remote images embedded in notes are saved into the vault and embedded from there.

`![alt](https://...)` in a note's body becomes `![[<name>]]` (`![[<name>|alt]]` when the alt text is
words, not a size), the file saved in the attachments folder as the first 16 hex digits of its
SHA-256 plus the extension of its type; the note's `image` property (its first image, which cards
show) becomes `"[[<name>]]"` too. Other embeds in front matter, code blocks and code spans are left
alone. An image that cannot be fetched keeps its remote link and yields a warning.

`download_images = "hotlinked"` fetches only the images of HOTLINKED_HOSTS; the others stay remote.
"""
from __future__ import annotations

import re
import time
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from email.message import Message
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urlsplit

from vault_export.convert.fences import fenced_pieces
from vault_export.errors import WriteError
from vault_export.http import HttpError, get
from vault_export.model import Attachment
from vault_export.render.properties import dump_properties, read_properties, split_front_matter
from vault_export.vault.state import State
from vault_export.model import RenderResult
from vault_export.vault.writer import content_hash, vault_path, write_attachment

ACCEPT = "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"
MAX_BYTES = 20 * 1024 * 1024
BACKOFF = 0.5  # seconds before the first retry, doubled before each next one
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
# The types Obsidian shows as images, each with the extension it recognises.
IMAGE_TYPES = {
    "image/jpeg": ".jpg", "image/jpg": ".jpg", "image/pjpeg": ".jpg", "image/png": ".png",
    "image/gif": ".gif", "image/webp": ".webp", "image/svg+xml": ".svg", "image/avif": ".avif",
    "image/bmp": ".bmp", "image/x-ms-bmp": ".bmp",
}
IMAGE_EXTENSIONS = frozenset({*IMAGE_TYPES.values(), ".jpeg"})
# Hosts that send their images only to pages of their own site (they judge by the Referer, and
# refuse or replace the image otherwise), so that outside it, in Obsidian and on phones especially,
# they show only once they are in the vault: Weibo's image servers (wx1.sinaimg.cn, tvax1...),
# WeChat's article images (mmbiz.qpic.cn), and its covers and avatars (mmbiz.qlogo.cn, wx.qlogo.cn).
# A host matches itself and its subdomains.
HOTLINKED_HOSTS = ("sinaimg.cn", "mmbiz.qpic.cn", "mmbiz.qlogo.cn", "wx.qlogo.cn")
# Servers that do not say what they send: the bytes tell.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
SIGNATURES = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF87a", ".gif"),
              (b"GIF89a", ".gif"), (b"BM", ".bmp"))

# A code span: what a run of backticks holds, up to as many backticks.
CODE_SPAN = r"(?P<code>(?<![\\`])(?P<ticks>`+)(?:[^\n]|\n(?!\s*\n))+?(?<!`)(?P=ticks)(?!`))"
# An image embed with an http(s) address, bare or in <>; an embed of a file in the vault.
REMOTE_IMAGE = (r"(?<!\\)!\[(?P<alt>(?:\\.|[^\\\]\n])*)\]"
                r"\(\s*(?:<(?P<angled>https?://[^>\n]+)>|(?P<bare>https?://[^\s()<>]+))(?:\s+\"[^\"\n]*\")?\s*\)")
LOCAL_EMBED = r"(?<!\\)!\[\[(?P<target>[^\[\]|#^\n]+?)(?:[#|][^\]\n]*)?\]\]"
# A code span (kept as it is) or a remote image. The lookaheads let a search skip, as fast as it
# looks for one character, every position where none can start.
CODE_OR_IMAGE = re.compile(f"(?=[`!])(?:{CODE_SPAN}|{REMOTE_IMAGE})", re.I)
CODE = re.compile(CODE_SPAN)
IMAGE = re.compile(f"(?=!)(?:{REMOTE_IMAGE}|{LOCAL_EMBED})", re.I)  # what may be a note's first image
# What makes no cover: status badges (a README's first images, often), and the videos and posts
# that Obsidian embeds as players, not images.
NO_COVER = re.compile(r"^https?://(?:(?:img\.shields\.io|badgen\.net|badge\.fury\.io)/"
                      r"|(?:www\.|m\.)?(?:youtube\.com|youtu\.be|twitter\.com|x\.com)/)|/badge\.svg(?:[?#]|$)", re.I)
SIZE = re.compile(r"\d+(?:x\d+)?")
NOT_IN_WIKILINK = re.compile(r"[\[\]|\s]+")


class DownloadError(Exception):
    """Why an image could not be fetched; `retry` when trying again later may succeed."""

    def __init__(self, reason: str, retry: bool = False):
        super().__init__(reason)
        self.retry = retry


# -- finding and rewriting embeds
def find_remote_images(text: str) -> list[str]:
    """The addresses of the remote images a note's body embeds, in order."""
    found: list[str] = []

    def collect(match: re.Match) -> str:
        found.append(_image_url(match))
        return match[0]
    _map_images(text, collect)
    return found


def first_image(body: str) -> str | None:
    """The body's first image (not a badge or a video) as an Obsidian card takes it for a cover:
    the remote address, or a link to the file in the vault (`[[name.png]]`); None when there is none."""
    if "![" not in body:  # most notes
        return None
    for in_code, chunk in fenced_pieces(body):
        code: list[tuple[int, int]] | None = None  # the code spans, found once a candidate may be in one
        for match in () if in_code else IMAGE.finditer(chunk):
            at = match.start()
            if "`" in chunk[:at]:
                code = code if code is not None else [span.span() for span in CODE.finditer(chunk)]
                if any(start <= at < end for start, end in code):
                    continue
            if cover := _cover(match):
                return cover
    return None


def _cover(match: re.Match) -> str | None:
    target = match["target"]
    if target:
        return f"[[{target}]]" if Path(target).suffix.lower() in IMAGE_EXTENSIONS else None
    return None if NO_COVER.search(_image_url(match)) else _image_url(match)


def embed_local_images(text: str, names: dict[str, str], cover: str | None = None) -> str:
    """The text with each remote image that `names` knows embedded by its name in the vault, and
    the `cover` property, when it holds one of them, linking the vault's file."""
    def embed(match: re.Match) -> str:
        name = names.get(_image_url(match))
        return _wikilink_embed(name, match["alt"]) if name else match[0]
    text = _map_images(text, embed)
    return _local_cover(text, cover, names) if cover and names else text


def _map_images(text: str, image: Callable[[re.Match], str]) -> str:
    _, body = split_front_matter(text)
    head = text[:len(text) - len(body)]
    pieces = (chunk if in_code else CODE_OR_IMAGE.sub(lambda match: match[0] if match["code"] else image(match),
                                                      chunk) for in_code, chunk in fenced_pieces(body))
    return head + "".join(pieces)


def _local_cover(text: str, cover: str, names: dict[str, str]) -> str:
    """The cover's line rewritten as the renderer would have written the link; nothing else of the
    front matter changes (and only that line is read, for speed)."""
    _, body = split_front_matter(text)
    head = text[:len(text) - len(body)]
    start = head.find(f"\n{_property_line(cover, 'x')[:-1]}") + 1
    end = head.find("\n", start)
    if start == 0 or end < 0:
        return text
    url = read_properties(head[start:end]).get(cover)
    name = names.get(url) if isinstance(url, str) else None
    if name is None:
        return text
    return head[:start] + _property_line(cover, f"[[{name}]]") + head[end:] + body


def _property_line(key: str, value: str) -> str:
    """The line `key: value` as front matter writes it."""
    return dump_properties({key: value}).removeprefix("---\n").removesuffix("\n---\n")


def _image_url(match: re.Match) -> str:
    return match["angled"] or match["bare"]


def _wikilink_embed(name: str, alt: str) -> str:
    """Obsidian reads `|300` or `|300x200` as a size, so only words are kept as the alt text."""
    words = NOT_IN_WIKILINK.sub(" ", re.sub(r"\\(.)", r"\1", alt)).strip()
    return f"![[{name}|{words}]]" if words and not SIZE.fullmatch(words) else f"![[{name}]]"


def on_hosts(url: str, hosts: tuple[str, ...]) -> bool:
    """Whether the URL's host is one of `hosts` or a subdomain of one."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    return any(host == name or host.endswith(f".{name}") for name in hosts)


# -- downloading
class ImageLocalizer:
    """Created once per run: each URL is fetched at most once, and not at all when the state knows it."""

    def __init__(self, vault: Path, attachments_folder: str, state: State, dry_run: bool,
                 max_workers: int = 8, timeout: float = 20.0, max_bytes: int = MAX_BYTES,
                 retries: int = 2, sleep: Callable[[float], None] = time.sleep,
                 hosts: tuple[str, ...] | None = None, cover: str | None = None):
        self.vault = vault
        self.hosts = hosts  # fetch only from these hosts and their subdomains; None: from any
        self.cover = cover  # the property that names the note's first image
        self.folder = attachments_folder.strip("/")
        self.state = state
        self.dry_run = dry_run  # a dry run embeds only images already in the vault, fetching nothing
        self.max_workers = max_workers
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.sleep = sleep
        self._names: dict[str, str] = {}  # url -> file name in the attachments folder
        self._failed: set[str] = set()  # warned about once this run
        self._passing_trouble: set[str] = set()  # failed in a way a later run may not (timeouts, 5xx)

    def localize_results(self, results: list[RenderResult]) -> tuple[list[RenderResult], list[str]]:
        """`localize` for the notes that rendered; failed ones are returned as they are."""
        texts, warnings = self.localize([result.text for result in results if result.text is not None])
        localized = iter(texts)
        return [result.with_text(next(localized)) if result.text is not None else result
                for result in results], warnings

    def worth_retrying(self, text: str | None) -> bool:
        """Whether the text still links a remote image that the next run may well fetch."""
        return bool(text) and any(url in self._passing_trouble for url in find_remote_images(text))

    def localize(self, texts: list[str]) -> tuple[list[str], list[str]]:
        """The texts with their remote images embedded from the vault, and a warning per failed image."""
        urls = list(dict.fromkeys(url for text in texts for url in find_remote_images(text) if self._wanted(url)))
        warnings = self._resolve([url for url in urls if url not in self._names and url not in self._failed])
        return [embed_local_images(text, self._names, self.cover) for text in texts], warnings

    def _wanted(self, url: str) -> bool:
        return self.hosts is None or on_hosts(url, self.hosts)

    def _resolve(self, urls: list[str]) -> list[str]:
        self._names.update((url, name) for url, name in self.state.image_names(urls).items()
                           if self._in_vault(name))
        missing = [url for url in urls if url not in self._names]
        return [] if self.dry_run or not missing else self._download_all(missing)

    def _download_all(self, urls: list[str]) -> list[str]:
        pool = ThreadPoolExecutor(min(self.max_workers, len(urls)), thread_name_prefix="image")
        try:
            futures = {pool.submit(self._download, url): url for url in urls}
            return [warning for future in as_completed(futures)
                    if (warning := self._keep(futures.pop(future), future))]  # pop: free the bytes
        finally:
            pool.shutdown(cancel_futures=True)

    def _keep(self, url: str, download: Future) -> str | None:
        """Save a downloaded image into the vault; the warning when it could not be had."""
        try:
            self._names[url] = self._save(url, *download.result())
            return None
        except DownloadError as error:
            reason = str(error)
            if error.retry:
                self._passing_trouble.add(url)
        except WriteError as error:
            if error.fatal:  # the vault takes no writes at all: stop the run
                raise
            reason = error.message
        self._failed.add(url)
        return f"{url}: cannot download image: {reason}; the note keeps the remote link"

    def _save(self, url: str, data: bytes, extension: str) -> str:
        name = content_hash(data)[:16] + extension
        write_attachment(self.vault, self.folder, Attachment(name, data))
        self.state.save_image(url, name)
        return name

    def _in_vault(self, name: str) -> bool:
        try:
            return vault_path(self.vault, f"{self.folder}/{name}" if self.folder else name).is_file()
        except WriteError:
            return False

    def _download(self, url: str) -> tuple[bytes, str]:
        """The image's bytes and extension, trying again with growing pauses after passing trouble.

        `timeout` bounds connecting and each read, not the whole download."""
        for attempt in range(self.retries):
            try:
                return self._fetch(url)
            except DownloadError as error:
                if not error.retry:
                    raise
            self.sleep(BACKOFF * 2 ** attempt)
        return self._fetch(url)

    def _fetch(self, url: str) -> tuple[bytes, str]:
        # No Referer (urllib sends none): Weibo's image hosts refuse requests that name another site.
        try:
            response = get(quote(url, safe=":/?#[]@!$&'()*+,;=%~"), accept=ACCEPT, timeout=self.timeout,
                           max_bytes=self.max_bytes, check=_declared_extension)
        except HttpError as error:
            retry = error.transient or error.status in RETRY_STATUSES or (error.status or 0) >= 500
            raise DownloadError(str(error), retry=retry) from None
        return response.data, _declared_extension(response.headers) or _sniffed_extension(response.data)


def _declared_extension(headers: Message) -> str | None:
    """The extension the Content-Type names; None when it names none (the bytes will tell).

    Refuses, before the body is read, a type that is no image Obsidian shows."""
    media_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media_type in GENERIC_TYPES:
        return None
    if media_type in IMAGE_TYPES:
        return IMAGE_TYPES[media_type]
    what = "an image type Obsidian does not show" if media_type.startswith("image/") else "not an image"
    raise DownloadError(f"{what} (Content-Type {media_type})")


def _sniffed_extension(data: bytes) -> str:
    for signature, extension in SIGNATURES:
        if data.startswith(signature):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return ".avif"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<svg") or head.startswith(b"<?xml") and b"<svg" in head:
        return ".svg"
    raise DownloadError("not an image (the server did not name a type, and the bytes are no image "
                        "format Obsidian shows)")
