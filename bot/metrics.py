"""The bot's metrics for Prometheus, each Application in a registry of its own (GET /metrics).

Counters and the command histogram are recorded where things happen (the feed job, /ingest, the
push tick, the timing handlers). What another part already counts or what the store knows is read
when Prometheus scrapes: the rate limiter's counts (`TelegramRateLimiter.stats()`), and the push lag,
now minus the due time of the oldest delivery that is due and not yet sent. Read live, a stalled
push shows as a growing lag, not as the last value a tick happened to set.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.store import Store, StoreError, oldest_unsent_due

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds: a command answers in tens of milliseconds; a slow store or Telegram shows in the upper buckets.
COMMAND_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class BotMetrics:
    """One Application's metrics and the moments the operator asks about (last feed poll, last push tick)."""

    def __init__(self, limiter: object | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.articles_ingested = Counter(
            "newsbrief_articles_ingested", "Articles stored, by where they came from (feed, ingest command).", ["source"],
            registry=self.registry,
        )
        self.feed_polls = Counter(
            "newsbrief_feed_polls", "Feed polls, by outcome (updated, not-modified, failed).", ["status"], registry=self.registry
        )
        self.feed_errors = Counter("newsbrief_feed_errors", "Feed polls that failed.", registry=self.registry)
        self.push_briefings = Counter(
            "newsbrief_push_briefings", "Morning briefings handled by the push, by result.", ["result"], registry=self.registry
        )
        self.command_seconds = Histogram(
            "newsbrief_command_seconds", "Seconds from an update's arrival to its handlers' end, by command.", ["command"],
            buckets=COMMAND_BUCKETS, registry=self.registry,
        )
        self.limiter = limiter
        self.store: Store | None = None
        self.clock: Callable[[], datetime] | None = None
        self.started_at: datetime | None = None
        self.last_feed_poll: datetime | None = None
        self.last_push_tick: datetime | None = None
        self.registry.register(_Live(self))

    def attach(self, store: Store, clock: Callable[[], datetime]) -> None:
        """Read the push lag from this store on the bot's clock (post_init, once the store is open)."""
        self.store, self.clock = store, clock
        self.started_at = clock()

    def push_lag(self) -> float | None:
        """Seconds the oldest due, unsent delivery has waited (0.0 when none); None before the store is attached.

        Raises StoreError when the store cannot be read.
        """
        if self.store is None or self.clock is None:
            return None
        now = self.clock()
        oldest = oldest_unsent_due(self.store, now)
        return max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0

    def exposition(self) -> bytes:
        """The metrics in Prometheus's text format (blocking: it reads the store)."""
        return generate_latest(self.registry)


class _Live(Collector):
    """What is read at scrape time: the rate limiter's counts, the push lag, the last poll and tick."""

    def __init__(self, metrics: BotMetrics) -> None:
        self.metrics = metrics

    def describe(self) -> list[Metric]:
        return []  # generated on each scrape; an empty describe keeps the registry from collecting at register time

    def collect(self) -> Iterator[Metric]:
        metrics = self.metrics
        stats: Any = getattr(metrics.limiter, "stats", None)
        if callable(stats):
            counts = stats()
            yield _counter("newsbrief_telegram_messages", "Message requests let through to Telegram (retries too).", counts.messages)
            yield _counter("newsbrief_telegram_rate_limited", "429 Too Many Requests answers from Telegram.", counts.rate_limited)
            yield _counter("newsbrief_telegram_retries", "Requests sent again after a 429.", counts.retried)
            yield _counter("newsbrief_telegram_paused_seconds", "Seconds every request waited for a 429's retry_after.", counts.paused_for)
        for name, help_text, moment in (
            ("newsbrief_feed_last_poll_timestamp_seconds", "When the feed job last finished (Unix time).", metrics.last_feed_poll),
            ("newsbrief_push_last_tick_timestamp_seconds", "When the push tick last finished (Unix time).", metrics.last_push_tick),
        ):
            if moment is not None:
                yield GaugeMetricFamily(name, help_text, value=moment.timestamp())
        try:
            lag = metrics.push_lag()
        except StoreError as error:
            log.warning("metrics: the store is unavailable: %s", error)
            yield GaugeMetricFamily("newsbrief_store_up", "1 when the store answered this scrape.", value=0)
            return
        if lag is not None:
            yield GaugeMetricFamily("newsbrief_store_up", "1 when the store answered this scrape.", value=1)
            yield GaugeMetricFamily(
                "newsbrief_push_lag_seconds", "Now minus the due time of the oldest due delivery not yet sent.", value=lag
            )


def _counter(name: str, help_text: str, value: float) -> CounterMetricFamily:
    return CounterMetricFamily(name, help_text, value=value)
