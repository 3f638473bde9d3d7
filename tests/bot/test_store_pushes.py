"""Group-committed push records on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from bot.store import (
    Completion,
    DeliveryDue,
    add_article,
    claim_deliveries,
    deliveries,
    ensure_deliveries,
    ensure_subscriber,
    get_subscriber,
    record_push,
    record_sent_stories,
    sent_stories,
    sent_stories_of_chats,
)
from tests.bot.helpers import NOW, body, new_article

DAY = date(2025, 5, 12)


def claimed(store, *chats: int, worker: str = "w1"):
    for chat in chats:
        ensure_subscriber(store, chat, now=NOW)
    ensure_deliveries(store, [DeliveryDue(chat, DAY, NOW) for chat in chats], now=NOW)
    return {delivery.chat_id: delivery for delivery in claim_deliveries(store, worker, now=NOW + timedelta(minutes=1))}


def test_progress_and_completion_of_several_deliveries_in_one_call(store):
    mine = claimed(store, 1, 2)
    story = add_article(store, new_article("Truce in Manbij", body("A truce began.", words=60))).story_id
    lost = record_push(
        store,
        "w1",
        [(mine[1].id, (11,)), (mine[2].id, (21,))],
        [Completion(mine[2].id, 2, {story: 1}, (21, 22))],
        now=NOW + timedelta(minutes=2),
    )
    by_chat = {delivery.chat_id: delivery for delivery in deliveries(store)}
    assert lost == set()
    assert (by_chat[1].status, by_chat[1].message_ids) == ("claimed", (11,))
    assert (by_chat[2].status, by_chat[2].message_ids) == ("sent", (21, 22))
    assert sent_stories(store, 2)[story].article_count == 1
    assert get_subscriber(store, 2).last_briefing_at == NOW + timedelta(minutes=2)
    assert get_subscriber(store, 1).last_briefing_at is None


def test_a_delivery_claimed_by_another_worker_is_left_alone_and_reported(store):
    theirs = claimed(store, 3, worker="w2")
    lost = record_push(store, "w1", [(theirs[3].id, (31,))], [Completion(theirs[3].id, 3, {}, (31, 32))], now=NOW)
    [delivery] = deliveries(store)
    assert lost == {theirs[3].id}
    assert (delivery.status, delivery.message_ids, delivery.claimed_by) == ("claimed", (), "w2")


def test_nothing_to_record_touches_nothing(store):
    assert record_push(store, "w1", [], [], now=NOW) == set()


def test_sent_stories_of_several_chats_in_one_query(store):
    for chat in (4, 5, 6):
        ensure_subscriber(store, chat, now=NOW)
    first = add_article(store, new_article("Truce in Manbij", body("A truce began.", words=60))).story_id
    second = add_article(store, new_article("Bridge repairs", body("Repairs were approved.", words=60))).story_id
    record_sent_stories(store, 4, {first: 2, second: 1}, now=NOW)
    record_sent_stories(store, 5, {second: 3}, now=NOW)
    marks = sent_stories_of_chats(store, [4, 5, 6], [first])
    assert {chat: {story: mark.article_count for story, mark in found.items()} for chat, found in marks.items()} == {
        4: {first: 2},
        5: {},
        6: {},
    }
    assert sent_stories_of_chats(store, []) == {}
