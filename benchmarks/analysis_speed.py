"""Speed of the whole analysis (clean + split + summarise + quotes) beside pysbd + sumy LexRank.

Run: python -m benchmarks.analysis_speed   (needs the `bench` extra and ../shared/corpus)

Both sides process the same ~900-word articles in the same run; figures are
ratios, since absolute seconds on a shared machine are noise.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence

import pysbd
from rich.console import Console
from rich.table import Table
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from benchmarks.corpus import medium_articles
from summaries.analysis import analyze
from summaries.article import Article
from summaries.text import words


class PysbdTokenizer:
    """The baseline's tokenizer: pysbd sentences (sumy's punkt would need NLTK data)."""

    language = "english"

    def __init__(self) -> None:
        self._segmenter = pysbd.Segmenter(language="en", clean=False)

    def to_sentences(self, paragraph: str) -> list[str]:
        return [sentence.strip() for sentence in self._segmenter.segment(paragraph) if sentence.strip()]

    def to_words(self, sentence: str) -> list[str]:
        return words(sentence)


def baseline(text: str) -> list[str]:
    """pysbd + sumy LexRank, 3 sentences: what a quick sumy bot would do."""
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    parser = PlaintextParser.from_string(text, PysbdTokenizer())
    return [str(sentence) for sentence in summarizer(parser.document, 3)]


def ours(text: str) -> list[str]:
    """newsbrief's analysis as issue 2 defines it: clean, split, summarise."""
    return [sentence.text for sentence in analyze(Article(text=text), quotes=False).summary]


def ours_with_quotes(text: str) -> list[str]:
    """The whole analysis done at ingest: clean, split, summarise, and quotes found, attributed and ranked."""
    return [sentence.text for sentence in analyze(Article(text=text)).summary]


def seconds_per_article(function: Callable[[str], object], texts: Sequence[str], rounds: int = 3) -> float:
    """Best-of-rounds mean time per article."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        started = time.perf_counter()
        for text in texts:
            function(text)
        best = min(best, (time.perf_counter() - started) / len(texts))
    return best


def peak_memory(function: Callable[[str], object], texts: Sequence[str]) -> float:
    """Peak Python allocation in MB while processing the texts (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    for text in texts:
        function(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    articles = medium_articles(limit=120)
    texts = [article for article in articles]
    mean_words = statistics.mean(len(text.split()) for text in texts)
    long_texts = ["\n\n".join(texts[index : index + 10]) for index in range(0, 60, 10)]
    short_texts = texts[:60]

    ours(texts[0]), ours_with_quotes(texts[0]), baseline(texts[0])  # warm caches and imports on all sides
    our_time = seconds_per_article(ours, texts)
    quoted_time = seconds_per_article(ours_with_quotes, texts)
    base_time = seconds_per_article(baseline, texts, rounds=1)
    our_long = seconds_per_article(ours, long_texts)
    base_long = seconds_per_article(baseline, long_texts, rounds=1)
    our_short = seconds_per_article(ours, short_texts)
    base_short = seconds_per_article(baseline, short_texts, rounds=1)

    table = Table(title=f"Analysis speed: {len(texts)} PolNeAR articles of {mean_words:.0f} words on average")
    table.add_column("")
    table.add_column("newsbrief clean+split+summary", justify="right")
    table.add_column("newsbrief + quotes", justify="right")
    table.add_column("pysbd + sumy LexRank", justify="right")
    table.add_row(
        "articles per second", f"{1 / our_time:.0f}", f"{1 / quoted_time:.0f}", f"{1 / base_time:.0f}"
    )
    table.add_row("ms per article", f"{our_time * 1e3:.2f}", f"{quoted_time * 1e3:.2f}", f"{base_time * 1e3:.2f}")
    table.add_row(
        "speed vs baseline (target >= 5x)", f"{base_time / our_time:.1f}x", f"{base_time / quoted_time:.1f}x", "1.0x"
    )
    table.add_row("quotes add (target <= 50%)", "", f"{(quoted_time / our_time - 1) * 100:.0f}%", "")
    table.add_row(
        "peak Python memory (MB)",
        f"{peak_memory(ours, texts[:30]):.1f}",
        f"{peak_memory(ours_with_quotes, texts[:30]):.1f}",
        f"{peak_memory(baseline, texts[:30]):.1f}",
    )
    table.add_row(
        "10x longer article: time / 10x shorter (target <= 12x)",
        f"{our_long / our_short:.1f}x",
        "",
        f"{base_long / base_short:.1f}x",
    )
    Console(width=150).print(table)


if __name__ == "__main__":
    main()
