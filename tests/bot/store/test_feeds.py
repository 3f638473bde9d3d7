"""Feeds as stored: add, list, remove, due times and back-off."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import (
    Store,
    add_feed,
    due_feeds,
    get_feed,
    list_feeds,
    record_poll_failure,
    record_poll_success,
    remove_feed,
    set_feed_active,
)
from bot.store.feeds import backoff
from tests.bot.helpers import NOW


def test_a_feed_is_added_once_and_removed_by_url_or_number(store: Store) -> None:
    feed, created = add_feed(store, "https://a.example/rss", interval_minutes=15, now=NOW)
    again, created_again = add_feed(store, "https://a.example/rss", now=NOW)
    other, _ = add_feed(store, "https://b.example/atom", now=NOW)

    assert (created, created_again, again.id) == (True, False, feed.id)
    assert [(f.url, f.interval_minutes, f.error_count) for f in list_feeds(store)] == [
        ("https://a.example/rss", 15, 0), ("https://b.example/atom", 30, 0)
    ]
    assert get_feed(store, str(other.id)).url == "https://b.example/atom"
    assert remove_feed(store, str(feed.id)) is True
    assert remove_feed(store, "https://b.example/atom") is True
    assert remove_feed(store, "https://b.example/atom") is False
    assert list_feeds(store) == []
    with pytest.raises(ValueError):
        add_feed(store, "https://c.example/rss", interval_minutes=0)


def test_polls_move_the_next_poll_and_failures_back_off(store: Store) -> None:
    feed, _ = add_feed(store, "https://a.example/rss", interval_minutes=10, now=NOW)
    assert [f.id for f in due_feeds(store, now=NOW)] == [feed.id]

    ok = record_poll_success(store, feed.id, now=NOW, etag='"v1"', last_modified="Mon, 12 May 2025 10:00:00 GMT", title="A", added=3)
    assert (ok.next_poll_at, ok.etag, ok.title, ok.articles_added) == (NOW + timedelta(minutes=10), '"v1"', "A", 3)
    assert due_feeds(store, now=NOW + timedelta(minutes=9)) == []

    first = record_poll_failure(store, feed.id, "HTTP 500 Internal Server Error", now=NOW)
    second = record_poll_failure(store, feed.id, "timed out", now=NOW)
    assert (first.error_count, first.next_poll_at) == (1, NOW + timedelta(minutes=20))
    assert (second.error_count, second.last_error, second.next_poll_at) == (2, "timed out", NOW + timedelta(minutes=40))
    assert record_poll_success(store, feed.id, now=NOW).error_count == 0
    assert backoff(10, 20) == timedelta(hours=24)


def test_a_paused_feed_is_not_due(store: Store) -> None:
    feed, _ = add_feed(store, "https://a.example/rss", now=NOW)
    set_feed_active(store, feed.id, False)
    assert due_feeds(store, now=NOW + timedelta(days=1)) == []
    set_feed_active(store, feed.id, True, now=NOW)
    assert [f.id for f in due_feeds(store, now=NOW)] == [feed.id]
