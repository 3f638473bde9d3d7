"""Stories across outlets in the store: the story a new article tells, found by term, and what each story keeps.

Each article is matched as the in-memory clusterer would (summaries.stories):
candidate stories come from the `story_terms` index (a story's heaviest
centroid terms, read by (term, last_published_at) so that old stories cost
nothing), their centroids are one JSON value each on the story, and the
article is counted in the document frequencies after it was matched. On
PostgreSQL the matching of a batch holds a transaction-level advisory lock, so
two processes inserting reports of one new event make one story, not two;
SQLite's writing transaction holds the file's write lock anyway.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timedelta
from typing import Any, cast
from urllib.parse import urlsplit

from sqlalchemy import (
    Connection, Integer, String, Table, bindparam, case, delete, false, func, insert, literal, select, text, union_all, update,
)
from sqlalchemy.dialects.postgresql import ARRAY

from bot.store.engine import Store, dialect_insert, transaction
from bot.store.models import AnalysisRecord, ArticleRecord, StoryRecord, StoryTerm, TermCount
from summaries.stories import (
    CENTROID_TERMS, INDEX_TERMS, WINDOW, Candidate, centroid_norm, choose_story, index_terms, merge_terms, norm_is_stale,
)

# The term_counts row that counts the articles themselves (no story term is empty).
DOCUMENTS = ""
# Of the stories sharing one looked-up term, the most recently grown this many (as the clusterer reads its index).
POSTINGS_PER_TERM = 64
# Stories scored for one article, those sharing the most looked-up terms first (as the clusterer's max_candidates).
MAX_CANDIDATES = 8
# A story's summary is made from its newest own reports, this many: a long-running story's summary tells it as it
# stands, and the work stays bounded however many articles it gathers.
REPORTS_PER_SUMMARY = 40
# Any constant will do: it names the lock only story matching takes.
_ADVISORY_LOCK = 0x6E627374  # "nbst"
# Batch-made stories get ids above any stored one until they are inserted (ties go to the lowest id: stored first).
_PENDING = 1 << 62

_TERMS = cast(Table, StoryTerm.__table__)
_COUNTS = cast(Table, TermCount.__table__)
_STORIES = cast(Table, StoryRecord.__table__)
_ARTICLES = cast(Table, ArticleRecord.__table__)


@lru_cache(maxsize=INDEX_TERMS + 1)
def _postings(count: int) -> Any:
    """One statement for the candidates of `count` terms: of each term's most recently grown stories since :since,
    those sharing the most terms (most first, then the lowest id), MAX_CANDIDATES of them, with the rows read."""
    parts = [
        select(_TERMS.c.story_id)
        .where(_TERMS.c.term == bindparam(f"term{index}"), _TERMS.c.last_published_at >= bindparam("since"))
        .order_by(_TERMS.c.last_published_at.desc())
        .limit(POSTINGS_PER_TERM)
        .subquery()
        for index in range(count)
    ]
    if not parts:
        return select(_TERMS.c.story_id, literal(0), literal(0)).where(false())
    rows = union_all(*(select(part.c.story_id) for part in parts)).subquery()
    shared = func.count().label("shared")
    # Counted in the database: a few candidate rows come back instead of every posting.
    return (
        select(rows.c.story_id, shared, func.sum(func.count()).over().label("read"))
        .group_by(rows.c.story_id)
        .order_by(shared.desc(), rows.c.story_id)
        .limit(MAX_CANDIDATES)
    )


def _posting_values(terms: Sequence[str], since: datetime) -> dict[str, Any]:
    return {"since": since, **{f"term{index}": term for index, term in enumerate(terms)}}


@dataclass
class _Known:
    """A story the batch has looked at or made: its centroid as it grows, and whether it changed."""

    centroid: dict[str, float]
    articles: int
    last_published_at: datetime
    changed: bool = False
    # The centroid's idf-weighted length and the articles counted when it was worked out (None: not yet).
    norm: float | None = None
    norm_documents: int = 0


@dataclass
class EventMatcher:
    """The event stories of one batch of new articles: matching, then the centroids and counts written back."""

    connection: Connection
    window: timedelta = WINDOW
    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    added: Counter[str] = field(default_factory=Counter)
    stories: dict[Hashable, _Known] = field(default_factory=dict)
    pending: dict[Hashable, int] = field(default_factory=dict)
    # What the look-ups cost so far: index rows read, and candidate stories scored.
    postings_read: int = 0
    candidates_scored: int = 0
    # log(df + 1) by term, kept until an article with the term is counted (matching asks for the same
    # terms many times over), and log(N + 1).
    _log_df: dict[str, float] = field(default_factory=dict)
    _log_documents: float | None = None

    @classmethod
    def open(cls, connection: Connection, batch_terms: Sequence[Mapping[str, float]], window: timedelta = WINDOW) -> EventMatcher:
        """A matcher for a batch: the lock taken (PostgreSQL), the document frequencies of its terms read once."""
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
        terms = sorted({term for terms in batch_terms for term in terms} | {DOCUMENTS})
        counts: dict[str, int] = {}
        if connection.dialect.name == "postgresql":
            counts.update(connection.execute(_COUNTS_OF, {"terms": terms}).all())
        else:
            for first in range(0, len(terms), 500):
                some = terms[first : first + 500]
                counts.update(connection.execute(select(_COUNTS.c.term, _COUNTS.c.articles).where(_COUNTS.c.term.in_(some))).all())
        return cls(connection, window, counts.pop(DOCUMENTS, 0), counts)

    def idf(self, term: str) -> float:
        """log((N+1)/(df+1)) + 1, with the batch's earlier articles counted."""
        if self._log_documents is None:
            self._log_documents = math.log(self.documents + self.added[DOCUMENTS] + 1)
        known = self._log_df.get(term)
        if known is None:
            known = self._log_df[term] = math.log(self.counts.get(term, 0) + self.added[term] + 1)
        return self._log_documents - known + 1.0

    def find(self, terms: Mapping[str, float], published: datetime) -> Hashable | None:
        """The story (a stored id, or a key of a story this batch made) the article tells, or None."""
        if not terms:
            return None
        shared: Counter[Hashable] = Counter()
        since = published - self.window
        looked_up = index_terms(terms, self.idf, INDEX_TERMS)
        found = self.connection.execute(_postings(len(looked_up)), _posting_values(looked_up, since)).all()
        if found:
            self.postings_read += int(found[0].read)
        for story_id, count, _ in found:
            shared[story_id] += count
        for term in looked_up:
            for key in self.pending:  # stories this batch made, not in the index yet
                if term in self.stories[key].centroid:
                    shared[key] += 1
        ranked = sorted(shared, key=lambda key: (-shared[key], self._id(key)))[:MAX_CANDIDATES]
        self._load([key for key in ranked if isinstance(key, int) and key not in self.stories])
        by_id = {self._id(key): self.stories[key] for key in ranked if key in self.stories}
        candidates = [
            Candidate(story_id, known.centroid, known.articles, known.last_published_at) for story_id, known in by_id.items()
        ]
        self.candidates_scored += len(candidates)
        chosen = choose_story(
            terms, published, candidates, self.idf, window=self.window,
            length=lambda candidate: self._length(by_id[candidate.story_id]),
        )
        if chosen is None:
            return None
        return next(key for key in ranked if self._id(key) == chosen)

    def joined(self, key: Hashable, terms: Mapping[str, float], published: datetime) -> None:
        """An article joined (or started, for a new key) this story: its centroid grows; the article is counted."""
        if isinstance(key, int) and key not in self.stories:
            self._load([key])  # a stored story joined as a near-copy's: grow its centroid, not a new one
        known = self.stories.get(key)
        if known is None:
            known = self.stories[key] = _Known({}, 0, published)
            if not isinstance(key, int):
                self.pending[key] = _PENDING + len(self.pending)
        known.centroid = merge_terms(known.centroid, terms, CENTROID_TERMS)
        known.norm = None
        known.articles += 1
        known.last_published_at = max(known.last_published_at, published)
        known.changed = True
        self.count(terms)

    def count(self, terms: Mapping[str, float]) -> None:
        """One more article in the document frequencies (after it was matched)."""
        self.added[DOCUMENTS] += 1
        self.added.update(set(terms))
        self._log_documents = None
        for term in terms:
            self._log_df.pop(term, None)

    def write(self, story_ids: Mapping[Hashable, int]) -> None:
        """Store the centroids of the stories that grew (`story_ids` gives the inserted ids of new ones) and the counts."""
        rows = []
        centroids = []
        changed: list[int] = []
        for key, known in self.stories.items():
            if not known.changed:
                continue
            story_id = key if isinstance(key, int) else story_ids.get(key)
            if story_id is None:
                continue
            changed.append(story_id)
            centroids.append({"story": story_id, "new_centroid": known.centroid})
            rows.extend(
                {"story_id": story_id, "term": term, "last_published_at": known.last_published_at}
                for term in index_terms(known.centroid, self.idf, INDEX_TERMS)
            )
        if changed:
            self.connection.execute(_SET_CENTROID, centroids)
            self.connection.execute(delete(_TERMS).where(_TERMS.c.story_id.in_(sorted(changed))))
            if rows:
                self.connection.execute(insert(_TERMS), rows)
        counts = [(term, number) for term, number in sorted(self.added.items()) if number]
        if not counts:
            return
        # Increments, not values read earlier: two writers counting the same term both count (in term order,
        # so two of them lock the rows in one order).
        if self.connection.dialect.name == "postgresql":
            # Arrays unnested into rows: one statement for the batch's thousands of terms.
            self.connection.execute(
                _UNNEST_COUNTS, {"terms": [term for term, _ in counts], "counts": [number for _, number in counts]}
            )
            return
        statement = dialect_insert(self.connection)(_COUNTS)
        self.connection.execute(
            statement.on_conflict_do_update(index_elements=["term"], set_={"articles": _COUNTS.c.articles + statement.excluded.articles}),
            [{"term": term, "articles": number} for term, number in counts],
        )

    def _length(self, known: _Known) -> float:
        """A story's centroid length, worked out again when it grew or the counts moved on (norm_is_stale)."""
        documents = self.documents + self.added[DOCUMENTS]
        if known.norm is None or norm_is_stale(known.norm_documents, documents):
            known.norm, known.norm_documents = centroid_norm(known.centroid, self.idf), documents
        return known.norm

    def _id(self, key: Hashable) -> int:
        return key if isinstance(key, int) else self.pending[key]

    def _load(self, story_ids: list[int]) -> None:
        if not story_ids:
            return
        query = select(_STORIES.c.id, _STORIES.c.article_count, _STORIES.c.last_published_at, _STORIES.c.centroid).where(
            _STORIES.c.id.in_(story_ids)
        )
        for story_id, articles, last, centroid in self.connection.execute(query):
            self.stories[story_id] = _Known(dict(centroid or {}), articles, last)


