"""Subscribers on SQLite and PostgreSQL: settings, subscriptions, and a chat migrated or forgotten."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy import inspect, text

from bot.store import (
    Store,
    active_subscribers,
    add_article,
    chat_migrated,
    deactivate_subscriber,
    deliveries,
    downgrade_schema,
    ensure_deliveries,
    ensure_subscriber,
    forget_chat,
    get_subscriber,
    record_sent_stories,
    sent_stories,
    subscribe,
    subscriber_count,
    subscriptions,
    unsubscribe,
    update_subscriber,
    upgrade_schema,
)
from tests.bot.helpers import NOW, body, due, new_article

def test_a_subscriber_is_created_once_with_defaults(store: Store) -> None:
    first = ensure_subscriber(store, 42, chat_type="private", title="Ana", timezone="Europe/Berlin", now=NOW)
    again = ensure_subscriber(store, 42, title="ignored", now=NOW + timedelta(days=1))

    assert first == again
    assert (first.chat_id, first.title, first.timezone, first.briefing_time, first.days, first.active) == (
        42, "Ana", "Europe/Berlin", time(7, 0), "1234567", True
    )
    assert first.created_at == NOW
    assert get_subscriber(store, 43) is None


def test_settings_change_and_bad_days_are_refused(store: Store) -> None:
    ensure_subscriber(store, 42)

    changed = update_subscriber(store, 42, briefing_time=time(6, 30), days="54321", timezone="Asia/Kathmandu", last_briefing_at=NOW)

    assert (changed.briefing_time, changed.days, changed.timezone, changed.last_briefing_at) == (time(6, 30), "12345", "Asia/Kathmandu", NOW)
    with pytest.raises(ValueError, match="days must be ISO weekday digits"):
        update_subscriber(store, 42, days="18")
    with pytest.raises(TypeError, match="cannot change created_at"):
        update_subscriber(store, 42, created_at=NOW)
    assert update_subscriber(store, 99, title="x") is None


def test_subscriptions_add_remove_and_list(store: Store) -> None:
    assert subscribe(store, 42, "syria", now=NOW) is True
    assert subscribe(store, 42, "syria", now=NOW) is False
    assert subscribe(store, 42, "economy", now=NOW) is True
    subscribe(store, 7, "economy", now=NOW)
    ensure_subscriber(store, 8)

    assert subscriptions(store, 42) == ["economy", "syria"]
    assert [s.chat_id for s in active_subscribers(store)] == [7, 42]
    assert [s.chat_id for s in active_subscribers(store, topic="syria")] == [42]
    assert active_subscribers(store, topic="syria")[0].topics == ("economy", "syria")
    assert unsubscribe(store, 42, "syria") is True
    assert unsubscribe(store, 42, "syria") is False
    deactivate_subscriber(store, 7, "bot was blocked by the user")
    assert [s.chat_id for s in active_subscribers(store)] == [42]
    assert get_subscriber(store, 7).deactivated_reason == "bot was blocked by the user"
    assert subscriber_count(store) == {"known": 3, "active": 2, "subscribed": 2}


def test_a_group_that_became_a_supergroup_keeps_everything(store: Store) -> None:
    subscribe(store, -100, "syria", now=NOW)
    update_subscriber(store, -100, timezone="Europe/Berlin", briefing_time=time(8, 15))
    ensure_deliveries(store, [due(-100)], now=NOW)
    story = add_article(store, new_article("Truce in Manbij", body("A truce began.", words=60))).story_id
    record_sent_stories(store, -100, {story: 1}, now=NOW)

    assert chat_migrated(store, -100, -1001234) is True

    moved = get_subscriber(store, -1001234)
    assert (moved.chat_type, moved.timezone, moved.briefing_time, moved.topics) == ("supergroup", "Europe/Berlin", time(8, 15), ("syria",))
    assert get_subscriber(store, -100) is None
    assert [d.chat_id for d in deliveries(store)] == [-1001234]
    assert list(sent_stories(store, -1001234)) == [story]
    assert chat_migrated(store, -100, -1001234) is False


def test_migrating_into_a_chat_that_already_spoke_merges(store: Store) -> None:
    subscribe(store, -100, "syria", now=NOW)
    subscribe(store, -100, "economy", now=NOW)
    update_subscriber(store, -100, timezone="Europe/Berlin")
    ensure_deliveries(store, [due(-100), due(-100, "economy")], now=NOW)
    subscribe(store, -1009, "syria", now=NOW)
    ensure_deliveries(store, [due(-1009)], now=NOW)

    assert chat_migrated(store, -100, -1009) is True

    merged = get_subscriber(store, -1009)
    assert (merged.timezone, merged.topics) == ("Europe/Berlin", ("economy", "syria"))
    assert sorted((d.chat_id, d.topic) for d in deliveries(store)) == [(-1009, "*"), (-1009, "economy")]
    assert get_subscriber(store, -100) is None


def test_forget_chat_deletes_everything_about_it(store: Store) -> None:
    subscribe(store, 42, "syria", now=NOW)
    subscribe(store, 43, "syria", now=NOW)
    ensure_deliveries(store, [due(42), due(43)], now=NOW)
    story = add_article(store, new_article("Truce in Manbij", body("A truce began.", words=60))).story_id
    record_sent_stories(store, 42, {story: 1}, now=NOW)

    assert forget_chat(store, 42) is True

    assert get_subscriber(store, 42) is None
    assert subscriptions(store, 42) == []
    assert deliveries(store, chat_id=42) == []
    assert sent_stories(store, 42) == {}
    assert get_subscriber(store, 43).topics == ("syria",)
    assert forget_chat(store, 42) is False


def test_a_chats_language_is_kept_changed_and_moves_with_a_migrated_group(store: Store) -> None:
    unset = ensure_subscriber(store, 42, now=NOW)
    chosen = ensure_subscriber(store, 43, language="ru", now=NOW)
    again = ensure_subscriber(store, 43, language="en", now=NOW)
    ensure_subscriber(store, -100, language="ru", now=NOW)
    update_subscriber(store, 42, language="en")
    chat_migrated(store, -100, -1009)
    ensure_subscriber(store, -200, now=NOW)
    ensure_subscriber(store, -2009, now=NOW)
    update_subscriber(store, -200, language="ru")
    chat_migrated(store, -200, -2009)

    assert (unset.language, chosen.language, again.language) == (None, "ru", "ru")
    assert get_subscriber(store, 42).language == "en"
    assert get_subscriber(store, -1009).language == "ru"
    assert get_subscriber(store, -2009).language == "ru"
    assert update_subscriber(store, 42, language=None).language is None


def test_the_language_column_comes_and_goes_with_its_migration(store: Store) -> None:
    ensure_subscriber(store, 42, language="ru", now=NOW)
    downgrade_schema(store, "0005")
    columns = {column["name"] for column in inspect(store.engine).get_columns("subscribers")}
    kept = get_subscriber_rows(store)
    upgrade_schema(store)

    assert "language" not in columns
    assert kept == [42]
    assert get_subscriber(store, 42).language is None
    assert update_subscriber(store, 42, language="ru").language == "ru"


def get_subscriber_rows(store: Store) -> list[int]:
    with store.engine.connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT chat_id FROM subscribers"))]
