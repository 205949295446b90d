"""--download-images: remote images embedded in notes are saved into the vault and embedded from there.

`![alt](https://...)` in a note's body becomes `![[<name>]]` (`![[<name>|alt]]` when the alt text is
words, not a size; or as [links] says, see links.py), the file saved in the note's attachments
folder as the first 16 hex digits of its SHA-256 plus the extension of its type. Embeds in front
matter, code blocks and code spans are left alone, but for the note's `image` property (its first
image, which cards show), which links the saved file too. An image that cannot be fetched keeps its
remote link and yields a warning.

`download_images = "hotlinked"` fetches only the images of HOTLINKED_HOSTS; the others stay remote.
"""
from __future__ import annotations

import re
import time
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote, urlsplit

from vault_export.convert.fences import fenced_pieces
from vault_export.convert.urls import is_played
from vault_export.errors import WriteError
from vault_export.config import LinksConfig
from vault_export.model import Attachment
from vault_export.render.properties import dump_properties, read_properties, split_front_matter
from vault_export.vault.links import NoteLinks, attachment_folder, attachments_by_name
from vault_export.vault.state import State
from vault_export.model import RenderResult

if TYPE_CHECKING:
    from email.message import Message
from vault_export.vault.writer import attachment_path, content_hash, read_existing, vault_path, write_attachment

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
# What makes no cover: status badges (a README's first images, often), and what Obsidian plays.
NO_COVER = re.compile(r"^https?://(?:img\.shields\.io|badgen\.net|badge\.fury\.io)/|/badge\.svg(?:[?#]|$)", re.I)


# Properties take wikilinks only, whatever [links] says; by name where the name is unique.
PROPERTY_LINKS = NoteLinks()


class DownloadError(Exception):
    """Why an image could not be fetched; `retry` when trying again later may succeed."""

    def __init__(self, reason: str, retry: bool = False):
        super().__init__(reason)
        self.retry = retry


# -- finding and rewriting embeds
def find_remote_images(text: str) -> list[str]:
    """The addresses of the remote images a note's body embeds, in order (not the videos, audio and
    posts that Obsidian plays from an embed)."""
    found: list[str] = []

    def collect(match: re.Match) -> str:
        if not is_played(_image_url(match)):  # a video or post: no image to fetch
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
    url = _image_url(match)
    return None if NO_COVER.search(url) or is_played(url) else url


def embed_local_images(text: str, paths: dict[str, str], links: NoteLinks = NoteLinks(),
                       by_name: bool = True, cover: str | None = None) -> str:
    """The text with each remote image that `paths` knows embedded from its vault path, as `links`
    says (`by_name`: see NoteLinks.embed), and the `cover` property, when it holds one of them,
    linking the vault's file."""
    def embed(match: re.Match) -> str:
        path = paths.get(_image_url(match))
        alt = re.sub(r"\\(.)", r"\1", match["alt"])
        return links.embed(path, alt, by_name=by_name) if path else match[0]
    text = _map_images(text, embed)
    return _local_cover(text, cover, paths, by_name) if cover and paths else text


def _map_images(text: str, image: Callable[[re.Match], str]) -> str:
    head, body = _front_and_body(text)
    pieces = (chunk if in_code else CODE_OR_IMAGE.sub(lambda match: match[0] if match["code"] else image(match),
                                                      chunk) for in_code, chunk in fenced_pieces(body))
    return head + "".join(pieces)


def _local_cover(text: str, cover: str, paths: dict[str, str], by_name: bool) -> str:
    """The cover's line rewritten as the renderer would have written the link; nothing else of the
    front matter changes (and only that line is read, for speed)."""
    head, body = _front_and_body(text)
    start = head.find(f"\n{_property_line(cover, 'x')[:-1]}") + 1
    end = head.find("\n", start)
    if start == 0 or end < 0:
        return text
    url = read_properties(head[start:end]).get(cover)
    path = paths.get(url) if isinstance(url, str) else None
    if path is None:
        return text
    return head[:start] + _property_line(cover, f"[[{PROPERTY_LINKS.path(path, by_name)}]]") + head[end:] + body


def _front_and_body(text: str) -> tuple[str, str]:
    """The note's front matter block as written (with its `---` lines; "" when none) and its body."""
    _, body = split_front_matter(text)
    return text[:len(text) - len(body)], body


def _property_line(key: str, value: str) -> str:
    """The line `key: value` as front matter writes it."""
    return dump_properties({key: value}).removeprefix("---\n").removesuffix("\n---\n")


def _image_url(match: re.Match) -> str:
    return match["angled"] or match["bare"]


