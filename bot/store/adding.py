"""Adding articles: a batch checked for duplicates and stories with a few queries, then one statement per table.

Each article of a batch is judged as if the ones before it were already stored:
a copy of an earlier article of the batch is its duplicate, a wire copy joins
its story. The statements do not grow with the batch: look-ups of stored URLs, texts,
story bands and candidate signatures, then one insert per table, instead of a
dozen statements per article.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    DateTime,
    Integer,
    Table,
    Text,
    any_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import StatementError

from bot.signatures import NEAR_DUPLICATE, Signature
from bot.store.engine import DIALECTS, Store, StoreBusy, StoreError, dialect_insert, explain, transaction, utc_now
from bot.store.models import (
    AnalysisRecord,
    ArticleRecord,
    QuoteRecord,
    StoryBand,
    StoryRecord,
    StoryTerm,
    TermCount,
    TopicScore,
    UTCDateTime,
)
from bot.store.stories import EventMatcher, count_outlets
from summaries.article import Analysis
from summaries.text import words

# Wire copies of one story appear within a few days of each other.
STORY_WINDOW = timedelta(days=3)
# Articles sharing a band with a new one that are compared with it, at most.
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class NewArticle:
    """An article ready to store: text, where it came from, and its analysis made once."""

    title: str
    text: str
    cleaned_text: str
    content_hash: str
    analysis: Analysis
    analysis_version: str
    fetched_at: datetime
    published_at: datetime | None = None
    language: str = "english"
    url: str | None = None
    canonical_url: str | None = None
    source: str = ""
    author: str = ""
    origin: str = ""
    topic_scores: Mapping[str, float] = field(default_factory=dict)
    signature: Signature | None = None
    algorithm: str = "news"
    # What the article is matched to a story by (summaries.stories.article_terms).
    story_terms: Mapping[str, float] = field(default_factory=dict)
    # The lead image's http(s) URL (bot.ingest.urls.image_url), kept for the story view.
    image_url: str | None = None

    @property
    def published(self) -> datetime:
        """When it was published, or fetched when the source gave no date."""
        return self.published_at or self.fetched_at


@dataclass(frozen=True)
class Added:
    """What add_article did: 'added', or 'duplicate' of an article already stored (its id and why).

    add_articles also gives 'failed' for an article the database refused (article_id 0, reason says why).
    """

    status: str
    article_id: int
    story_id: int | None = None
    reason: str = ""


def add_article(store: Store, article: NewArticle) -> Added:
    """Store an article with its analysis, quotes, topic scores and story, unless it is already stored.

    Safe to call for the same article from two processes at once: one adds it,
    the other gets 'duplicate'. Raises StoreError when the database refuses it.
    """
    return _add_batch(store, [article])[0]


def add_articles(store: Store, articles: Sequence[NewArticle]) -> list[Added]:
    """Store several articles in one transaction (one commit), each as add_article would, in order.

    An article another writer stores meanwhile is skipped (ON CONFLICT DO NOTHING)
    and reported as a duplicate of that one. When the database refuses something
    in the batch, the batch is rolled back and stored again one article at a time,
    so only the refused article fails ('failed', with the reason). Raises StoreBusy
    when the SQLite file stays locked by another process: nothing is stored then.
    """
    if not articles:
        return []
    try:
        return _add_batch(store, list(articles))
    except StoreBusy:
        raise
    except StoreError:
        if len(articles) == 1:
            raise
    results: list[Added] = []
    for article in articles:
        try:
            results.append(_add_batch(store, [article])[0])
        except StoreError as error:
            results.append(Added("failed", 0, None, str(error)))
    return results


def _add_batch(store: Store, articles: list[NewArticle]) -> list[Added]:
    try:
        with transaction(store) as session:
            return _Batch(session.connection(), articles, store.story_window).write()
    except StatementError as error:
        # What the database (or a value's conversion for it) refused, as a StoreError saying what.
        raise explain(error, store.url) from error


@dataclass(eq=False)
class _NewStory:
    """A story the batch starts: its articles (batch positions) and, once inserted, its id."""

    members: list[int]
    id: int | None = None


_Story = int | _NewStory


@dataclass(frozen=True)
class _Candidate:
    """An article a new one may be a copy of: its signature, story and publication time."""

    signature: Signature | None
    story: _Story | None
    published: datetime


_ARTICLES = cast(Table, ArticleRecord.__table__)
_STORIES = cast(Table, StoryRecord.__table__)
_BANDS = cast(Table, StoryBand.__table__)
# Ids in the order of the rows (SQLAlchemy sends SQLite's one by one: it cannot promise RETURNING order).
_INSERT_STORIES = insert(_STORIES).returning(_STORIES.c.id, sort_by_parameter_order=True)
# Nothing is inserted for a URL or text that another writer stored after our look-up.
_INSERT_ARTICLES = {name: dialect_insert(name)(_ARTICLES).on_conflict_do_nothing() for name in DIALECTS}
_RETURNING_ARTICLES = {
    name: statement.returning(_ARTICLES.c.id, _ARTICLES.c.content_hash) for name, statement in _INSERT_ARTICLES.items()
}
_FIRST = bindparam("first", type_=UTCDateTime())
_LAST = bindparam("last", type_=UTCDateTime())
# Relative to what is stored, so that two writers growing one story both count.
_GROW_STORY = (
    update(_STORIES)
    .where(_STORIES.c.id == bindparam("story"))
    .values(
        article_count=_STORIES.c.article_count + bindparam("added"),
        first_published_at=case((_STORIES.c.first_published_at <= _FIRST, _STORIES.c.first_published_at), else_=_FIRST),
        last_published_at=case((_STORIES.c.last_published_at >= _LAST, _STORIES.c.last_published_at), else_=_LAST),
    )
)


_MARK_COPY = update(_ARTICLES).where(_ARTICLES.c.id == bindparam("copy")).values(copy_of=bindparam("original"))


class _Batch:
    """One add_articles transaction: look-ups for the whole batch, then the rows of what is new."""

    def __init__(self, connection: Connection, articles: list[NewArticle], window: timedelta) -> None:
        self.connection = connection
        self.articles = articles
        self.results: list[Added | None] = [None] * len(articles)
        # Batch position -> (earlier batch position it repeats, "URL" or "text").
        self.repeats: dict[int, tuple[int, str]] = {}
        self.fresh: list[int] = []
        self.stories: dict[int, _Story] = {}
        self.new_stories: list[_NewStory] = []
        self.ids: dict[int, int] = {}
        # Batch position -> the stored article it is a near-copy of (or the batch position, negated).
        self.copies: dict[int, int] = {}
        self.events = EventMatcher.open(connection, [article.story_terms for article in articles], window)

    def write(self) -> list[Added]:
        self._sort_out_duplicates()
        if self.fresh:
            self._assign_stories()
            self._insert()
        for position, (earlier, what) in self.repeats.items():
            first = self.results[earlier]
            assert first is not None
            self.results[position] = _duplicate((first.article_id, first.story_id), what)
        results = [result for result in self.results if result is not None]
        assert len(results) == len(self.articles)
        return results

    def _sort_out_duplicates(self) -> None:
        by_url, by_hash = _stored_duplicates(self.connection, self.articles)
        urls: dict[str, int] = {}
        hashes: dict[str, int] = {}
        for position, article in enumerate(self.articles):
            url = article.canonical_url
            if url is not None and url in by_url:
                self.results[position] = _duplicate(by_url[url], "URL")
            elif url is not None and url in urls:
                self.repeats[position] = (urls[url], "URL")
            elif article.content_hash in by_hash:
                self.results[position] = _duplicate(by_hash[article.content_hash], "text")
            elif article.content_hash in hashes:
                self.repeats[position] = (hashes[article.content_hash], "text")
            else:
                self.fresh.append(position)
                if url is not None:
                    urls[url] = position
                hashes[article.content_hash] = position

    def _assign_stories(self) -> None:
        """Each fresh article's story: that of the most similar article within STORY_WINDOW, or a new one."""
        bands = {band for position in self.fresh for band in self._bands(position)}
        times = [self.articles[position].published for position in self.fresh]
        stored = _stored_candidates(self.connection, bands, min(times) - STORY_WINDOW, max(times) + STORY_WINDOW)
        details = _candidate_details(self.connection, {article_id for ids in stored.values() for article_id in ids})
        earlier: dict[int, list[int]] = defaultdict(list)
        for position in self.fresh:
            article = self.articles[position]
            copy = self._best_story(position, stored, details, earlier)
            story: _Story | None
            if copy is not None:
                story, self.copies[position] = copy
            else:
                story = cast("_Story | None", self.events.find(article.story_terms, article.published))
            if story is None:
                story = _NewStory([])
                self.new_stories.append(story)
            self.events.joined(story, article.story_terms, article.published)
            if isinstance(story, _NewStory):
                story.members.append(position)
            self.stories[position] = story
            for band in self._bands(position):
                earlier[band].append(position)

    def _bands(self, position: int) -> set[int]:
        signature = self.articles[position].signature
        return set(signature.band_keys) if signature is not None else set()

    def _best_story(
        self,
        position: int,
        stored: Mapping[int, list[int]],
        details: Mapping[int, _Candidate],
        earlier: Mapping[int, list[int]],
    ) -> tuple[_Story, int] | None:
        """The story of the article this one is a near-copy of, and that article (a stored id, or -1 - batch position).

        As one article after another would find it: stored candidates, then earlier ones of the batch.
        """
        article = self.articles[position]
        if article.signature is None:
            return None
        shared: dict[tuple[int, int], int] = defaultdict(int)
        for band in self._bands(position):
            for article_id in stored.get(band, ()):
                shared[(0, article_id)] += 1
            for before in earlier.get(band, ()):
                shared[(1, before)] += 1
        # The most shared bands first, the newest first among equals (the batch's articles are the newest).
        ranked = sorted(shared, key=lambda key: (shared[key], key), reverse=True)[:MAX_CANDIDATES]
        best: tuple[float, _Story, int] | None = None
        # Oldest first: of equally similar articles, the one stored first gives the story.
        for in_batch, key in sorted(ranked):
            if in_batch:
                candidate = _Candidate(self.articles[key].signature, self.stories[key], self.articles[key].published)
            elif key in details:
                candidate = details[key]
            else:
                continue
            if candidate.signature is None or candidate.story is None:
                continue
            if abs(candidate.published - article.published) > STORY_WINDOW:
                continue
            similarity = article.signature.similarity(candidate.signature)
            if similarity >= NEAR_DUPLICATE and (best is None or similarity > best[0]):
                best = (similarity, candidate.story, -1 - key if in_batch else key)
        return (best[1], best[2]) if best else None

    def _insert(self) -> None:
        connection = self.connection
        if self.new_stories:
            rows = [self._story_row(story.members) for story in self.new_stories]
            for story, (story_id,) in zip(self.new_stories, connection.execute(_INSERT_STORIES, rows)):
                story.id = story_id
        article_rows = [self._article_row(position) for position in self.fresh]
        statement = _RETURNING_ARTICLES[connection.dialect.name]
        inserted = {content_hash: article_id for article_id, content_hash in connection.execute(statement, article_rows)}
        added: list[int] = []
        for position in self.fresh:
            article_id = inserted.get(self.articles[position].content_hash)
            if article_id is not None:
                self.ids[position] = article_id
                self.results[position] = Added("added", article_id, self._story_id(position))
                added.append(position)
        if len(added) < len(self.fresh):
            self._after_conflicts()
        self._grow_stored_stories(added)
        self._insert_children(added)
        self._mark_batch_copies()
        self.events.write({story: story.id for story in self.new_stories if story.id is not None})
        own = {self._story_id(position) for position in added if position not in self.copies}
        count_outlets(connection, sorted({self._story_id(position) for position in added}), own)

    def _story_id(self, position: int) -> int:
        story = self.stories[position]
        story_id = story.id if isinstance(story, _NewStory) else story
        assert story_id is not None
        return story_id

    def _story_row(self, members: list[int]) -> dict[str, Any]:
        times = [self.articles[member].published for member in members]
        return {
            "title": self.articles[members[0]].title,
            "first_published_at": min(times),
            "last_published_at": max(times),
            "article_count": len(members),
        }

    def _article_row(self, position: int) -> dict[str, Any]:
        article = self.articles[position]
        return dict(
            title=article.title,
            source=article.source[:300],
            author=article.author[:300],
            url=article.url,
            canonical_url=article.canonical_url,
            published_at=article.published,
            published_guessed=article.published_at is None,
            fetched_at=article.fetched_at,
            language=article.language,
            text=article.text,
            cleaned_text=article.cleaned_text,
            content_hash=article.content_hash,
            signature=article.signature.to_bytes() if article.signature else None,
            story_id=self._story_id(position),
            copy_of=self._copied(position),
            story_terms=dict(article.story_terms),
            origin=article.origin,
            image_url=article.image_url,
        )

    def _mark_batch_copies(self) -> None:
        """Copies of articles of this same batch learn the id of their original once both are inserted."""
        rows = [
            {"copy": self.ids[position], "original": self.ids[-1 - original]}
            for position, original in self.copies.items()
            if original < 0 and position in self.ids and -1 - original in self.ids
        ]
        if rows:
            self.connection.execute(_MARK_COPY, rows)

    def _copied(self, position: int) -> int | None:
        """The id of the article this one is a near-copy of: stored, or inserted earlier in this statement."""
        copy = self.copies.get(position)
        if copy is None or copy >= 0:
            return copy
        return None  # an earlier article of this batch: its id is known only after the insert (set below)

    def _after_conflicts(self) -> None:
        """Articles another writer stored first: duplicates of those, and the new stories sized by what went in."""
        missing = [position for position in self.fresh if position not in self.ids]
        by_url, by_hash = _stored_duplicates(self.connection, [self.articles[position] for position in missing])
        for position in missing:
            article = self.articles[position]
            if article.canonical_url is not None and article.canonical_url in by_url:
                self.results[position] = _duplicate(by_url[article.canonical_url], "URL")
            elif article.content_hash in by_hash:
                self.results[position] = _duplicate(by_hash[article.content_hash], "text")
            else:
                raise StoreError(f"article {article.origin or article.title!r} was neither stored nor found stored")
        for story in self.new_stories:
            members = [member for member in story.members if member in self.ids]
            if not members:
                self.connection.execute(delete(_STORIES).where(_STORIES.c.id == story.id))
            elif len(members) < len(story.members):
                self.connection.execute(update(_STORIES).where(_STORIES.c.id == story.id).values(self._story_row(members)))

    def _grow_stored_stories(self, added: list[int]) -> None:
        joined: dict[int, list[datetime]] = defaultdict(list)
        for position in added:
            story = self.stories[position]
            if not isinstance(story, _NewStory):
                joined[story].append(self.articles[position].published)
        if joined:
            # In story order, so that two writers growing the same stories take their row locks in one order.
            self.connection.execute(
                _GROW_STORY,
                [
                    {"story": story_id, "added": len(times), "first": min(times), "last": max(times)}
                    for story_id, times in sorted(joined.items())
                ],
            )

    def _insert_children(self, added: list[int]) -> None:
        analyses: list[dict[str, Any]] = []
        quotes: list[dict[str, Any]] = []
        scores: list[dict[str, Any]] = []
        bands: list[tuple[int, int, datetime]] = []
        for position in added:
            article, article_id = self.articles[position], self.ids[position]
            analyses.append(analysis_row(article_id, article.analysis, article.analysis_version, article.algorithm))
            quotes.extend(quote_rows(article_id, article.analysis, article.published))
            scores.extend(topic_score_rows(article_id, article.topic_scores, article.published))
            bands.extend(band_rows(article_id, article.signature, article.published))
        for model, rows in ((AnalysisRecord, analyses), (QuoteRecord, quotes), (TopicScore, scores)):
            if rows:
                self.connection.execute(insert(model), rows)
        insert_bands(self.connection, bands)


