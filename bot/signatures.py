"""When two articles are the same: an exact content hash, and MinHash signatures for near-duplicates.

A wire story reprinted by several sites, with a new headline, a trimmed intro
or an extra paragraph, shares most of its three-word shingles with the
original. A MinHash signature estimates that share (Jaccard similarity); its
locality-sensitive bands let the store find candidates with an index look-up
instead of comparing against every article.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np


SHINGLE_WORDS = 3
PERMUTATIONS = 64
BAND_ROWS = 2
# Estimated Jaccard similarity of shingles from which two articles are one story.
NEAR_DUPLICATE = 0.5
# Shorter texts have too few shingles for a trustworthy estimate: they join no story.
MIN_WORDS = 25
# Shingles hashed at a time: 64 x 16,384 x 8 bytes = 8 MB of working memory at most.
SHINGLE_BLOCK = 16_384

_rng = np.random.default_rng(20240611)
# Multiply-shift hashing (Dietzfelbinger): odd 64-bit multipliers, arithmetic wraps at 2**64.
_MULTIPLIERS = (_rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_OFFSETS = _rng.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)
# The same words as topic scoring's (bot.topics), so both can share one tokenisation.
_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")


@dataclass(frozen=True)
class Signature:
    """The MinHash signature of an article's text."""

    values: tuple[int, ...]

    def to_bytes(self) -> bytes:
        return np.asarray(self.values, dtype=">u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        return cls(tuple(int(value) for value in np.frombuffer(data, dtype=">u4")))

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two texts' shingle sets."""
        same = sum(1 for mine, theirs in zip(self.values, other.values) if mine == theirs)
        return same / len(self.values)

    @cached_property
    def band_keys(self) -> tuple[int, ...]:
        """The bands, computed once."""
        return tuple(self.bands())

    def bands(self) -> list[int]:
        """One signed 64-bit key per band of BAND_ROWS values; equal keys mark a candidate pair."""
        keys = []
        values = self.values
        for band in range(0, len(values), BAND_ROWS):
            chunk = f"{band}:" + ",".join(map(str, values[band : band + BAND_ROWS]))
            digest = hashlib.blake2b(chunk.encode(), digest_size=8).digest()
            keys.append(int.from_bytes(digest, "big", signed=True))
        return keys


def content_hash(text: str) -> str:
    """SHA-256 of a (normalised) text with case and spacing differences taken out."""
    flat = " ".join(text.casefold().split())
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


def signature(text: str | list[str]) -> Signature | None:
    """The MinHash signature of a text (or of its case-folded word tokens), None when too short to compare."""
    tokens = [token.casefold() for token in _WORD.findall(text)] if isinstance(text, str) else text
    if len(tokens) < MIN_WORDS:
        return None
    # A shingle's hash is a mix of its three words' CRC-32s, computed for all shingles at once.
    hashed_words = np.fromiter(map(zlib.crc32, map(str.encode, tokens)), dtype=np.uint64, count=len(tokens))
    with np.errstate(over="ignore"):
        shingles = (
            hashed_words[:-2] * np.uint64(0x9E3779B1) + hashed_words[1:-1] * np.uint64(0x85EBCA77) + hashed_words[2:]
        ) & np.uint64(0xFFFFFFFF)
        # A repeated shingle cannot change a minimum, so the shingles are not made unique first;
        # the hashes are mixed in place, in one buffer, rather than through three temporaries.
        # The buffer holds PERMUTATIONS x a block of shingles (512 bytes a shingle), not all of
        # them at once: a 10 MB text would need 900 MB; the minimum of the block minima is the same.
        minima = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
        for start in range(0, len(shingles), SHINGLE_BLOCK):
            mixed = np.multiply(_MULTIPLIERS[:, None], shingles[None, start : start + SHINGLE_BLOCK])
            mixed += _OFFSETS[:, None]
            mixed >>= np.uint64(32)
            np.minimum(minima, mixed.min(axis=1), out=minima)
    return Signature(tuple(minima.tolist()))
