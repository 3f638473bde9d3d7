"""A sumy tokenizer of ours: sumy's own needs NLTK's punkt data, which is never downloaded here."""

from __future__ import annotations

from summaries.sentences import split_sentences
from summaries.text import words


class NewsTokenizer:
    """Sentences and words the way sumy's parsers ask for them (`language`, `to_sentences`, `to_words`)."""

    def __init__(self, language: str = "english") -> None:
        self.language = language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """The sentences of a paragraph."""
        return tuple(sentence.text for sentence in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """The words of a sentence, punctuation left out."""
        return tuple(words(sentence))