def _duplicate(found: tuple[int, int | None], what: str) -> Added:
    article_id, story_id = found
    return Added("duplicate", article_id, story_id, f"same {what} as article #{article_id}")


def _one_of(column: ColumnElement[Any], values: Sequence[Any], dialect: str) -> ColumnElement[bool]:
    """`column IN values` with the values as one bound parameter, however many there are.

    A list of thousands of band keys as as many parameters would exceed SQLite's
    limit, and costs more to render and parse than the look-up itself.
    """
    if dialect == "postgresql":
        element = BigInteger() if isinstance(column.type, (Integer, BigInteger)) else Text()
        return column == any_(bindparam(None, list(values), type_=ARRAY(element)))
    return column.in_(select(literal_column("value")).select_from(func.json_each(json.dumps(list(values)))))


def _stored_duplicates(
    connection: Connection, articles: Sequence[NewArticle]
) -> tuple[dict[str, tuple[int, int | None]], dict[str, tuple[int, int | None]]]:
    """Stored articles with the URL or the text of any of these: (id, story id) by canonical URL and by hash."""
    dialect = connection.dialect.name
    urls = sorted({article.canonical_url for article in articles if article.canonical_url is not None})
    hashes = sorted({article.content_hash for article in articles})
    found = _ARTICLES.c.id, _ARTICLES.c.story_id
    by_url: dict[str, tuple[int, int | None]] = {}
    if urls:
        query = select(*found, _ARTICLES.c.canonical_url).where(_one_of(_ARTICLES.c.canonical_url, urls, dialect))
        by_url = {url: (article_id, story_id) for article_id, story_id, url in connection.execute(query)}
    query = select(*found, _ARTICLES.c.content_hash).where(_one_of(_ARTICLES.c.content_hash, hashes, dialect))
    by_hash = {text_hash: (article_id, story_id) for article_id, story_id, text_hash in connection.execute(query)}
    return by_url, by_hash


