"""The tables of the store, as SQLAlchemy 2 typed models.

Every time is kept in UTC. Every row that belongs to a chat carries its
`chat_id` with a foreign key to `subscribers.chat_id` (ON DELETE CASCADE),
so forgetting a chat removes everything kept about it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false as sa_false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC; SQLite hands back naive values, which are UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps aware times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


Json = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: Json, list[Any]: Json}


class Setting(Base):
    """A key-value pair the store keeps about itself (the topics hash, the analysis version)."""

    __tablename__ = "store_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class StoryRecord(Base):
    """One event as the outlets reported it: its articles (own reports and wire copies), centroid and summary."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    first_published_at: Mapped[datetime]
    last_published_at: Mapped[datetime] = mapped_column(index=True)
    article_count: Mapped[int] = mapped_column(Integer, default=1)
    outlet_count: Mapped[int] = mapped_column(Integer, default=1)
    # The story's summary from all its articles: [{"text", "article_id", "outlet", "published_at"}];
    # empty for a one-article story (its article's own summary serves) and until it is made.
    summary: Mapped[list[Any]] = mapped_column(default=list)
    summary_stale: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # The story's bounded centroid, {term: weight} (summaries.stories.merge_terms): what an article is matched against.
    centroid: Mapped[dict[str, Any]] = mapped_column(default=dict)


class StoryTerm(Base):
    """A term a story is found by (one of its centroid's heaviest by weight x idf), for a new article's candidates."""

    __tablename__ = "story_terms"

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(String(80), primary_key=True)
    # The story's newest article: the look-up reads (term, last_published_at) ranges, so old stories cost nothing.
    last_published_at: Mapped[datetime]

    __table_args__ = (Index("ix_story_terms_term_last_published_at", "term", "last_published_at"),)


class TermCount(Base):
    """In how many stored articles a story term occurs (its document frequency); the term '' counts the articles."""

    __tablename__ = "term_counts"

    term: Mapped[str] = mapped_column(String(80), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer, default=0)


class ArticleRecord(Base):
    """One stored article: its original text, cleaned text and where it came from."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    author: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text, unique=True)
    published_at: Mapped[datetime]
    # True when the source gave no date and published_at is the time we fetched it.
    published_guessed: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime]
    language: Mapped[str] = mapped_column(String(40), default="english")
    text: Mapped[str] = mapped_column(Text)
    cleaned_text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"), index=True)
    # The article this one is a near-copy of (a wire story reprinted), None for an outlet's own report.
    copy_of: Mapped[int | None] = mapped_column(Integer)
    # The article's story terms (weighted), kept so that a story's centroid can be rebuilt.
    story_terms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    origin: Mapped[str] = mapped_column(Text, default="")
    # The lead image's http(s) URL as the source gave it (og:image, feed enclosure, front matter); never fetched at ingest.
    image_url: Mapped[str | None] = mapped_column(Text)

    # With the id, the oldest id published in a window is an index-only read (search stops there).
    __table_args__ = (Index("ix_articles_published_at_id", "published_at", "id"),)


class StoryBand(Base):
    """One locality-sensitive band of an article's MinHash signature: equal bands find near-duplicates."""

    __tablename__ = "story_bands"

    band: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True)
    # The article's publication time, copied so that a band's candidates within days are one index range.
    published_at: Mapped[datetime]

    __table_args__ = (Index("ix_story_bands_band_published_at", "band", "published_at", "article_id"),)


class AnalysisRecord(Base):
    """The text layer's analysis of an article, made once at ingest."""

    __tablename__ = "analyses"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    algorithm: Mapped[str] = mapped_column(String(40), default="news")
    summary: Mapped[list[Any]] = mapped_column(default=list)
    removed: Mapped[list[Any]] = mapped_column(default=list)
    sentence_count: Mapped[int] = mapped_column(Integer, default=0)
    analysed_at: Mapped[datetime]


class QuoteRecord(Base):
    """A quotation found in an article, with its speaker as the text layer saw it."""

    __tablename__ = "quotes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str] = mapped_column(Text, default="")
    speaker_full: Mapped[str] = mapped_column(Text, default="")
    speaker_name: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(Text, default="")
    cue: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20), default="full")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    key: Mapped[bool] = mapped_column(Boolean, default=False)
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    # Lower-cased speaker, speaker_name and speaker_full, for /who look-ups.
    speaker_key: Mapped[str] = mapped_column(Text, default="")
    # The speaker's identity across articles and outlets: their name's words in lower case, no role.
    person_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    published_at: Mapped[datetime] = mapped_column(index=True)


