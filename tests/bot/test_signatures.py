"""Duplicate keys: content hashes and MinHash signatures, which stored articles are compared by."""

from __future__ import annotations

from bot.signatures import NEAR_DUPLICATE, PERMUTATIONS, Signature, content_hash, signature
from bot.topics import TokenizedText

HARBOUR = " ".join(f"Word{number % 40} and the harbour number {number}." for number in range(30))


def test_a_signature_stays_what_stored_articles_were_signed_with() -> None:
    found = signature(HARBOUR)

    assert found is not None
    assert len(found.values) == PERMUTATIONS
    assert found.values[:6] == (78193697, 14820664, 21566854, 28331220, 2733566, 19141552)
    assert found.band_keys[:3] == (6024726415425697263, -4546156470366915752, 1600388089567512957)
    assert Signature.from_bytes(found.to_bytes()) == found
    assert signature(TokenizedText(HARBOUR).folded) == found


def test_content_hash_ignores_case_and_spacing() -> None:
    assert content_hash("  The Harbour\n\nOpens  ") == "703fd1a061fee74b5d195feee17bb685451bf7ed842453c19a639fd2630825b1"
    assert content_hash("the harbour opens") == content_hash("  The Harbour\n\nOpens  ")


def test_copies_are_similar_and_other_texts_are_not() -> None:
    original = signature(HARBOUR)
    copy = signature(HARBOUR + " A last line was added by the second site.")
    other = signature(" ".join(f"Bridge{number % 30} repairs begin in town {number}." for number in range(30)))

    assert original is not None and copy is not None and other is not None
    assert original.similarity(copy) >= NEAR_DUPLICATE
    assert original.similarity(other) < NEAR_DUPLICATE
    assert signature("Too short to compare with anything.") is None


def test_a_text_of_many_shingle_blocks_is_signed_as_if_hashed_at_once() -> None:
    import zlib

    import numpy as np

    from bot.signatures import _MULTIPLIERS, _OFFSETS, SHINGLE_BLOCK

    tokens = [f"word{(number * 7919) % 50_021}" for number in range(2 * SHINGLE_BLOCK + 1_000)]
    hashed = np.array([zlib.crc32(token.encode()) for token in tokens], dtype=np.uint64)
    with np.errstate(over="ignore"):
        shingles = (hashed[:-2] * np.uint64(0x9E3779B1) + hashed[1:-1] * np.uint64(0x85EBCA77) + hashed[2:]) & np.uint64(0xFFFFFFFF)
        at_once = ((_MULTIPLIERS[:, None] * shingles[None, :] + _OFFSETS[:, None]) >> np.uint64(32)).min(axis=1)

    assert signature(tokens) == Signature(tuple(at_once.tolist()))
