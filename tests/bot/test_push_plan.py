"""The push plan read without writing (`push --dry-run`): due_now is what a tick at the same instant plans and claims."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.push_plan import due_now, plan_deliveries
from bot.store import (
    DeliveryDue,
    Store,
    claim_deliveries,
    deliveries,
    ensure_deliveries,
    mark_delivery_failed,
    mark_delivery_sent,
    subscribe,
    update_subscriber,
)
from tests.bot.helpers import DAY, NOW

GRACE = timedelta(hours=3)
LEASE = timedelta(minutes=10)


def subscriber(store: Store, chat_id: int, at: time) -> None:
    """A UTC chat subscribed two days before NOW, its briefing at `at`."""
    subscribe(store, chat_id, "syria", now=NOW - timedelta(days=2))
    update_subscriber(store, chat_id, briefing_time=at, timezone="UTC")


def planned(store: Store, chat_id: int, at: time) -> int:
    """Today's delivery of a chat, made as an earlier pass made it; its id."""
    ensure_deliveries(store, [DeliveryDue(chat_id, DAY, datetime.combine(DAY, at, UTC))], now=NOW - timedelta(hours=3))
    return deliveries(store, chat_id=chat_id)[0].id


def claimed(store: Store, chat_id: int, at: datetime, worker: str = "other") -> int:
    [delivery] = claim_deliveries(store, worker, now=at, chat_id=chat_id)
    return delivery.id


def test_due_now_is_what_a_tick_then_plans_and_claims(store: Store) -> None:
    subscriber(store, 1, time(11, 30))  # NOW is 12:00: due, nothing planned yet
    subscriber(store, 2, time(13, 0))  # not yet today
    subscriber(store, 3, time(11, 0))  # sent already
    subscriber(store, 4, time(8, 30))  # 3.5 h late: missed
    subscriber(store, 5, time(11, 45))  # claimed a minute ago by a live worker
    subscriber(store, 6, time(10, 0))  # failed on the network, to be retried from 11:55
    subscriber(store, 7, time(11, 15))  # claimed 20 minutes ago by a worker that stalled
    planned(store, 3, time(11, 0))
    mark_delivery_sent(store, claimed(store, 3, NOW - timedelta(minutes=59)), worker="other")
    planned(store, 5, time(11, 45))
    claimed(store, 5, NOW - timedelta(minutes=1))
    planned(store, 6, time(10, 0))
    mark_delivery_failed(store, claimed(store, 6, NOW - timedelta(hours=2)), "NetworkError", retry_at=NOW - timedelta(minutes=5))
    planned(store, 7, time(11, 15))
    claimed(store, 7, NOW - timedelta(minutes=20))

    send, missed = due_now(store, NOW, grace=GRACE, lease=LEASE)
    before = {(d.id, d.status) for d in deliveries(store)}
    plan_deliveries(store, NOW, grace=GRACE)
    claimed_now = claim_deliveries(store, "tick", now=NOW, limit=100, stale_after=LEASE)

    assert sorted((item.chat_id, item.local_date) for item in send) == [(1, DAY), (6, DAY), (7, DAY)]
    assert sorted((d.chat_id, d.local_date) for d in claimed_now) == [(1, DAY), (6, DAY), (7, DAY)]
    # A first pass looks back a day: chat 2's 13:00 of yesterday is missed too, as the tick then records it.
    assert sorted((item.chat_id, item.local_date) for item in missed) == [(2, DAY - timedelta(days=1)), (4, DAY)]
    assert [d.status for d in deliveries(store, chat_id=2)] + [d.status for d in deliveries(store, chat_id=4)] == ["skipped", "skipped"]
    assert len(before) == 4  # due_now planned and claimed nothing