def _stored_candidates(connection: Connection, bands: set[int], first: datetime, last: datetime) -> dict[int, list[int]]:
    """Stored articles by band, for the given bands, published in [first, last]: one index range a band.

    Bounded by date (near-copies of a story appear within days) and by count (the newest
    MAX_CANDIDATES a band), so the look-up does not grow with the store.
    """
    found: dict[int, list[int]] = defaultdict(list)
    if bands:
        where = _one_of(_BANDS.c.band, sorted(bands), connection.dialect.name)
        query = select(_BANDS.c.band, _BANDS.c.article_id).where(
            where, _BANDS.c.published_at >= first, _BANDS.c.published_at <= last
        )
        for band, article_id in connection.execute(query):
            found[band].append(article_id)
    for band, ids in found.items():
        if len(ids) > MAX_CANDIDATES:
            found[band] = sorted(ids)[-MAX_CANDIDATES:]
    return found


def _candidate_details(connection: Connection, ids: set[int]) -> dict[int, _Candidate]:
    """Stored articles by id, as candidates for a story."""
    details: dict[int, _Candidate] = {}
    if ids:
        where = _one_of(_ARTICLES.c.id, sorted(ids), connection.dialect.name)
        columns = _ARTICLES.c.id, _ARTICLES.c.signature, _ARTICLES.c.story_id, _ARTICLES.c.published_at
        for row in connection.execute(select(*columns).where(where)):
            signature = Signature.from_bytes(row.signature) if row.signature is not None else None
            details[row.id] = _Candidate(signature, row.story_id, row.published_at)
    return details


