"""Whatever the marks, a result or nothing: never a crash, never a hang (property tests)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summaries.analysis import analyze
from summaries.article import Article
from summaries.quotes import KINDS, Quote, extract_quotes, key_quotes
from summaries.quotes.marks import ALL_MARKS

PROSE = "Marsh said the council would vote on Friday. He told reporters it was over. "
# Text made of the pieces quotation handling trips on: every mark, words, names, cues, breaks.
PIECES = st.sampled_from(
    [*ALL_MARKS, "''", " ", "\n", "\n\n", ".", ",", ":", "?", "!", "—", "(", ")", "=", "<", ">",
     "said", "says", "told", "he", "she", "Marsh", "Elena Marsh", "Mayor", "the", "bridge", "is", "open",
     "don't", "Ιωάννης", "Москва", "北京", "مرحبا", "\u200b", "\t"]
)
TEXTS = st.lists(PIECES, max_size=200).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str, quotes: list[Quote]) -> None:
    """What every quotation promises about itself."""
    for quote in quotes:
        assert quote.text and quote.text == quote.text.strip()
        assert quote.kind in KINDS
        assert 0 <= quote.start < quote.end <= len(text)
        assert quote.pieces and all(0 <= start < end <= len(text) for start, end in quote.pieces)
        assert quote.pieces[0][0] == quote.start and quote.pieces[-1][1] == quote.end
        assert quote.speaker is None or quote.speaker.strip()
        assert isinstance(quote.to_dict(), dict)
    starts = [quote.start for quote in quotes]
    assert starts == sorted(starts)


@SETTINGS
@given(TEXTS)
def test_any_arrangement_of_marks_gives_well_formed_quotes(text: str) -> None:
    quotes = extract_quotes(text)
    check(text, quotes)
    assert all(found.key for found in key_quotes(quotes))


@SETTINGS
@given(st.text(max_size=400))
def test_any_text_at_all(text: str) -> None:
    check(text, extract_quotes(text))


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_analysis_of_any_text_keeps_key_quotes_first(text: str) -> None:
    quotes = analyze(Article(PROSE + text)).quotes
    keys = [quote for quote in quotes if quote.key]
    assert list(quotes[: len(keys)]) == keys


def test_two_thousand_marks_in_a_row():
    for mark in ('"', "“", "”", "'", "«", "„", "‹"):
        check(mark * 2000, extract_quotes(mark * 2000))
    mixed = "“”‘’«»„“" * 500
    check(mixed, extract_quotes(mixed))
    spaced = "“ " * 2000 + "he said."
    assert extract_quotes(spaced) == []


def test_a_whole_article_in_one_quotation():
    body = "\n\n".join(f"Paragraph {number} of the statement says the bridge is safe." for number in range(300))
    assert extract_quotes("“" + body + "”") == []
    continued = "\n\n".join(f"“Paragraph {number} of the statement says the bridge is safe." for number in range(300))
    [quote] = extract_quotes(continued + "”")
    assert len(quote.pieces) == 300 and quote.text.endswith("300 of the statement says the bridge is safe.".replace("300", "299"))


def test_unbalanced_and_stray_marks():
    text = "He said ” it was “ over and “done” then.\n\nShe said «non and » oui „ja."
    quotes = extract_quotes(text)
    check(text, quotes)
    assert [quote.text for quote in quotes] == ["done", "non and"]


def test_a_long_paragraph_of_many_quotations():
    text = " ".join(f"“Point {number} is settled,” Marsh said." for number in range(2000))
    quotes = extract_quotes(text)
    check(text, quotes)
    assert len(quotes) >= 1 and all(quote.speaker == "Marsh" for quote in quotes)


def test_other_languages_marks_and_scripts():
    text = "„Wir schaffen das“, sagte Merten. « Nous gagnerons », dit Duval. “Мы победим,” said Petrova."
    quotes = extract_quotes(text)
    check(text, quotes)
    assert [quote.text for quote in quotes] == ["Wir schaffen das", "Nous gagnerons", "Мы победим"]
    assert quotes[-1].speaker == "Petrova"
