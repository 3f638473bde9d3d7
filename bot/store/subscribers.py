"""Subscribers: the chats the bot knows, their morning-briefing settings and the topics they follow.

A chat's row is created the first time it talks to the bot; its topics are its
subscriptions, beside its saved searches (its own words, bot/store/searches.py). When Telegram turns a group into a supergroup, or a chat says
/stop, everything kept about the chat (its deliveries and sent stories too)
moves or goes with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import delete, func, select, union, update
from sqlalchemy.orm import Session

from bot.store.engine import Store, dialect_insert, transaction, upsert, utc_now
from bot.store.models import ChannelLink, ChatMigration, ChatMute, ChatSearch, DeliveryRecord, SentStory, SubscriberRecord, Subscription

EVERY_DAY = "1234567"
WEEKDAYS = "12345"


@dataclass(frozen=True)
class Subscriber:
    """A chat the bot knows, with its morning-briefing settings and topics."""

    chat_id: int
    chat_type: str
    title: str
    timezone: str
    briefing_time: time
    days: str
    active: bool
    deactivated_reason: str | None
    created_at: datetime
    last_briefing_at: datetime | None
    topics: tuple[str, ...] = ()
    # The morning push goes without sound.
    quiet: bool = False
    # The chat's language ("en", "ru"); None until chosen.
    language: str | None = None
    # The keys of its saved searches (its own words as morning topics), oldest first.
    searches: tuple[str, ...] = ()


def _subscriber(record: SubscriberRecord, topics: Iterable[str] = (), searches: Iterable[str] = ()) -> Subscriber:
    hours, minutes = (int(part) for part in record.briefing_time.split(":"))
    return Subscriber(
        chat_id=record.chat_id,
        chat_type=record.chat_type,
        title=record.title,
        timezone=record.timezone,
        briefing_time=time(hours, minutes),
        days=record.days,
        active=record.active,
        deactivated_reason=record.deactivated_reason,
        created_at=record.created_at,
        last_briefing_at=record.last_briefing_at,
        topics=tuple(sorted(topics)),
        quiet=bool(record.quiet),
        language=record.language,
        searches=tuple(searches),
    )


def _topics_of(session: Session, chat_id: int) -> list[str]:
    return list(session.scalars(select(Subscription.topic).where(Subscription.chat_id == chat_id)))


def _searches_of(session: Session, chat_id: int) -> list[str]:
    return list(session.scalars(select(ChatSearch.key).where(ChatSearch.chat_id == chat_id).order_by(ChatSearch.id)))


def _check_days(days: str) -> str:
    if not days or any(day not in EVERY_DAY for day in days) or len(set(days)) != len(days):
        raise ValueError(f"days must be ISO weekday digits 1-7 without repeats, such as {WEEKDAYS!r}; got {days!r}")
    return "".join(sorted(days))


# ---- subscribers ---------------------------------------------------------------------------------


def ensure_subscriber(
    store: Store,
    chat_id: int,
    *,
    chat_type: str = "private",
    title: str = "",
    timezone: str = "UTC",
    briefing_time: time = time(7, 0),
    now: datetime | None = None,
    language: str | None = None,
) -> Subscriber:
    """The chat's subscriber row, created with these settings when the chat is new (race-safe)."""
    with transaction(store) as session:
        session.execute(
            dialect_insert(session)(SubscriberRecord)
            .values(
                chat_id=chat_id,
                chat_type=chat_type,
                title=title,
                timezone=timezone,
                briefing_time=briefing_time.strftime("%H:%M"),
                days=EVERY_DAY,
                active=True,
                created_at=now or utc_now(),
                language=language,
            )
            .on_conflict_do_nothing(index_elements=["chat_id"])
        )
        record = session.scalars(select(SubscriberRecord).where(SubscriberRecord.chat_id == chat_id)).one()
        return _subscriber(record, _topics_of(session, chat_id), _searches_of(session, chat_id))


def get_subscriber(store: Store, chat_id: int) -> Subscriber | None:
    """A chat's settings and topics, None for a chat the bot does not know."""
    with transaction(store, write=False) as session:
        record = session.scalars(select(SubscriberRecord).where(SubscriberRecord.chat_id == chat_id)).first()
        return _subscriber(record, _topics_of(session, chat_id), _searches_of(session, chat_id)) if record else None


