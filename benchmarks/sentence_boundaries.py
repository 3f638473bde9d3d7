"""Sentence-boundary precision, recall and F1 on bbc-100 (one sentence a line), beside pysbd.

Run: python -m benchmarks.sentence_boundaries   (needs the `bench` extra and ../shared/corpus)

Each paragraph's lines are re-joined with a space and split again; a boundary
is the end offset of a sentence inside its paragraph.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import pysbd
from rich.console import Console
from rich.table import Table

from benchmarks.corpus import boundary_counts
from summaries.sentences import split_sentences

Splitter = Callable[[str], list[int]]


def ours(paragraph: str) -> list[int]:
    return [sentence.end for sentence in split_sentences(paragraph)]


def pysbd_ends() -> Splitter:
    # Offsets come from the running length of the pieces: with clean=False they
    # re-join to the input, and pysbd's own char_span search is less reliable.
    segmenter = pysbd.Segmenter(language="en", clean=False)

    def split(paragraph: str) -> list[int]:
        ends, position = [], 0
        for piece in segmenter.segment(paragraph):
            position = paragraph.find(piece, position) + len(piece) if piece.strip() else position
            ends.append(position)
        return ends

    return split


def boundary_scores(split: Splitter) -> tuple[float, float, float, float]:
    """Precision, recall, F1 of inner boundaries, and seconds taken."""
    started = time.perf_counter()
    found, expected, correct = boundary_counts(split)
    elapsed = time.perf_counter() - started
    precision = correct / found if found else 0.0
    recall = correct / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, elapsed


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2]).parse_args(argv)
    table = Table(title="Sentence boundaries on bbc-100 (inner boundaries of re-joined paragraphs)")
    for column in ("splitter", "precision", "recall", "F1", "seconds"):
        table.add_column(column, justify="right" if column != "splitter" else "left")
    for name, split in (("newsbrief", ours), ("pysbd 0.3.4", pysbd_ends())):
        precision, recall, f1, seconds = boundary_scores(split)
        table.add_row(name, f"{precision:.4f}", f"{recall:.4f}", f"{f1:.4f}", f"{seconds:.2f}")
    Console(width=150).print(table)


if __name__ == "__main__":
    main()
