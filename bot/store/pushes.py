"""Recording a push in few transactions: many deliveries' progress and completions at once.

A push sends thousands of messages; writing each record in a transaction of
its own makes the store, not Telegram, the bottleneck. The push groups the
records of all the deliveries in flight and writes them together; each
delivery still waits for its record before it sends its next message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update

from bot.store.chats import SentStoryMark
from bot.store.engine import Store, dialect_insert, transaction
from bot.store.models import DeliveryRecord, SentStory, SubscriberRecord


@dataclass(frozen=True)
class Completion:
    """A delivery all of whose messages went: close it with their ids, remember its stories, stamp the chat."""

    delivery_id: int
    chat_id: int
    stories: Mapping[int, int]
    message_ids: Sequence[int] = ()


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
            {"chat_id": item.chat_id, "story_id": story_id, "article_count": count, "sent_at": now}
            for item in completed
            if item.delivery_id not in lost
            for story_id, count in item.stories.items()
        ]
        if marks:
            statement = dialect_insert(session)(SentStory.__table__)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["chat_id", "story_id"],
                    set_={"article_count": statement.excluded.article_count, "sent_at": statement.excluded.sent_at},
                ),
                marks,
            )
        chats = sorted({item.chat_id for item in completed if item.delivery_id not in lost})
        if chats:
            subscribers = SubscriberRecord.__table__
            session.execute(update(subscribers).where(subscribers.c.chat_id.in_(chats)).values(last_briefing_at=now))
    return lost


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
            result[record.chat_id][record.story_id] = SentStoryMark(record.story_id, record.article_count, record.sent_at)
    return result
