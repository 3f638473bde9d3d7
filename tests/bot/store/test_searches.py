"""Saved searches on SQLite and PostgreSQL: kept once, limited, removed, pushed, moved with a migrated group, forgotten."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import (
    Store,
    TooManySearches,
    active_subscribers,
    add_article,
    add_search,
    chat_migrated,
    chat_searches,
    ensure_subscriber,
    forget_chat,
    get_subscriber,
    remove_search,
    search,
    search_label,
    search_share,
    searches_of_chats,
    subscribe,
    subscriber_count,
    update_subscriber,
)
from tests.bot.helpers import NOW, body, new_article


def test_a_search_is_kept_once_and_listed_oldest_first(store: Store) -> None:
    ensure_subscriber(store, 42, now=NOW)

    assert add_search(store, 42, "grain exports", "Grain, EXPORTS", limit=10, now=NOW) is True
    assert add_search(store, 42, "solar tariffs", "solar tariffs", limit=10, now=NOW) is True
    assert add_search(store, 42, "grain exports", "grain exports", limit=10, now=NOW) is False

    assert [(s.key, s.label) for s in chat_searches(store, 42)] == [("grain exports", "Grain, EXPORTS"), ("solar tariffs", "solar tariffs")]
    assert searches_of_chats(store, [42, 43]) == {42: ["grain exports", "solar tariffs"]}
    assert get_subscriber(store, 42).searches == ("grain exports", "solar tariffs")


def test_the_limit_refuses_a_new_search_but_not_one_already_kept(store: Store) -> None:
    ensure_subscriber(store, 42, now=NOW)
    add_search(store, 42, "grain", "grain", limit=2, now=NOW)
    add_search(store, 42, "wheat", "wheat", limit=2, now=NOW)

    with pytest.raises(TooManySearches):
        add_search(store, 42, "maize", "maize", limit=2, now=NOW)
    assert add_search(store, 42, "grain", "grain", limit=2, now=NOW) is False
    assert [s.key for s in chat_searches(store, 42)] == ["grain", "wheat"]


def test_removing_a_search_touches_only_that_chat(store: Store) -> None:
    ensure_subscriber(store, 42, now=NOW)
    ensure_subscriber(store, 43, now=NOW)
    add_search(store, 42, "grain", "Grain", limit=10, now=NOW)
    add_search(store, 43, "grain", "grain", limit=10, now=NOW)

    assert remove_search(store, 42, "grain").label == "Grain"
    assert remove_search(store, 42, "grain") is None
    assert searches_of_chats(store, [42, 43]) == {43: ["grain"]}


def test_a_chat_with_only_searches_gets_pushes_and_a_paused_one_does_not(store: Store) -> None:
    for chat_id in (41, 42, 43, 44):
        ensure_subscriber(store, chat_id, now=NOW)
    subscribe(store, 41, "syria", now=NOW)
    add_search(store, 42, "grain exports", "grain exports", limit=10, now=NOW)
    subscribe(store, 43, "syria", now=NOW)
    add_search(store, 43, "manbij", "Manbij", limit=10, now=NOW)
    add_search(store, 44, "grain", "grain", limit=10, now=NOW)
    update_subscriber(store, 44, active=False)

    assert [(s.chat_id, s.topics, s.searches) for s in active_subscribers(store)] == [
        (41, ("syria",), ()), (42, (), ("grain exports",)), (43, ("syria",), ("manbij",)),
    ]
    assert [(s.chat_id, s.searches) for s in active_subscribers(store, "syria")] == [(41, ()), (43, ("manbij",))]
    assert subscriber_count(store) == {"known": 4, "active": 3, "subscribed": 4}


def test_searches_move_with_a_migrated_group_and_go_with_a_forgotten_chat(store: Store) -> None:
    ensure_subscriber(store, -100, now=NOW)
    add_search(store, -100, "grain", "grain", limit=10, now=NOW)
    add_search(store, -100, "wheat", "wheat", limit=10, now=NOW)
    ensure_subscriber(store, -1009, now=NOW)  # the supergroup spoke first
    add_search(store, -1009, "grain", "Grain", limit=10, now=NOW)
    ensure_subscriber(store, -200, now=NOW)
    add_search(store, -200, "maize", "maize", limit=10, now=NOW)

    assert chat_migrated(store, -100, -1009) is True
    assert chat_migrated(store, -200, -2009) is True  # no row yet for the new id: the cascade carries it

    assert sorted((s.key, s.label) for s in chat_searches(store, -1009)) == [("grain", "Grain"), ("wheat", "wheat")]
    assert [s.key for s in chat_searches(store, -2009)] == ["maize"]
    assert forget_chat(store, -1009) is True
    assert searches_of_chats(store, [-100, -1009, -2009]) == {-2009: ["maize"]}


def test_search_share_counts_the_newest_articles_having_every_word(store: Store) -> None:
    towns = ["Odesa", "Varna", "Constanta", "Burgas", "Izmail", "Mykolaiv"]
    for n, town in enumerate(towns):
        said = f"Grain exports rose in {town} as ships queued." if n % 2 == 0 else f"The {town} harbour was quiet and {n} cranes idle."
        added = add_article(store, new_article(f"{town} port report", body(said, words=40), published=NOW - timedelta(hours=n)))
        assert added.status == "added"

    assert search_share(store, "grain exports", sample=500) == (3, 6)
    assert search_share(store, "grain harbour", sample=500) == (0, 6)
    assert search_share(store, "grain", sample=2) == (1, 2)  # the two stored last: reports 4 and 5
    assert search_share(store, "🌾", sample=500) == (0, 0)


def test_search_until_leaves_out_what_was_published_at_or_after_it(store: Store) -> None:
    early = add_article(store, new_article("Grain exports rise", body("Grain exports rose.", words=50), published=NOW - timedelta(hours=5)))
    late = add_article(store, new_article("Grain exports fall", body("Grain exports fell.", words=51), published=NOW - timedelta(hours=1)))

    assert sorted(a.id for a in search(store, "grain exports", NOW - timedelta(days=1), 10, now=NOW)) == sorted([early.article_id, late.article_id])
    assert [a.id for a in search(store, "grain exports", NOW - timedelta(days=1), 10, now=NOW, until=NOW - timedelta(hours=1))] == [early.article_id]


def test_a_search_is_labelled_as_most_chats_wrote_it_the_earliest_on_a_tie(store: Store) -> None:
    for chat_id in (1, 2, 3, 4, 5):
        ensure_subscriber(store, chat_id, now=NOW)
    add_search(store, 1, "exports grain", "Grain, EXPORTS", limit=10, now=NOW)
    add_search(store, 2, "exports grain", "grain exports", limit=10, now=NOW)
    add_search(store, 3, "exports grain", "grain exports", limit=10, now=NOW)
    add_search(store, 4, "panels solar", "solar panels", limit=10, now=NOW)
    add_search(store, 5, "panels solar", "Solar panels", limit=10, now=NOW)

    assert search_label(store, "exports grain") == "grain exports"
    assert search_label(store, "panels solar") == "solar panels"
    assert search_label(store, "arctic shipping") is None
