"""What a quoted span is: the reported words, a fragment woven into prose, a scare quote, or a title."""

from __future__ import annotations

import re

from summaries.quotes.attribution import is_cue
from summaries.quotes.tokens import Token

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# Words before a quoted span that make it a name of a work, a show or a slogan.
_TITLE_CUES = frozenset(
    """titled entitled named book novel memoir film movie song album show series program programme
    documentary column op-ed article essay headline slogan hashtag podcast magazine newspaper poem
    play episode speech ad advertisement video campaign segment tagline motto""".split()
)
# Words before a short quoted span that hold it at a distance: what it called "incorrect".
_LABEL_CUES = frozenset("called so-called dubbed termed labeled labelled branded nicknamed deemed calls dubs brands".split())
_SMALL_WORDS = frozenset("a an the and or of for in on at to by with from as vs nor but is".split())
_CLOSING_PUNCTUATION = frozenset(".!?;")
# "X said on Friday in a statement, \"…\"": words allowed between the cue and the comma.
_CUE_TO_QUOTE = 16
# Words from which a quotation that opens its clause reads as a full quotation.
_FULL_WORDS = 5


def word_count(text: str) -> int:
    """Words in a quotation."""
    return len(_WORD.findall(text))


def opens_clause(before: list[Token]) -> bool:
    """True when nothing of the author's own sentence stands between the cue and the opening mark."""
    if not before:
        return True
    last = before[-1]
    if last.text == ":" or last.is_quote:
        return True
    if last.text == ",":
        if len(before) >= 2 and before[-2].is_quote:
            return True
        cue = next((index for index in range(len(before) - 2, -1, -1) if is_cue(before, index)), None)
        if cue is None:
            return False
        between = [token.lower for token in before[cue + 1 : -1] if token.is_word]
        return "that" not in between and len(between) <= _CUE_TO_QUOTE
    if last.text in "—–" and len(before) >= 2:
        return is_cue(before, len(before) - 2)
    return is_cue(before, len(before) - 1) and last.lower != "according"


def closes_clause(after: list[Token], attributed_after: bool) -> bool:
    """True when the author's sentence does not go on with the quoted words as part of it."""
    if not after or attributed_after:
        return True
    first = after[0]
    return first.text in _CLOSING_PUNCTUATION or first.is_quote or first.text in "—–)"


def classify(text: str, before: list[Token], after: list[Token], attributed_after: bool) -> str:
    """The kind of a quoted span: "full", "partial", "scare" or "title"."""
    words = _WORD.findall(text)
    count = len(words)
    # A quotation that opens the reported words is full even if the author's sentence runs on
    # after it ("… they don't have a choice" but to lead, said Tracey); a short one is a fragment.
    # An aside in brackets or dashes that is a quotation and its attribution is full too:
    # '(''This is an occupation,'' Crowley wrote)', '- "We need the details," she said -'.
    aside = attributed_after and bool(before) and before[-1].text in "(—–-"
    full = (opens_clause(before) or aside) and (closes_clause(after, attributed_after) or count >= _FULL_WORDS)
    lead = [token.lower for token in before[-3:] if token.is_word]
    if _is_title(words, text, lead, full and attributed_after):
        return "title"
    if full:
        return "full"
    if count <= 2 or (count <= 4 and any(word in _LABEL_CUES for word in lead[-2:])):
        return "scare"
    return "partial"


def _is_title(words: list[str], text: str, lead: list[str], attributed_full: bool) -> bool:
    if not words or len(words) > 12 or attributed_full or text.rstrip().endswith(("?", "!")):
        return False
    long_words = [word for word in words if word.lower() not in _SMALL_WORDS]
    if not long_words or not all(word[0].isupper() or word[0].isdigit() for word in long_words):
        return False
    if any(word in _TITLE_CUES for word in lead):
        return True
    capitals = sum(1 for word in words if word[0].isupper())
    return len(long_words) >= 2 and capitals >= 2 and not any(word == "I" for word in words)
