"""ROUGE of the default summariser beside Lead-3, random and every sumy algorithm.

Run: python -m benchmarks.summary_quality   (needs the `bench` extra and ../shared/corpus)
"""

from __future__ import annotations

import argparse
import statistics
import sys

from rich.console import Console
from rich.table import Table
from rouge_score import rouge_scorer

from benchmarks.corpus import Reference, human_refs
from summaries.cleaning import clean
from summaries.sentences import split_sentences
from summaries.summarize import ALGORITHMS, summarize_sentences

SETS = ("realsumm-cnndm-100", "newsroom-60")
METRICS = ("rouge1", "rouge2", "rougeL")


def score(references: list[Reference], algorithm: str, scorer: rouge_scorer.RougeScorer, count: int = 3) -> tuple[float, ...]:
    """Mean ROUGE-1/2/L F1 x100 of one algorithm at `count` sentences (best reference per article)."""
    totals: dict[str, list[float]] = {metric: [] for metric in METRICS}
    for reference in references:
        sentences = split_sentences(clean(reference.text).text)
        summary = "\n".join(sentence.text for sentence in summarize_sentences(sentences, "", count, algorithm))
        best = max((scorer.score(target, summary) for target in reference.references), key=lambda s: s["rouge2"].fmeasure)
        for metric in METRICS:
            totals[metric].append(best[metric].fmeasure)
    return tuple(100 * statistics.mean(values) for values in totals.values())


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=False)
    algorithms = [name for name in ALGORITHMS]
    table = Table(title="Summary quality: ROUGE F1 x100 at 3 sentences (rouge-score, no stemming; same splitter and cleaning for all)")
    table.add_column("algorithm")
    for name in SETS:
        table.add_column(f"{name} R1 / R2 / RL", justify="right")
    results: dict[str, list[tuple[float, ...]]] = {}
    for algorithm in algorithms:
        results[algorithm] = [score(human_refs(name), algorithm, scorer) for name in SETS]
    for algorithm in algorithms:
        label = f"{algorithm} (default)" if algorithm == "news" else ("Lead-3" if algorithm == "lead" else algorithm)
        table.add_row(label, *(" / ".join(f"{value:.1f}" for value in triple) for triple in results[algorithm]))
    margins = [
        " / ".join(f"{ours - lead:+.1f}" for ours, lead in zip(results["news"][index], results["lead"][index]))
        for index in range(len(SETS))
    ]
    table.add_row("default − Lead-3", *margins, style="bold")
    Console(width=150).print(table)
    stemmed = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    check = Table(title="The same with Porter stemming (rouge-score use_stemmer=True)")
    check.add_column("algorithm")
    for name in SETS:
        check.add_column(f"{name} R1 / R2 / RL", justify="right")
    for algorithm, label in (("news", "news (default)"), ("lead", "Lead-3")):
        check.add_row(label, *(" / ".join(f"{v:.1f}" for v in score(human_refs(name), algorithm, stemmed)) for name in SETS))
    Console(width=150).print(check)
    beats = all(ours > lead for index in range(len(SETS)) for ours, lead in zip(results["news"][index], results["lead"][index]))
    print("default beats Lead-3 on R1, R2 and RL on both sets:", "yes" if beats else "NO")
    sys.exit(0)


if __name__ == "__main__":
    main()
