"""The quotation as the rest of newsbrief sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KINDS = ("full", "partial", "scare", "title")


@dataclass(frozen=True)
class Quote:
    """A quotation in an article: the quoted words, who said them, and how it is quoted.

    `text` is the quoted words without the marks (the pieces of a quotation the
    attribution interrupts are joined); `start` and `end` are character offsets of
    the quoted words in the cleaned text, and `pieces` the (start, end) of each part.
    `speaker` is the speaker as written near the quote, a pronoun replaced by the
    person it stands for; `speaker_full` is the name with the role given at its
    first mention; `speaker_name` the person or organisation's name without role
    (None for an anonymous source such as "a senior official"); `role` the title
    before the name, else the description after it ("a pollster at …"); `mention`
    is the speaker exactly as written. `kind` is "full" (the quotation is the
    reported words: it opens the sentence or follows its cue), "partial" (woven
    into the author's sentence, or after "said that"), "scare" (a word or two the
    author holds at a distance) or "title" (the name of a work, a show, a slogan).
    Every quotation of one person in an article carries the same `speaker_full` (the
    fullest name the article gives, with its role) and `person_key`, that name
    lower-cased without titles ("sergei lavrov"), for telling people apart across
    articles (None when the speaker is not a named person or organisation). A
    pronoun ("he", "she", "it", "they") is never a speaker: it is replaced by whom
    it stands for, or the quotation is left without a speaker.
    `score` and `key` are set by the ranking (extract_quotes leaves them 0 and
    False); `source` is free for the caller to name the article a quote came from.
    """

    text: str
    speaker: str | None
    speaker_full: str | None
    speaker_name: str | None
    role: str | None
    cue: str | None
    start: int
    end: int
    kind: str
    score: float = 0.0
    key: bool = False
    mention: str | None = None
    pieces: tuple[tuple[int, int], ...] = ()
    sentence: int = 0
    paragraph: int = 0
    source: str | None = None
    person_key: str | None = None

    @property
    def named(self) -> bool:
        """True when the speaker is a named person or organisation."""
        return self.speaker_name is not None

    @property
    def quotable(self) -> bool:
        """True for a quotation of someone's words (not a scare quote or a title)."""
        return self.kind in ("full", "partial")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, the keys the CLI and the store share first."""
        return {
            "text": self.text,
            "speaker": self.speaker,
            "speaker_full": self.speaker_full,
            "cue": self.cue,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "speaker_name": self.speaker_name,
            "role": self.role,
            "mention": self.mention,
            "score": round(self.score, 4),
            "key": self.key,
            "pieces": [list(piece) for piece in self.pieces],
            "sentence": self.sentence,
            "paragraph": self.paragraph,
            "source": self.source,
            "person_key": self.person_key,
        }
