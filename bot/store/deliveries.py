"""Deliveries: the pushes of the morning briefing to each chat, and the stories each chat was sent.

The scheduling and sending logic lives elsewhere; these are the rows it keeps,
with the guarantees it relies on: one delivery per (chat, local day, topic),
and a claim that hands each due delivery to one worker only.

A push sends thousands of messages; writing each record in a transaction of
its own makes the store, not Telegram, the bottleneck. So the push journal
(`record_push`) groups the records of all the deliveries in flight and writes
them together; each delivery still waits for its record before it sends its
next message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from bot.store.engine import Store, dialect_insert, transaction, upsert, utc_now
from bot.store.models import ChatMigration, DeliveryRecord, SentStory, SubscriberRecord

DELIVERY_STATUSES = ("pending", "claimed", "sent", "failed", "skipped")


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
    # The summary sentences the chat has been shown of it (what "what's new" is new against).
    shown: tuple[str, ...] = ()


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


# ---- deliveries ------------------------------------------------------------------------------------


# Chat ids looked up in one statement (well under either backend's limit on bound parameters).
CHATS_PER_QUERY = 1000


def ensure_deliveries(store: Store, due: Iterable[DeliveryDue], *, now: datetime | None = None) -> int:
    """Create the deliveries that do not exist yet; returns how many were new.

    The unique (chat_id, local_date, topic) key means a second scheduler, or a
    rerun after a crash, adds nothing twice.
    """
    created = 0
    now = now or utc_now()
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
        # A chat may be forgotten (/stop) or moved (a group became a supergroup) after it was
        # planned: a moved chat's delivery goes to its new id, a forgotten chat gets none. On
        # PostgreSQL the key-share lock keeps the chats until the inserts commit; SQLite's
        # writing transaction holds the file's write lock.
        moved = _moved_chats(session, {row["chat_id"] for row in rows})
        for row in rows:
            row["chat_id"] = moved.get(row["chat_id"], row["chat_id"])
        stored = _stored_chats(session, {row["chat_id"] for row in rows})
        for row in rows:
            if row["chat_id"] not in stored:
                continue
            result = session.execute(
                dialect_insert(session)(DeliveryRecord)
                .values(**row)
                .on_conflict_do_nothing(index_elements=["chat_id", "local_date", "topic"])
                .returning(DeliveryRecord.id)
            )
            created += len(result.all())
    return created


def _moved_chats(session: Session, chat_ids: set[int]) -> dict[int, int]:
    """Old group ids among these, mapped to their supergroups' ids now (followed through every later move)."""
    moves: dict[int, int] = {}
    asked: set[int] = set()
    frontier = set(chat_ids)
    while frontier:
        asked |= frontier
        wanted = sorted(frontier)
        frontier = set()
        for first in range(0, len(wanted), CHATS_PER_QUERY):
            some = wanted[first : first + CHATS_PER_QUERY]
            query = select(ChatMigration.old_chat_id, ChatMigration.new_chat_id).where(ChatMigration.old_chat_id.in_(some))
            for old, new in session.execute(query):
                moves[old] = new
                if new not in asked:
                    frontier.add(new)
    moved: dict[int, int] = {}
    for chat in chat_ids & moves.keys():
        new, seen = moves[chat], {chat}
        while new in moves and new not in seen:
            seen.add(new)
            new = moves[new]
        moved[chat] = new
    return moved


def _stored_chats(session: Session, chat_ids: set[int]) -> set[int]:
    """The chats among these that are stored, locked against deletion or a move until the transaction ends."""
    stored: set[int] = set()
    wanted = sorted(chat_ids)
    for first in range(0, len(wanted), CHATS_PER_QUERY):
        some = wanted[first : first + CHATS_PER_QUERY]
        query = select(SubscriberRecord.chat_id).where(SubscriberRecord.chat_id.in_(some)).with_for_update(key_share=True)
        stored.update(session.scalars(query))
    return stored


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
    now = now or utc_now()
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
        record.sent_at = now or utc_now()
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


def release_deliveries(store: Store, delivery_ids: Iterable[int], *, worker: str) -> int:
    """Hand claimed deliveries back (the process is stopping): pending again at once, the messages sent kept.

    The claim's attempt is not counted, and a restart (or another process) resumes each one after
    its last recorded message, without waiting for the claim to go stale. Returns how many were released.
    """
    ids = sorted(set(delivery_ids))
    if not ids:
        return 0
    with transaction(store) as session:
        result = session.execute(
            update(DeliveryRecord)
            .where(DeliveryRecord.id.in_(ids), DeliveryRecord.status == "claimed", DeliveryRecord.claimed_by == worker)
            .values(
                status="pending",
                claimed_by=None,
                claimed_at=None,
                # Claiming counted an attempt (so a claimed row has at least one): this one was not tried.
                attempts=DeliveryRecord.attempts - 1,
            )
        )
        return int(result.rowcount or 0)


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


