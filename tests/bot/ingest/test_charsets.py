"""Bytes to text for files and pages (bot/ingest/charsets.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.ingest.charsets import bad_utf8_share, decode_text, is_binary


def test_the_declared_charset_then_utf8_then_cp1252():
    assert decode_text("café".encode("utf-8")) == "café"
    western = "Ankara’s café reopened on Monday — “finally”, the mayor said. Prices at the café rose by a fifth."
    assert decode_text(western.encode("cp1252")) == western
    assert decode_text("café".encode("latin-1"), "latin-1") == "café"
    assert decode_text("Новости".encode("koi8-r"), "koi8-r") == "Новости"


def test_a_byte_order_mark_decides_whatever_is_declared():
    assert decode_text(b"\xef\xbb\xbfBOM", "cp1252") == "BOM"
    assert decode_text("Grüße".encode("utf-16"), "utf-8") == "Grüße"


def test_utf16_with_a_byte_order_mark_is_text_and_nul_bytes_without_one_are_not():
    assert not is_binary("Grüße aus Köln".encode("utf-16"))
    assert is_binary(b"\x00\x01\x02PNG")


def test_bad_utf8_share_counts_only_the_bad_non_ascii_bytes():
    assert bad_utf8_share(b"plain ascii") == 0.0
    assert bad_utf8_share("café".encode("cp1252")) == 1.0
    assert bad_utf8_share("café crème".encode("utf-8")) == 0.0


@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "cp1251", "no-such-charset", "utf-16"]))
def test_decode_text_always_gives_text(data: bytes, declared: str | None):
    assert isinstance(decode_text(data, declared), str)
