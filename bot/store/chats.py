"""Chats: subscribers and their settings, subscriptions, deliveries of pushes, stories already sent.

The scheduling and sending logic lives elsewhere; these are the rows it keeps,
with the guarantees it relies on: one delivery per (chat, local day, topic),
and a claim that hands each due delivery to one worker only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.store.engine import Store, dialect_insert, transaction
from bot.store.models import DeliveryRecord, SentStory, SubscriberRecord, Subscription

EVERY_DAY = "1234567"
WEEKDAYS = "12345"
DELIVERY_STATUSES = ("pending", "claimed", "sent", "failed", "skipped")


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


@dataclass(frozen=True)
class Delivery:
    """One push to one chat on one local day."""

    id: int
    chat_id: int
    local_date: date
    topic: str
    status: str
    due_at: datetime
    attempts: int
    claimed_by: str | None
    claimed_at: datetime | None
    sent_at: datetime | None
    message_ids: tuple[int, ...]
    error: str | None
    created_at: datetime


@dataclass(frozen=True)
class DeliveryDue:
    """A delivery to create: who, which local day, which topic ('*' for the whole briefing), from when."""

    chat_id: int
    local_date: date
    due_at: datetime
    topic: str = "*"


@dataclass(frozen=True)
class SentStoryMark:
    """A story a chat was sent, with how many articles it had then."""

    story_id: int
    article_count: int
    sent_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def _subscriber(record: SubscriberRecord, topics: Iterable[str] = ()) -> Subscriber:
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
    )


def _delivery(record: DeliveryRecord) -> Delivery:
    return Delivery(
        id=record.id,
        chat_id=record.chat_id,
        local_date=record.local_date,
        topic=record.topic,
        status=record.status,
        due_at=record.due_at,
        attempts=record.attempts,
        claimed_by=record.claimed_by,
        claimed_at=record.claimed_at,
        sent_at=record.sent_at,
        message_ids=tuple(int(value) for value in (record.message_ids or [])),
        error=record.error,
        created_at=record.created_at,
    )


def _topics_of(session: Session, chat_id: int) -> list[str]:
    return list(session.scalars(select(Subscription.topic).where(Subscription.chat_id == chat_id)))


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
                created_at=now or _now(),
            )
            .on_conflict_do_nothing(index_elements=["chat_id"])
        )
        record = session.scalars(select(SubscriberRecord).where(SubscriberRecord.chat_id == chat_id)).one()
        return _subscriber(record, _topics_of(session, chat_id))


def get_subscriber(store: Store, chat_id: int) -> Subscriber | None:
    """A chat's settings and topics, None for a chat the bot does not know."""
    with transaction(store, write=False) as session:
        record = session.scalars(select(SubscriberRecord).where(SubscriberRecord.chat_id == chat_id)).first()
        return _subscriber(record, _topics_of(session, chat_id)) if record else None


_CHANGEABLE = {"chat_type", "title", "timezone", "briefing_time", "days", "active", "deactivated_reason", "last_briefing_at"}


def update_subscriber(store: Store, chat_id: int, **changes: Any) -> Subscriber | None:
    """Change a chat's settings (chat_type, title, timezone, briefing_time, days, active, last_briefing_at...)."""
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
        return _subscriber(record, _topics_of(session, chat_id))


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
            .values(chat_id=chat_id, topic=topic, created_at=now or _now())
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
    """Chats that get pushes: active with at least one topic (or with `topic`), by chat id."""
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
        grouped: dict[int, tuple[SubscriberRecord, list[str]]] = {}
        for record, subscribed in session.execute(query):
            grouped.setdefault(record.chat_id, (record, []))[1].append(subscribed)
        return [_subscriber(record, topics) for record, topics in grouped.values()]


def subscriber_count(store: Store) -> dict[str, int]:
    """Chats known, active, and with at least one subscription."""
    with transaction(store, write=False) as session:
        known = session.scalar(select(func.count()).select_from(SubscriberRecord)) or 0
        active = session.scalar(select(func.count()).where(SubscriberRecord.active.is_(True))) or 0
        subscribed = session.scalar(select(func.count(func.distinct(Subscription.chat_id)))) or 0
    return {"known": known, "active": active, "subscribed": subscribed}


# ---- chat lifecycle --------------------------------------------------------------------------------


