"""Quotations grouped by who said them: one person, one identity, shown by the fullest name the reports give.

A person appears as "Mayor Elena Marsh", "Elena Marsh" and "Marsh" in one
article and across outlets: each form's name words (the speaker's name without
the role, as the quote extractor gives it) are the identity, and a bare surname
joins the one full name in the set that ends with it. Two people who share a
surname ("Grace Lindqvist" and "Tom Lindqvist") stay two, and a bare surname
they both end with stays on its own rather than go to either. A speaker is shown
by the longest form given with a role ("Mayor Elena Marsh").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summaries.text import words


@dataclass(frozen=True)
class Speaker:
    """A person and what they were quoted saying, in the order given."""

    key: str
    display: str
    quotes: tuple[Any, ...]


def person_key(quote: Any) -> str:
    """The identity of a quote's speaker: the casefolded words of their name ("" when there is none)."""
    given = getattr(quote, "person_key", "")
    if given:
        return str(given)
    name = getattr(quote, "speaker_name", "") or getattr(quote, "speaker", "") or ""
    return " ".join(word.casefold() for word in words(name))


def group_by_speaker(quotes: Sequence[Any]) -> list[Speaker]:
    """The quotes' speakers, in order of first quotation; quotes without a speaker are left out."""
    keys = [person_key(quote) for quote in quotes]
    full = sorted({key for key in keys if " " in key})
    groups: dict[str, list[Any]] = {}
    for quote, key in zip(quotes, keys):
        if not key:
            continue
        if " " not in key:
            owners = [name for name in full if name.split()[-1] == key]
            key = owners[0] if len(owners) == 1 else key
        groups.setdefault(key, []).append(quote)
    return [Speaker(key, _display(said), tuple(said)) for key, said in groups.items()]


def _display(quotes: Sequence[Any]) -> str:
    forms = [getattr(quote, "speaker_full", "") or getattr(quote, "speaker", "") for quote in quotes]
    return max(forms, key=lambda form: (len(words(form)), len(form)))
