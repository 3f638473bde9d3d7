"""Commands for the person who runs the bot (ADMIN_IDS): /stats, /ingest, /feeds."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import Update

from bot.ingest.discovery import NoFeed, find_feed
from bot.ingest.fetch import FetchLimits
from bot.ingest.pipeline import ingest as ingest_targets
from bot.ingest.read import is_url
from bot.store import add_feed, article_count, delivery_counts, list_feeds, remove_feed, subscriber_count, topic_counts
from handlers import render
from handlers.messaging import send_messages
from handlers.services import BotContext


async def not_an_admin(update: Update, context: BotContext) -> None:
    """An admin command from someone who is not an admin."""
    await update.effective_message.reply_html(context.translator.gettext("That command is for the people who run this bot."))


async def stats(update: Update, context: BotContext) -> None:
    """Articles, topics, subscribers and today's deliveries."""
    now = context.services.now()
    t = context.translator
    counts = topic_counts(context.services.store, since=now - timedelta(hours=24))
    chats = subscriber_count(context.services.store)
    pushed = delivery_counts(context.services.store, since=now - timedelta(hours=24))
    none = t.gettext("none")
    lines = [
        t.gettext("<b>newsbrief stats</b>"),
        t.gettext("Articles stored: {count}", count=article_count(context.services.store)),
        t.gettext("Last 24 hours by topic: {counts}", counts=", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or none),
        t.gettext("Chats: {known} known, {active} active, {subscribed} subscribed", **chats),
        t.gettext("Deliveries, last 24 hours: {counts}", counts=", ".join(f"{status} {count}" for status, count in sorted(pushed.items())) or none),
    ]
    last = context.bot_data.get("last_push")
    if last is not None:
        lines.append(t.gettext("Last push run: {run}", run=render.escape(last.line())))
    jobs = context.job_queue.get_jobs_by_name("push") if context.job_queue is not None else ()
    if jobs and jobs[0].next_t is not None:
        lines.append(t.gettext("Next push run: {when}", when=jobs[0].next_t.strftime("%Y-%m-%d %H:%M:%S %Z")))
    await update.effective_message.reply_html("\n".join(lines))


async def ingest(update: Update, context: BotContext) -> None:
    """Fetch and store a page or a feed: /ingest URL."""
    targets = [word for word in (context.args or []) if is_url(word)][:5]
    t = context.translator
    if not targets:
        await update.effective_message.reply_html(t.gettext("Send /ingest followed by a page or feed URL (http or https)."))
        return
    await update.effective_message.reply_html(t.ngettext("Fetching {n} URL…", "Fetching {n} URLs…", len(targets)))
    # Fetching and analysis block: keep them off the event loop. The settings' fetch limits and address guard apply.
    settings = context.services.settings
    limits = FetchLimits.from_settings(settings)
    report = await asyncio.to_thread(
        ingest_targets, context.services.store, context.services.topics, targets, limits=limits,
        max_chars=settings.article_max_chars,
    )
    if report.added:
        context.services.metrics.articles_ingested.labels(source="ingest_command").inc(report.added)
    await update.effective_message.reply_html(render.escape(f"Ingest: {report.line()}"))


async def feeds(update: Update, context: BotContext) -> None:
    """List feeds, or /feeds add URL, /feeds remove ID."""
    args = context.args or []
    t = context.translator
    if len(args) >= 2 and args[0] == "add" and is_url(args[1]):
        # The same check as `newsbrief feeds add`: a feed, or the feed its page links; the settings' fetch limits apply.
        limits = FetchLimits.from_settings(context.services.settings)
        try:
            found = await asyncio.to_thread(find_feed, args[1], limits=limits)
        except NoFeed as error:
            await update.effective_message.reply_html(render.escape(t.gettext("Not added: {error}", error=error)))
            return
        feed, added = add_feed(
            context.services.store, found.url, title=found.title,
            interval_minutes=context.services.settings.feed_interval_minutes, now=context.services.now(),
        )
        lead = t.gettext("{page} is a web page; its feed is {url}. ", page=found.page, url=found.url) if found.page else ""
        values = {"id": feed.id, "url": feed.url, "minutes": feed.interval_minutes}
        said = t.gettext("Added feed {id}: {url} (every {minutes} min)", **values) if added else t.gettext(
            "Already polling feed {id}: {url} (every {minutes} min)", **values
        )
        await update.effective_message.reply_html(render.escape(lead + said))
        return
    if len(args) >= 2 and args[0] == "remove":
        removed = remove_feed(context.services.store, int(args[1]) if args[1].isdigit() else args[1])
        await update.effective_message.reply_html(t.gettext("Removed.") if removed else t.gettext("No such feed."))
        return
    listed = list_feeds(context.services.store)
    if not listed:
        await update.effective_message.reply_html(t.gettext("No feeds yet. Add one with /feeds add URL."))
        return
    lines = [t.gettext("<b>Feeds</b>")]
    for feed in listed:
        state = t.gettext("active") if feed.active else t.gettext("paused")
        errors = (
            ", " + t.ngettext("{n} error ({last})", "{n} errors ({last})", feed.error_count, last=render.escape(render.clip(feed.last_error or "", 80)))
            if feed.error_count else ""
        )
        articles = t.ngettext("{n} article", "{n} articles", feed.articles_added)
        lines.append(f"{feed.id}. {render.link(feed.url, feed.title or feed.url)}: {state}, {articles}{errors}")
    await send_messages(context.bot, update.effective_chat.id, render.pack(lines, separator="\n"))
