"""Bytes to text for files and pages: byte-order marks, the declared charset, UTF-8 with a few bad bytes, a detected charset.

The order, and why:

1. A byte-order mark (UTF-8, UTF-16, UTF-32) says what the file is, whatever else is declared.
2. The declared charset (an HTTP header, a meta tag, an XML declaration) when the bytes decode in it.
3. UTF-8 when the bytes are UTF-8.
4. UTF-8 with U+FFFD for the bad bytes when nearly all of the non-ASCII bytes are valid UTF-8:
   one damaged byte in a UTF-8 file must not turn every accent of the file into cp1252 mojibake.
5. Otherwise the charset chardet finds (cp1251, KOI8-R, EUC-JP, ...), and cp1252 when it finds none.
"""

from __future__ import annotations

import codecs

import chardet

from summaries.text import looks_binary

# Nearly all valid UTF-8: at most this share of the non-ASCII bytes are bad. Text in a single-byte
# charset (cp1252, cp1251, KOI8-R) is almost never valid UTF-8, so it scores near 1, not near 0.
MAX_BAD_UTF8 = 0.2
# chardet reads this much of a document: enough to tell the charset, and quick on a 10 MB page.
DETECT_BYTES = 64 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# chardet names for what browsers and feeds mean by them (the WHATWG encoding labels).
_SUPERSETS = {"ascii": "utf-8", "iso-8859-1": "cp1252", "windows-1252": "cp1252", "tis-620": "cp874", "euc-kr": "cp949"}
_ASCII = bytes(range(128))


def bom_charset(data: bytes) -> str | None:
    """The codec a byte-order mark at the start names (utf-8-sig, utf-16, utf-32), if there is one."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def is_binary(data: bytes) -> bool:
    """True for bytes that are not text: UTF-16 and UTF-32 with a byte-order mark are text."""
    return bom_charset(data) is None and looks_binary(data)


def bad_utf8_share(data: bytes) -> float:
    """The share of the non-ASCII bytes that are not valid UTF-8 (0.0 for pure ASCII)."""
    non_ascii = len(data.translate(None, _ASCII))
    if not non_ascii:
        return 0.0
    bad = data.decode("utf-8", errors="replace").count("\ufffd") - data.count("\ufffd".encode())
    return bad / non_ascii


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: byte-order mark, declared charset, UTF-8 (a few bad bytes replaced), detected charset, cp1252."""
    bom = bom_charset(data)
    if bom:
        return data.decode(bom, errors="replace")
    for codec in _declared_codecs(declared):
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if bad_utf8_share(data) <= MAX_BAD_UTF8:
        return data.decode("utf-8", errors="replace")
    detected = (chardet.detect(data[:DETECT_BYTES]).get("encoding") or "").lower()
    for codec in (_SUPERSETS.get(detected, detected), "cp1252"):
        if not codec:
            continue
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def _declared_codecs(declared: str | None) -> tuple[str, ...]:
    if not declared:
        return ()
    try:
        name = codecs.lookup(declared.strip()).name
    except LookupError:
        return ()
    # What pages label ISO-8859-1 is cp1252 (curly quotes and dashes at 0x80-0x9F), as browsers read it.
    return ("cp1252", name) if name == "latin-1" else (name,)
