from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from summaries.stories.matching import WINDOW, Candidate, _Article, centroid_norm, choose_story, evidence, norm_is_stale, similarity
from summaries.stories.terms import article_terms

NOON = datetime(2031, 5, 6, 12, 0, tzinfo=UTC)


def flat(term: str) -> float:
    return 1.0


ARLEN = article_terms(
    "Earthquake shakes Port Arlen",
    "A 6.2 magnitude earthquake shook the harbour town of Port Arlen on Tuesday, damaging the ferry pier.",
)
ARLEN_AGAIN = article_terms(
    "Port Arlen counts damage after quake",
    "Residents of Port Arlen cleared rubble from the ferry pier a day after the 6.2 magnitude earthquake.",
)
MIREN = article_terms(
    "Earthquake shakes Lake Miren",
    "A 5.1 magnitude earthquake shook the mountain village of Lake Miren on Tuesday, damaging the old school.",
)


def story(story_id: int, terms: dict[str, float], articles: int = 1, last: datetime = NOON) -> Candidate:
    return Candidate(story_id, terms, articles, last)


def test_similarity_is_a_cosine():
    assert math.isclose(similarity(ARLEN, ARLEN, flat), 1.0)
    assert similarity({"a": 1.0}, {"b": 1.0}, flat) == 0.0
    assert similarity({}, ARLEN, flat) == 0.0
    assert math.isclose(similarity({"a": 1.0, "b": 1.0}, {"a": 1.0}, flat), 1 / math.sqrt(2))


def test_idf_weighs_rare_terms_up():
    idf = {"rare": 4.0, "common": 1.0}.__getitem__
    assert similarity({"rare": 1.0}, {"rare": 1.0, "common": 1.0}, idf) > similarity({"common": 1.0}, {"rare": 1.0, "common": 1.0}, idf)


def test_two_reports_of_one_event_join():
    assert choose_story(ARLEN_AGAIN, NOON + timedelta(hours=20), [story(7, ARLEN)], flat) == 7


def test_two_earthquakes_in_different_places_stay_apart():
    assert evidence(MIREN, ARLEN) == []
    assert choose_story(MIREN, NOON, [story(7, ARLEN)], flat) is None


def test_of_two_stories_the_closer_is_joined():
    assert choose_story(ARLEN_AGAIN, NOON, [story(3, MIREN), story(7, ARLEN)], flat) == 7


def test_a_story_outside_the_window_is_not_joined():
    assert choose_story(ARLEN_AGAIN, NOON + WINDOW + timedelta(minutes=1), [story(7, ARLEN)], flat) is None
    assert choose_story(ARLEN_AGAIN, NOON + timedelta(days=1), [story(7, ARLEN)], flat, window=timedelta(hours=6)) is None


def test_an_equal_tie_goes_to_the_oldest_story_whatever_the_order():
    candidates = [story(9, ARLEN), story(4, ARLEN), story(6, ARLEN)]
    assert choose_story(ARLEN_AGAIN, NOON, candidates, flat) == 4
    assert choose_story(ARLEN_AGAIN, NOON, candidates[::-1], flat) == 4


def test_shared_background_words_alone_never_join():
    quake = {"earthquake": 0.5, "magnitude": 0.3, "shook": 0.2}
    assert similarity(quake, quake, flat) > 0.99
    assert choose_story(quake, NOON, [story(1, quake)], flat) is None


def test_an_article_without_terms_joins_nothing():
    assert choose_story({}, NOON, [story(7, ARLEN)], flat) is None


def test_a_kept_centroid_length_gives_the_same_cosine():
    idf = {"port": 2.0, "arlen": 3.0}.get
    weigh = lambda term: idf(term) or 1.5  # noqa: E731
    kept = centroid_norm(ARLEN, weigh)

    assert math.isclose(_Article(ARLEN_AGAIN, weigh).similarity(ARLEN, kept), similarity(ARLEN_AGAIN, ARLEN, weigh))
    assert math.isclose(_Article(MIREN, weigh).similarity(ARLEN, kept), similarity(MIREN, ARLEN, weigh))


def test_a_centroid_length_is_worked_out_again_once_the_store_grew_by_a_hundredth_or_twenty_articles():
    assert not norm_is_stale(0, 20)
    assert norm_is_stale(0, 21)
    assert not norm_is_stale(10_000, 10_100)
    assert norm_is_stale(10_000, 10_101)
