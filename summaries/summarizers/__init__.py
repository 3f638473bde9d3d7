"""The summarisers newsbrief can use, by name; `news` is the default."""

from __future__ import annotations

from summaries.summarizers.base import Summarizer, items_count
from summaries.summarizers.lead import LeadSummarizer
from summaries.summarizers.news import NewsSummarizer
from summaries.summarizers.sumy_algorithms import SUMY_CLASSES, RandomSummarizer, SumyAlgorithm


def get_summarizer(name: str) -> Summarizer:
    """The summariser called `name` (see ALGORITHMS)."""
    if name == "news":
        return NewsSummarizer()
    if name == "lead":
        return LeadSummarizer()
    if name == "random":
        return RandomSummarizer()
    if name in SUMY_CLASSES:
        return SumyAlgorithm(name)
    raise ValueError(f"unknown summarisation algorithm {name!r}; choose one of {', '.join(ALGORITHMS)}")


ALGORITHMS: tuple[str, ...] = ("news", "lead", *SUMY_CLASSES, "random")

__all__ = ["ALGORITHMS", "Summarizer", "get_summarizer", "items_count"]
