"""Channels: who linked which channel. The channel itself is a subscriber (its chat id is the channel's id).

A channel's administrator links it in a private chat with the bot; the link remembers who, so the
bot can tell that person, once, when the channel stops (the bot was removed or may no longer post).
Unlinking forgets the channel like /stop forgets a chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.store.engine import Store, transaction, upsert, utc_now
from bot.store.models import ChannelLink, SubscriberRecord, Subscription
from bot.store.subscribers import Subscriber, _subscriber, ensure_subscriber, forget_chat, update_subscriber


@dataclass(frozen=True)
class LinkedChannel:
    """A linked channel: the link (who, when, whether they were told it stopped) and the channel's subscriber row."""

    channel_id: int
    linked_by: int
    username: str
    linked_at: datetime
    stop_told_at: datetime | None
    subscriber: Subscriber


def link_channel(
    store: Store,
    channel_id: int,
    user_id: int,
    *,
    title: str = "",
    username: str = "",
    timezone: str = "UTC",
    briefing_time: time = time(7, 0),
    days: str | None = None,
    now: datetime | None = None,
) -> LinkedChannel:
    """Link a channel to the user who asks: its subscriber row made with these settings when new, and active again.

    A channel linked before keeps its settings; the link passes to the user who linked it last.
    """
    now = now or utc_now()
    new = _is_new_link(store, channel_id)
    ensure_subscriber(store, channel_id, chat_type="channel", title=title[:200], timezone=timezone, briefing_time=briefing_time, now=now)
    changes: dict[str, object] = {"chat_type": "channel", "title": title[:200], "active": True}
    if new and days is not None:
        changes["days"] = days
    update_subscriber(store, channel_id, **changes)
    with transaction(store) as session:
        upsert(
            session, ChannelLink.__table__,
            [{"channel_id": channel_id, "linked_by": user_id, "username": username[:64], "linked_at": now, "stop_told_at": None}],
            key=["channel_id"], update=["linked_by", "username", "stop_told_at"],
        )
    found = get_linked_channel(store, channel_id)
    assert found is not None
    return found


def _is_new_link(store: Store, channel_id: int) -> bool:
    with transaction(store, write=False) as session:
        return session.get(ChannelLink, channel_id) is None


def get_linked_channel(store: Store, channel_id: int) -> LinkedChannel | None:
    """A linked channel by its chat id, None when it is not linked."""
    with transaction(store, write=False) as session:
        row = session.execute(
            select(ChannelLink, SubscriberRecord)
            .join(SubscriberRecord, SubscriberRecord.chat_id == ChannelLink.channel_id)
            .where(ChannelLink.channel_id == channel_id)
        ).first()
        if row is None:
            return None
        return _linked(row[0], row[1], _topics(session, [channel_id]).get(channel_id, []))


def channels_linked_by(store: Store, user_id: int) -> list[LinkedChannel]:
    """The channels a user linked: public ones by @username, then private ones by id."""
    with transaction(store, write=False) as session:
        rows = session.execute(
            select(ChannelLink, SubscriberRecord)
            .join(SubscriberRecord, SubscriberRecord.chat_id == ChannelLink.channel_id)
            .where(ChannelLink.linked_by == user_id)
            .order_by(ChannelLink.username == "", ChannelLink.username, ChannelLink.channel_id)
        ).all()
        topics = _topics(session, [link.channel_id for link, _ in rows])
        return [_linked(link, record, topics.get(link.channel_id, [])) for link, record in rows]


def set_channel_topics(store: Store, channel_id: int, topics: list[str], *, now: datetime | None = None) -> bool:
    """The channel's morning topics become exactly these; False when the channel is not linked."""
    with transaction(store) as session:
        if session.get(ChannelLink, channel_id) is None:
            return False
        have = set(session.scalars(select(Subscription.topic).where(Subscription.chat_id == channel_id)))
        for topic in have - set(topics):
            session.execute(delete(Subscription).where(Subscription.chat_id == channel_id, Subscription.topic == topic))
        for topic in sorted(set(topics) - have):
            session.add(Subscription(chat_id=channel_id, topic=topic, created_at=now or utc_now()))
        return True


def unlink_channel(store: Store, channel_id: int) -> bool:
    """Forget a linked channel (link, settings, topics, deliveries, stories sent); False when it was not linked."""
    if get_linked_channel(store, channel_id) is None:
        return False
    return forget_chat(store, channel_id)


def claim_stop_notice(store: Store, channel_id: int, *, now: datetime | None = None) -> int | None:
    """The user to tell that a channel stopped, once: their id the first time, None after (or when not linked)."""
    with transaction(store) as session:
        result = session.execute(
            update(ChannelLink)
            .where(ChannelLink.channel_id == channel_id, ChannelLink.stop_told_at.is_(None))
            .values(stop_told_at=now or utc_now())
            .returning(ChannelLink.linked_by)
        )
        row = result.first()
        return int(row[0]) if row is not None else None


def channel_resumed(store: Store, channel_id: int) -> bool:
    """The channel posts again (the bot is back with the right to post): active, and a later stop is told again."""
    with transaction(store) as session:
        result = session.execute(update(ChannelLink).where(ChannelLink.channel_id == channel_id).values(stop_told_at=None))
        linked = bool(result.rowcount)
    if linked:
        update_subscriber(store, channel_id, active=True)
    return linked


def _topics(session: Session, channel_ids: list[int]) -> dict[int, list[str]]:
    if not channel_ids:
        return {}
    found: dict[int, list[str]] = {}
    rows = session.execute(
        select(Subscription.chat_id, Subscription.topic).where(Subscription.chat_id.in_(channel_ids))
    )
    for chat_id, topic in rows:
        found.setdefault(chat_id, []).append(topic)
    return found


def _linked(link: ChannelLink, record: SubscriberRecord, topics: list[str]) -> LinkedChannel:
    return LinkedChannel(link.channel_id, link.linked_by, link.username, link.linked_at, link.stop_told_at, _subscriber(record, topics))
