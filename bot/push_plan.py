"""The morning push, planned: subscribers' schedules turned into delivery rows, exactly one per local day.

No Telegram here: this decides what is due; handlers/push.py sends it. Every
process may plan at once (the delivery key (chat, local date, topic) makes the
rows unique) and each delivery is then claimed by one process only.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bot.schedule import DEFAULT_GRACE, DueBriefing, Schedule, due_between, split_late
from bot.store import (
    DeliveryDue,
    Store,
    Subscriber,
    active_subscribers,
    deliveries,
    ensure_deliveries,
    get_setting,
    mark_delivery_skipped,
    set_setting,
)

log = logging.getLogger(__name__)

LAST_PLANNED = "push.last_planned_at"
# How far back planning looks the first time, or after a long downtime.
LOOKBACK = timedelta(days=1)
# A briefing covers at least this much news, and at most this much after a long gap (weekends, holidays).
SHORTEST_WINDOW = timedelta(hours=24)
LONGEST_WINDOW = timedelta(days=7)


@dataclass
class PushPlan:
    """What one planning pass did."""

    created: int = 0
    missed: list[DueBriefing] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None


def worker_name() -> str:
    """This process, as a delivery's claimant: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def plan_deliveries(
    store: Store, now: datetime, *, grace: timedelta = DEFAULT_GRACE, subscribers: list[Subscriber] | None = None
) -> PushPlan:
    """Create the deliveries that fell due since the last pass; the ones `grace` late or more are skipped and logged.

    After downtime the pass covers the time the bot was down (up to LOOKBACK),
    so a push missed within the grace period still goes out, once.
    """
    chats = subscribers if subscribers is not None else active_subscribers(store)
    start, end, send, late = _fallen_due(store, now, grace, chats)
    plan = PushPlan(start=start, end=end)
    plan.created = ensure_deliveries(store, [DeliveryDue(item.chat_id, item.local_date, item.due_at) for item in send], now=now)
    if late:
        ensure_deliveries(store, [DeliveryDue(item.chat_id, item.local_date, item.due_at) for item in late], now=now)
        for item in late:
            for delivery in deliveries(store, chat_id=item.chat_id, local_date=item.local_date, status="pending"):
                reason = f"missed: due {item.due_at:%Y-%m-%d %H:%M} UTC, more than {grace} late when the bot ran"
                if mark_delivery_skipped(store, delivery.id, reason):
                    plan.missed.append(item)
                    log.warning("skipped the briefing of chat %s for %s: %s", item.chat_id, item.local_date, reason)
    set_setting(store, LAST_PLANNED, now.astimezone(UTC).isoformat())
    return plan


def due_now(
    store: Store,
    now: datetime,
    *,
    grace: timedelta = DEFAULT_GRACE,
    lease: timedelta = timedelta(minutes=10),
    subscribers: list[Subscriber] | None = None,
) -> tuple[list[DueBriefing], list[DueBriefing]]:
    """(would send, would skip as missed) by a push tick at `now`, planning and claiming nothing (`push --dry-run`).

    What planning would add (as plan_deliveries decides it) and the deliveries
    already planned that the tick would claim: pending ones due by now and
    claims older than `lease`. A local date whose delivery is sent, skipped,
    failed or claimed by a live worker is in neither list.
    """
    chats = subscribers if subscribers is not None else active_subscribers(store)
    _, _, send, late = _fallen_due(store, now, grace, chats)
    wanted = {chat.chat_id for chat in chats}
    unsent = [d for status in ("pending", "claimed") for d in deliveries(store, status=status, limit=1_000_000) if d.chat_id in wanted]
    claimable = {
        (d.chat_id, d.local_date): DueBriefing(d.due_at, d.chat_id, d.local_date)
        for d in unsent
        if (d.status == "pending" and d.due_at <= now)
        or (d.status == "claimed" and d.claimed_at is not None and d.claimed_at < now - lease)
    }
    pending = {(d.chat_id, d.local_date) for d in unsent if d.status == "pending"}
    known = {item.key for item in [*send, *late] if deliveries(store, chat_id=item.chat_id, local_date=item.local_date, limit=1)}
    # Planning's missed briefings are skipped only while nothing else has their date (or it is still pending).
    missed = [item for item in late if item.key not in known or item.key in pending]
    for item in missed:
        claimable.pop(item.key, None)
    fresh = [item for item in send if item.key not in known]
    return sorted([*fresh, *claimable.values()]), sorted(missed)


def _fallen_due(
    store: Store, now: datetime, grace: timedelta, chats: list[Subscriber]
) -> tuple[datetime, datetime, list[DueBriefing], list[DueBriefing]]:
    """The window a planning pass at `now` covers, and the briefings in it to send and too late to send."""
    last = _last_planned(store)
    start = max(last, now - LOOKBACK) if last is not None else now - LOOKBACK
    end = now + timedelta(microseconds=1)
    created = {chat.chat_id: chat.created_at for chat in chats}
    # Nothing is due from before a chat existed (a first pass, or a chat new since the last one).
    due = [item for item in due_between(chats, start, end) if item.due_at >= created[item.chat_id]]
    send, late = split_late(due, now, grace)
    return start, end, send, late


def plan_now(store: Store, now: datetime, subscribers: list[Subscriber]) -> int:
    """Deliveries due right now for these chats (`newsbrief push --now`): today's, unless already made."""
    items = [DeliveryDue(chat.chat_id, Schedule.of(chat).local_date(now), now) for chat in subscribers]
    return ensure_deliveries(store, items, now=now)


def news_window(subscriber: Subscriber, due_at: datetime) -> tuple[datetime, datetime]:
    """(since, until) of the news a delivery covers: back to the subscriber's previous briefing time.

    A daily subscriber gets the last 24 hours; a weekdays one gets the weekend
    on Monday. Whole hours, so subscribers due at the same instant share one
    composition per topic.
    """
    previous = Schedule.of(subscriber).last_due(due_at - timedelta(microseconds=1))
    span = due_at - previous.due_at if previous is not None else SHORTEST_WINDOW
    span = min(max(span, SHORTEST_WINDOW), LONGEST_WINDOW)
    hours = -(-int(span.total_seconds()) // 3600)
    return due_at - timedelta(hours=hours), due_at


def local_date_of(subscriber: Subscriber, instant: datetime) -> date:
    """The subscriber's calendar date at an instant."""
    return Schedule.of(subscriber).local_date(instant)


def _last_planned(store: Store) -> datetime | None:
    value = get_setting(store, LAST_PLANNED)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
