"""What makes saves one note: the id its source gives it, else its URL, else a fingerprint of what
it says; never where it was found. URLs that name the same thing are normalised to one."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Mapping
from string import ascii_letters, digits
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from vault_export.config import DEFAULT_IDENTITY_KEYS

if TYPE_CHECKING:
    from vault_export.model import Note

ID_PREFIX = "id:"  # an identity that is not a URL: the source's own id, or a fingerprint
ID_PROPERTY = "id"  # the property a note keeps an identity in that is not its URL
# Bumped when identities are made differently: a vault synced by an older scheme is migrated once.
IDENTITY_SCHEME = "3"
URL_PROPERTIES = ("url", "source")  # where notes (ours, Web Clipper's) keep their URL
WEB_URL = re.compile(r"https?://", re.IGNORECASE)
SPACE = re.compile(r"\s")
ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
# /abs/2504.14522v2, /pdf/2504.14522v3.pdf, /abs/hep-th/9901001v1: one paper, whatever the version
ARXIV_PAPER = re.compile(r"/(?:abs|pdf|html)/(?P<paper>(?:[a-z.-]+/)?\d{4}\.?\d{3,5})(?:v\d+)?(?:\.pdf)?/?",
                         re.IGNORECASE)
# Parameters that say who sent the reader, not which page it is: campaign and click ids (Google's,
# Meta's, Microsoft's, Mailchimp's, Matomo's, Piwik's, HubSpot's, Marketo's), referrers, share ids.
TRACKING_PARAMETER = re.compile(r"(?:utm|mc|mtm|pk|hsa|ga|_hs)_|(?:_ga|_gl|fbclid|gclid|dclid|msclkid|twclid|yclid"
                                r"|ttclid|li_fat_id|[gw]braid|igshid|igsh|mkt_tok|_hsenc|_hsmi|ref|ref_src|ref_url"
                                r"|si|spm)$")
REPEATED_SLASHES = re.compile(r"//+")
URL_SAFE = "/%:@!$&'()*+,;=~"  # kept as they are in a path (RFC 3986's pchar), and the escapes
UNRESERVED = frozenset(ascii_letters + digits + "-._~")
NEEDS_ESCAPING = re.compile(f"[^{re.escape(''.join(sorted(UNRESERVED)) + URL_SAFE)}]")  # what quote() changes
PERCENT_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
FINGERPRINT_LENGTH = 16  # hex digits of a fingerprint identity: unique enough, short enough to show


def is_web_url(text: str) -> bool:
    return bool(WEB_URL.match(text)) and not SPACE.search(text.strip())


@lru_cache(maxsize=4096)  # a note's URL is normalised for its save, its front matter and its adoption
def normalize_url(url: str) -> str:
    """The one form of the URLs that name the same page: https, lower-case host (Unicode, not
    punycode), no default port, no tracking parameters (utm_*, fbclid, …), parameters sorted,
    one percent-encoding, no repeated or trailing slash, no fragment (unless it routes a
    single-page app: #/… or #!…), one arXiv URL per paper."""
    url = url.strip()
    if not is_web_url(url):
        return url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a malformed port or host: the URL as given
        return url
    host = _host(parts.hostname or "")
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    if "@" in parts.netloc:
        host = parts.netloc.rpartition("@")[0] + "@" + host
    path = _percent_encoded(REPEATED_SLASHES.sub("/", parts.path)).rstrip("/")
    query = parts.query and urlencode(sorted((key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                                             if not TRACKING_PARAMETER.match(key.lower())))
    fragment = _percent_encoded(parts.fragment) if parts.fragment.startswith(("/", "!")) else ""
    if host in ARXIV_HOSTS and (paper := ARXIV_PAPER.fullmatch(path + "/")):
        host, path = "arxiv.org", "/abs/" + paper["paper"]
    return urlunsplit(("https", host, path, query, fragment))


def _host(host: str) -> str:
    """The host name lower-cased, its punycode labels (xn--) as the Unicode they encode."""
    if ":" in host:  # an IPv6 address
        return f"[{host}]"
    if "xn--" not in host:
        return host
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host


def _percent_encoded(text: str) -> str:
    """One spelling of a path or fragment: what a browser sends, with escapes in upper case and
    the characters that need none (letters, digits, -._~) unescaped."""
    if NEEDS_ESCAPING.search(text):
        text = quote(text, safe=URL_SAFE)
    return PERCENT_ESCAPE.sub(_one_escape, text) if "%" in text else text


def _one_escape(escape: re.Match) -> str:
    character = chr(int(escape[1], 16))
    return character if character in UNRESERVED else escape[0].upper()


def value_identity(value: Any) -> str | None:
    """The identity an id value names: a normalised URL when it is one, else the id itself."""
    if value is None or isinstance(value, (list, dict, bool)):
        return None
    text = str(value).strip()
    if not text:
        return None
    return normalize_url(text) if is_web_url(text) else ID_PREFIX + text


def note_identity(note: "Note", keys: Iterable[str] = DEFAULT_IDENTITY_KEYS) -> str:
    """The note's identity: the first id under `keys` in its metadata, the id its format gives it
    (a feed entry's, an ENEX note's guid), its URL, else a fingerprint of its title and saved time
    (of its title and body when it has no time)."""
    found = keyed_value(dict(note.extra), keys)
    for candidate in (found, note.source_id):
        if (identity := value_identity(candidate)) is not None:
            return identity
    if note.url:
        return normalize_url(note.url)
    return ID_PREFIX + _fingerprint(note)


def save_identity(note: "Note", keys: Iterable[str]) -> tuple[str, str | None]:
    """The note's identity, and its normalised URL when that is not its identity."""
    identity = note_identity(note, keys)
    url = normalize_url(note.url) if note.url else None
    return identity, url if url != identity else None


def keyed_value(properties: Mapping[str, Any], keys: Iterable[str]) -> Any:
    """The value of the first of `keys` (compared case-insensitively) the properties hold."""
    by_key = {str(key).strip().lower(): value for key, value in properties.items()}
    return next((by_key[key.lower()] for key in keys if value_identity(by_key.get(key.lower())) is not None), None)


def _fingerprint(note: "Note") -> str:
    """What stays when a note without an id or URL is edited or moved: its title and saved time."""
    said = [note.title, note.created.isoformat() if note.created else note.body]
    return hashlib.sha256("\x00".join(said).encode("utf-8", "surrogateescape")).hexdigest()[:FINGERPRINT_LENGTH]


def identity_property(note: "Note", keys: Iterable[str]) -> str | None:
    """The `id` the note's front matter needs so that a lost state finds it again: none when its
    identity is its URL, or its metadata already holds its id under one of `keys`."""
    identity = note_identity(note, keys)
    if keyed_value(dict(note.extra), keys) is not None or note.url and normalize_url(note.url) == identity:
        return None
    return identity.removeprefix(ID_PREFIX)


def front_matter_identities(properties: Mapping[str, Any], keys: Iterable[str],
                            url_keys: Iterable[str]) -> list[str]:
    """Every identity a note in the vault claims: its id properties, then its URL properties."""
    found = [value_identity(keyed_value(properties, [key])) for key in keys]
    found += [normalize_url(value) for key in url_keys
              if isinstance(value := properties.get(key), str) and is_web_url(value)]
    return list(dict.fromkeys(identity for identity in found if identity))
