"""The seed article (a saved Moscow Times page): the key quotes a reader expects, nobody misquoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from summaries.analysis import analyze
from summaries.article import Article
from summaries.cleaning import split_title
from summaries.quotes import Quote

SEED = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "seed" / "000_9134b0a1518428ef.txt"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not SEED.exists(), reason=f"{SEED} is absent (the corpus lives in ../shared beside the project)"),
]


def seed_quotes() -> tuple[Quote, ...]:
    """The quotes of the seed article read the way `newsbrief analyze` reads a .txt (headline apart)."""
    title, body = split_title(SEED.read_text(encoding="utf-8"))
    return analyze(Article(body, title=title)).quotes


def find(quotes: tuple[Quote, ...], words: str) -> Quote:
    [quote] = [quote for quote in quotes if words in quote.text]
    return quote


def test_putin_on_the_decisive_contribution_is_a_key_quote():
    quote = find(seed_quotes(), "decisive contribution")
    assert quote.text == (
        "Moscow and Ankara are making a decisive contribution to the fight against terrorism in Syria, "
        "as well as to the promotion of a political settlement in that country."
    )
    assert (quote.speaker, quote.speaker_full, quote.speaker_name, quote.cue, quote.key) == (
        "Putin",
        "President Vladimir Putin",
        "Vladimir Putin",
        "said",
        True,
    )


def test_lavrov_on_the_agreement_reached_with_his_title():
    quote = find(seed_quotes(), "We reached an agreement")
    assert (quote.speaker_full, quote.speaker_name, quote.role, quote.cue, quote.kind, quote.key) == (
        "Russian Foreign Minister Sergei Lavrov",
        "Sergei Lavrov",
        "Russian Foreign Minister",
        "told reporters",
        "full",
        True,
    )
    assert quote.text.endswith("with the goal of decisively defeating the terrorist threat in Syria")


def test_cavusoglu_common_will_is_a_partial_key_quote():
    quote = find(seed_quotes(), "common will")
    assert (quote.text, quote.kind, quote.speaker_full, quote.key) == (
        "common will to clear Syrian territories of all terrorist groups",
        "partial",
        "Turkish Foreign Minister Mevlut Cavusoglu",
        True,
    )


def test_erdogan_main_objective_and_his_second_quote_by_pronoun():
    quotes = seed_quotes()
    objective = find(quotes, "Our main objective")
    assert (objective.text, objective.speaker, objective.speaker_name, objective.kind, objective.key) == (
        "Our main objective is for the terrorist organizations to leave",
        "Erdogan",
        "Recep Tayyip Erdogan",
        "full",
        True,
    )
    then = find(quotes, "anything left for us to do")
    assert (then.speaker, then.mention, then.speaker_name) == ("Erdogan", "he", "Recep Tayyip Erdogan")


def test_incorrect_and_turkish_invasion_are_scare_quotes_never_key():
    quotes = seed_quotes()
    assert [(quote.text, quote.kind, quote.key) for quote in quotes if quote.kind == "scare"] == [
        ("incorrect", "scare", False),
        ("Turkish invasion", "scare", False),
    ]


def test_key_quotes_come_first_and_nobody_is_misquoted():
    quotes = seed_quotes()
    keys = [quote for quote in quotes if quote.key]
    assert quotes[: len(keys)] == tuple(keys)
    assert {quote.speaker_name for quote in keys} == {"Sergei Lavrov", "Vladimir Putin", "Recep Tayyip Erdogan", "Mevlut Cavusoglu"}
    speakers = {quote.text[:30]: quote.speaker_name for quote in quotes if quote.speaker_name}
    assert speakers == {
        "We reached an agreement on how": "Sergei Lavrov",
        "Moscow and Ankara are making a": "Vladimir Putin",
        "Our main objective is for the ": "Recep Tayyip Erdogan",
        "common will to clear Syrian te": "Mevlut Cavusoglu",
        "restraint and responsibility": "Angela Merkel",
        "will continue to provide all p": "Vladimir Putin",
        "the fight against the forces o": "Vladimir Putin",
        "then there won’t be anything l": "Recep Tayyip Erdogan",
    }


def test_nothing_is_quoted_from_the_fundraising_appeal():
    quotes = seed_quotes()
    assert not [quote for quote in quotes if "foreign agent" in quote.text or "Moscow Times" in quote.text]
