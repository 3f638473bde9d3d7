"""The morning push: claim due deliveries, compose each topic and saved search once, personalise per chat, send exactly once.

Exactly once: a delivery row per (chat, local day) is claimed by one process;
each message sent is recorded before the next, so a restart resumes after the
last one recorded. A resumed delivery composes the same messages again: its
news window ends at the delivery's due time, and what the chat was sent is
recorded only when the whole delivery is done. (Only an article dated before
the due time but stored after the crash could change what is composed.)
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from telegram import Bot
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.mutes import Mutes, StoryWords
from bot.push_plan import local_date_of, news_window, plan_deliveries, plan_now, worker_name
from bot.query import parse_query
from bot.schedule import DueBriefing
from bot.store import (
    Completion,
    Delivery,
    SentStoryMark,
    StoreError,
    Subscriber,
    active_subscribers,
    articles_for_topic,
    chat_migrated,
    claim_deliveries,
    deactivate_subscriber,
    get_subscriber,
    mark_delivery_failed,
    mark_delivery_skipped,
    mutes_of_chats,
    record_push,
    release_deliveries,
    search,
    search_label,
    sent_stories,
    sent_stories_of_chats,
)
from bot.topics import Topic
from handlers import briefings, keyboards, render
from handlers.channel_stops import channel_stopped, telegram_answered
from handlers.messaging import ChatUnreachable, Outgoing, send_messages
from handlers.services import BotContext, Services
from handlers.translations import Translator, language_for, translator
from summaries.briefing import Briefing, compose_briefing, personalize, told_to_chat

log = logging.getLogger(__name__)

# A delivery failing on the network is tried again this much later, this many times.
RETRY_DELAY = timedelta(minutes=5)
MAX_ATTEMPTS = 5
# How long a push keeps trying to record what it sent while the store is unavailable.
STORE_PATIENCE = timedelta(minutes=5)
T = TypeVar("T")
BASE_STORIES = 100
# A saved search's briefing is titled with its words after this.
SEARCH_TITLE = "Your search: "
# How long the journal waits for more records before it writes a transaction.
GATHER_SECONDS = 0.02


@dataclass
class PushReport:
    """What one push run did."""

    sent: int = 0
    messages: int = 0
    failed: int = 0
    retrying: int = 0
    unreachable: int = 0
    skipped: int = 0
    # Handed back unsent (or part sent, every message recorded) because the bot was stopping.
    held: int = 0
    planned: int = 0
    missed: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for the person who runs the bot."""
        return (
            f"sent {self.sent} briefings ({self.messages} messages), {self.retrying} to retry, "
            f"{self.failed} failed, {self.unreachable} chats unreachable, {self.missed} missed, in {self.seconds:.1f} s"
            + (f"; {self.held} held for the next start (stopping)" if self.held else "")
        )


