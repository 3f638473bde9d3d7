"""sumy's algorithms (LexRank, TextRank, LSA, Luhn, KL, SumBasic, Edmundson) over our sentences."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer, null_stemmer
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from summaries.article import Sentence
from summaries.language import stop_words
from summaries.text import words
from summaries.tokenizer import NewsTokenizer

SUMY_CLASSES: dict[str, type[Any]] = {
    "lexrank": LexRankSummarizer,
    "textrank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "kl": KLSummarizer,
    "sumbasic": SumBasicSummarizer,
    "edmundson": EdmundsonSummarizer,
}


def _stemmer(language: str) -> Any:
    try:
        return Stemmer(language)
    except LookupError:
        return null_stemmer


class SumyAlgorithm:
    """One sumy algorithm, fed our sentences and tokenizer (no NLTK data)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, sentences: Sequence[Sentence], count: int, title: str = "", language: str = "english") -> list[Sentence]:
        if count <= 0 or not sentences:
            return []
        if count >= len(sentences):
            return list(sentences)
        tokenizer = NewsTokenizer(language)
        by_identity: dict[int, Sentence] = {}
        paragraphs: dict[int, list[SumySentence]] = {}
        for sentence in sentences:
            model = SumySentence(sentence.text, tokenizer)
            by_identity[id(model)] = sentence
            paragraphs.setdefault(sentence.paragraph, []).append(model)
        headings = [SumySentence(title, tokenizer, is_heading=True)] if title.strip() else []
        document = ObjectDocumentModel(
            [Paragraph(headings + paragraphs[key]) if index == 0 else Paragraph(paragraphs[key]) for index, key in enumerate(sorted(paragraphs))]
        )
        summarizer = SUMY_CLASSES[self.name](_stemmer(language))
        stops = stop_words(language)
        summarizer.stop_words = stops
        if self.name == "edmundson":
            summarizer.null_words = stops
            title_words = {word.lower() for word in words(title)} - stops
            summarizer.bonus_words = title_words or {"said", "says", "announced"}
            summarizer.stigma_words = {"click", "subscribe", "advertisement", "photo", "image", "caption"}
        chosen = summarizer(document, count)
        return [by_identity[id(model)] for model in chosen if id(model) in by_identity]


class RandomSummarizer:
    """Random sentences (seeded, so a benchmark run repeats), a floor for the benchmarks."""

    def __init__(self, seed: int = 13) -> None:
        self.seed = seed

    def __call__(self, sentences: Sequence[Sentence], count: int, title: str = "", language: str = "english") -> list[Sentence]:
        picker = random.Random(f"{self.seed}:{len(sentences)}:{sentences[0].text if sentences else ''}")
        chosen = sorted(picker.sample(range(len(sentences)), min(count, len(sentences))))
        return [sentences[index] for index in chosen]
