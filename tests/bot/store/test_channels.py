"""Channel links on SQLite and PostgreSQL: linked with the user's settings, listed per user, told once, forgotten."""

from __future__ import annotations

from datetime import time, timedelta

from bot.store import (
    Store,
    active_subscribers,
    channel_resumed,
    channels_linked_by,
    claim_stop_notice,
    deactivate_subscriber,
    get_linked_channel,
    get_subscriber,
    link_channel,
    set_channel_topics,
    unlink_channel,
    update_subscriber,
)
from tests.bot.helpers import NOW

CHANNEL = -1002000000001
OTHER = -1002000000002
ADA, GRACE = 1001, 1002


def link(store: Store, channel_id: int = CHANNEL, user_id: int = ADA, **values: object):
    values = {"title": "Morning Wire", "username": "morningwire", "timezone": "Europe/Berlin", "briefing_time": time(6, 30), **values}
    return link_channel(store, channel_id, user_id, now=NOW, **values)  # type: ignore[arg-type]


def test_a_linked_channel_is_a_subscriber_with_the_linking_users_settings(store: Store) -> None:
    linked = link(store, days="12345")
    set_channel_topics(store, CHANNEL, ["syria", "turkey"], now=NOW)

    channel = get_subscriber(store, CHANNEL)
    assert (linked.channel_id, linked.linked_by, linked.username, linked.stop_told_at) == (CHANNEL, ADA, "morningwire", None)
    assert (channel.chat_type, channel.title, channel.timezone, channel.briefing_time, channel.days, channel.topics) == (
        "channel", "Morning Wire", "Europe/Berlin", time(6, 30), "12345", ("syria", "turkey"),
    )
    assert [s.chat_id for s in active_subscribers(store, "syria")] == [CHANNEL]


def test_topics_are_replaced_and_linking_again_keeps_the_channels_settings(store: Store) -> None:
    link(store)
    set_channel_topics(store, CHANNEL, ["syria", "turkey"], now=NOW)
    update_subscriber(store, CHANNEL, briefing_time=time(8, 0))
    set_channel_topics(store, CHANNEL, ["economy", "syria"], now=NOW)
    again = link(store, user_id=GRACE, timezone="UTC", briefing_time=time(5, 0), days="67")

    assert (again.linked_by, again.subscriber.timezone, again.subscriber.briefing_time, again.subscriber.days) == (
        GRACE, "Europe/Berlin", time(8, 0), "1234567",
    )
    assert again.subscriber.topics == ("economy", "syria")
    assert set_channel_topics(store, OTHER, ["syria"]) is False


def test_channels_are_listed_for_the_user_who_linked_them(store: Store) -> None:
    link(store, OTHER, username="zeta")
    link(store, CHANNEL, username="alpha")
    link(store, -1002000000003, user_id=GRACE, username="beta")
    link(store, -1002000000004, username="")

    assert [(c.username, c.channel_id) for c in channels_linked_by(store, ADA)] == [
        ("alpha", CHANNEL), ("zeta", OTHER), ("", -1002000000004),
    ]
    assert channels_linked_by(store, 5) == []


def test_the_linking_user_is_told_once_of_a_stop_and_again_after_it_resumed(store: Store) -> None:
    link(store)
    deactivate_subscriber(store, CHANNEL, "bot left the channel")

    assert [claim_stop_notice(store, CHANNEL, now=NOW), claim_stop_notice(store, CHANNEL, now=NOW)] == [ADA, None]
    assert get_linked_channel(store, CHANNEL).stop_told_at == NOW
    assert channel_resumed(store, CHANNEL) is True
    assert get_subscriber(store, CHANNEL).active is True
    assert claim_stop_notice(store, CHANNEL, now=NOW + timedelta(days=1)) == ADA
    assert claim_stop_notice(store, OTHER) is None
    assert channel_resumed(store, OTHER) is False


def test_unlinking_forgets_the_channel(store: Store) -> None:
    link(store)
    set_channel_topics(store, CHANNEL, ["syria"], now=NOW)

    assert unlink_channel(store, CHANNEL) is True
    assert (get_linked_channel(store, CHANNEL), get_subscriber(store, CHANNEL), channels_linked_by(store, ADA)) == (None, None, [])
    assert unlink_channel(store, CHANNEL) is False