def insert_bands(connection: Connection, rows: list[tuple[int, int, datetime]]) -> None:
    """Store (band, article id, published) rows: tens of rows per article, the bulk of what an ingest writes."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        # Arrays unnested into rows: a third of the time of a multi-row VALUES list.
        connection.execute(
            _UNNEST_BANDS,
            {"bands": [row[0] for row in rows], "ids": [row[1] for row in rows], "times": [row[2] for row in rows]},
        )
    else:
        # Straight to the driver's executemany, times written as SQLAlchemy writes them (UTC, naive).
        connection.exec_driver_sql(
            "INSERT INTO story_bands (band, article_id, published_at) VALUES (?, ?, ?)",
            [(band, article_id, _sqlite_time(published)) for band, article_id, published in rows],
        )


def _sqlite_time(moment: datetime) -> str:
    """A time as SQLAlchemy's SQLite DateTime stores it, so that comparisons with bound times hold."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


_UNNEST_BANDS = text(
    "INSERT INTO story_bands (band, article_id, published_at) SELECT * FROM unnest(:bands, :ids, :times)"
).bindparams(
    bindparam("bands", type_=ARRAY(BigInteger)),
    bindparam("ids", type_=ARRAY(Integer)),
    bindparam("times", type_=ARRAY(DateTime(timezone=True))),
)


