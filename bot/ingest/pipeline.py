"""Ingest: read sources, analyse each article once, store it, and say what happened in one line.

The walk of one article: `read` (a file, a page, a feed entry) -> `prepare`
(analysis, topics, signature) -> the store (deduplicated, joined to its story).
Feed polling, what the bot's JobQueue runs, is ingest on a schedule; it is
synchronous (HTTP and the store both block): a job callback runs it with
`asyncio.to_thread`. Due feeds are fetched a few at a time in threads, each
fetch under its own deadline, so one slow feed holds up none of the others;
their articles are stored by the calling thread, one feed after another.

Every fetch has the limits of FETCH_TIMEOUT, FETCH_DEADLINE, FETCH_MAX_BYTES
and FETCH_ALLOW_PRIVATE: a caller without a client of its own gets one made
from this process's settings (or from the `limits` it passes).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.ingest.feeds import FeedError, ParsedFeed, feed_items, parse_feed
from bot.ingest.fetch import Fetched, FetchClient, FetchError, FetchLimits, fetch, make_client
from bot.ingest.prepare import Analysed, analyse, article_max_chars, new_article, too_long
from bot.ingest.read import IncomingArticle, Item, Unreadable, expand_paths, fetched_page_article, is_url, read_file
from bot.ingest.story_summaries import refresh_story_summaries
from bot.samples import SAMPLES
from bot.store import Feed, Store, StoreBusy, add_articles, due_feeds, record_poll_failure, record_poll_success
from bot.topics import Topics

# Articles committed together by a bulk ingest: one commit per batch instead of per article,
# or sooner when the first of them has waited STORE_WAIT seconds (slow feeds and pages).
STORE_BATCH = 100
STORE_WAIT = 2.0
# Feeds fetched at once by a poll of the due feeds.
FEED_CONCURRENCY = 4
Progress = Callable[[str], None]
log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What a bulk ingest did: counts, the ids added, and a reason for every failure."""

    added: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    added_ids: list[int] = field(default_factory=list)
    duplicate_reasons: list[tuple[str, str]] = field(default_factory=list)
    # What a person should know beyond the counts, e.g. "feed X: 350 entries, kept the newest 200".
    notes: list[str] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        self.added += other.added
        self.duplicates += other.duplicates
        self.failed.extend(other.failed)
        self.added_ids.extend(other.added_ids)
        self.duplicate_reasons.extend(other.duplicate_reasons)
        self.notes.extend(other.notes)

    def line(self) -> str:
        """One line for a person: added, duplicates, failed with reasons, then the notes."""
        text = f"added {self.added}, duplicates {self.duplicates}, failed {len(self.failed)}"
        if self.failed:
            shown = "; ".join(f"{origin}: {reason}" for origin, reason in self.failed[:5])
            more = f"; and {len(self.failed) - 5} more" if len(self.failed) > 5 else ""
            text += f" ({shown}{more})"
        if self.notes:
            text += "; " + "; ".join(self.notes)
        return text


def ingest(
    store: Store,
    topics: Topics,
    targets: list[str],
    *,
    client: FetchClient | None = None,
    limits: FetchLimits | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
    max_bytes: int | None = None,
    max_chars: int | None = None,
) -> IngestReport:
    """Ingest files, folders, page URLs and feed URLs; `progress` is called once per file or URL done.

    URLs are fetched with `client`, or one made from `limits` (the settings' when not given)."""
    own_client = client is None and any(is_url(target) for target in targets)
    if own_client:
        client = make_client(limits or FetchLimits.from_settings())

    notes: list[str] = []

    def every_item() -> Iterator[Item]:
        for target in expand_paths(targets):
            yield from items_from_target(target, client=client, max_bytes=max_bytes, max_chars=max_chars, notes=notes)
            if progress is not None:
                progress(target)

    try:
        report = store_items(store, topics, every_item(), now=now, max_chars=max_chars)
        report.notes.extend(notes)
        return report
    finally:
        if own_client and client is not None:
            client.close()