class TopicScore(Base):
    """How strongly an article belongs to a topic; published_at is copied here so a briefing is one index range."""

    __tablename__ = "topic_scores"
    __table_args__ = (Index("ix_topic_scores_topic_published", "topic", "published_at"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(100), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    published_at: Mapped[datetime]


class FeedRecord(Base):
    """An RSS or Atom feed polled on its own interval."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    site_url: Mapped[str] = mapped_column(Text, default="")
    interval_minutes: Mapped[int] = mapped_column(Integer, default=30)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    next_poll_at: Mapped[datetime] = mapped_column(index=True)
    last_polled_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    articles_added: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class SubscriberRecord(Base):
    """A chat the bot knows: its schedule settings and whether it still receives pushes."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_type: Mapped[str] = mapped_column(String(20), default="private")
    title: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    briefing_time: Mapped[str] = mapped_column(String(5), default="07:00")
    # ISO weekdays the push goes out on, Monday=1: "1234567" every day, "12345" weekdays.
    days: Mapped[str] = mapped_column(String(7), default="1234567")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    last_briefing_at: Mapped[datetime | None]
    # The morning push goes without sound (disable_notification).
    quiet: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # The language the chat's messages are written in ("en", "ru"); NULL: not chosen, the user's Telegram language.
    language: Mapped[str | None] = mapped_column(String(8))


_CHAT_FK = dict(ondelete="CASCADE", onupdate="CASCADE")


class Subscription(Base):
    """A topic a chat gets every morning."""

    __tablename__ = "subscriptions"

    chat_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("subscribers.chat_id", **_CHAT_FK), primary_key=True)
    topic: Mapped[str] = mapped_column(String(100), primary_key=True)
    created_at: Mapped[datetime]


class DeliveryRecord(Base):
    """One push of one briefing to one chat on one local day: the unique key makes it exactly-once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("chat_id", "local_date", "topic"),
        Index("ix_deliveries_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("subscribers.chat_id", **_CHAT_FK))
    local_date: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(100), default="*")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    due_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_ids: Mapped[list[Any]] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class ChatMigration(Base):
    """A group that became a supergroup: its old id, so what was planned under it reaches the new one."""

    __tablename__ = "chat_migrations"

    old_chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    new_chat_id: Mapped[int] = mapped_column(BigInteger)
    migrated_at: Mapped[datetime]


class SentStory(Base):
    """A story a chat has been sent, and how many articles it had then ("since your last briefing")."""

    __tablename__ = "sent_stories"

    chat_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("subscribers.chat_id", **_CHAT_FK), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    article_count: Mapped[int] = mapped_column(Integer, default=1)
    sent_at: Mapped[datetime] = mapped_column(index=True)
    # The summary sentences the chat was shown of the story, so an update tells only what is new.
    shown: Mapped[list[Any]] = mapped_column(default=list)


class ChatMute(Base):
    """Words or a story a chat leaves out of its briefings: `key` is the words as matched, or '#<story id>'."""

    __tablename__ = "chat_mutes"
    __table_args__ = (UniqueConstraint("chat_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("subscribers.chat_id", **_CHAT_FK), index=True)
    key: Mapped[str] = mapped_column(String(200))
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    # As the chat typed it, or the story's headline: what /mutes shows.
    label: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class ChannelLink(Base):
    """A channel the bot posts the morning briefing in, and the administrator who linked it in a private chat."""

    __tablename__ = "channel_links"

    channel_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("subscribers.chat_id", **_CHAT_FK), primary_key=True)
    # The user id of the administrator who linked it: their private chat is told when the channel stops.
    linked_by: Mapped[int] = mapped_column(BigInteger, index=True)
    username: Mapped[str] = mapped_column(String(64), default="", server_default="")
    linked_at: Mapped[datetime]
    # When the linking user was told the channel stopped (told once); None while it posts.
    stop_told_at: Mapped[datetime | None]


class ChatSearch(Base):
    """A chat's own words as a morning topic: `key` is the search's terms as matched, `label` as the chat typed it."""

    __tablename__ = "chat_searches"
    __table_args__ = (UniqueConstraint("chat_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("subscribers.chat_id", **_CHAT_FK), index=True)
    key: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