def analysis_row(article_id: int, analysis: Analysis, version: str, algorithm: str) -> dict[str, Any]:
    """The analyses row of an article."""
    return dict(
        article_id=article_id,
        version=version,
        algorithm=algorithm,
        summary=[
            {"text": s.text, "start": s.start, "end": s.end, "paragraph": s.paragraph, "index": s.index}
            for s in analysis.summary
        ],
        removed=[{"text": r.text, "reason": r.reason} for r in analysis.cleaned.removed],
        sentence_count=len(analysis.sentences),
        analysed_at=utc_now(),
    )


def quote_rows(article_id: int, analysis: Analysis, published: datetime) -> list[dict[str, Any]]:
    """The quotes rows of an article, in the analysis's order."""
    return [_quote_row(article_id, position, quote, published) for position, quote in enumerate(analysis.quotes or ())]


def _quote_row(article_id: int, position: int, quote: Any, published: datetime) -> dict[str, Any]:
    """A row from a summaries Quote, read attribute by attribute so older and newer Quote shapes both fit."""

    def text_of(name: str) -> str:
        value = getattr(quote, name, "")
        return "" if value is None else str(value)

    def number(name: str, default: float = 0) -> float:
        try:
            return float(getattr(quote, name, default) or 0)
        except (TypeError, ValueError):
            return default

    speaker, name, full = text_of("speaker"), text_of("speaker_name"), text_of("speaker_full")
    key_words = sorted({word.casefold() for word in words(" ".join((speaker, name, full)))})
    return dict(
        article_id=article_id,
        position=position,
        text=text_of("text"),
        speaker=speaker,
        speaker_full=full,
        speaker_name=name[:300],
        role=text_of("role"),
        cue=text_of("cue")[:100],
        kind=(text_of("kind") or "full")[:20],
        score=number("score"),
        key=bool(getattr(quote, "key", False)),
        start=int(number("start")),
        end=int(number("end")),
        speaker_key=" " + " ".join(key_words) + " ",
        person_key=(text_of("person_key") or " ".join(word.casefold() for word in words(name or speaker)))[:200],
        published_at=published,
    )


