"""The analysis speed baseline: pysbd sentences + sumy LexRank, 3 sentences, what a quick sumy bot would do.

    python -m benchmarks.lexrank_baseline in.jsonl > out.jsonl   ({"id", "text"} a line in, {"id", "summary"} a line out)

As a command it is the baseline of `newsbrief analyze --jsonl`: a process that imports only what
it needs (pysbd, sumy) and summarises each line, start-up included.
"""

from __future__ import annotations

import argparse
import json
import sys

import pysbd
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

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
    """pysbd + sumy LexRank, 3 sentences."""
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    parser = PlaintextParser.from_string(text, PysbdTokenizer())
    return [str(sentence) for sentence in summarizer(parser.document, 3)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("jsonl", help='a JSONL file of {"id", "text"}, or - for stdin')
    args = parser.parse_args(argv)
    stream = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")
    with stream:
        for line in stream:
            if line.strip():
                row = json.loads(line)
                print(json.dumps({"id": row.get("id"), "summary": baseline(row["text"])}, ensure_ascii=False))


if __name__ == "__main__":
    main()