def chat_migrated(store: Store, old_chat_id: int, new_chat_id: int) -> bool:
    """Move everything of a group to its new supergroup id; False when the old id is unknown.

    When the new id already has a row (the supergroup spoke first), the old
    chat's settings win and its topics, deliveries and sent stories are merged in.
    """
    if old_chat_id == new_chat_id:
        return False
    with transaction(store) as session:
        old = session.scalars(select(SubscriberRecord).where(SubscriberRecord.chat_id == old_chat_id)).first()
        if old is None:
            return False
        new = session.scalars(select(SubscriberRecord).where(SubscriberRecord.chat_id == new_chat_id)).first()
        if new is None:
            # ON UPDATE CASCADE carries subscriptions, deliveries and sent stories along.
            session.execute(
                update(SubscriberRecord)
                .where(SubscriberRecord.chat_id == old_chat_id)
                .values(chat_id=new_chat_id, chat_type="supergroup")
            )
            return True
        for name in ("title", "timezone", "briefing_time", "days", "active", "deactivated_reason", "last_briefing_at"):
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
    """Delete everything kept about a chat (/stop): settings, topics, deliveries, sent stories."""
    with transaction(store) as session:
        # Explicit deletes as well as ON DELETE CASCADE, so nothing depends on a pragma being on.
        for model in (Subscription, DeliveryRecord, SentStory):
            session.execute(delete(model).where(model.chat_id == chat_id))
        result = session.execute(delete(SubscriberRecord).where(SubscriberRecord.chat_id == chat_id))
        return bool(result.rowcount)


# ---- deliveries ------------------------------------------------------------------------------------


def ensure_deliveries(store: Store, due: Iterable[DeliveryDue], *, now: datetime | None = None) -> int:
    """Create the deliveries that do not exist yet; returns how many were new.

    The unique (chat_id, local_date, topic) key means a second scheduler, or a
    rerun after a crash, adds nothing twice.
    """
    created = 0
    now = now or _now()
    rows = [
        {
            "chat_id": item.chat_id,
            "local_date": item.local_date,
            "topic": item.topic,
            "due_at": item.due_at,
            "status": "pending",
            "attempts": 0,
            "message_ids": [],
            "created_at": now,
        }
        for item in due
    ]
    with transaction(store) as session:
        for row in rows:
            result = session.execute(
                dialect_insert(session)(DeliveryRecord)
                .values(**row)
                .on_conflict_do_nothing(index_elements=["chat_id", "local_date", "topic"])
                .returning(DeliveryRecord.id)
            )
            created += len(result.all())
    return created


def claim_deliveries(
    store: Store,
    worker: str,
    *,
    now: datetime | None = None,
    limit: int = 50,
    stale_after: timedelta = timedelta(minutes=10),
    chat_id: int | None = None,
) -> list[Delivery]:
    """Hand due deliveries to `worker`: pending ones due by now, and claims older than `stale_after`.

    On PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED, so workers
    running at once never claim the same delivery; SQLite serialises writers.
    """
    now = now or _now()
    due = or_(
        (DeliveryRecord.status == "pending") & (DeliveryRecord.due_at <= now),
        (DeliveryRecord.status == "claimed") & (DeliveryRecord.claimed_at < now - stale_after),
    )
    pick = select(DeliveryRecord.id).where(due)
    if chat_id is not None:
        pick = pick.where(DeliveryRecord.chat_id == chat_id)
    pick = pick.order_by(DeliveryRecord.due_at, DeliveryRecord.id).limit(limit).with_for_update(skip_locked=True)
    with transaction(store) as session:
        ids = list(session.scalars(pick))
        if not ids:
            return []
        session.execute(
            update(DeliveryRecord)
            .where(DeliveryRecord.id.in_(ids))
            .values(status="claimed", claimed_by=worker, claimed_at=now, attempts=DeliveryRecord.attempts + 1)
        )
        records = session.scalars(select(DeliveryRecord).where(DeliveryRecord.id.in_(ids)).order_by(
            DeliveryRecord.due_at, DeliveryRecord.id
        ).execution_options(populate_existing=True))
        return [_delivery(record) for record in records]


def _claimed(session: Session, delivery_id: int, worker: str | None) -> DeliveryRecord | None:
    record = session.get(DeliveryRecord, delivery_id, with_for_update=True)
    if record is None or record.status != "claimed":
        return None
    if worker is not None and record.claimed_by != worker:
        return None
    return record


def add_delivery_message(store: Store, delivery_id: int, message_id: int, *, worker: str | None = None) -> bool:
    """Record one message of a delivery as sent, so a restart resumes after it instead of repeating it."""
    with transaction(store) as session:
        record = _claimed(session, delivery_id, worker)
        if record is None:
            return False
        record.message_ids = [*(record.message_ids or []), int(message_id)]
        return True