def items_from_target(
    target: str,
    *,
    client: FetchClient | None = None,
    max_bytes: int | None = None,
    max_chars: int | None = None,
    notes: list[str] | None = None,
) -> Iterator[Item]:
    """The articles of one file, folder entry, web page URL or feed URL; a feed cut to its newest entries adds a note to `notes`."""
    if not is_url(target):
        yield from read_file(target, max_chars=max_chars or article_max_chars())
        return
    try:
        fetched = fetch(target, client=client, max_bytes=max_bytes)
    except FetchError as error:
        yield Unreadable(target, str(error).removeprefix(f"{target}: "))
        return
    if fetched.is_feed:
        try:
            feed = parse_feed(fetched.body, fetched.url, headers=fetched.headers)
        except FeedError as error:
            yield Unreadable(target, str(error))
            return
        note = feed_cut_note(feed)
        if note and notes is not None:
            notes.append(note)
        yield from feed_items(feed, client=client)
        return
    yield fetched_page_article(fetched, target)


def feed_cut_note(feed: ParsedFeed) -> str | None:
    """The note (logged too) on a feed cut to MAX_ENTRIES, `feed X: 350 entries, kept the newest 200`; None for a whole feed."""
    if not feed.dropped:
        return None
    note = f"feed {feed.url}: {feed.entry_count} entries, kept the newest {len(feed.entries)}"
    log.warning("%s", note)
    return note


def store_items(
    store: Store,
    topics: Topics,
    items: Iterable[Item],
    *,
    now: datetime | None = None,
    batch: int = STORE_BATCH,
    wait: float = STORE_WAIT,
    max_chars: int | None = None,
) -> IngestReport:
    """Analyse and store each article; a failure is recorded with its reason and the rest go on.

    Every ingest path (files, pages, feeds, /ingest, the demo) comes through here, so the length
    cap (`max_chars`, ARTICLE_MAX_CHARS by default) is checked here, before any analysis.

    Articles are committed a batch at a time (one transaction), or when the first
    of a batch has waited `wait` seconds: an interrupted run keeps every batch it
    committed, and stores the batch in hand when interrupted with Ctrl-C; a rerun
    adds only what is missing.
    """
    report = IngestReport()
    pending: list[Analysed] = []
    waiting_since = 0.0
    try:
        for item in items:
            if isinstance(item, Unreadable):
                report.failed.append((item.origin, item.reason))
                continue
            refusal = too_long(item, max_chars)
            if refusal is not None:
                report.failed.append((item.origin, refusal))
                continue
            if not pending:
                waiting_since = time.monotonic()
            pending.append(analyse(item, now))
            if len(pending) >= batch or time.monotonic() - waiting_since >= wait:
                ready, pending = pending, []
                _flush(store, topics, ready, report)
    except BaseException:
        if pending:
            _flush(store, topics, pending, report)
        raise
    if pending:
        _flush(store, topics, pending, report)
    if report.added:
        refresh_story_summaries(store)
    return report


def _flush(store: Store, topics: Topics, analysed: list[Analysed], report: IngestReport) -> None:
    # Topics and signatures are made here for the whole batch, not between analyses:
    # run back to back, their code and tables stay in the CPU caches (a third quicker).
    pending = [(entry.incoming, new_article(entry, topics)) for entry in analysed]
    try:
        results = add_articles(store, [article for _, article in pending])
    except StoreBusy as error:
        report.failed.extend((item.origin, str(error)) for item, _ in pending)
        return
    for (item, _), added in zip(pending, results):
        if added.status == "failed":
            report.failed.append((item.origin, added.reason))
        elif added.status == "added":
            report.added += 1
            report.added_ids.append(added.article_id)
        else:
            report.duplicates += 1
            report.duplicate_reasons.append((item.origin, added.reason))


@dataclass(frozen=True)
class FeedPoll:
    """What one poll of one feed did."""

    feed: Feed
    status: str  # "updated", "not-modified" or "failed"
    report: IngestReport = field(default_factory=IngestReport)
    error: str | None = None



@dataclass(frozen=True)
class _FeedFetched:
    """The network half of a feed poll: the feed fetched and parsed, its entries' articles (teaser pages
    fetched), or why it failed."""

    feed: Feed
    fetched: Fetched | None = None
    parsed: ParsedFeed | None = None
    items: tuple[Item, ...] = ()
    error: str | None = None


def _fetch_feed(feed: Feed, client: FetchClient) -> _FeedFetched:
    """Fetch a feed with a conditional GET and the pages of its teaser entries; touches no store."""
    try:
        fetched = fetch(feed.url, client=client, etag=feed.etag, last_modified=feed.last_modified)
        if fetched.not_modified:
            return _FeedFetched(feed, fetched)
        parsed = parse_feed(fetched.body, fetched.url, headers=fetched.headers)
    except (FetchError, FeedError) as error:
        return _FeedFetched(feed, error=str(error).removeprefix(f"{feed.url}: "))
    return _FeedFetched(feed, fetched, parsed, tuple(feed_items(parsed, client=client)))