@dataclass
class _Compositions:
    """Each (topic, window) and (saved search, window) composed once per run and shared by every chat due in it."""

    found: Services
    # False composes and renders anew for every chat (what a simple bot does; the benchmark's baseline).
    share: bool = True
    briefings: dict[tuple[str, datetime, datetime], Briefing] = field(default_factory=dict)
    rendered: dict[tuple[object, ...], list[Outgoing]] = field(default_factory=dict)
    # The words of each shared story, made once for every chat's mutes.
    story_words: dict[int, tuple[Any, StoryWords]] = field(default_factory=dict)

    def mutes(self, keys: Iterable[str]) -> Mutes:
        """A chat's mutes, reading the shared stories' words once per run."""
        return Mutes.of(keys, cache=self.story_words if self.share else None)

    def base(self, topic: Topic, since: datetime, until: datetime) -> Briefing:
        key = (topic.name, since, until)
        cached = self.briefings.get(key) if self.share else None
        if cached is None:
            articles = articles_for_topic(
                self.found.store, topic.name, since, briefings.CANDIDATES, until=until, min_score=briefings.MIN_TOPIC_SCORE
            )
            # The window's own articles are counted (not the store's growing clusters), so a
            # resumed delivery composes exactly what it began with.
            cached = compose_briefing(
                articles, title=topic.title, now=until, since=since, topic=topic.name, topic_terms=topic.keywords, max_stories=BASE_STORIES
            )
            self.briefings[key] = cached
        return cached

    def search_base(self, key: str, since: datetime, until: datetime) -> Briefing:
        """A saved search's briefing over a window: its key's words found as /brief finds them, composed once."""
        cache_key = (f"?{key}", since, until)
        cached = self.briefings.get(cache_key) if self.share else None
        if cached is None:
            query = parse_query(key)
            articles = search(self.found.store, query, since, briefings.CANDIDATES, now=until, until=until)
            # Shared by every chat with this search: titled as most of them wrote it, not by its sorted key.
            label = search_label(self.found.store, key) or key
            cached = compose_briefing(
                articles, title=f"{SEARCH_TITLE}{label}", now=until, since=since, topic_terms=query.found_terms, max_stories=BASE_STORIES
            )
            self.briefings[cache_key] = cached
        return cached

    def messages(self, briefing: Briefing, t: Translator) -> list[Outgoing]:
        key = (
            t.code, briefing.topic, briefing.title, briefing.since, briefing.until, briefing.unchanged,
            tuple((s.key, s.status) for s in briefing.stories),
        )
        cached = self.rendered.get(key) if self.share else None
        if cached is None:
            words_searched = _search_words(briefing)
            shown = replace(briefing, title=_search_title(words_searched, t)) if words_searched is not None else briefing
            texts = render.render_briefing(shown, t=t) if not briefing.empty else []
            # A search's "Next page" rebuilds it as /brief of the same words would.
            button_key = self.found.remember_query(words_searched) if words_searched else briefing.topic or ""
            markup = keyboards.briefing_keyboard(briefing, button_key, 0, render.STORIES_PER_PAGE, subscribed=True, t=t)
            cached = [Outgoing(text, markup if index == len(texts) - 1 else None) for index, text in enumerate(texts)]
            self.rendered[key] = cached
        return cached


@dataclass(frozen=True)
class _Planned:
    """A delivery's messages and the stories they carry."""

    messages: list[Outgoing]
    stories: dict[int, int]
    # Of each story sent, the sentences the chat has been shown once this delivery is made.
    shown: dict[int, tuple[str, ...]] = field(default_factory=dict)


def delivery_bases(compositions: _Compositions, subscriber: Subscriber, delivery: Delivery) -> list[Briefing]:
    """The shared (not yet personal) briefings of a delivery's topics, then its saved searches, over its news window."""
    since, until = news_window(subscriber, delivery.due_at)
    topics = [compositions.found.topics[name] for name in subscriber.topics if name in compositions.found.topics]
    return [compositions.base(topic, since, until) for topic in topics] + [
        compositions.search_base(key, since, until) for key in subscriber.searches
    ]


