"""Plain-text normalisation: what every later step may assume about its input."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_SCRIPT = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|table|section|article|header|footer|blockquote|figure|figcaption|aside|nav|hr)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_LOOKS_LIKE_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&(?:[a-z]{2,8}|#\d{2,6}|#x[0-9a-f]{2,5});", re.I)
# Control characters, zero-width marks, and the bidirectional controls (embeddings and overrides
# U+202A-U+202E, isolates U+2066-U+2069, marks U+200E U+200F U+061C): an override in a title turns
# the rest of a message around wherever it is shown, so none reaches a reader or the store.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2060\ufeff\ufffe\u202a-\u202e\u2066-\u2069\u061c]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){2,}")
# Sentences that lean on the one before them (out of their place they read wrong), and a sentence's end.
PRONOUN_START = re.compile(
    r"^\W*(?:he|she|it|they|his|her|its|their|them|this|these|those|that|such|there|both|the two|the latter|the former)\b",
    re.I,
)
CONNECTIVE_START = re.compile(r"^\W*(?:but|and|so|also|however|meanwhile|still|yet|instead|then|or|nor)\b", re.I)
ENDS_SENTENCE = re.compile(r"[.!?…][\"”’')\]]*$")


def normalize(text: str) -> str:
    """Unicode NFC, one kind of newline and space, no control or bidirectional-control characters, tags out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    if _LOOKS_LIKE_HTML.search(text):
        text = strip_html(text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _MANY_BLANK_LINES.sub("\n\n", text).strip()


def strip_html(fragment: str) -> str:
    """Text of an HTML fragment: scripts and styles dropped, blocks become paragraphs."""
    text = _COMMENT.sub("", fragment)
    text = _SCRIPT.sub("", text)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = _TAG.sub("", text)
    return html.unescape(text)


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding we would try."""
    if not data:
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def words(text: str) -> list[str]:
    """Word tokens (letters and digits, inner apostrophes and hyphens kept)."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    """How many tokens words() finds, without making them (a substitution counts its matches)."""
    return _WORD.subn("", text)[1]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stem: case, possessive and the common inflections off."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4:
        if word.endswith("ies"):
            return word[:-3] + "y"
        if word.endswith("sses"):
            return word[:-2]
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        if word.endswith("ing") and len(word) > 5:
            return word[:-3]
        if word.endswith("ed") and len(word) > 4:
            return word[:-2]
    return word
