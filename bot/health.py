"""The bot's health as an operator's probe sees it (GET /healthz): the store, the feed job, the push tick."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.metrics import BotMetrics
from bot.store import StoreError


@dataclass(frozen=True)
class Health:
    """One health check: healthy unless the store is unreachable or the push tick is badly late."""

    store_reachable: bool
    last_feed_poll: datetime | None
    last_push_tick: datetime | None
    push_lag_seconds: float | None
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def status_code(self) -> int:
        return 200 if self.healthy else 503

    def as_json(self) -> dict[str, Any]:
        """The JSON body of /healthz."""
        return {
            "status": "ok" if self.healthy else "unhealthy",
            "store": "reachable" if self.store_reachable else "unreachable",
            "last_feed_poll": _iso(self.last_feed_poll),
            "last_push_tick": _iso(self.last_push_tick),
            "push_lag_seconds": self.push_lag_seconds,
            "problems": list(self.problems),
        }


def check_health(metrics: BotMetrics, now: datetime, *, push_late_after: float) -> Health:
    """The store asked once (the push lag query); the push tick late when none finished for `push_late_after` seconds.

    Before the first tick the time since start counts. Blocking: run it off the event loop.
    """
    problems: list[str] = []
    reachable = True
    lag: float | None = None
    try:
        lag = metrics.push_lag()
    except StoreError as error:
        reachable = False
        problems.append(f"store unreachable: {error}")
    since = metrics.last_push_tick or metrics.started_at
    if since is not None:
        waited = (now - since).total_seconds()
        if waited > push_late_after:
            what = f"last at {_iso(metrics.last_push_tick)}" if metrics.last_push_tick else f"none since the start at {_iso(since)}"
            problems.append(f"push tick late: {what}, {waited:.0f} s ago (more than {push_late_after:.0f} s)")
    return Health(reachable, metrics.last_feed_poll, metrics.last_push_tick, lag, tuple(problems))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None