def compose_delivery(
    compositions: _Compositions,
    subscriber: Subscriber,
    delivery: Delivery,
    marks: Mapping[int, SentStoryMark] | None = None,
    mutes: Mutes | None = None,
) -> _Planned:
    """The messages of one chat's morning briefing: each of its topics and saved searches, without what it muted, personalised.

    `marks` are the stories the chat was sent before, `mutes` what it muted (each read here when not given).
    The shared composition of a topic or search is filtered for the chat, never composed again for it; a
    saved search leaves out the stories this delivery already carries under a topic or an earlier search.
    """
    found = compositions.found
    t = translator(language_for(subscriber.language))
    since, until = news_window(subscriber, delivery.due_at)
    topics = [found.topics[name] for name in subscriber.topics if name in found.topics]
    bases = delivery_bases(compositions, subscriber, delivery)
    if marks is None:
        story_ids = {story_id for base in bases for story in base.stories for story_id in story.story_ids}
        marks = sent_stories(found.store, subscriber.chat_id, story_ids) if story_ids else {}
    if mutes is None:
        mutes = compositions.mutes(mutes_of_chats(found.store, [subscriber.chat_id]).get(subscriber.chat_id, ()))
    seen = {story_id: mark.article_count for story_id, mark in marks.items()}
    told_before = {story_id: mark.shown for story_id, mark in marks.items()}
    messages: list[Outgoing] = []
    stories: dict[int, int] = {}
    told: dict[int, tuple[str, ...]] = {}
    unchanged: list[str] = []
    silent: list[str] = []
    muted: list[str] = []
    for shared in bases:
        base = mutes.leave_out(shared)
        if shared.topic is None and stories:
            base = _without(base, stories.keys())
            if not base.stories and shared.stories and messages:
                continue  # its stories went out above, under a topic or an earlier search
        personal = personalize(base, seen, shown=told_before) if seen else base
        if personal.empty:
            (unchanged if base.stories else muted if shared.stories else silent).append(_named(base, t))
            continue
        messages.extend(compositions.messages(personal, t))
        shown = personal.stories[: render.STORIES_PER_PAGE]
        stories.update({story_id: personal.story_sizes.get(story_id, story.article_count) for story in shown for story_id in story.story_ids})
        told.update({story_id: told_to_chat(story, told_before.get(story_id, ())) for story in shown for story_id in story.story_ids})
    if not messages:
        lines = [t.gettext("☀️ Good morning.")]
        # Plural by the number of topics named (Russian: «по теме» or «по темам»; English says the same for both).
        if unchanged:
            lines.append(
                t.ngettext(
                    "Nothing new on {topics} since your last briefing.", "Nothing new on {topics} since your last briefing.",
                    len(unchanged), topics=render.escape(", ".join(unchanged)),
                )
            )
        if silent:
            lines.append(
                t.ngettext(
                    "No news on {topics} in {window}.", "No news on {topics} in {window}.",
                    len(silent), topics=render.escape(", ".join(silent)), window=render.window_phrase(since, until, t),
                )
            )
        if muted:
            lines.append(
                t.ngettext(
                    "On {topics} only stories you muted (/mutes).", "On {topics} only stories you muted (/mutes).",
                    len(muted), topics=render.escape(", ".join(muted)),
                )
            )
        if not topics and not subscriber.searches:
            lines.append(t.gettext("None of your topics is followed any more: /topics lists the current ones."))
        messages.append(Outgoing(" ".join(lines)))
    return _Planned(messages, stories, told)


def _search_words(briefing: Briefing) -> str | None:
    """The words of a saved search's briefing (None for a topic's)."""
    if briefing.topic is None and briefing.title.startswith(SEARCH_TITLE):
        return briefing.title[len(SEARCH_TITLE) :]
    return None


def _search_title(words_searched: str, t: Translator) -> str:
    """A saved search's briefing title in the chat's language: 'Your search: grain exports'."""
    return t.gettext("Your search: {words}", words=words_searched)


def _named(briefing: Briefing, t: Translator) -> str:
    """A briefing's name in a sentence: a saved search's words in the chat's quotation marks, a topic's title as the
    chat's language names a topic in a sentence (English as it is, Russian in «»)."""
    words_searched = _search_words(briefing)
    if words_searched is not None:
        return t.gettext("“{label}”", label=words_searched)
    return t.gettext("{title}", title=t.title(briefing.title))


def _without(briefing: Briefing, story_ids: Iterable[int]) -> Briefing:
    """The briefing without the stories whose story ids are among `story_ids` (and without their quotes)."""
    taken = set(story_ids)
    kept = tuple(story for story in briefing.stories if taken.isdisjoint(story.story_ids))
    if len(kept) == len(briefing.stories):
        return briefing
    keys = {story.key for story in kept}
    return replace(briefing, stories=kept, quotes=tuple(quote for quote in briefing.quotes if quote.story_key in keys))


