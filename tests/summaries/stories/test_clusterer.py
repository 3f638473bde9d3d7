from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from summaries.stories.clusterer import DocumentFrequencies, StoryClusterer

NOON = datetime(2031, 5, 6, 12, 0, tzinfo=UTC)

ARLEN = (
    "Earthquake shakes Port Arlen",
    "A 6.2 magnitude earthquake shook the harbour town of Port Arlen on Tuesday, damaging the ferry pier. "
    "Harbour master Ines Volter said two fishing boats sank at their moorings.",
)
ARLEN_AGAIN = (
    "Port Arlen counts damage after quake",
    "Residents of Port Arlen cleared rubble from the ferry pier a day after the 6.2 magnitude earthquake. "
    "Ines Volter, the harbour master, said the ferry would sail again next week.",
)
MIREN = (
    "Earthquake shakes Lake Miren",
    "A 5.1 magnitude earthquake shook the mountain village of Lake Miren on Tuesday, damaging the old school. "
    "Mayor Oskar Brandt said the pupils were moved to the village hall.",
)
ORCHARD = (
    "Orchard festival opens in Feldhaven",
    "The annual apple festival opened in Feldhaven with a parade of carts and a cider contest judged by Rosa Imke.",
)


def test_idf_is_smoothed_and_highest_for_unseen_terms():
    frequencies = DocumentFrequencies()
    assert frequencies.idf("quake") == 1.0
    frequencies.add(["quake", "quake", "pier"])
    frequencies.add(["quake"])
    assert frequencies.documents == 2
    assert frequencies.idf("quake") == 1.0
    assert math.isclose(frequencies.idf("pier"), math.log(3 / 2) + 1)
    assert math.isclose(frequencies.idf("ferry"), math.log(3) + 1)


def test_two_reports_join_and_another_place_starts_its_own_story():
    clusterer = StoryClusterer()
    assert clusterer.add(1, *ARLEN, NOON) == 1
    assert clusterer.add(2, *MIREN, NOON + timedelta(hours=1)) == 2
    assert clusterer.add(3, *ARLEN_AGAIN, NOON + timedelta(hours=20)) == 1
    assert clusterer.clusters() == [[1, 3], [2]]
    assert clusterer.story_of == {1: 1, 2: 2, 3: 1}


def test_df_counts_an_article_after_it_is_matched():
    clusterer = StoryClusterer()
    clusterer.add(1, *ARLEN, NOON)
    assert clusterer.frequencies.documents == 1
    assert clusterer.frequencies.counts["port_arlen"] == 1


def test_an_article_after_the_window_starts_a_new_story():
    clusterer = StoryClusterer(window=timedelta(hours=12))
    clusterer.add(1, *ARLEN, NOON)
    assert clusterer.add(2, *ARLEN_AGAIN, NOON + timedelta(hours=13)) == 2


def test_candidates_come_from_the_index_not_a_scan():
    clusterer = StoryClusterer()
    clusterer.add(1, *ARLEN, NOON)
    clusterer.add(2, *MIREN, NOON)
    clusterer.add(3, *ORCHARD, NOON)
    assert clusterer.last_candidates == 0
    clusterer.add(4, *ARLEN_AGAIN, NOON)
    assert 1 <= clusterer.last_candidates <= 2


def test_a_story_quiet_for_longer_than_the_window_leaves_the_index():
    clusterer = StoryClusterer(window=timedelta(hours=12))
    clusterer.add(1, *ARLEN, NOON)
    clusterer.add(2, *ORCHARD, NOON + timedelta(days=2))
    assert clusterer.add(3, *ARLEN_AGAIN, NOON + timedelta(days=2)) == 3
    assert clusterer.last_candidates == 0
    # Dropped from the posting lists looked up (lazily, as they are read).
    assert all(1 not in clusterer.index.get(term, {}) for term in ("port_arlen", "arlen"))


def test_an_empty_or_stop_word_article_is_a_story_of_its_own_that_nothing_joins():
    clusterer = StoryClusterer()
    assert clusterer.add(1, "", "", NOON) == 1
    assert clusterer.add(2, "The", "It was and it is.", NOON) == 2
    assert clusterer.add(3, "", "", NOON) == 3
    assert clusterer.add(4, *ARLEN, NOON) == 4
    assert clusterer.clusters() == [[1], [2], [3], [4]]


def test_the_same_articles_in_the_same_order_give_the_same_stories():
    articles = [ARLEN, MIREN, ARLEN_AGAIN, ORCHARD]
    runs = []
    for _ in range(2):
        clusterer = StoryClusterer()
        runs.append([clusterer.add(number, *article, NOON) for number, article in enumerate(articles)])
    assert runs[0] == runs[1] == [1, 2, 1, 3]