# -- downloading
def on_hosts(url: str, hosts: tuple[str, ...]) -> bool:
    """Whether the URL's host is one of `hosts` or a subdomain of one."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    return any(host == name or host.endswith(f".{name}") for name in hosts)


class ImageLocalizer:
    """Created once per run: each URL is fetched at most once, and not at all when the state knows it."""

    def __init__(self, vault: Path, attachments_folder: str, state: State, dry_run: bool,
                 max_workers: int = 8, timeout: float = 20.0, max_bytes: int = MAX_BYTES,
                 retries: int = 2, sleep: Callable[[float], None] = time.sleep,
                 links: LinksConfig = LinksConfig(), hosts: tuple[str, ...] | None = None,
                 cover: str | None = None):
        self.vault = vault
        self.attachments_folder = attachments_folder  # as the setting says: per note for "./"
        self.state = state
        self.dry_run = dry_run  # a dry run embeds only images already in the vault, fetching nothing
        self.max_workers = max_workers
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.sleep = sleep
        self.links = links
        self.hosts = hosts  # fetch only from these hosts and their subdomains; None: from any
        self.cover = cover  # the property that names the note's first image
        self._names: dict[str, str] = {}  # url -> file name (from the state: maybe no longer there)
        self._present: set[str] = set()  # vault paths of images known to be there
        self._copies: dict[str, str] = {}  # url -> the vault path this run saved it at
        self._failed: set[str] = set()  # warned about once this run
        self._passing_trouble: set[str] = set()  # failed in a way a later run may not (timeouts, 5xx)

    def localize_results(self, results: list[RenderResult],
                         note_paths: list[str]) -> tuple[list[RenderResult], list[str]]:
        """`localize` for the notes that rendered (at these vault paths); failed ones are returned as they are."""
        rendered = [(result.text, path) for result, path in zip(results, note_paths) if result.text is not None]
        texts, warnings = self.localize([text for text, _ in rendered], [path for _, path in rendered])
        localized = iter(texts)
        return [result.with_text(next(localized)) if result.text is not None else result
                for result in results], warnings

    def worth_retrying(self, text: str | None) -> bool:
        """Whether the text still links a remote image that the next run may well fetch."""
        return bool(text) and any(url in self._passing_trouble for url in find_remote_images(text))

    def localize(self, texts: list[str], note_paths: list[str] | None = None) -> tuple[list[str], list[str]]:
        """The texts of the notes at `note_paths` (default: the vault root) with their remote images
        embedded from the vault, and a warning per failed image."""
        note_paths = note_paths or [""] * len(texts)
        folders = [attachment_folder(self.attachments_folder, path) for path in note_paths]
        found = [[url for url in find_remote_images(text) if self._wanted(url)] for text in texts]
        wanted = dict.fromkeys((url, folder) for urls, folder in zip(found, folders) for url in urls
                               if url not in self._failed)
        warnings = self._resolve(list(wanted))
        by_name = attachments_by_name(self.attachments_folder)
        return [embed_local_images(text, self._paths(urls, folder), NoteLinks.of(self.links, path), by_name,
                                   self.cover)
                for text, urls, folder, path in zip(texts, found, folders, note_paths)], warnings

    def _wanted(self, url: str) -> bool:
        return self.hosts is None or on_hosts(url, self.hosts)

    def _paths(self, urls: list[str], folder: str) -> dict[str, str]:
        """Where the images of these addresses are in the folder, for those that are there."""
        paths = {url: attachment_path(folder, self._names[url]) for url in urls if url in self._names}
        return {url: path for url, path in paths.items() if path in self._present}

    def _resolve(self, wanted: list[tuple[str, str]]) -> list[str]:
        """Each (address, folder) with its image in the folder: found there, copied from where this
        run saved it, or downloaded."""
        unknown = list(dict.fromkeys(url for url, _ in wanted if url not in self._names))
        self._names.update(self.state.image_names(unknown))
        missing: dict[str, list[str]] = {}  # url -> the folders still without it
        for url, folder in wanted:
            if not self._placed(url, folder):
                missing.setdefault(url, []).append(folder)
        return [] if self.dry_run or not missing else self._download_all(missing)

    def _placed(self, url: str, folder: str) -> bool:
        """Whether the image is in the folder: found there, or copied from where this run saved it."""
        name = self._names.get(url)
        if name is None:
            return False
        path = attachment_path(folder, name)
        if path in self._present or self._in_vault(path) or self._copied(url, folder, name):
            self._present.add(path)
            return True
        return False

    def _copied(self, url: str, folder: str, name: str) -> bool:
        if url not in self._copies or self.dry_run:
            return False
        try:
            data = read_existing(vault_path(self.vault, self._copies[url]))
            if data is not None:
                write_attachment(self.vault, folder, Attachment(name, data))
        except WriteError:
            return False  # downloading it again tells why
        return data is not None

    def _download_all(self, missing: dict[str, list[str]]) -> list[str]:
        pool = ThreadPoolExecutor(min(self.max_workers, len(missing)), thread_name_prefix="image")
        try:
            futures = {pool.submit(self._download, url): url for url in missing}
            return [warning for future in as_completed(futures)
                    if (warning := self._keep(futures.pop(future), future, missing))]  # pop: free the bytes
        finally:
            pool.shutdown(cancel_futures=True)

    def _keep(self, url: str, download: Future, missing: dict[str, list[str]]) -> str | None:
        """Save a downloaded image into the folders that want it; the warning when it could not be had."""
        try:
            self._save(url, *download.result(), missing[url])
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

    def _save(self, url: str, data: bytes, extension: str, folders: list[str]) -> None:
        name = content_hash(data)[:16] + extension
        for folder in folders:
            write_attachment(self.vault, folder, Attachment(name, data))
            self._present.add(attachment_path(folder, name))
        self._names[url] = name
        self._copies[url] = attachment_path(folders[0], name)
        self.state.save_image(url, name)

    def _in_vault(self, path: str) -> bool:
        try:
            return vault_path(self.vault, path).is_file()
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
        from vault_export.http import HttpError, get  # loaded by a run that downloads

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