_UNNEST_COUNTS = text(
    "INSERT INTO term_counts (term, articles) SELECT * FROM unnest(:terms, :counts) "
    "ON CONFLICT (term) DO UPDATE SET articles = term_counts.articles + excluded.articles"
).bindparams(bindparam("terms", type_=ARRAY(String)), bindparam("counts", type_=ARRAY(Integer)))
_COUNTS_OF = text("SELECT term, articles FROM term_counts WHERE term = ANY(:terms)").bindparams(
    bindparam("terms", type_=ARRAY(String))
)
_SET_CENTROID = update(_STORIES).where(_STORIES.c.id == bindparam("story")).values(centroid=bindparam("new_centroid"))


def count_outlets(connection: Connection, story_ids: Sequence[int], grown: Collection[int]) -> None:
    """Each story's number of outlets (distinct sources, case aside) from its articles; the summary of each story in
    `grown` (those an own report joined) marked stale: a wire copy adds no sentence."""
    if not story_ids:
        return
    outlets = (
        select(func.count(func.distinct(func.lower(_ARTICLES.c.source))))
        .where(_ARTICLES.c.story_id == _STORIES.c.id)
        .scalar_subquery()
    )
    stale = case((_STORIES.c.id.in_(sorted(grown)), _STORIES.c.article_count > 1), else_=_STORIES.c.summary_stale)
    connection.execute(update(_STORIES).where(_STORIES.c.id.in_(sorted(story_ids))).values(outlet_count=outlets, summary_stale=stale))