def mark_delivery_sent(
    store: Store,
    delivery_id: int,
    *,
    message_ids: Iterable[int] | None = None,
    worker: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Close a claimed delivery as sent; False if it is not claimed (by `worker`, when given)."""
    with transaction(store) as session:
        record = _claimed(session, delivery_id, worker)
        if record is None:
            return False
        record.status = "sent"
        record.sent_at = now or _now()
        record.error = None
        if message_ids is not None:
            known = list(record.message_ids or [])
            record.message_ids = known + [int(value) for value in message_ids if int(value) not in known]
        return True


def mark_delivery_failed(
    store: Store,
    delivery_id: int,
    error: str,
    *,
    retry_at: datetime | None = None,
    worker: str | None = None,
) -> bool:
    """A claimed delivery failed: back to pending from `retry_at`, or failed for good when None."""
    with transaction(store) as session:
        record = _claimed(session, delivery_id, worker)
        if record is None:
            return False
        record.error = error
        if retry_at is not None:
            record.status = "pending"
            record.due_at = retry_at
            record.claimed_by = None
            record.claimed_at = None
        else:
            record.status = "failed"
        return True


def mark_delivery_skipped(store: Store, delivery_id: int, reason: str) -> bool:
    """Give up a delivery that is not sent (too late after downtime, chat gone); sent ones stay sent."""
    with transaction(store) as session:
        result = session.execute(
            update(DeliveryRecord)
            .where(DeliveryRecord.id == delivery_id, DeliveryRecord.status.in_(("pending", "claimed", "failed")))
            .values(status="skipped", error=reason)
        )
        return bool(result.rowcount)


def get_delivery(store: Store, delivery_id: int) -> Delivery | None:
    """One delivery by id."""
    with transaction(store, write=False) as session:
        record = session.get(DeliveryRecord, delivery_id)
        return _delivery(record) if record else None


def deliveries(
    store: Store,
    *,
    chat_id: int | None = None,
    local_date: date | None = None,
    status: str | None = None,
    limit: int = 1000,
) -> list[Delivery]:
    """Deliveries matching the filters, oldest due first."""
    query = select(DeliveryRecord)
    if chat_id is not None:
        query = query.where(DeliveryRecord.chat_id == chat_id)
    if local_date is not None:
        query = query.where(DeliveryRecord.local_date == local_date)
    if status is not None:
        query = query.where(DeliveryRecord.status == status)
    query = query.order_by(DeliveryRecord.due_at, DeliveryRecord.id).limit(limit)
    with transaction(store, write=False) as session:
        return [_delivery(record) for record in session.scalars(query)]


def delivery_counts(store: Store, *, since: datetime | None = None, local_date: date | None = None) -> dict[str, int]:
    """Deliveries by status (every status listed, zero included) due since `since` or on `local_date`."""
    query = select(DeliveryRecord.status, func.count()).group_by(DeliveryRecord.status)
    if since is not None:
        query = query.where(DeliveryRecord.due_at >= since)
    if local_date is not None:
        query = query.where(DeliveryRecord.local_date == local_date)
    counts = dict.fromkeys(DELIVERY_STATUSES, 0)
    with transaction(store, write=False) as session:
        counts.update({status: count for status, count in session.execute(query)})
    return counts


# ---- stories sent --------------------------------------------------------------------------------


def record_sent_stories(
    store: Store, chat_id: int, stories: Mapping[int, int], *, now: datetime | None = None
) -> None:
    """Remember which stories a chat was sent, with each story's article count at the time."""
    if not stories:
        return
    now = now or _now()
    with transaction(store) as session:
        insert = dialect_insert(session)
        for story_id, count in stories.items():
            statement = insert(SentStory).values(chat_id=chat_id, story_id=story_id, article_count=count, sent_at=now)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["chat_id", "story_id"],
                    set_={"article_count": statement.excluded.article_count, "sent_at": statement.excluded.sent_at},
                )
            )


def sent_stories(store: Store, chat_id: int, story_ids: Iterable[int] | None = None) -> dict[int, SentStoryMark]:
    """The stories a chat has been sent (of `story_ids`, when given)."""
    query = select(SentStory).where(SentStory.chat_id == chat_id)
    if story_ids is not None:
        query = query.where(SentStory.story_id.in_(list(story_ids)))
    with transaction(store, write=False) as session:
        return {
            record.story_id: SentStoryMark(record.story_id, record.article_count, record.sent_at)
            for record in session.scalars(query)
        }