def topic_score_rows(article_id: int, scores: Mapping[str, float], published: datetime) -> list[dict[str, Any]]:
    """The topic_scores rows of an article: the topics it belongs to (score above 0)."""
    return [
        {"article_id": article_id, "topic": topic, "score": float(score), "published_at": published}
        for topic, score in scores.items()
        if score > 0
    ]


def band_rows(article_id: int, signature: Signature | None, published: datetime) -> list[tuple[int, int, datetime]]:
    """The (band, article id, published) rows of an article's signature in story_bands."""
    if signature is None:
        return []
    return [(band, article_id, published) for band in set(signature.band_keys)]


@dataclass(frozen=True)
class _StoredArticle:
    """What re-grouping reads of a stored article: what matching and story rows need."""

    id: int
    title: str
    source: str
    published: datetime
    signature: Signature | None
    story_terms: Mapping[str, float]


class _Regroup(_Batch):
    """Stored articles grouped into stories again, in publication order, by the rules new articles meet."""

    def __init__(self, connection: Connection, articles: list[_StoredArticle], window: timedelta) -> None:
        super().__init__(connection, cast(list[NewArticle], articles), window)
        self.fresh = list(range(len(articles)))
        self.ids = {position: article.id for position, article in enumerate(articles)}

    def regroup(self) -> None:
        self._assign_stories()
        if self.new_stories:
            rows = [self._story_row(story.members) for story in self.new_stories]
            for story, (story_id,) in zip(self.new_stories, self.connection.execute(_INSERT_STORIES, rows)):
                story.id = story_id
        rows = [
            {"row": self.ids[position], "story": self._story_id(position), "copy": self._original(position)}
            for position in self.fresh
        ]
        self.connection.execute(_SET_STORY, rows)
        self._grow_stored_stories(self.fresh)
        self.events.write({story: story.id for story in self.new_stories if story.id is not None})
        own = {self._story_id(position) for position in self.fresh if position not in self.copies}
        count_outlets(self.connection, sorted({self._story_id(position) for position in self.fresh}), own)

    def _original(self, position: int) -> int | None:
        original = self.copies.get(position)
        if original is None or original >= 0:
            return original
        return self.ids[-1 - original]


