"""Deliveries on SQLite and PostgreSQL: created once, claimed by one worker, sent, retried; stories sent; the push journal."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.store import (
    Completion,
    DeliveryDue,
    Store,
    add_article,
    add_delivery_message,
    chat_migrated,
    claim_deliveries,
    deliveries,
    delivery_counts,
    ensure_deliveries,
    ensure_subscriber,
    forget_chat,
    get_delivery,
    get_subscriber,
    mark_delivery_failed,
    mark_delivery_sent,
    mark_delivery_skipped,
    oldest_unsent_due,
    record_push,
    record_sent_stories,
    sent_stories,
    sent_stories_of_chats,
)
from tests.bot.helpers import DAY, NOW, body, due, new_article
from tests.conftest import Backend

def test_a_delivery_exists_once_per_chat_day_and_topic(store: Store) -> None:
    ensure_subscriber(store, 42)

    assert ensure_deliveries(store, [due(42), due(42), due(42, "syria")], now=NOW) == 2
    assert ensure_deliveries(store, [due(42)], now=NOW) == 0
    assert ensure_deliveries(store, [due(42, local_date=DAY + timedelta(days=1))], now=NOW) == 1
    assert [(d.topic, d.local_date, d.status) for d in deliveries(store, chat_id=42)] == [
        ("*", DAY, "pending"), ("syria", DAY, "pending"), ("*", DAY + timedelta(days=1), "pending")
    ]


def test_a_chat_moved_or_forgotten_since_it_was_planned_gets_its_delivery_under_its_new_id_or_none(store: Store) -> None:
    for chat in (42, 43, 45):
        ensure_subscriber(store, chat)
    # Between planning and inserting: a group became a supergroup (twice), and a chat sent /stop.
    chat_migrated(store, 43, 44)
    chat_migrated(store, 44, 46)
    forget_chat(store, 45)

    assert ensure_deliveries(store, [due(42), due(43), due(45)], now=NOW) == 2
    assert sorted(d.chat_id for d in deliveries(store)) == [42, 46]


def test_claim_send_and_resume_a_delivery(store: Store) -> None:
    ensure_subscriber(store, 42)
    ensure_deliveries(store, [due(42)], now=NOW)

    (claimed,) = claim_deliveries(store, "worker-a", now=NOW)
    assert (claimed.status, claimed.claimed_by, claimed.attempts) == ("claimed", "worker-a", 1)
    assert claim_deliveries(store, "worker-b", now=NOW) == []
    assert add_delivery_message(store, claimed.id, 1001, worker="worker-a") is True
    assert add_delivery_message(store, claimed.id, 1002, worker="worker-b") is False
    assert mark_delivery_sent(store, claimed.id, message_ids=[1001, 1003], worker="worker-a", now=NOW) is True
    assert mark_delivery_sent(store, claimed.id, worker="worker-a") is False

    sent = get_delivery(store, claimed.id)
    assert (sent.status, sent.message_ids, sent.sent_at) == ("sent", (1001, 1003), NOW)
    assert delivery_counts(store, local_date=DAY) == {"pending": 0, "claimed": 0, "sent": 1, "failed": 0, "skipped": 0}


def test_a_stale_claim_is_taken_over_and_failures_retry_or_stop(store: Store) -> None:
    ensure_subscriber(store, 42)
    ensure_deliveries(store, [due(42), due(42, "syria")], now=NOW)
    first, second = claim_deliveries(store, "crashed", now=NOW)

    taken = claim_deliveries(store, "fresh", now=NOW + timedelta(minutes=11))
    assert [(d.id, d.claimed_by, d.attempts) for d in taken] == [(first.id, "fresh", 2), (second.id, "fresh", 2)]
    assert mark_delivery_failed(store, first.id, "HTTP 500", retry_at=NOW + timedelta(hours=1), worker="fresh") is True
    assert mark_delivery_failed(store, second.id, "chat not found", worker="fresh") is True
    assert claim_deliveries(store, "fresh", now=NOW + timedelta(minutes=30)) == []
    assert [d.id for d in claim_deliveries(store, "fresh", now=NOW + timedelta(hours=1))] == [first.id]
    assert get_delivery(store, second.id).status == "failed"
    assert mark_delivery_skipped(store, second.id, "too late") is True
    assert get_delivery(store, second.id).error == "too late"


def test_two_workers_claiming_at_once_never_share_a_delivery(backend: Backend) -> None:
    setup = backend.open()
    for chat_id in range(1, 41):
        ensure_subscriber(setup, chat_id)
    ensure_deliveries(setup, [due(chat_id) for chat_id in range(1, 41)], now=NOW)
    workers = [backend.open() for _ in range(4)]
    claimed: dict[str, list[int]] = {}
    barrier = threading.Barrier(len(workers))

    def work(name: str, store: Store) -> None:
        barrier.wait()
        mine: list[int] = []
        while batch := claim_deliveries(store, name, now=NOW, limit=3):
            mine.extend(delivery.id for delivery in batch)
        claimed[name] = mine

    threads = [threading.Thread(target=work, args=(f"w{index}", store)) for index, store in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    every = [delivery_id for ids in claimed.values() for delivery_id in ids]
    assert sorted(every) == sorted(d.id for d in deliveries(setup))
    assert len(every) == 40
    for store in [setup, *workers]:
        store.close()


def test_sent_stories_remember_the_article_count(store: Store) -> None:
    ensure_subscriber(store, 42)
    story_a = add_article(store, new_article("Truce in Manbij", body("A truce began.", words=60))).story_id
    story_b = add_article(store, new_article("Bridge repairs", body("Repairs were approved.", words=60))).story_id

    record_sent_stories(store, 42, {story_a: 1, story_b: 1}, now=NOW)
    record_sent_stories(store, 42, {story_a: 3}, now=NOW + timedelta(days=1))

    marks = sent_stories(store, 42)
    assert {story: (mark.article_count, mark.sent_at) for story, mark in marks.items()} == {
        story_a: (3, NOW + timedelta(days=1)), story_b: (1, NOW)
    }
    assert list(sent_stories(store, 42, [story_b])) == [story_b]


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


def test_the_oldest_unsent_due_delivery_is_what_the_push_lag_counts_from(store: Store) -> None:
    for chat in (1, 2, 3, 4):
        ensure_subscriber(store, chat)
    assert oldest_unsent_due(store, NOW) is None
    ensure_deliveries(store, [
        DeliveryDue(1, DAY, NOW - timedelta(minutes=30)),  # sent: not lagging
        DeliveryDue(2, DAY, NOW - timedelta(minutes=20)),  # claimed by a worker, not sent yet
        DeliveryDue(3, DAY, NOW - timedelta(minutes=10)),  # pending
        DeliveryDue(4, DAY, NOW + timedelta(minutes=10)),  # not due yet
    ], now=NOW)
    [first, second] = claim_deliveries(store, "w1", now=NOW, limit=2)
    mark_delivery_sent(store, first.id, message_ids=[1], worker="w1")

    assert oldest_unsent_due(store, NOW) == NOW - timedelta(minutes=20)
    mark_delivery_sent(store, second.id, message_ids=[2], worker="w1")
    assert oldest_unsent_due(store, NOW) == NOW - timedelta(minutes=10)
    assert oldest_unsent_due(store, NOW - timedelta(minutes=15)) is None