async def run_push(
    bot: Bot,
    found: Services,
    *,
    worker: str | None = None,
    chat_id: int | None = None,
    concurrency: int = 32,
    lease: timedelta = timedelta(minutes=10),
    share: bool = True,
) -> PushReport:
    """Send every delivery that is due and unclaimed (or whose claim went stale), until none is left."""
    started = time.monotonic()
    worker = worker or worker_name()
    report = PushReport()
    compositions = _Compositions(found, share)
    journal = _Journal(found, worker)
    subscribers: dict[int, Subscriber] | None = None
    gate = asyncio.Semaphore(concurrency)
    stopping = found.shutdown.requested
    while not stopping.is_set():
        now = found.now()
        # Claim only what can be sent soon, so other processes share the rest.
        claimed = claim_deliveries(found.store, worker, now=now, limit=concurrency * 4, stale_after=lease, chat_id=chat_id)
        if not claimed:
            break
        if subscribers is None:
            # Read once a run, and only when something is due: most minute ticks send nothing.
            subscribers = {subscriber.chat_id: subscriber for subscriber in active_subscribers(found.store)}
        marks = _marks(compositions, subscribers, claimed)
        muted = mutes_of_chats(found.store, [delivery.chat_id for delivery in claimed])
        held: list[int] = []

        async def one(delivery: Delivery) -> None:
            async with gate:
                if stopping.is_set():
                    held.append(delivery.id)
                    return
                try:
                    chat_mutes = compositions.mutes(muted.get(delivery.chat_id, ()))
                    await _deliver(
                        bot, found, compositions, journal, subscribers, delivery, marks.get(delivery.chat_id, {}), chat_mutes, report
                    )
                except _Stopping:
                    held.append(delivery.id)

        await asyncio.gather(*(one(delivery) for delivery in claimed))
        if held:
            await _hand_back(found, held, worker, report)
    report.seconds = time.monotonic() - started
    return report


def _marks(
    compositions: _Compositions, subscribers: dict[int, Subscriber], claimed: list[Delivery]
) -> dict[int, dict[int, SentStoryMark]]:
    """What each claimed chat was sent before, for all of them in one query."""
    story_ids: set[int] = set()
    chats = []
    for delivery in claimed:
        subscriber = subscribers.get(delivery.chat_id)
        if subscriber is None:
            continue
        chats.append(delivery.chat_id)
        for base in delivery_bases(compositions, subscriber, delivery):
            story_ids.update(story_id for story in base.stories for story_id in story.story_ids)
    if not story_ids:
        return {}
    return sent_stories_of_chats(compositions.found.store, chats, story_ids)


class _Journal:
    """Group commit: the records of every delivery in flight written in one transaction.

    Each delivery awaits its own record before it sends its next message, so a
    restart never repeats a message; records that arrive while a transaction is
    being written go into the next one.
    """

    def __init__(self, found: Services, worker: str) -> None:
        self.found = found
        self.worker = worker
        self.sent: list[tuple[int, tuple[int, ...]]] = []
        self.completed: list[Completion] = []
        self.waiting: list[asyncio.Future[set[int]]] = []
        self.writer: asyncio.Task[None] | None = None

    async def record(self, sent: tuple[int, tuple[int, ...]] | None = None, completed: Completion | None = None) -> bool:
        """Queue a record and wait until it is written; False when the delivery was taken over by another worker.

        `sent` is (delivery id, every message id sent for it so far).
        """
        if sent is not None:
            self.sent.append(sent)
        if completed is not None:
            self.completed.append(completed)
        waiter: asyncio.Future[set[int]] = asyncio.get_running_loop().create_future()
        self.waiting.append(waiter)
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self._write())
        lost = await waiter
        delivery_id = sent[0] if sent is not None else completed.delivery_id  # type: ignore[union-attr]
        return delivery_id not in lost

    async def _write(self) -> None:
        await asyncio.sleep(GATHER_SECONDS)  # let the other deliveries in flight add theirs
        while self.waiting:
            sent, completed, waiting = self.sent, self.completed, self.waiting
            self.sent, self.completed, self.waiting = [], [], []
            try:
                lost = await _persist(record_push, self.found.store, self.worker, sent, completed, now=self.found.now())
            except Exception as error:  # noqa: BLE001 - handed to every waiter, which decides
                for waiter in waiting:
                    if not waiter.done():
                        waiter.set_exception(error)
                continue
            for waiter in waiting:
                if not waiter.done():
                    waiter.set_result(lost)


