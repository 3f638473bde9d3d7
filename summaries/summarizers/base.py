"""What every summariser is: ranked sentences, returned in document order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from summaries.article import Sentence


class Summarizer(Protocol):
    """Picks `count` sentences of an article and returns them in document order."""

    def __call__(self, sentences: Sequence[Sentence], count: int, title: str = "", language: str = "english") -> list[Sentence]: ...


def items_count(total: int, length: int | str) -> int:
    """A summary length given as N sentences or 'N%' of them, at least one when there is any."""
    if isinstance(length, str):
        text = length.strip()
        if text.endswith("%"):
            share = float(text[:-1])
            return max(1, round(total * share / 100)) if total else 0
        length = int(text)
    return max(0, min(total, length))