_CHANGEABLE = {"chat_type", "title", "timezone", "briefing_time", "days", "active", "deactivated_reason", "last_briefing_at", "quiet", "language"}


def update_subscriber(store: Store, chat_id: int, **changes: Any) -> Subscriber | None:
    """Change a chat's settings (chat_type, title, timezone, briefing_time, days, active, last_briefing_at, quiet, language...)."""
    unknown = set(changes) - _CHANGEABLE
    if unknown:
        raise TypeError(f"update_subscriber() cannot change {', '.join(sorted(unknown))}")
    if isinstance(changes.get("briefing_time"), time):
        changes["briefing_time"] = changes["briefing_time"].strftime("%H:%M")
    if "days" in changes:
        changes["days"] = _check_days(changes["days"])
    with transaction(store) as session:
        record = session.scalars(select(SubscriberRecord).where(SubscriberRecord.chat_id == chat_id)).first()
        if record is None:
            return None
        for name, value in changes.items():
            setattr(record, name, value)
        if changes.get("active") is True:
            record.deactivated_reason = None
        session.flush()
        return _subscriber(record, _topics_of(session, chat_id), _searches_of(session, chat_id))


def deactivate_subscriber(store: Store, chat_id: int, reason: str) -> bool:
    """Stop pushing to a chat (it blocked the bot, or is gone), keeping its settings."""
    with transaction(store) as session:
        result = session.execute(
            update(SubscriberRecord)
            .where(SubscriberRecord.chat_id == chat_id)
            .values(active=False, deactivated_reason=reason)
        )
        return bool(result.rowcount)


def subscribe(store: Store, chat_id: int, topic: str, *, now: datetime | None = None) -> bool:
    """Add a topic to a chat's morning briefing (the chat is created if new); False if it was there already."""
    ensure_subscriber(store, chat_id, now=now)
    with transaction(store) as session:
        result = session.execute(
            dialect_insert(session)(Subscription)
            .values(chat_id=chat_id, topic=topic, created_at=now or utc_now())
            .on_conflict_do_nothing(index_elements=["chat_id", "topic"])
            .returning(Subscription.topic)
        )
        return result.first() is not None


def unsubscribe(store: Store, chat_id: int, topic: str) -> bool:
    """Take a topic out of a chat's morning briefing; False if it was not there."""
    with transaction(store) as session:
        result = session.execute(
            delete(Subscription).where(Subscription.chat_id == chat_id, Subscription.topic == topic)
        )
        return bool(result.rowcount)


def subscriptions(store: Store, chat_id: int) -> list[str]:
    """A chat's topics, sorted."""
    with transaction(store, write=False) as session:
        return sorted(_topics_of(session, chat_id))


def active_subscribers(store: Store, topic: str | None = None) -> list[Subscriber]:
    """Chats that get pushes: active with at least one topic or saved search (or with `topic`), by chat id."""
    with transaction(store, write=False) as session:
        query = (
            select(SubscriberRecord, Subscription.topic)
            .join(Subscription, Subscription.chat_id == SubscriberRecord.chat_id)
            .where(SubscriberRecord.active.is_(True))
            .order_by(SubscriberRecord.chat_id, Subscription.topic)
        )
        if topic is not None:
            query = query.where(
                SubscriberRecord.chat_id.in_(select(Subscription.chat_id).where(Subscription.topic == topic))
            )
        grouped: dict[int, tuple[SubscriberRecord, list[str], list[str]]] = {}
        for record, subscribed in session.execute(query):
            grouped.setdefault(record.chat_id, (record, [], []))[1].append(subscribed)
        searched = (
            select(SubscriberRecord, ChatSearch.key)
            .join(ChatSearch, ChatSearch.chat_id == SubscriberRecord.chat_id)
            .where(SubscriberRecord.active.is_(True))
            .order_by(SubscriberRecord.chat_id, ChatSearch.id)
        )
        if topic is not None:
            searched = searched.where(
                SubscriberRecord.chat_id.in_(select(Subscription.chat_id).where(Subscription.topic == topic))
            )
        for record, key in session.execute(searched):
            grouped.setdefault(record.chat_id, (record, [], []))[2].append(key)
        return [_subscriber(record, topics, keys) for _, (record, topics, keys) in sorted(grouped.items())]


