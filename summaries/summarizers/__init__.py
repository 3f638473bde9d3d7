"""The summarisers newsbrief can use, by name; `news` is the default."""

from __future__ import annotations

from summaries.summarizers.base import Summarizer, items_count
from summaries.summarizers.lead import LeadSummarizer
from summaries.summarizers.news import NewsSummarizer

# sumy's algorithms (and the NLTK stemmers under them, 20 MB) are imported when one is asked for:
# ingest uses `news`. The names must match sumy_algorithms.SUMY_CLASSES (a test checks).
SUMY_NAMES = ("lexrank", "textrank", "lsa", "luhn", "kl", "sumbasic", "edmundson")


def get_summarizer(name: str) -> Summarizer:
    """The summariser called `name` (see ALGORITHMS)."""
    if name == "news":
        return NewsSummarizer()
    if name == "lead":
        return LeadSummarizer()
    if name == "random":
        from summaries.summarizers.sumy_algorithms import RandomSummarizer

        return RandomSummarizer()
    if name in SUMY_NAMES:
        from summaries.summarizers.sumy_algorithms import SumyAlgorithm

        return SumyAlgorithm(name)
    raise ValueError(f"unknown summarisation algorithm {name!r}; choose one of {', '.join(ALGORITHMS)}")


ALGORITHMS: tuple[str, ...] = ("news", "lead", *SUMY_NAMES, "random")

__all__ = ["ALGORITHMS", "Summarizer", "get_summarizer", "items_count"]