def _store_feed(store: Store, topics: Topics, done: _FeedFetched, now: datetime, max_chars: int | None = None) -> FeedPoll:
    """Store what a feed poll brought and record how it went."""
    feed = done.feed
    if done.error is not None or done.fetched is None:
        reason = done.error or "not fetched"
        failed = record_poll_failure(store, feed.id, reason, now=now)
        return FeedPoll(failed or feed, "failed", error=reason)
    if done.fetched.not_modified or done.parsed is None:
        updated = record_poll_success(store, feed.id, now=now)
        return FeedPoll(updated or feed, "not-modified")
    report = store_items(store, topics, done.items, now=now, max_chars=max_chars)
    note = feed_cut_note(done.parsed)
    if note:
        report.notes.append(note)
    updated = record_poll_success(
        store,
        feed.id,
        now=now,
        etag=done.fetched.etag,
        last_modified=done.fetched.last_modified,
        title=done.parsed.title,
        site_url=done.parsed.site_url,
        added=report.added,
    )
    return FeedPoll(updated or feed, "updated", report)


def poll_feed(
    store: Store,
    topics: Topics,
    feed: Feed,
    *,
    client: FetchClient | None = None,
    limits: FetchLimits | None = None,
    now: datetime | None = None,
) -> FeedPoll:
    """Fetch a feed with a conditional GET, store its new entries, and record how it went."""
    now = now or datetime.now(UTC)
    own_client = client is None
    client = client or make_client(limits or FetchLimits.from_settings())
    try:
        return _store_feed(store, topics, _fetch_feed(feed, client), now)
    finally:
        if own_client:
            client.close()


def poll_due_feeds(
    store: Store,
    topics: Topics,
    *,
    client: FetchClient | None = None,
    limits: FetchLimits | None = None,
    now: datetime | None = None,
    limit: int = 20,
    concurrency: int = FEED_CONCURRENCY,
    max_chars: int | None = None,
) -> list[FeedPoll]:
    """Poll every active feed whose time has come (each on its own interval, failures backed off).

    Up to `concurrency` feeds are fetched at once, each fetch under its own deadline,
    so a feed that answers slowly or not at all holds up none of the others; the
    store is written by this thread alone, each feed as soon as it has been fetched.
    Without a client, one is made from `limits` (this process's settings when not given); `max_chars`
    is the article cap (ARTICLE_MAX_CHARS when not given).
    """
    now = now or datetime.now(UTC)
    feeds = due_feeds(store, now=now, limit=limit)
    if not feeds:
        return []
    own_client = client is None
    client = client or make_client(limits or FetchLimits.from_settings())
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(feeds))), thread_name_prefix="feed-poll") as pool:
            pending = [pool.submit(_fetch_feed, feed, client) for feed in feeds]
            polls: dict[int, FeedPoll] = {}
            for future in as_completed(pending):
                done = future.result()
                polls[done.feed.id] = _store_feed(store, topics, done, now, max_chars)
        return [polls[feed.id] for feed in feeds]
    finally:
        if own_client:
            client.close()


def demo_items(now: datetime | None = None) -> list[Item]:
    """The bundled fictional sample articles, their dates moved so the newest is half an hour old."""
    now = now or datetime.now(UTC)
    items: list[Item] = []
    for path in sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("*.md")):
        items.extend(read_file(path))
    dated = [item.published_at for item in items if isinstance(item, IncomingArticle) and item.published_at]
    shift = (now - timedelta(minutes=30)) - max(dated) if dated else timedelta(0)
    moved: list[Item] = []
    for item in items:
        if isinstance(item, IncomingArticle):
            when = item.published_at + shift if item.published_at else now - timedelta(hours=2)
            item = IncomingArticle(**{**item.__dict__, "published_at": when})
        moved.append(item)
    return moved


def load_demo(store: Store, topics: Topics, *, now: datetime | None = None) -> IngestReport:
    """Store the bundled fictional sample articles (already stored ones count as duplicates)."""
    return store_items(store, topics, demo_items(now), now=now)
