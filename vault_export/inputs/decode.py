"""Turn an input's bytes into text without loss, or say why that cannot be done."""
from __future__ import annotations

import codecs

from vault_export.errors import InputError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Chinese tools write GB18030 or its subsets; try it before asking the detector, and let the
# detector choose only among common legacy encodings (left free, it reads any bytes as something).
FALLBACK_ENCODINGS = ("gb18030",)
DETECTABLE = ["cp1252", "shift_jis", "euc_jp", "euc_kr", "big5", "cp1251", "koi8_r", "iso8859_2"]
MAX_CHAOS = 0.1


def decode_text(data: bytes, path: object) -> str:
    """Decode with a BOM's encoding, else UTF-8, else a detected one; never substitute characters."""
    if not data.strip():
        raise InputError(path, "empty file")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, path)
    if b"\x00" in data:
        raise InputError(path, "binary file (contains NUL bytes)")
    try:
        return _normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        return _normalise_newlines(_decode_legacy(data, path, error.start))


def _mostly_utf8(data: bytes) -> bool:
    """Whether the bytes hold real UTF-8 sequences, so the invalid ones are damage, not another encoding."""
    text = data.decode("utf-8", errors="replace")
    return sum(1 for char in text if ord(char) > 127 and char != "\ufffd") >= text.count("\ufffd")


def _strict(data: bytes, encoding: str, path: object) -> str:
    try:
        return _normalise_newlines(data.decode(encoding))
    except UnicodeDecodeError as error:
        raise InputError(path, f"cannot decode as {encoding}: invalid bytes at offset {error.start}") from error


def _decode_legacy(data: bytes, path: object, utf8_error_at: int) -> str:
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    if _mostly_utf8(data):
        raise InputError(path, f"cannot decode: invalid UTF-8 at byte {utf8_error_at}")
    from charset_normalizer import from_bytes  # loaded for the rare file that needs a guess

    guess = from_bytes(data, cp_isolation=DETECTABLE).best()
    if guess is None or guess.chaos > MAX_CHAOS or not _looks_like_text(str(guess)):
        raise InputError(path, "cannot decode: not UTF-8, UTF-16 or GB18030 text, and no other encoding fits")
    return str(guess)


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    return controls == 0


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
