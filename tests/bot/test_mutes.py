"""Mutes: literal words and phrases, whole words in any case; stories hidden by their id."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.mutes import MuteRequest, Mutes, mute_words, parse_mutes, story_key
from summaries.briefing import Briefing, BriefingQuote, Story

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def story(key: int, headline: str, summary: str = "", quote: str = "", story_ids: tuple[int, ...] | None = None) -> Story:
    said = BriefingQuote(quote, "A speaker", "Speaker", "Outlet", None, key) if quote else None
    return Story(
        key=key, headline=headline, summary=(summary,) if summary else (), quote=said, sources=(),
        story_ids=story_ids if story_ids is not None else (key,), article_count=1, published_at=NOW, score=1.0,
        quotes=(said,) if said else (),
    )


def test_words_are_letters_and_digits_in_lower_case_without_a_possessive():
    assert mute_words("Russia-Ukraine talks: Erdogan’s O'Brien don't ARTICLE Straße 2026") == [
        "russia", "ukraine", "talks", "erdogan", "o'brien", "don't", "article", "strasse", "2026"
    ]


def test_each_word_is_a_mute_and_a_quoted_phrase_is_one_in_the_order_typed():
    assert parse_mutes('grain "Premier League" Erdogan\'s “Bank of England” grain "unclosed phrase') == MuteRequest(
        accepted=(
            ("grain", "grain"), ("Premier League", "premier league"), ("Erdogan's", "erdogan"),
            ("Bank of England", "bank of england"), ("unclosed phrase", "unclosed phrase"),
        ),
    )


def test_stop_words_signs_and_long_phrases_are_refused_with_the_reason():
    assert parse_mutes('the "of the" 🏈 "" "alpha bravo charlie delta echo foxtrot golf hotel india" ".*" (a|b)+').refused == (
        ("the", "is only common words, which nearly every story has"),
        ("of the", "is only common words, which nearly every story has"),
        ("🏈", "has no letters or digits to match"),
        ("alpha bravo charlie delta echo foxtrot golf hotel india", "is too long: a mute is at most 8 words"),
        (".*", "has no letters or digits to match"),
        ("(a|b)+", "is only common words, which nearly every story has"),
    )
    # A pattern is only its words: "(a|b)+" mutes nothing but the letters, which are stop words.
    assert parse_mutes("(a|b)+").accepted == ()


def test_a_mute_matches_whole_words_of_the_headline_summary_or_key_quote_in_any_case():
    truce = story(1, "Truce holds around Manbij", "Elders brokered a three-day pause.", "We want the guns to fall silent")
    assert Mutes.of(["manbij"]).hides(truce)
    assert Mutes.of(["elders"]).hides(truce)
    assert Mutes.of(["guns"]).hides(truce)
    assert Mutes.of(["three-day"]).hides(truce) is False  # a hyphen separates words: the key is "three day"
    assert Mutes.of(["three day"]).hides(truce)
    assert Mutes.of(["manbi"]).hides(truce) is False
    assert Mutes.of(["pause elders"]).hides(truce) is False
    assert Mutes.of(["manbij elders"]).hides(truce) is False  # a phrase never spans the headline and the summary


def test_a_hidden_story_is_hidden_by_any_of_its_story_ids():
    merged = story(3, "Truce holds", story_ids=(3, 8))
    assert Mutes.of([story_key(8)]).hides(merged)
    assert Mutes.of([story_key(9)]).hides(merged) is False
    assert not Mutes.of([])


def test_leaving_out_keeps_the_other_stories_and_their_quotes_only():
    kept, gone = story(1, "Grain exports rise", quote="Ships are sailing"), story(2, "Football cup final", quote="We won")
    briefing = Briefing("Latest", NOW, NOW, (kept, gone), quotes=(kept.quote, gone.quote))
    left = Mutes.of(["football"]).leave_out(briefing)
    assert [s.key for s in left.stories] == [1]
    assert left.quotes == (kept.quote,)
    assert Mutes.of(["cricket"]).leave_out(briefing) is briefing