async def _deliver(
    bot: Bot,
    found: Services,
    compositions: _Compositions,
    journal: _Journal,
    subscribers: dict[int, Subscriber],
    delivery: Delivery,
    marks: Mapping[int, SentStoryMark],
    mutes: Mutes,
    report: PushReport,
) -> None:
    subscriber = subscribers.get(delivery.chat_id) or get_subscriber(found.store, delivery.chat_id)
    if subscriber is None or not subscriber.active or not (subscriber.topics or subscriber.searches):
        mark_delivery_skipped(found.store, delivery.id, "the chat has no active subscription any more")
        report.skipped += 1
        return
    planned = compose_delivery(compositions, subscriber, delivery, marks, mutes)
    messages = planned.messages
    if subscriber.chat_type == "channel":
        # A channel's readers cannot talk to the bot there: a button's answer would be posted to every reader.
        messages = [Outgoing(message.text) for message in messages]
    last = len(messages) - 1
    message_ids = list(delivery.message_ids)

    async def progress(index: int, chat: int, message_id: int) -> None:
        # Recorded before the next message goes, so a restart resumes after it;
        # the last one is recorded with the delivery's completion.
        message_ids.append(message_id)
        if index < last and not await journal.record(sent=(delivery.id, tuple(message_ids))):
            raise _TakenOver(delivery.id)
        if index < last and found.shutdown.requested.is_set():
            raise _Stopping(delivery.id)  # recorded above: the rest goes after the restart

    def moved(old: int, new: int) -> None:
        chat_migrated(found.store, old, new)

    try:
        sent = await send_messages(
            bot,
            delivery.chat_id,
            messages,
            on_migrate=moved,
            on_sent=progress,
            already_sent=len(delivery.message_ids),
            paid=found.settings.allow_paid_broadcast,
            bulk=True,
            silent=subscriber.quiet,
        )
    except _TakenOver:
        log.warning("delivery %s was taken over by another worker; leaving it", delivery.id)
        return
    except ChatUnreachable as error:
        if subscriber.chat_type != "channel" or not await channel_stopped(bot, found, delivery.chat_id, _telegram_said(error)):
            deactivate_subscriber(found.store, delivery.chat_id, str(error))
        mark_delivery_failed(found.store, delivery.id, f"unreachable: {error}", worker=journal.worker)
        report.unreachable += 1
        return
    except (NetworkError, BadRequest, TelegramError) as error:
        retry = delivery.attempts < MAX_ATTEMPTS and not isinstance(error, BadRequest)
        retry_at = found.now() + RETRY_DELAY if retry else None
        mark_delivery_failed(found.store, delivery.id, f"{type(error).__name__}: {error}", retry_at=retry_at, worker=journal.worker)
        if retry:
            report.retrying += 1
        else:
            report.failed += 1
            report.errors.append(f"chat {delivery.chat_id}: {error}")
        log.warning("push to chat %s failed (attempt %d): %s", delivery.chat_id, delivery.attempts, error)
        return
    await journal.record(completed=Completion(delivery.id, sent.chat_id, planned.stories, tuple(message_ids), planned.shown))
    report.sent += 1
    report.messages += len(sent.message_ids)


def _telegram_said(error: ChatUnreachable) -> str:
    """'Telegram answered: Forbidden: bot is not a member of the channel chat' from '<chat id>: <Telegram's words>'."""
    return telegram_answered(str(error).partition(": ")[2] or str(error))


class _TakenOver(Exception):
    """This worker's claim on a delivery was taken over (it stalled past the lease)."""


class _Stopping(Exception):
    """The bot is stopping: the delivery's messages so far are recorded, the rest wait for the next start."""


async def _hand_back(found: Services, held: list[int], worker: str, report: PushReport) -> None:
    """Release the deliveries a stop left unsent, so the next start resumes them at once (not after the lease)."""
    try:
        report.held += await asyncio.to_thread(release_deliveries, found.store, held, worker=worker)
    except StoreError as error:
        log.warning("could not hand back %d deliveries (%s): they are retaken after the claim lease", len(held), error)


