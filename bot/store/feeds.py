"""Feeds as stored: what to poll, when next, and how the last polls went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from bot.store.engine import Store, transaction, utc_now
from bot.store.models import FeedRecord

# Back-off after failures doubles the interval each time, up to this.
MAX_BACKOFF = timedelta(hours=24)


@dataclass(frozen=True)
class Feed:
    """An RSS or Atom feed and the state of its polling."""

    id: int
    url: str
    title: str
    site_url: str
    interval_minutes: int
    etag: str | None
    last_modified: str | None
    next_poll_at: datetime
    last_polled_at: datetime | None
    last_success_at: datetime | None
    error_count: int
    last_error: str | None
    articles_added: int
    active: bool
    created_at: datetime


def _feed(record: FeedRecord) -> Feed:
    return Feed(
        id=record.id,
        url=record.url,
        title=record.title,
        site_url=record.site_url,
        interval_minutes=record.interval_minutes,
        etag=record.etag,
        last_modified=record.last_modified,
        next_poll_at=record.next_poll_at,
        last_polled_at=record.last_polled_at,
        last_success_at=record.last_success_at,
        error_count=record.error_count,
        last_error=record.last_error,
        articles_added=record.articles_added,
        active=record.active,
        created_at=record.created_at,
    )


def add_feed(
    store: Store, url: str, *, title: str = "", interval_minutes: int = 30, now: datetime | None = None
) -> tuple[Feed, bool]:
    """The feed at `url`, and True when it was added now (False when it was there already)."""
    if interval_minutes < 1:
        raise ValueError("a feed's interval is at least 1 minute")
    now = now or utc_now()
    try:
        with transaction(store) as session:
            existing = session.scalars(select(FeedRecord).where(FeedRecord.url == url)).first()
            if existing is not None:
                return _feed(existing), False
            record = FeedRecord(
                url=url,
                title=title,
                site_url="",
                interval_minutes=interval_minutes,
                next_poll_at=now,
                error_count=0,
                articles_added=0,
                active=True,
                created_at=now,
            )
            session.add(record)
            session.flush()
            return _feed(record), True
    except IntegrityError:
        found = get_feed(store, url)
        assert found is not None
        return found, False


def get_feed(store: Store, url_or_id: str | int) -> Feed | None:
    """A feed by its URL or its number."""
    with transaction(store, write=False) as session:
        record = session.scalars(select(FeedRecord).where(_match(url_or_id))).first()
        return _feed(record) if record else None


def _match(url_or_id: str | int) -> object:
    if isinstance(url_or_id, int) or str(url_or_id).isdigit():
        return or_(FeedRecord.id == int(url_or_id), FeedRecord.url == str(url_or_id))
    return FeedRecord.url == url_or_id


def list_feeds(store: Store) -> list[Feed]:
    """Every feed, by number."""
    with transaction(store, write=False) as session:
        return [_feed(record) for record in session.scalars(select(FeedRecord).order_by(FeedRecord.id))]


def remove_feed(store: Store, url_or_id: str | int) -> bool:
    """Stop polling a feed and forget it (its articles stay)."""
    with transaction(store) as session:
        return bool(session.execute(delete(FeedRecord).where(_match(url_or_id))).rowcount)


def set_feed_active(store: Store, url_or_id: str | int, active: bool, *, now: datetime | None = None) -> bool:
    """Pause or resume a feed; resuming polls it at once and clears its error count."""
    with transaction(store) as session:
        record = session.scalars(select(FeedRecord).where(_match(url_or_id))).first()
        if record is None:
            return False
        record.active = active
        if active:
            record.error_count = 0
            record.next_poll_at = now or utc_now()
        return True


def due_feeds(store: Store, *, now: datetime | None = None, limit: int = 20) -> list[Feed]:
    """Active feeds whose next poll time has come, most overdue first."""
    now = now or utc_now()
    query = (
        select(FeedRecord)
        .where(FeedRecord.active.is_(True), FeedRecord.next_poll_at <= now)
        .order_by(FeedRecord.next_poll_at, FeedRecord.id)
        .limit(limit)
    )
    with transaction(store, write=False) as session:
        return [_feed(record) for record in session.scalars(query)]


def record_poll_success(
    store: Store,
    feed_id: int,
    *,
    now: datetime | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    title: str | None = None,
    site_url: str | None = None,
    added: int = 0,
) -> Feed | None:
    """A poll worked (new entries or 304): errors cleared, next poll one interval on."""
    now = now or utc_now()
    with transaction(store) as session:
        record = session.get(FeedRecord, feed_id)
        if record is None:
            return None
        record.last_polled_at = now
        record.last_success_at = now
        record.error_count = 0
        record.last_error = None
        record.next_poll_at = now + timedelta(minutes=record.interval_minutes)
        record.articles_added += added
        if etag is not None:
            record.etag = etag
        if last_modified is not None:
            record.last_modified = last_modified
        if title and not record.title:
            record.title = title
        if site_url:
            record.site_url = site_url
        session.flush()
        return _feed(record)


def record_poll_failure(store: Store, feed_id: int, error: str, *, now: datetime | None = None) -> Feed | None:
    """A poll failed: the error counted and kept, the next poll backed off (doubling, at most a day)."""
    now = now or utc_now()
    with transaction(store) as session:
        record = session.get(FeedRecord, feed_id)
        if record is None:
            return None
        record.error_count += 1
        record.last_error = error[:1000]
        record.last_polled_at = now
        record.next_poll_at = now + backoff(record.interval_minutes, record.error_count)
        session.flush()
        return _feed(record)


def backoff(interval_minutes: int, errors: int) -> timedelta:
    """How long to wait after `errors` failures in a row."""
    return min(timedelta(minutes=interval_minutes) * 2 ** min(errors, 10), MAX_BACKOFF)