_SET_STORY = (
    update(_ARTICLES)
    .where(_ARTICLES.c.id == bindparam("row"))
    .values(story_id=bindparam("story"), copy_of=bindparam("copy"))
)
REGROUP_BATCH = 500


def regroup_stories(store: Store, *, progress: Callable[[int], None] | None = None) -> int:
    """Group every stored article into stories again (after the clustering rules changed); returns how many stories.

    Which stories each chat was sent is forgotten with the old stories: a chat may see a story again once.
    """
    with transaction(store) as session:
        connection = session.connection()
        connection.execute(delete(cast(Table, StoryTerm.__table__)))
        connection.execute(delete(cast(Table, TermCount.__table__)))
        connection.execute(update(_ARTICLES).values(story_id=None, copy_of=None))
        connection.execute(delete(_STORIES))
    columns = (
        _ARTICLES.c.id, _ARTICLES.c.title, _ARTICLES.c.source, _ARTICLES.c.published_at, _ARTICLES.c.signature,
        _ARTICLES.c.story_terms,
    )
    done = 0
    after: tuple[datetime, int] | None = None
    while True:
        query = select(*columns).order_by(_ARTICLES.c.published_at, _ARTICLES.c.id).limit(REGROUP_BATCH)
        if after is not None:
            query = query.where(
                (_ARTICLES.c.published_at > after[0]) | ((_ARTICLES.c.published_at == after[0]) & (_ARTICLES.c.id > after[1]))
            )
        with transaction(store) as session:
            connection = session.connection()
            rows = connection.execute(query).all()
            if not rows:
                break
            articles = [
                _StoredArticle(
                    row.id, row.title, row.source, row.published_at,
                    Signature.from_bytes(row.signature) if row.signature is not None else None, row.story_terms or {},
                )
                for row in rows
            ]
            _Regroup(connection, articles, store.story_window).regroup()
        done += len(rows)
        after = (rows[-1].published_at, rows[-1].id)
        if progress:
            progress(done)
    with transaction(store, write=False) as session:
        return session.scalar(select(func.count()).select_from(_STORIES)) or 0
