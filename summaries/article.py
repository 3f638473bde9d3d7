"""The article as the text layer sees it, and the analysis made of it once at ingest."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summaries.quotes import Quote


@dataclass(frozen=True)
class Article:
    """One news article: its title and body text as stored (never edited)."""

    text: str
    title: str = ""
    language: str = "english"


@dataclass(frozen=True)
class Removal:
    """A piece of page chrome taken out of an article, kept so it can be inspected."""

    text: str
    reason: str


@dataclass(frozen=True)
class CleanedText:
    """An article body with its chrome taken out; the original stays untouched elsewhere."""

    text: str
    removed: tuple[Removal, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text, with character offsets into that text."""

    text: str
    start: int
    end: int
    paragraph: int = 0
    index: int = 0


@dataclass(frozen=True)
class Analysis:
    """Everything the text layer learns about one article, computed once at ingest."""

    title: str
    language: str
    cleaned: CleanedText
    sentences: tuple[Sentence, ...]
    summary: tuple[Sentence, ...]
    quotes: tuple[Quote, ...] = field(default=())
