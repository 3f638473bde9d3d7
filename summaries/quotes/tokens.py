"""Word and punctuation tokens of the prose around a quotation (quotations masked out)."""

from __future__ import annotations

import re
from typing import NamedTuple

# A quotation, masked out of the text so its words are never read as the author's.
MASK = "\x01"
_TOKEN = re.compile(MASK + r"+|(?:[A-Z]\.){2,}[A-Z]?|\d+/\d+|[^\W_]+(?:[’'\-][^\W_]+)*|\S")
# A party and state after a legislator's name keeps its full stop: "R-Ky.", "D-Mo.".
_AFFILIATION = re.compile(r"[RDI]-[A-Z][A-Za-z]{0,3}")
# The states as American papers abbreviate them after a town: "Allentown, Pa., said".
STATE_ABBREVIATIONS = frozenset(
    "ala ariz ark calif colo conn fla ga ill ind kan ky la mass md mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo".split()
)
_ABBREVIATIONS = (
    frozenset("mr mrs ms dr sen rep gov lt gen col maj capt sgt adm cmdr rev prof jr sr st mt ft sens reps govs messrs mme hon".split())
    | STATE_ABBREVIATIONS
)
_NUMBER_SIGN = re.compile(r"\. ?\d")  # "No. 2"


class Token(NamedTuple):
    """A word or a punctuation mark and where it is; lower is its lower-case form."""

    text: str
    start: int
    end: int
    lower: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_quote(self) -> bool:
        return self.text[0] == MASK

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Tokens of text[start:end]; "Sen." and initials keep their full stop."""
    tokens: list[Token] = []
    taken = -1  # the end of the dot an abbreviation took
    for match in _TOKEN.finditer(text, start, end):
        token_start, token_end = match.span()
        if token_start < taken:
            continue  # that dot
        word = match.group()
        lower = word.lower()
        if token_end < end and text[token_end] == "." and (
            lower in _ABBREVIATIONS or (len(word) == 1 and word.isupper()) or _AFFILIATION.fullmatch(word)
            or word in ("No", "no") and _NUMBER_SIGN.match(text, token_end)
        ):
            taken = token_end + 1
            tokens.append(Token(word + ".", token_start, taken, lower + "."))
        else:
            tokens.append(Token(word, token_start, token_end, lower))
    return tokens