def oldest_unsent_due(store: Store, now: datetime) -> datetime | None:
    """The due time of the oldest delivery that is due by `now` and not yet sent (pending or claimed); None when none is.

    A delivery retried after a failure counts from its retry time (its due time is moved there).
    """
    query = select(func.min(DeliveryRecord.due_at)).where(
        DeliveryRecord.status.in_(("pending", "claimed")), DeliveryRecord.due_at <= now
    )
    with transaction(store, write=False) as session:
        return session.scalar(query)


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
    store: Store,
    chat_id: int,
    stories: Mapping[int, int],
    *,
    shown: Mapping[int, Sequence[str]] | None = None,
    now: datetime | None = None,
) -> None:
    """Remember which stories a chat was sent, with each story's article count and the sentences it was shown."""
    if not stories:
        return
    now = now or utc_now()
    marks = [_mark(chat_id, story_id, count, (shown or {}).get(story_id, ()), now) for story_id, count in stories.items()]
    with transaction(store) as session:
        _mark_sent(session, marks)


def sent_stories(store: Store, chat_id: int, story_ids: Iterable[int] | None = None) -> dict[int, SentStoryMark]:
    """The stories a chat has been sent (of `story_ids`, when given)."""
    return sent_stories_of_chats(store, [chat_id], story_ids)[chat_id]


def sent_stories_of_chats(
    store: Store, chat_ids: Iterable[int], story_ids: Iterable[int] | None = None
) -> dict[int, dict[int, SentStoryMark]]:
    """The stories each of several chats has been sent (of `story_ids`, when given), in one query."""
    chats = list(chat_ids)
    result: dict[int, dict[int, SentStoryMark]] = {chat: {} for chat in chats}
    if not chats:
        return result
    query = select(SentStory).where(SentStory.chat_id.in_(chats))
    if story_ids is not None:
        query = query.where(SentStory.story_id.in_(list(story_ids)))
    with transaction(store, write=False) as session:
        for record in session.scalars(query):
            result[record.chat_id][record.story_id] = SentStoryMark(
                record.story_id, record.article_count, record.sent_at, tuple(record.shown or ())
            )
    return result


def _mark(chat_id: int, story_id: int, count: int, shown: Sequence[str], now: datetime) -> dict[str, Any]:
    return {"chat_id": chat_id, "story_id": story_id, "article_count": count, "sent_at": now, "shown": list(shown)}


def _mark_sent(session: Session, marks: list[dict[str, Any]]) -> None:
    """Remember stories sent: rows of chat_id, story_id, article_count, sent_at, shown; a story sent before is updated."""
    upsert(session, SentStory.__table__, marks, key=["chat_id", "story_id"], update=["article_count", "sent_at", "shown"])


# ---- the push journal ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    """A delivery all of whose messages went: close it with their ids, remember its stories, stamp the chat."""

    delivery_id: int
    chat_id: int
    stories: Mapping[int, int]
    message_ids: Sequence[int] = ()
    # Of each story, the summary sentences the chat has now been shown.
    shown: Mapping[int, Sequence[str]] = field(default_factory=dict)


def record_push(
    store: Store,
    worker: str,
    progress: Sequence[tuple[int, Sequence[int]]],
    completed: Sequence[Completion],
    *,
    now: datetime,
) -> set[int]:
    """Record deliveries' message ids so far, and close the completed ones, in one transaction.

    `progress` holds (delivery id, every message id sent for it so far); a
    Completion carries its final ids. Only deliveries still claimed by
    `worker` are written; the ids of those that are not (taken over after this
    worker stalled) come back, so the caller stops.
    """
    closing = {item.delivery_id: item for item in completed}
    rows = [{"row": delivery_id, "ids": list(ids)} for delivery_id, ids in progress if delivery_id not in closing]
    done = [{"row": item.delivery_id, "ids": list(item.message_ids)} for item in completed]
    if not rows and not done:
        return set()
    table = DeliveryRecord.__table__
    claimed = (table.c.id == bindparam("row")) & (table.c.status == "claimed") & (table.c.claimed_by == worker)
    with transaction(store) as session:
        written = 0
        if rows:
            written += session.execute(update(table).where(claimed).values(message_ids=bindparam("ids")), rows).rowcount
        if done:
            written += session.execute(
                update(table).where(claimed).values(message_ids=bindparam("ids"), status="sent", sent_at=now, error=None), done
            ).rowcount
        lost: set[int] = set()
        if written != len(rows) + len(done):
            # Some delivery was not ours any more: find which (rare, so a second query is fine).
            ids = [row["row"] for row in rows] + [row["row"] for row in done]
            ours = session.scalars(
                select(table.c.id).where(table.c.id.in_(ids), table.c.claimed_by == worker, table.c.status.in_(("claimed", "sent")))
            )
            lost = set(ids) - set(ours)
        marks = [
            _mark(item.chat_id, story_id, count, item.shown.get(story_id, ()), now)
            for item in completed
            if item.delivery_id not in lost
            for story_id, count in item.stories.items()
        ]
        if marks:
            _mark_sent(session, marks)
        chats = sorted({item.chat_id for item in completed if item.delivery_id not in lost})
        if chats:
            subscribers = SubscriberRecord.__table__
            session.execute(update(subscribers).where(subscribers.c.chat_id.in_(chats)).values(last_briefing_at=now))
    return lost
