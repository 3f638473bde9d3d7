"""The article store on SQLite and PostgreSQL: saving once, duplicates, stories, search, topics, quotes."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from bot.store import (
    Added,
    Store,
    StoreError,
    add_article,
    add_articles,
    article_count,
    articles_for_topic,
    delete_articles,
    downgrade_schema,
    get_article,
    get_story,
    latest_articles,
    quotes_by_speaker,
    quotes_for_topic,
    schema_revision,
    search,
    story_articles,
    topic_counts,
    upgrade_schema,
)
from bot.store import adding as adding_module
from bot.store import articles as articles_module
from bot.store.models import ArticleRecord, StoryRecord
from tests.bot.helpers import NOW, QuoteStub, body, hours_ago, new_article
from tests.conftest import Backend

WIRE = body(
    "Turkish-backed fighters and Kurdish-led forces agreed on Sunday to a three-day truce around the Syrian town of Manbij.",
    "The truce was brokered by tribal elders who met both sides separately in the town of Jarablus on Saturday night.",
    "Aid agencies said the pause could allow the first convoys in more than a week to reach villages east of the river.",
    "Talks on a longer ceasefire are expected to resume in Jarablus on Wednesday, officials in Damascus said.",
    words=160,
)


def test_an_article_is_stored_once_with_its_analysis(store: Store) -> None:
    added = add_article(store, new_article("Truce agreed around Manbij", WIRE, url="https://a.example/truce?utm_source=x#top"))

    assert added.status == "added"
    stored = get_article(store, added.article_id)
    assert stored is not None
    assert stored.title == "Truce agreed around Manbij"
    assert stored.canonical_url == "https://a.example/truce"
    assert stored.url == "https://a.example/truce?utm_source=x#top"
    assert stored.published_at == NOW
    assert stored.published_guessed is False
    assert stored.original == WIRE
    assert len(stored.summary) == 3
    assert stored.summary[0].startswith("Turkish-backed fighters")
    assert stored.topics["syria"] > 0
    assert stored.story_size == 1


def test_the_same_url_or_the_same_text_is_a_duplicate(store: Store) -> None:
    first = add_article(store, new_article("Truce", WIRE, url="https://a.example/truce"))
    same_url = add_article(
        store, new_article("Truce, updated", body("Other text entirely.", words=60), url="http://www.a.example/truce/?fbclid=1")
    )
    same_text = add_article(store, new_article("Truce elsewhere", WIRE, url="https://b.example/copy"))

    assert (same_url.status, same_url.article_id, same_url.reason) == ("duplicate", first.article_id, f"same URL as article #{first.article_id}")
    assert (same_text.status, same_text.reason) == ("duplicate", f"same text as article #{first.article_id}")
    assert article_count(store) == 1


def test_a_wire_copy_joins_the_story_of_the_original(store: Store) -> None:
    original = add_article(store, new_article("Truce agreed around Manbij", WIRE, url="https://a.example/1", published=hours_ago(5)))
    copy_text = WIRE.replace("agreed on Sunday to", "have agreed to") + "\n\nTurkey said the truce did not change its position."
    copy = add_article(store, new_article("Truce holds in Manbij", copy_text, url="https://b.example/2", published=hours_ago(2)))
    other = add_article(store, new_article("Bridge repairs approved", body("The council approved repairs to the old bridge.", words=120), published=hours_ago(1)))

    assert copy.status == "added"
    assert copy.story_id == original.story_id
    assert other.story_id != original.story_id
    story = get_story(store, original.story_id)
    assert story is not None
    assert (story.article_count, story.first_published_at, story.last_published_at) == (2, hours_ago(5), hours_ago(2))
    assert [article.id for article in story_articles(store, original.story_id)] == [original.article_id, copy.article_id]
    assert {article.story_size for article in latest_articles(store)} == {2, 1}


def test_near_duplicates_far_apart_in_time_are_separate_stories(store: Store) -> None:
    first = add_article(store, new_article("Truce", WIRE, url="https://a.example/1", published=hours_ago(24 * 10)))
    later = add_article(store, new_article("Truce again", WIRE + "\n\nA new paragraph.", url="https://a.example/2"))

    assert later.story_id != first.story_id


def test_a_wire_copy_finds_its_original_past_older_copies_stored_later(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adding_module, "MAX_CANDIDATES", 2)
    original = add_article(store, new_article("Truce agreed around Manbij", WIRE, url="https://a.example/1", published=hours_ago(5)))
    copy_text = WIRE.replace("agreed on Sunday to", "have agreed to") + "\n\nTurkey said the truce did not change its position."
    for number in range(3):  # last month's reprints of the same wording, stored after it (an archive)
        text = f"{copy_text} Archived {number}."
        add_article(store, new_article(f"Truce (archive {number})", text, url=f"https://c.example/{number}", published=hours_ago(24 * 30)))

    copy = add_article(store, new_article("Truce holds in Manbij", copy_text, url="https://b.example/2", published=hours_ago(2)))

    stored = get_article(store, copy.article_id)
    assert stored is not None
    assert (stored.copy_of, copy.story_id) == (original.article_id, original.story_id)


@pytest.mark.parametrize(
    "query",
    [
        '"truce', "truce NEAR manbij", "truce*", "(truce) OR", "truce AND NOT", "manbij: ^truce", "'; DROP TABLE articles; --",
        'truce""', 'truce "" "', 'NEAR(truce', "truce -", "truce -:", 'truce -"', 'truce -""', "truce -OR", "truce NOT",
        "{truce}", "truce + manbij", "truce AND -(", 'truce^ -"*"', "-- truce",
    ],
)
def test_search_treats_operators_and_punctuation_as_words(store: Store, query: str) -> None:
    add_article(store, new_article("Truce agreed around Manbij", WIRE))

    found = search(store, query)

    assert article_count(store) == 1
    if "truce" in query.lower():
        assert [article.title for article in found] == ["Truce agreed around Manbij"]
    else:
        assert found == []


def test_search_needs_every_word_and_falls_back_to_any(store: Store) -> None:
    add_article(store, new_article("Truce agreed around Manbij", WIRE))
    add_article(store, new_article("Bridge repairs approved", body("The council approved repairs to the old bridge.", words=80)))

    assert [a.title for a in search(store, "truce Jarablus")] == ["Truce agreed around Manbij"]
    assert sorted(a.title for a in search(store, "truce bridge")) == ["Bridge repairs approved", "Truce agreed around Manbij"]
    assert search(store, "   ") == []
    assert search(store, "zeppelin") == []


def test_search_prefers_recent_articles_of_equal_relevance(store: Store) -> None:
    text = body("Flood barrier vote in the delta towns.", words=80)
    add_article(store, new_article("Old barrier story", text, published=hours_ago(24 * 20)))
    add_article(store, new_article("New barrier story", text + "\n\nUpdated.", published=hours_ago(1)))

    found = search(store, "barrier", now=NOW)

    assert [a.title for a in found] == ["New barrier story", "Old barrier story"]
    assert found[0].score > found[1].score
    assert [a.title for a in search(store, "barrier", since=hours_ago(48))] == ["New barrier story"]


def test_search_ranks_the_best_match_first_within_the_window(store: Store) -> None:
    add_article(store, new_article("Harbour dredging plan", body("The harbour council met.", "A dredging plan was mentioned.", words=80), published=hours_ago(3)))
    add_article(store, new_article("Dredging the harbour: dredging starts", body("Dredging crews began dredging the harbour channel.", "Dredging will last a month.", words=80), published=hours_ago(3)))
    add_article(store, new_article("Dredging of the old canal", body("Dredging, dredging and more dredging at the canal.", words=80), published=hours_ago(24 * 5)))

    found = search(store, "dredging", since=hours_ago(48), now=NOW)

    assert [a.title for a in found] == ["Dredging the harbour: dredging starts", "Harbour dredging plan"]


def test_search_ranks_the_newest_matches_only(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(articles_module, "SEARCH_CANDIDATES", 2)
    for number in range(4):  # other news, so that the word is not in every article
        add_article(store, new_article(f"Allotments {number}", body(f"Allotment report number {number} from the gardens.", words=60)))
    strong = body("Dredging crews began dredging the harbour channel.", "Dredging, dredging and more dredging.", words=80)
    add_article(store, new_article("Dredging, dredging, dredging", strong, published=hours_ago(30)))
    add_article(store, new_article("Council budget", body("The council also noted a dredging contract.", "Members debated the parks budget.", "The mayor spoke last.", words=80), published=hours_ago(20)))
    add_article(store, new_article("Ferry timetable", body("Ferries run late while dredging goes on.", "The dredging ends in May.", "Fares stay the same.", words=80), published=hours_ago(10)))

    found = search(store, "dredging", limit=1, now=NOW)

    # Of the two newest matches the better one; the best of all is the third newest, beyond them.
    assert [a.title for a in found] == ["Ferry timetable"]
    # Asked for more, more are ranked (twice the results asked for): the best of all comes first.
    assert [a.title for a in search(store, "dredging", limit=3, now=NOW)] == ["Dredging, dredging, dredging", "Ferry timetable", "Council budget"]


def test_search_finds_matches_far_apart_in_storage_within_the_window(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(articles_module, "FIRST_SEARCH_SPAN", 1)
    stored = []
    for number in range(9):
        if number in (0, 4, 8):
            text = body(f"Lighthouse keepers report {number} (a lighthouse story).", words=60)
        else:
            text = body(f"Allotment report number {number} from the gardens.", words=60)
        stored.append(add_article(store, new_article(f"Report {number}", text, published=hours_ago(30 - number))))
    # Stored last, published long before the window: not found, though newest in storage.
    add_article(store, new_article("Lighthouse archive", body("An archived lighthouse story.", words=60), published=hours_ago(24 * 30)))

    found = search(store, "lighthouse", since=hours_ago(40), now=NOW)

    assert sorted(a.title for a in found) == ["Report 0", "Report 4", "Report 8"]
    assert [a.title for a in search(store, "lighthouse", since=hours_ago(27), now=NOW)] == ["Report 8", "Report 4"]


def test_articles_for_topic_in_a_time_window_newest_first(store: Store) -> None:
    add_article(store, new_article("Syria truce holds", WIRE, published=hours_ago(30)))
    add_article(store, new_article("Syria aid convoy reaches Aleppo", body("A convoy reached Aleppo in Syria.", words=60), published=hours_ago(3)))
    add_article(store, new_article("Bridge repairs approved", body("The council approved repairs.", words=60), published=hours_ago(1)))

    day = articles_for_topic(store, "syria", since=hours_ago(24))
    everything = articles_for_topic(store, "syria")

    assert [a.title for a in day] == ["Syria aid convoy reaches Aleppo"]
    assert [a.title for a in everything] == ["Syria aid convoy reaches Aleppo", "Syria truce holds"]
    assert all(a.score > 0 for a in everything)
    assert articles_for_topic(store, "syria", since=hours_ago(48), until=hours_ago(24))[0].title == "Syria truce holds"
    assert topic_counts(store)["syria"] == 2
    assert topic_counts(store, since=hours_ago(24))["syria"] == 1


def test_quotes_are_stored_and_found_by_speaker_and_topic(store: Store) -> None:
    quotes = (
        QuoteStub("Three days is not peace.", "Leila Darwish", "Leila Darwish, who coordinates a relief committee", "Leila Darwish", "relief coordinator", key=True, score=0.9),
        QuoteStub("We are ready to move.", "Nasser", "Omar Nasser", "Omar Nasser", "aid coordinator", score=0.4),
    )
    added = add_article(store, new_article("Syria truce holds", WIRE, quotes=quotes, published=hours_ago(2)))

    darwish = quotes_by_speaker(store, "darwish")
    omar = quotes_by_speaker(store, "Omar NASSER")

    assert [(q.text, q.speaker_name, q.role, q.key) for q in darwish] == [
        ("Three days is not peace.", "Leila Darwish", "relief coordinator", True)
    ]
    assert darwish[0].article_title == "Syria truce holds"
    assert darwish[0].article_id == added.article_id
    assert [q.text for q in omar] == ["We are ready to move."]
    assert quotes_by_speaker(store, "Dar") == []
    assert quotes_by_speaker(store, "%") == []
    assert quotes_by_speaker(store, "darwish", since=hours_ago(1)) == []
    assert [q.text for q in quotes_for_topic(store, "syria")] == ["Three days is not peace.", "We are ready to move."]
    assert [q.speaker for q in get_article(store, added.article_id).quotes] == ["Leila Darwish", "Nasser"]


def test_quotes_of_any_shape_are_read_attribute_by_attribute(store: Store) -> None:
    class BareQuote:
        text = "Only text and a speaker."
        speaker = None

    added = add_article(store, new_article("Syria truce holds", WIRE, quotes=(BareQuote(),)))

    (quote,) = get_article(store, added.article_id).quotes
    assert (quote.text, quote.speaker, quote.kind, quote.score, quote.key) == ("Only text and a speaker.", "", "full", 0.0, False)


def test_the_same_article_added_at_once_from_two_stores_is_stored_once(backend: Backend) -> None:
    stores = [backend.open(), backend.open()]
    article = new_article("Truce", WIRE, url="https://a.example/truce")
    results = []
    barrier = threading.Barrier(4)

    def add(store: Store) -> None:
        barrier.wait()
        results.append(add_article(store, article))

    threads = [threading.Thread(target=add, args=(stores[index % 2],)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(result.status for result in results) == ["added", "duplicate", "duplicate", "duplicate"]
    assert len({result.article_id for result in results}) == 1
    assert article_count(stores[0]) == 1
    for opened in stores:
        opened.close()


def test_deleting_articles_takes_their_rows_and_shrinks_stories(store: Store) -> None:
    first = add_article(store, new_article("Truce", WIRE, url="https://a.example/1", quotes=(QuoteStub("Peace.", "Leila Darwish"),)))
    copy = add_article(store, new_article("Truce copy", WIRE + "\n\nMore.", url="https://b.example/1"))

    assert delete_articles(store, [first.article_id]) == 1

    assert get_article(store, first.article_id) is None
    assert quotes_by_speaker(store, "darwish") == []
    assert get_story(store, copy.story_id).article_count == 1
    assert [a.id for a in search(store, "truce")] == [copy.article_id]


def test_the_schema_downgrades_and_upgrades(store: Store) -> None:
    downgrade_schema(store, "base")
    assert schema_revision(store) is None
    upgrade_schema(store, "0001")
    assert schema_revision(store) == "0001"
    upgrade_schema(store)
    assert schema_revision(store) == "0009"
    downgrade_schema(store, "0001")
    assert schema_revision(store) == "0001"
    upgrade_schema(store)
    assert schema_revision(store) == "0009"
    add_article(store, new_article("Truce", WIRE))
    assert [a.title for a in search(store, "truce")] == ["Truce"]


def test_times_come_back_in_utc(store: Store) -> None:
    from datetime import timezone

    berlin = NOW.astimezone(timezone(timedelta(hours=2)))
    added = add_article(store, new_article("Truce", WIRE, published=berlin))

    stored = get_article(store, added.article_id)
    assert stored.published_at == NOW
    assert stored.published_at.utcoffset() == timedelta(0)


def test_any_user_text_is_a_safe_search(store: Store) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    add_article(store, new_article("Truce agreed around Manbij", WIRE))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(alphabet=st.sampled_from(list('truceNEAR ORAND"\'*-^:()[]{}%_\\;,.+~@#$é日')), max_size=60))
    def search_anything(query: str) -> None:
        for found in search(store, query):
            assert found.title == "Truce agreed around Manbij"

    search_anything()
    assert article_count(store) == 1


def test_a_batch_is_stored_as_one_article_after_another(store: Store) -> None:
    stored = add_article(store, new_article("Truce agreed around Manbij", WIRE, url="https://a.example/1", published=hours_ago(9)))
    copy_text = WIRE.replace("agreed on Sunday to", "have agreed to") + "\n\nTurkey said the truce did not change its position."
    bridge = body("The council approved repairs to the old bridge over the river.", words=120)
    batch = [
        new_article("Truce holds in Manbij", copy_text, url="https://b.example/2", published=hours_ago(3)),
        new_article("Bridge repairs approved", bridge, url="https://c.example/3", published=hours_ago(30)),
        new_article("Bridge repairs, again", body("Other words.", words=60), url="https://www.c.example/3/?utm_medium=x"),
        new_article("Bridge repairs elsewhere", bridge, url="https://d.example/4"),
        new_article("Bridge works begin", bridge + "\n\nWork starts on Monday.", url="https://e.example/5", published=hours_ago(2)),
        new_article("Truce already known", WIRE, url="https://f.example/6"),
        new_article("Short note", "Too short to compare.", url="https://g.example/7"),
    ]

    results = add_articles(store, batch)

    copy, bridge_first, same_url, same_text, bridge_copy, stored_text, short = results
    assert [result.status for result in results] == ["added", "added", "duplicate", "duplicate", "added", "duplicate", "added"]
    assert copy.story_id == stored.story_id
    assert bridge_copy.story_id == bridge_first.story_id != stored.story_id
    assert (same_url.article_id, same_url.reason) == (bridge_first.article_id, f"same URL as article #{bridge_first.article_id}")
    assert (same_text.article_id, same_text.reason) == (bridge_first.article_id, f"same text as article #{bridge_first.article_id}")
    assert (stored_text.article_id, stored_text.reason) == (stored.article_id, f"same text as article #{stored.article_id}")
    assert short.story_id not in {stored.story_id, bridge_first.story_id}
    truce, bridges = get_story(store, stored.story_id), get_story(store, bridge_first.story_id)
    assert (truce.title, truce.article_count, truce.first_published_at, truce.last_published_at) == (
        "Truce agreed around Manbij", 2, hours_ago(9), hours_ago(3)
    )
    assert (bridges.title, bridges.article_count, bridges.first_published_at, bridges.last_published_at) == (
        "Bridge repairs approved", 2, hours_ago(30), hours_ago(2)
    )
    assert [a.id for a in story_articles(store, bridge_first.story_id)] == [bridge_first.article_id, bridge_copy.article_id]
    assert article_count(store) == 5
    assert sorted(a.title for a in search(store, "bridge repairs")) == ["Bridge repairs approved", "Bridge works begin"]


def test_a_batch_and_one_article_at_a_time_store_the_same(backend: Backend) -> None:
    copy_text = WIRE.replace("agreed on Sunday to", "have agreed to") + "\n\nTurkey said the truce did not change its position."
    quotes = (QuoteStub("Three days is not peace.", "Leila Darwish", key=True, score=0.9),)
    articles = [
        new_article("Truce agreed around Manbij", WIRE, url="https://a.example/1", quotes=quotes, published=hours_ago(50)),
        new_article("Truce holds in Manbij", copy_text, url="https://b.example/2", published=hours_ago(3)),
        new_article("Truce, a week on", WIRE + "\n\nA week later.", url="https://c.example/3", published=hours_ago(24 * 8)),
        new_article("Truce holds, copy", copy_text, url="https://d.example/4"),
        new_article("Syria aid convoy reaches Aleppo", body("A convoy reached Aleppo in Syria.", words=60)),
    ]

    def stored(store: Store, results: list[Added]) -> list[tuple[object, ...]]:
        stories: dict[int | None, int] = {}
        rows = []
        for result in results:
            article = get_article(store, result.article_id)
            story = get_story(store, article.story_id)
            rows.append((
                result.status, result.reason.split("#")[0], stories.setdefault(article.story_id, len(stories)),
                (story.article_count, story.first_published_at, story.last_published_at),
                article.title, article.topics, [(q.text, q.speaker, q.key) for q in article.quotes], article.summary,
            ))
        return rows

    one_at_a_time, batched = backend.open(), backend.open()
    first = stored(one_at_a_time, [add_article(one_at_a_time, article) for article in articles])
    delete_articles(one_at_a_time, [article.id for article in latest_articles(one_at_a_time, limit=10)])
    second = stored(batched, add_articles(batched, articles))

    assert first == second
    assert [row[0] for row in second] == ["added", "added", "added", "duplicate", "added"]
    assert [row[2] for row in second] == [0, 0, 1, 0, 2]
    one_at_a_time.close()
    batched.close()


def test_an_article_the_database_refuses_fails_alone(store: Store) -> None:
    refused = replace(new_article("Bridge repairs approved", body("The council approved repairs.", words=60)), title=None)

    results = add_articles(store, [new_article("Truce", WIRE), refused, new_article("Syria aid", body("A convoy reached Aleppo.", words=60))])

    assert [result.status for result in results] == ["added", "failed", "added"]
    assert results[1].reason.startswith("store error on ")
    assert "null" in results[1].reason.lower()
    assert article_count(store) == 2
    with pytest.raises(StoreError, match="store error on "):
        add_article(store, refused)


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_an_article_another_writer_stores_meanwhile_is_its_duplicate(backend: Backend) -> None:
    # Only PostgreSQL lets two writers in at once (a SQLite writer takes the file's lock before its look-ups).
    store, other = backend.open(), backend.open()
    truce = new_article("Truce agreed around Manbij", WIRE, url="https://a.example/1")
    copy = new_article("Truce holds in Manbij", WIRE + "\n\nTurkey said little.", url="https://b.example/2")
    bridge = new_article("Bridge repairs approved", body("The council approved repairs to the old bridge.", words=120))
    row = {
        "title": truce.title, "source": "", "author": "", "url": None, "canonical_url": None, "published_at": NOW,
        "published_guessed": False, "fetched_at": NOW, "language": "english", "text": truce.text,
        "cleaned_text": truce.cleaned_text, "content_hash": truce.content_hash, "signature": None, "story_id": None,
        "origin": "other writer",
    }
    results: list[list[Added]] = []
    with other.engine.connect() as connection:
        with connection.begin():
            other_id = connection.execute(insert(ArticleRecord.__table__).returning(ArticleRecord.id), row).scalar_one()
            xid = connection.exec_driver_sql("SELECT pg_current_xact_id()::text").scalar_one()
            adding = threading.Thread(target=lambda: results.append(add_articles(store, [truce, bridge, copy])))
            adding.start()
            # The batch's insert waits for this transaction: commit only then.
            waiting = 0
            with other.engine.connect() as watcher:
                while adding.is_alive() and not waiting:
                    adding.join(0.01)
                    waiting = watcher.exec_driver_sql(
                        "SELECT count(*) FROM pg_locks"
                        " WHERE locktype = 'transactionid' AND transactionid::text = %(xid)s AND NOT granted",
                        {"xid": xid},
                    ).scalar_one()
            assert waiting == 1
    adding.join()

    (duplicate, bridge_added, copy_added), = results
    assert (duplicate.status, duplicate.article_id, duplicate.reason) == ("duplicate", other_id, f"same text as article #{other_id}")
    assert (bridge_added.status, copy_added.status) == ("added", "added")
    assert article_count(store) == 3
    # The story the batch began for the truce is the copy's alone now.
    story = get_story(store, copy_added.story_id)
    assert (story.title, story.article_count) == ("Truce holds in Manbij", 1)
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(StoryRecord)).scalar_one() == 2
    store.close()
    other.close()
