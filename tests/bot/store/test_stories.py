"""Stories across outlets on SQLite and PostgreSQL: own reports of one event join, other events stay apart."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select, text

from bot.ingest.pipeline import store_items
from bot.ingest.read import IncomingArticle
from bot.store import (
    Store, add_article, add_articles, get_story, recent_stories, save_story_summary, stale_story_ids, story_articles, transaction,
)
from bot.store.engine import downgrade_schema, upgrade_schema
from bot.store.models import StoryRecord, StoryTerm
from summaries.stories import INDEX_TERMS
from bot.topics import Topics
from tests.bot.helpers import NOW, OTHER_QUAKE, QUAKE_A, QUAKE_B, body, new_article
from tests.conftest import Backend

def test_two_outlets_reporting_one_event_make_one_story(store: Store) -> None:
    first = add_article(store, new_article("Quake topples Velmora clock tower", QUAKE_A, source="Arlen Courier"))
    second = add_article(
        store, new_article("Velmora digs out after 6.1 quake", QUAKE_B, source="Northern Ledger", published=NOW + timedelta(hours=3))
    )
    other = add_article(store, new_article("Quake cracks Tarsk harbour wall", OTHER_QUAKE, source="Arlen Courier"))

    assert second.story_id == first.story_id
    assert other.story_id != first.story_id
    story = get_story(store, first.story_id)
    assert (story.article_count, story.outlet_count) == (2, 2)
    assert [article.source for article in story_articles(store, first.story_id)] == ["Arlen Courier", "Northern Ledger"]


def test_a_report_after_the_window_starts_a_new_story(store: Store) -> None:
    first = add_article(store, new_article("Quake topples Velmora clock tower", QUAKE_A, source="Arlen Courier"))
    late = add_article(
        store, new_article("Velmora digs out after 6.1 quake", QUAKE_B, source="Northern Ledger", published=NOW + timedelta(days=9))
    )

    assert late.story_id != first.story_id


def test_reports_in_one_batch_join_the_story_the_batch_starts(store: Store) -> None:
    results = add_articles(
        store,
        [
            new_article("Quake topples Velmora clock tower", QUAKE_A, source="Arlen Courier"),
            new_article("Quake cracks Tarsk harbour wall", OTHER_QUAKE, source="Arlen Courier"),
            new_article("Velmora digs out after 6.1 quake", QUAKE_B, source="Northern Ledger"),
        ],
    )

    assert [result.status for result in results] == ["added", "added", "added"]
    assert results[2].story_id == results[0].story_id != results[1].story_id
    assert get_story(store, results[0].story_id).outlet_count == 2


def test_a_wire_copy_joins_its_story_as_a_copy(store: Store) -> None:
    original = add_article(store, new_article("Quake topples Velmora clock tower", QUAKE_A, source="Arlen Courier"))
    reprint = add_article(
        store, new_article("Velmora clock tower falls in quake", QUAKE_A + "\n\nThe agency contributed to this report.", source="Kessa Times")
    )

    assert reprint.story_id == original.story_id
    copies = {article.id: article.copy_of for article in story_articles(store, original.story_id)}
    assert copies == {original.article_id: None, reprint.article_id: original.article_id}


def test_an_article_with_only_a_headline_joins_no_story(store: Store) -> None:
    first = add_article(store, new_article("Quake topples Velmora clock tower", QUAKE_A, source="Arlen Courier"))
    bare = add_article(store, new_article("Velmora", "Velmora.", source="Northern Ledger"))

    assert bare.story_id != first.story_id
    assert get_story(store, first.story_id).article_count == 1


def test_two_processes_adding_reports_of_one_new_event_at_once_make_one_story(backend: Backend) -> None:
    stores = [backend.open(), backend.open()]
    reports = [
        new_article("Quake topples Velmora clock tower", QUAKE_A, source="Arlen Courier"),
        new_article("Velmora digs out after 6.1 quake", QUAKE_B, source="Northern Ledger"),
    ]
    start = threading.Barrier(2)
    results: list[int | None] = [None, None]

    def add(index: int) -> None:
        start.wait()
        results[index] = add_article(stores[index], reports[index]).story_id

    threads = [threading.Thread(target=add, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for opened in stores:
        opened.close()

    assert results[0] is not None and results[0] == results[1]


def test_a_story_of_two_outlets_gets_a_summary_from_both_at_ingest(store: Store, topics: Topics) -> None:
    store_items(
        store,
        topics,
        [
            IncomingArticle("Quake topples Velmora clock tower", QUAKE_A, "a", source="Arlen Courier", published_at=NOW),
            IncomingArticle("Velmora digs out after 6.1 quake", QUAKE_B, "b", source="Northern Ledger", published_at=NOW),
        ],
        now=NOW,
    )

    (story,) = recent_stories(store, NOW - timedelta(days=1))
    assert story.article_count == 2 and stale_story_ids(store) == []
    assert {sentence["outlet"] for sentence in story.summary} == {"Arlen Courier", "Northern Ledger"}
    assert all(sentence["text"] in QUAKE_A + QUAKE_B for sentence in story.summary)


def test_the_story_window_is_the_stores_to_set(backend: Backend) -> None:
    store = backend.open(story_window=timedelta(hours=1))
    try:
        first = add_article(store, new_article("Quake topples Velmora clock tower", QUAKE_A, source="Arlen Courier"))
        later = add_article(
            store, new_article("Velmora digs out after 6.1 quake", QUAKE_B, source="Northern Ledger", published=NOW + timedelta(hours=3))
        )
    finally:
        store.close()

    assert later.story_id != first.story_id


def test_a_near_copy_grows_the_centroid_of_the_story_it_joins(store: Store) -> None:
    original = add_article(store, new_article("Quake topples Velmora clock tower", QUAKE_A, source="Arlen Courier"))
    before = centroid(store, original.story_id)
    add_article(store, new_article("Velmora clock tower falls in quake", QUAKE_A + "\n\nThe agency contributed to this report.", source="Kessa Times"))
    after = centroid(store, original.story_id)

    assert set(before) <= set(after)
    assert after["velmora"] > 1.5 * before["velmora"]


def centroid(store: Store, story_id: int) -> dict[str, float]:
    with transaction(store, write=False) as session:
        return dict(session.scalar(select(StoryRecord.centroid).where(StoryRecord.id == story_id)) or {})


def test_story_centroids_survive_the_move_to_one_value_a_story_and_back(store: Store) -> None:
    first = add_article(store, new_article("Quake topples Velmora clock tower", QUAKE_A, source="Arlen Courier"))
    add_article(store, new_article("Velmora digs out after 6.1 quake", QUAKE_B, source="Northern Ledger"))
    before = centroid(store, first.story_id)
    found_by = index_rows(store, first.story_id)

    downgrade_schema(store, "0003")
    with transaction(store, write=False) as session:
        rows = session.execute(text("SELECT term, weight, indexed FROM story_terms WHERE story_id = :story"), {"story": first.story_id}).all()
    assert {term: weight for term, weight, _ in rows} == before
    assert {term for term, _, indexed in rows if indexed} == found_by

    upgrade_schema(store)
    assert centroid(store, first.story_id) == before
    assert index_rows(store, first.story_id) == found_by
    assert len(found_by) == INDEX_TERMS < len(before)


def index_rows(store: Store, story_id: int) -> set[str]:
    with transaction(store, write=False) as session:
        return set(session.scalars(select(StoryTerm.term).where(StoryTerm.story_id == story_id)))


# A third outlet's own report of the Velmora quake, the day after.
QUAKE_C = body(
    "Engineers in Velmora began shoring up houses on Wednesday, a day after the 6.1 quake felled the Saint Brenna clock tower.",
    "Mayor Odile Ferrant said the market near the tower would stay closed while crews from Arlen cleared the debris.",
    words=120,
)


def test_a_wire_copy_leaves_the_story_summary_as_it_is_and_an_own_report_makes_it_again(store: Store) -> None:
    first = add_article(store, new_article("Quake topples Velmora clock tower", QUAKE_A, source="Arlen Courier"))
    add_article(store, new_article("Velmora digs out after 6.1 quake", QUAKE_B, source="Northern Ledger"))
    assert stale_story_ids(store) == [first.story_id]
    save_story_summary(store, first.story_id, [{"text": "made"}], seen_count=2)

    reprint = add_article(
        store, new_article("Velmora clock tower falls in quake", QUAKE_A + "\n\nThe agency contributed to this report.", source="Kessa Times")
    )
    assert reprint.story_id == first.story_id
    assert stale_story_ids(store) == []
    assert (get_story(store, first.story_id).article_count, get_story(store, first.story_id).outlet_count) == (3, 3)

    follow_up = add_article(store, new_article("Velmora counts the cost of the quake", QUAKE_C, source="Tarsk Post"))
    assert follow_up.story_id == first.story_id
    assert stale_story_ids(store) == [first.story_id]