def subscriber_count(store: Store) -> dict[str, int]:
    """Chats known, active, and with at least one subscription (a topic or a saved search)."""
    with transaction(store, write=False) as session:
        known = session.scalar(select(func.count()).select_from(SubscriberRecord)) or 0
        active = session.scalar(select(func.count()).where(SubscriberRecord.active.is_(True))) or 0
        following = union(select(Subscription.chat_id), select(ChatSearch.chat_id)).subquery()
        subscribed = session.scalar(select(func.count()).select_from(following)) or 0
    return {"known": known, "active": active, "subscribed": subscribed}


# ---- chat lifecycle --------------------------------------------------------------------------------


def chat_migrated(store: Store, old_chat_id: int, new_chat_id: int) -> bool:
    """Move everything of a group to its new supergroup id; False when the old id is unknown.

    When the new id already has a row (the supergroup spoke first), the old
    chat's settings win and its topics, saved searches, deliveries, sent stories and mutes are merged in.
    """
    if old_chat_id == new_chat_id:
        return False
    with transaction(store) as session:
        old = session.scalars(select(SubscriberRecord).where(SubscriberRecord.chat_id == old_chat_id)).first()
        if old is None:
            return False
        # Remembered, so a push planned under the old id (just before the move) reaches the new one.
        upsert(
            session, ChatMigration.__table__,
            [{"old_chat_id": old_chat_id, "new_chat_id": new_chat_id, "migrated_at": utc_now()}],
            key=["old_chat_id"], update=["new_chat_id", "migrated_at"],
        )
        new = session.scalars(select(SubscriberRecord).where(SubscriberRecord.chat_id == new_chat_id)).first()
        if new is None:
            # ON UPDATE CASCADE carries subscriptions, saved searches, mutes, deliveries and sent stories along.
            session.execute(
                update(SubscriberRecord)
                .where(SubscriberRecord.chat_id == old_chat_id)
                .values(chat_id=new_chat_id, chat_type="supergroup")
            )
            return True
        for name in ("title", "timezone", "briefing_time", "days", "active", "deactivated_reason", "last_briefing_at", "quiet", "language"):
            setattr(new, name, getattr(old, name))
        new.chat_type = "supergroup"
        new.created_at = min(new.created_at, old.created_at)
        have = set(_topics_of(session, new_chat_id))
        session.execute(
            update(Subscription)
            .where(Subscription.chat_id == old_chat_id, Subscription.topic.not_in(have))
            .values(chat_id=new_chat_id)
        )
        taken = select(DeliveryRecord.local_date, DeliveryRecord.topic).where(DeliveryRecord.chat_id == new_chat_id)
        taken_keys = {(row.local_date, row.topic) for row in session.execute(taken)}
        for delivery in session.scalars(select(DeliveryRecord).where(DeliveryRecord.chat_id == old_chat_id)):
            if (delivery.local_date, delivery.topic) not in taken_keys:
                delivery.chat_id = new_chat_id
        searched_new = set(_searches_of(session, new_chat_id))
        session.execute(
            update(ChatSearch)
            .where(ChatSearch.chat_id == old_chat_id, ChatSearch.key.not_in(searched_new))
            .values(chat_id=new_chat_id)
        )
        muted_new = set(session.scalars(select(ChatMute.key).where(ChatMute.chat_id == new_chat_id)))
        session.execute(
            update(ChatMute).where(ChatMute.chat_id == old_chat_id, ChatMute.key.not_in(muted_new)).values(chat_id=new_chat_id)
        )
        sent_new = set(session.scalars(select(SentStory.story_id).where(SentStory.chat_id == new_chat_id)))
        session.execute(
            update(SentStory)
            .where(SentStory.chat_id == old_chat_id, SentStory.story_id.not_in(sent_new))
            .values(chat_id=new_chat_id)
        )
        session.flush()
        session.delete(old)
        return True


def forget_chat(store: Store, chat_id: int) -> bool:
    """Delete everything kept about a chat (/stop): settings, topics, saved searches, deliveries, sent stories, mutes, a channel's link."""
    with transaction(store) as session:
        # Explicit deletes as well as ON DELETE CASCADE, so nothing depends on a pragma being on.
        for model in (Subscription, ChatSearch, DeliveryRecord, SentStory, ChatMute):
            session.execute(delete(model).where(model.chat_id == chat_id))
        session.execute(delete(ChannelLink).where(ChannelLink.channel_id == chat_id))
        result = session.execute(delete(SubscriberRecord).where(SubscriberRecord.chat_id == chat_id))
        return bool(result.rowcount)
