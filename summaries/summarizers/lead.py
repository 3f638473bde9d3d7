"""Lead: the first sentences, the baseline every news summariser is measured against."""

from __future__ import annotations

from collections.abc import Sequence

from summaries.article import Sentence


class LeadSummarizer:
    """The first `count` sentences."""

    def __call__(self, sentences: Sequence[Sentence], count: int, title: str = "", language: str = "english") -> list[Sentence]:
        return list(sentences[:count])
