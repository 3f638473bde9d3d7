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

import numpy as np

from summaries.text import normalize, words

SHINGLE_WORDS = 3
PERMUTATIONS = 64
BAND_ROWS = 2
# Estimated Jaccard similarity of shingles from which two articles are one story.
NEAR_DUPLICATE = 0.5
# Shorter texts have too few shingles for a trustworthy estimate: they join no story.
MIN_WORDS = 25

_rng = np.random.default_rng(20240611)
# Multiply-shift hashing (Dietzfelbinger): odd 64-bit multipliers, arithmetic wraps at 2**64.
_MULTIPLIERS = (_rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_OFFSETS = _rng.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)
_SPACE = re.compile(r"\s+")


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

    def bands(self) -> list[int]:
        """One signed 64-bit key per band of BAND_ROWS values; equal keys mark a candidate pair."""
        keys = []
        for band in range(0, len(self.values), BAND_ROWS):
            chunk = f"{band}:" + ",".join(str(value) for value in self.values[band : band + BAND_ROWS])
            digest = hashlib.blake2b(chunk.encode(), digest_size=8).digest()
            keys.append(int.from_bytes(digest, "big", signed=True))
        return keys


def content_hash(text: str) -> str:
    """SHA-256 of the text with case, spacing and markup differences taken out."""
    flat = _SPACE.sub(" ", normalize(text).casefold()).strip()
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


def signature(text: str) -> Signature | None:
    """The MinHash signature of a text, None when it is too short to compare."""
    tokens = [token.casefold() for token in words(text)]
    if len(tokens) < MIN_WORDS:
        return None
    shingles = {" ".join(tokens[index : index + SHINGLE_WORDS]) for index in range(len(tokens) - SHINGLE_WORDS + 1)}
    hashed = np.fromiter((zlib.crc32(shingle.encode("utf-8")) for shingle in shingles), dtype=np.uint64, count=len(shingles))
    with np.errstate(over="ignore"):
        mixed = (_MULTIPLIERS[:, None] * hashed[None, :] + _OFFSETS[:, None]) >> np.uint64(32)
    return Signature(tuple(int(value) for value in mixed.min(axis=1)))