@dataclass(frozen=True)
class StoryReport:
    """One outlet's own report in a story, as its summary is made from: text, outlet, time, own summary."""

    id: int
    title: str
    text: str
    outlet: str
    published_at: datetime
    summary: tuple[str, ...]


def stale_story_ids(store: Store, limit: int = 100) -> list[int]:
    """Stories whose summary must be made again (an article joined since), oldest change first."""
    query = select(_STORIES.c.id).where(_STORIES.c.summary_stale).order_by(_STORIES.c.id).limit(limit)
    with transaction(store, write=False) as session:
        return list(session.scalars(query))


def story_reports(store: Store, story_id: int, limit: int = REPORTS_PER_SUMMARY) -> list[StoryReport]:
    """A story's own reports (near-copies left out: they add no sentence), the newest `limit` of them."""
    query = (
        select(_ARTICLES.c.id, _ARTICLES.c.title, _ARTICLES.c.cleaned_text, _ARTICLES.c.source, _ARTICLES.c.url,
               _ARTICLES.c.published_at, AnalysisRecord.summary)
        .outerjoin(AnalysisRecord, AnalysisRecord.article_id == _ARTICLES.c.id)
        .where(_ARTICLES.c.story_id == story_id, _ARTICLES.c.copy_of.is_(None))
        .order_by(_ARTICLES.c.published_at.desc(), _ARTICLES.c.id.desc())
        .limit(limit)
    )
    with transaction(store, write=False) as session:
        rows = session.execute(query).all()
    return [
        StoryReport(row.id, row.title, row.cleaned_text, row.source or _host(row.url), row.published_at,
                    tuple(sentence["text"] for sentence in (row.summary or [])))
        for row in reversed(rows)
    ]


def save_story_summary(store: Store, story_id: int, sentences: Sequence[Mapping[str, Any]], *, seen_count: int) -> bool:
    """Store a story's summary; it stays stale when articles joined after the `seen_count` it was made from."""
    statement = (
        update(_STORIES)
        .where(_STORIES.c.id == story_id)
        .values(summary=list(sentences), summary_stale=_STORIES.c.article_count != seen_count)
    )
    with transaction(store) as session:
        return bool(session.execute(statement).rowcount)


def story_size(store: Store, story_id: int) -> int:
    """How many articles a story has now (0 when it is gone)."""
    with transaction(store, write=False) as session:
        return session.scalar(select(_STORIES.c.article_count).where(_STORIES.c.id == story_id)) or 0


def _host(url: str | None) -> str:
    if not url:
        return ""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