async def _persist(write: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A store write the push must not skip (a message was sent): retried while the store is unavailable.

    The push waits rather than going on without a record, which would send the
    message again after a restart; after STORE_PATIENCE it gives up, leaving the
    delivery claimed, never marked sent.
    """
    delay, waited = 0.2, 0.0
    while True:
        try:
            return await asyncio.to_thread(write, *args, **kwargs)
        except StoreError as error:
            if waited >= STORE_PATIENCE.total_seconds():
                raise
            log.warning("the store is unavailable (%s); retrying in %.1f s", error, delay)
            await asyncio.sleep(delay)
            waited += delay
            delay = min(delay * 2, 10.0)


async def push_tick(context: BotContext) -> None:
    """The JobQueue's minute tick: plan what fell due, then send it. A store outage waits for the next tick."""
    found = context.services
    if found.shutdown.requested.is_set():
        return
    with found.shutdown.running():
        await _tick(context, found)


async def _tick(context: BotContext, found: Services) -> None:
    try:
        plan = await asyncio.to_thread(plan_deliveries, found.store, found.now(), grace=found.settings.push_grace)
        if plan.missed:
            log.warning("%d briefings were more than %s late and were skipped", len(plan.missed), found.settings.push_grace)
        report = await run_push(context.bot, found, concurrency=found.settings.push_concurrency, lease=found.settings.push_claim_lease)
    except StoreError as error:
        log.error("push postponed, the store is unavailable: %s", error)
        return
    context.bot_data["last_push"] = report
    _count(found, report)
    if report.sent or report.failed or report.unreachable or report.held:
        log.info("push: %s", report.line())


def _count(found: Services, report: PushReport) -> None:
    """A finished tick in the metrics: when, and what became of the briefings it handled."""
    metrics = found.metrics
    metrics.last_push_tick = found.now()
    for result, count in (
        ("sent", report.sent), ("retrying", report.retrying), ("failed", report.failed),
        ("unreachable", report.unreachable), ("skipped", report.skipped),
    ):
        if count:
            metrics.push_briefings.labels(result=result).inc(count)


async def push_now(
    bot: Bot, found: Services, *, chat_id: int | None = None, dry_run: bool = False
) -> tuple[PushReport, list[tuple[int, list[Outgoing]]]]:
    """`newsbrief push --now`: today's briefing to every subscriber (or one chat) now, unless it already went."""
    now = found.now()
    chats = [s for s in active_subscribers(found.store) if chat_id is None or s.chat_id == chat_id]
    if dry_run:
        due = [DueBriefing(now, s.chat_id, local_date_of(s, now)) for s in chats]
        return PushReport(), [(item.chat_id, messages) for item, messages in preview_deliveries(found, due, chats)]
    report = PushReport()
    report.planned = plan_now(found.store, now, chats)
    sent = await run_push(bot, found, chat_id=chat_id, concurrency=found.settings.push_concurrency, lease=found.settings.push_claim_lease)
    sent.planned = report.planned
    return sent, []


def preview_deliveries(
    found: Services, due: Iterable[DueBriefing], subscribers: Iterable[Subscriber] | None = None
) -> list[tuple[DueBriefing, list[Outgoing]]]:
    """Each briefing with the messages a push would send for it, composed as a tick composes them; nothing sent or recorded."""
    chats = {s.chat_id: s for s in (subscribers if subscribers is not None else active_subscribers(found.store))}
    compositions = _Compositions(found)
    due = list(due)
    muted = mutes_of_chats(found.store, [item.chat_id for item in due])
    preview = []
    for item in due:
        subscriber = chats.get(item.chat_id)
        if subscriber is None or not subscriber.active or not (subscriber.topics or subscriber.searches):
            continue  # a tick skips its delivery
        draft = Delivery(
            id=0, chat_id=item.chat_id, local_date=item.local_date, topic="*", status="pending", due_at=item.due_at, attempts=0,
            claimed_by=None, claimed_at=None, sent_at=None, message_ids=(), error=None, created_at=item.due_at,
        )
        planned = compose_delivery(compositions, subscriber, draft, mutes=compositions.mutes(muted.get(item.chat_id, ())))
        preview.append((item, planned.messages))
    return preview
