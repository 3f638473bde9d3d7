"""Clock ticks: poll the feeds that are due, and run the morning push."""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import Application, ContextTypes

from bot.feeds import poll_due_feeds
from handlers.push import push_tick
from handlers.services import services

log = logging.getLogger(__name__)


async def poll_feeds(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Poll every feed whose interval has passed (fetching runs off the event loop)."""
    found = services(context)
    polls = await asyncio.to_thread(poll_due_feeds, found.store, found.topics, now=found.now())
    for poll in polls:
        if poll.error:
            log.warning("feed %s failed: %s", poll.feed.url, poll.error)
        elif poll.report is not None and poll.report.added:
            log.info("feed %s: %s", poll.feed.url, poll.report.line())


def schedule(application: Application, *, feed_interval: float, push_interval: float) -> None:
    """Put the recurring jobs on the JobQueue."""
    queue = application.job_queue
    queue.run_repeating(poll_feeds, interval=feed_interval, first=5, name="poll-feeds")
    # The push runs every minute and once at start-up, so a briefing missed while the bot
    # was down goes out at once (within the grace period). Schedules live in the store,
    # not in one job per subscriber, so every process sees the same plan.
    queue.run_repeating(push_tick, interval=push_interval, first=1, name="push")
