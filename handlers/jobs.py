"""Clock ticks: poll the feeds that are due (the morning push's tick is handlers/push.py's push_tick)."""

from __future__ import annotations

import asyncio
import logging

from bot.ingest.fetch import FetchLimits
from bot.ingest.pipeline import poll_due_feeds
from handlers.services import BotContext

log = logging.getLogger(__name__)


async def poll_feeds(context: BotContext) -> None:
    """Poll every feed whose interval has passed (fetching runs off the event loop)."""
    found = context.services
    limits = FetchLimits.from_settings(found.settings)
    polls = await asyncio.to_thread(
        poll_due_feeds, found.store, found.topics, limits=limits, now=found.now(), max_chars=found.settings.article_max_chars
    )
    metrics = found.metrics
    metrics.last_feed_poll = found.now()
    for poll in polls:
        metrics.feed_polls.labels(status=poll.status).inc()
        if poll.report.added:
            metrics.articles_ingested.labels(source="feed").inc(poll.report.added)
        if poll.error:
            metrics.feed_errors.inc()
            log.warning("feed %s failed: %s", poll.feed.url, poll.error)
        elif poll.report is not None and poll.report.added:
            log.info("feed %s: %s", poll.feed.url, poll.report.line())
