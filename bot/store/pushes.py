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

from bot.store.chats import SentStoryMark, _insert
from bot.store.engine import Store, transaction
from bot.store.models import DeliveryRecord, SentStory, SubscriberRecord


@dataclass(frozen=True)
class Completion:
    """A delivery all of whose messages went: close it, remember its stories, stamp the chat."""

    delivery_id: int
    chat_id: int
    stories: Mapping[int, int]


def record_push(
    store: Store,
    worker: str,
    sent: Sequence[tuple[int, int]],
    completed: Sequence[Completion],
    *,
    now: datetime,
) -> set[int]:
    """Append sent message ids (delivery id, message id) and close completed deliveries, in one transaction.

    Only deliveries still claimed by `worker` are touched; the ids of those that
    were not (taken over after this worker stalled) come back, so the caller stops.
    """
    ids = {delivery_id for delivery_id, _ in sent} | {item.delivery_id for item in completed}
    if not ids:
        return set()
    with transaction(store) as session:
        rows = session.execute(
            select(DeliveryRecord.id, DeliveryRecord.message_ids, DeliveryRecord.status, DeliveryRecord.claimed_by)
            .where(DeliveryRecord.id.in_(ids))
            .with_for_update()
        ).all()
        owned = {row.id: list(row.message_ids or []) for row in rows if row.status == "claimed" and row.claimed_by == worker}
        for delivery_id, message_id in sent:
            if delivery_id in owned:
                owned[delivery_id].append(int(message_id))
        closing = {item.delivery_id for item in completed if item.delivery_id in owned}
        table = DeliveryRecord.__table__
        progress = [{"row": delivery_id, "ids": ids} for delivery_id, ids in owned.items() if delivery_id not in closing]
        if progress:
            session.execute(update(table).where(table.c.id == bindparam("row")).values(message_ids=bindparam("ids")), progress)
        done = [{"row": delivery_id, "ids": owned[delivery_id]} for delivery_id in closing]
        if done:
            session.execute(
                update(table)
                .where(table.c.id == bindparam("row"))
                .values(message_ids=bindparam("ids"), status="sent", sent_at=now, error=None),
                done,
            )
        marks = [
            {"chat_id": item.chat_id, "story_id": story_id, "article_count": count, "sent_at": now}
            for item in completed
            if item.delivery_id in closing
            for story_id, count in item.stories.items()
        ]
        if marks:
            statement = _insert(session)(SentStory.__table__)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["chat_id", "story_id"],
                    set_={"article_count": statement.excluded.article_count, "sent_at": statement.excluded.sent_at},
                ),
                marks,
            )
        chats = sorted({item.chat_id for item in completed if item.delivery_id in closing})
        if chats:
            subscribers = SubscriberRecord.__table__
            session.execute(update(subscribers).where(subscribers.c.chat_id.in_(chats)).values(last_briefing_at=now))
    return ids - set(owned)


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
