"""Articles and what was read in them: analyses, quotes, topic scores, read back by topic, words, story or speaker.

Also the story clusters they form (Story), counts, and deletion. Adding
articles lives in bot/store/adding.py; its API is re-exported here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Float, Integer, Row, bindparam, delete, func, insert, literal_column, or_, select, text, update
from sqlalchemy.orm import Session

from bot.signatures import Signature
from bot.store.adding import analysis_row, band_rows, insert_bands, quote_rows, topic_score_rows
from bot.store.engine import Store, transaction, upsert, utc_now
from bot.store.models import (
    AnalysisRecord,
    ArticleRecord,
    QuoteRecord,
    StoryBand,
    StoryRecord,
    TopicScore,
    UTCDateTime,
)
from bot.query import Query, parse_query
from bot.store.search import MAX_TERMS, fts5_match, postgres_found, postgres_match
from summaries.article import Analysis
from summaries.text import words

# Search ranks by relevance, halved for an article this old.
SEARCH_HALF_LIFE = timedelta(days=3)
# Search ranks this many of the newest matches (at least twice the results asked for).
SEARCH_CANDIDATES = 200
# The ids a search reads first, newest first (further ranges are sized by how often these matched).
FIRST_SEARCH_SPAN = 4 * SEARCH_CANDIDATES


@dataclass(frozen=True)
class StoredQuote:
    """A quotation as stored, with the article it came from."""

    id: int
    article_id: int
    text: str
    speaker: str
    speaker_full: str
    speaker_name: str
    role: str
    cue: str
    kind: str
    score: float
    key: bool
    start: int
    end: int
    published_at: datetime
    article_title: str = ""
    source: str = ""
    url: str | None = None
    story_id: int | None = None
    # The speaker's identity across articles: their name's words in lower case ("" without a speaker).
    person_key: str = ""


@dataclass(frozen=True)
class StoredArticle:
    """An article as a briefing needs it: metadata, cleaned text, summary, quotes and topics."""

    id: int
    title: str
    source: str
    author: str
    url: str | None
    canonical_url: str | None
    published_at: datetime
    published_guessed: bool
    fetched_at: datetime
    language: str
    story_id: int | None
    story_size: int
    text: str
    summary: tuple[str, ...]
    quotes: tuple[StoredQuote, ...] = ()
    topics: Mapping[str, float] = field(default_factory=dict)
    # The topic score or search relevance of the query that returned it.
    score: float = 0.0
    original: str | None = None
    # The stored article this one is a near-copy of (a reprinted wire story), None for an outlet's own report.
    copy_of: int | None = None
    # How many outlets reported its story, and the story's summary from all its articles (empty for one article).
    story_outlets: int = 1
    story_summary: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Story:
    """One event as the outlets reported it: its headline, dates, size, outlets and summary from all its articles."""

    id: int
    title: str
    first_published_at: datetime
    last_published_at: datetime
    article_count: int
    outlet_count: int = 1
    # [{"text", "article_id", "outlet", "published_at"}], empty for a one-article story or until it is made.
    summary: tuple[Mapping[str, Any], ...] = ()


def replace_analysis(
    store: Store,
    article_id: int,
    analysis: Analysis,
    *,
    version: str,
    topic_scores: Mapping[str, float],
    signature: Signature | None = None,
    algorithm: str = "news",
) -> bool:
    """Put a new analysis (summary, quotes, cleaned text, topic scores) in place of an article's old one."""
    with transaction(store) as session:
        record = session.get(ArticleRecord, article_id)
        if record is None:
            return False
        record.cleaned_text = analysis.cleaned.text
        record.signature = signature.to_bytes() if signature else None
        session.execute(delete(AnalysisRecord).where(AnalysisRecord.article_id == article_id))
        session.execute(delete(QuoteRecord).where(QuoteRecord.article_id == article_id))
        session.execute(delete(TopicScore).where(TopicScore.article_id == article_id))
        session.execute(delete(StoryBand).where(StoryBand.article_id == article_id))
        session.flush()
        _insert_rows(session, AnalysisRecord, [analysis_row(article_id, analysis, version, algorithm)])
        _insert_rows(session, QuoteRecord, quote_rows(article_id, analysis, record.published_at))
        _insert_rows(session, TopicScore, topic_score_rows(article_id, topic_scores, record.published_at))
        insert_bands(session.connection(), band_rows(article_id, signature, record.published_at))
    return True


def _insert_rows(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model.__table__), rows)


@dataclass(frozen=True)
class ArticleSource:
    """What re-analysis and re-scoring read of a stored article."""

    id: int
    title: str
    text: str
    cleaned_text: str
    language: str


def iter_article_sources(
    store: Store, *, stale_version: str | None = None, batch: int = 200
) -> Iterator[ArticleSource]:
    """Every stored article's texts in id order, or only those whose analysis is not `stale_version`."""
    last = 0
    while True:
        with transaction(store, write=False) as session:
            query = (
                select(
                    ArticleRecord.id,
                    ArticleRecord.title,
                    ArticleRecord.text,
                    ArticleRecord.cleaned_text,
                    ArticleRecord.language,
                )
                .where(ArticleRecord.id > last)
                .order_by(ArticleRecord.id)
                .limit(batch)
            )
            if stale_version is not None:
                query = query.outerjoin(AnalysisRecord, AnalysisRecord.article_id == ArticleRecord.id).where(
                    or_(AnalysisRecord.version.is_(None), AnalysisRecord.version != stale_version)
                )
            rows = session.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield ArticleSource(row.id, row.title, row.text, row.cleaned_text, row.language)
        last = rows[-1].id


def count_stale_analyses(store: Store, version: str) -> int:
    """How many articles have an analysis made by another version of the text layer."""
    with transaction(store, write=False) as session:
        return session.scalar(
            select(func.count())
            .select_from(ArticleRecord)
            .outerjoin(AnalysisRecord, AnalysisRecord.article_id == ArticleRecord.id)
            .where(or_(AnalysisRecord.version.is_(None), AnalysisRecord.version != version))
        ) or 0


def set_topic_scores(store: Store, scores: Mapping[int, Mapping[str, float]]) -> None:
    """Replace the topic scores of the given articles."""
    if not scores:
        return
    with transaction(store) as session:
        published = dict(
            session.execute(
                select(ArticleRecord.id, ArticleRecord.published_at).where(ArticleRecord.id.in_(list(scores)))
            ).all()
        )
        session.execute(delete(TopicScore).where(TopicScore.article_id.in_(list(scores))))
        rows = [
            row
            for article_id, topic_scores in scores.items()
            if article_id in published
            for row in topic_score_rows(article_id, topic_scores, published[article_id])
        ]
        if rows:
            # Two processes starting at once may both rescore: the scores are the same, so the
            # later insert updates instead of failing on the rows the other just committed.
            upsert(session, TopicScore.__table__, rows, key=["article_id", "topic"], update=["score", "published_at"])


# ---- reading -------------------------------------------------------------------------------------


def _load(session: Session, scored: list[tuple[int, float]], *, original: bool = False) -> list[StoredArticle]:
    """Articles by id with their summaries, quotes and topics, in the order given."""
    if not scored:
        return []
    ids = [article_id for article_id, _ in scored]
    columns = [
        ArticleRecord.id,
        ArticleRecord.title,
        ArticleRecord.source,
        ArticleRecord.author,
        ArticleRecord.url,
        ArticleRecord.canonical_url,
        ArticleRecord.published_at,
        ArticleRecord.published_guessed,
        ArticleRecord.fetched_at,
        ArticleRecord.language,
        ArticleRecord.story_id,
        ArticleRecord.cleaned_text,
        AnalysisRecord.summary,
        ArticleRecord.copy_of,
        StoryRecord.article_count,
        StoryRecord.outlet_count,
        StoryRecord.summary.label("story_summary"),
    ]
    if original:
        columns.append(ArticleRecord.text)
    rows = {
        row.id: row
        for row in session.execute(
            select(*columns)
            .outerjoin(AnalysisRecord, AnalysisRecord.article_id == ArticleRecord.id)
            .outerjoin(StoryRecord, StoryRecord.id == ArticleRecord.story_id)
            .where(ArticleRecord.id.in_(ids))
        )
    }
    quotes: dict[int, list[StoredQuote]] = defaultdict(list)
    for quote in session.execute(
        select(QuoteRecord).where(QuoteRecord.article_id.in_(ids)).order_by(QuoteRecord.article_id, QuoteRecord.position)
    ).scalars():
        row = rows.get(quote.article_id)
        quotes[quote.article_id].append(_stored_quote(quote, row))
    topics: dict[int, dict[str, float]] = defaultdict(dict)
    for article_id, topic, score in session.execute(
        select(TopicScore.article_id, TopicScore.topic, TopicScore.score).where(TopicScore.article_id.in_(ids))
    ):
        topics[article_id][topic] = score
    result = []
    for article_id, score in scored:
        row = rows.get(article_id)
        if row is None:
            continue
        result.append(
            StoredArticle(
                id=row.id,
                title=row.title,
                source=row.source,
                author=row.author,
                url=row.url,
                canonical_url=row.canonical_url,
                published_at=row.published_at,
                published_guessed=row.published_guessed,
                fetched_at=row.fetched_at,
                language=row.language,
                story_id=row.story_id,
                story_size=row.article_count or 1,
                text=row.cleaned_text,
                summary=tuple(sentence["text"] for sentence in (row.summary or [])),
                quotes=tuple(quotes.get(article_id, ())),
                topics=dict(topics.get(article_id, {})),
                score=score,
                original=row.text if original else None,
                copy_of=row.copy_of,
                story_outlets=row.outlet_count or 1,
                story_summary=tuple(row.story_summary or ()),
            )
        )
    return result


def _stored_quote(quote: QuoteRecord, article: Row[Any] | None) -> StoredQuote:
    return StoredQuote(
        id=quote.id,
        article_id=quote.article_id,
        text=quote.text,
        speaker=quote.speaker,
        speaker_full=quote.speaker_full,
        speaker_name=quote.speaker_name,
        role=quote.role,
        cue=quote.cue,
        kind=quote.kind,
        score=quote.score,
        key=quote.key,
        start=quote.start,
        end=quote.end,
        published_at=quote.published_at,
        article_title=article.title if article is not None else "",
        source=article.source if article is not None else "",
        url=article.url if article is not None else None,
        story_id=article.story_id if article is not None else None,
        person_key=quote.person_key,
    )


def get_article(store: Store, article_id: int) -> StoredArticle | None:
    """One article with everything stored about it, its original text included."""
    with transaction(store, write=False) as session:
        found = _load(session, [(article_id, 0.0)], original=True)
    return found[0] if found else None


def articles_for_topic(
    store: Store,
    topic: str,
    since: datetime | None = None,
    limit: int = 50,
    *,
    until: datetime | None = None,
    min_score: float = 0.0,
) -> list[StoredArticle]:
    """A topic's articles published in [since, until), newest first; `score` is the topic score."""
    query = select(TopicScore.article_id, TopicScore.score).where(TopicScore.topic == getattr(topic, "name", topic))
    if since is not None:
        query = query.where(TopicScore.published_at >= since)
    if until is not None:
        query = query.where(TopicScore.published_at < until)
    if min_score > 0:
        query = query.where(TopicScore.score >= min_score)
    query = query.order_by(TopicScore.published_at.desc(), TopicScore.article_id.desc()).limit(limit)
    with transaction(store, write=False) as session:
        scored = [(row.article_id, row.score) for row in session.execute(query)]
        return _load(session, scored)


def latest_articles(store: Store, since: datetime | None = None, limit: int = 20) -> list[StoredArticle]:
    """The newest articles of any topic."""
    query = select(ArticleRecord.id)
    if since is not None:
        query = query.where(ArticleRecord.published_at >= since)
    query = query.order_by(ArticleRecord.published_at.desc(), ArticleRecord.id.desc()).limit(limit)
    with transaction(store, write=False) as session:
        return _load(session, [(article_id, 0.0) for article_id in session.scalars(query)])


def story_articles(store: Store, story_id: int) -> list[StoredArticle]:
    """Every article of a story, oldest first."""
    query = (
        select(ArticleRecord.id)
        .where(ArticleRecord.story_id == story_id)
        .order_by(ArticleRecord.published_at, ArticleRecord.id)
    )
    with transaction(store, write=False) as session:
        return _load(session, [(article_id, 0.0) for article_id in session.scalars(query)])


def lead_image_url(store: Store, key: int) -> str | None:
    """The picture of a story by a button's key (a story id, or minus an article id): its newest article's with one, else None."""
    column = ArticleRecord.story_id if key > 0 else ArticleRecord.id
    query = (
        select(ArticleRecord.image_url)
        .where(column == abs(key), ArticleRecord.image_url.is_not(None))
        .order_by(ArticleRecord.published_at.desc(), ArticleRecord.id.desc())
        .limit(1)
    )
    with transaction(store, write=False) as session:
        return session.scalar(query)


def get_story(store: Store, story_id: int) -> Story | None:
    """A story cluster's headline, dates and size."""
    with transaction(store, write=False) as session:
        record = session.get(StoryRecord, story_id)
        if record is None:
            return None
        return _story(record)


def recent_stories(store: Store, since: datetime, limit: int = 1000) -> list[Story]:
    """The stories with an article published since `since`, newest first."""
    query = (
        select(StoryRecord)
        .where(StoryRecord.last_published_at >= since)
        .order_by(StoryRecord.last_published_at.desc(), StoryRecord.id.desc())
        .limit(limit)
    )
    with transaction(store, write=False) as session:
        return [_story(record) for record in session.scalars(query)]


def _story(record: StoryRecord) -> Story:
    return Story(
        record.id, record.title, record.first_published_at, record.last_published_at, record.article_count,
        record.outlet_count, tuple(record.summary or ()),
    )


def search(
    store: Store,
    query: str | Query,
    since: datetime | None = None,
    limit: int = 20,
    *,
    now: datetime | None = None,
    until: datetime | None = None,
) -> list[StoredArticle]:
    """Articles published in [since, until) matching a query, by relevance and recency.

    The query (text is parsed by bot/query.py) needs all its words (any of them when
    no article has all), each phrase's words adjacent and in order, and none of its
    excluded words or phrases; the any-word fallback never drops a phrase or an
    exclusion. User text never reaches MATCH or a tsquery as an operator. A query of
    exclusions only finds nothing. Only the newest matches are ranked
    (max(SEARCH_CANDIDATES, 2 x limit) most recently stored in the window), so a
    word found in every article costs what a rare one does.
    """
    parsed = (parse_query(query) if isinstance(query, str) else query).clipped(MAX_TERMS)
    if not parsed.positive or limit <= 0:
        return []
    candidates = max(SEARCH_CANDIDATES, 2 * limit)
    with transaction(store, write=False) as session:
        if not _finds_something(session, parsed):
            return []
        ranked = _newest_matches(session, parsed, since, candidates, any_term=False, until=until)
        if not ranked and len(parsed.words) > 1:
            ranked = _newest_matches(session, parsed, since, candidates, any_term=True, until=until)
        if not ranked:
            return []
        best = max(relevance for _, relevance, _ in ranked) or 1.0
        now = now or utc_now()
        scored = []
        for article_id, relevance, published in ranked:
            age = max((now - published).total_seconds(), 0.0)
            recency = 0.5 ** (age / SEARCH_HALF_LIFE.total_seconds())
            scored.append((article_id, round(relevance / best * (0.5 + 0.5 * recency), 6)))
        scored.sort(key=lambda pair: (-pair[1], -pair[0]))
        return _load(session, scored[:limit])


def _finds_something(session: Session, query: Query) -> bool:
    """False when PostgreSQL drops every word the query looks for (stop words), so that only its exclusions are left."""
    if not (query.excluded_words or query.excluded_phrases) or session.bind.dialect.name != "postgresql":  # type: ignore[union-attr]
        return True
    return bool(session.scalar(select(func.numnode(postgres_found(query)))))


def _newest_matches(
    session: Session, parsed: Query, since: datetime | None, candidates: int, *, any_term: bool, until: datetime | None = None
) -> list[tuple[int, float, datetime]]:
    """(article id, relevance > 0, published) of the `candidates` most recently stored matches in the window.

    Read newest first in id ranges: the newest FIRST_SEARCH_SPAN ids, then a range sized by how
    often the first matched, then ranges four times wider. A common word stops after the first
    range, a rare one takes a few index look-ups; no query ranks every match.
    """
    postgres = session.bind.dialect.name == "postgresql"  # type: ignore[union-attr]
    if postgres:
        # The planner does not count unpacking a row's tsvector to test it: it would scan ids (or the
        # table) testing each row. The GIN index intersected with the id range (and the window)
        # reads only the matching rows. A plan made for these words and ids, not a prepared generic one.
        newest = session.execute(_PLAN_BY_GIN).scalar()
    else:
        newest = session.scalar(select(func.max(ArticleRecord.id)))
    if newest is None:
        return []
    found = _matches_between(session, parsed, since, newest - FIRST_SEARCH_SPAN, newest, candidates, any_term=any_term, until=until)
    top, floor = newest - FIRST_SEARCH_SPAN, 0
    if len(found) < candidates and top > 0 and since is not None:
        # Never read below the oldest id in the window: an index-only read of the window, planned
        # as usual (+ 0 keeps it off the primary key, which would read rows up to the window).
        if postgres:
            session.execute(_USUAL_PLANS)
        oldest = session.scalar(select(func.min(ArticleRecord.id.op("+")(0))).where(ArticleRecord.published_at >= since))
        if postgres:
            session.execute(_PLAN_BY_GIN)
        floor = (oldest or top + 1) - 1
    span = (2 * FIRST_SEARCH_SPAN * (candidates - len(found))) // len(found) + 1 if found else top - floor
    while len(found) < candidates and top > floor:
        bottom = max(top - span, floor)
        found += _matches_between(session, parsed, since, bottom, top, candidates - len(found), any_term=any_term, until=until)
        top, span = bottom, span * 4
    return found


# Set for the rest of the search's transaction (set_config(..., true) is SET LOCAL); returns the newest id.
_PLAN_BY_GIN = text(
    "SELECT (SELECT max(id) FROM articles), set_config('enable_indexscan', 'off', true),"
    " set_config('enable_seqscan', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)"
)
_USUAL_PLANS = text("SELECT set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'on', true)")


def _matches_between(
    session: Session,
    parsed: Query,
    since: datetime | None,
    bottom: int,
    top: int,
    limit: int,
    *,
    any_term: bool,
    until: datetime | None = None,
) -> list[tuple[int, float, datetime]]:
    """(article id, relevance > 0, published) of the newest `limit` matches with bottom < id <= top."""
    if session.bind.dialect.name == "sqlite":  # type: ignore[union-attr]
        sql = (
            "SELECT articles.id AS id, bm25(articles_fts, 4.0, 1.0) AS rank, articles.published_at AS published_at"
            " FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid"
            " WHERE articles_fts MATCH :match AND articles_fts.rowid > :bottom AND articles_fts.rowid <= :top"
            + (" AND articles.published_at >= :since" if since is not None else "")
            + (" AND articles.published_at < :until" if until is not None else "")
            + " ORDER BY articles_fts.rowid DESC LIMIT :limit"
        )
        statement = text(sql).bindparams(
            bindparam("match", fts5_match(parsed, any_term)),
            bindparam("bottom", bottom),
            bindparam("top", top),
            bindparam("limit", limit),
        )
        if since is not None:
            statement = statement.bindparams(bindparam("since", since, type_=UTCDateTime()))
        if until is not None:
            statement = statement.bindparams(bindparam("until", until, type_=UTCDateTime()))
        statement = statement.columns(id=Integer(), rank=Float(), published_at=UTCDateTime())
        # bm25() is negative, more negative for better matches.
        return [(row.id, -row.rank, row.published_at) for row in session.execute(statement)]
    tsquery = postgres_match(parsed, any_term)
    vector = literal_column("articles.search_vector")
    newest = (
        select(ArticleRecord.id, ArticleRecord.published_at, vector.label("search_vector"))
        .where(vector.op("@@")(tsquery), ArticleRecord.id > bottom, ArticleRecord.id <= top)
        .order_by(ArticleRecord.id.desc())
        .limit(limit)
    )
    if since is not None:
        newest = newest.where(ArticleRecord.published_at >= since)
    if until is not None:
        newest = newest.where(ArticleRecord.published_at < until)
    newest_rows = newest.subquery("newest")
    # Ranked outside the LIMIT, so only the rows kept are ranked.
    rank = func.ts_rank_cd(newest_rows.c.search_vector, tsquery, 1)
    query = select(newest_rows.c.id, rank.label("rank"), newest_rows.c.published_at).order_by(newest_rows.c.id.desc())
    return [(row.id, max(float(row.rank), 1e-9), row.published_at) for row in session.execute(query)]


def search_share(store: Store, query: str | Query, sample: int = 500) -> tuple[int, int]:
    """(matching, read) of the `sample` most recently stored articles: how many match the whole query (every word)."""
    parsed = (parse_query(query) if isinstance(query, str) else query).clipped(MAX_TERMS)
    with transaction(store, write=False) as session:
        newest = session.scalar(select(func.max(ArticleRecord.id)))
        if not parsed.positive or newest is None:
            return 0, 0
        bottom = session.scalar(
            select(ArticleRecord.id).order_by(ArticleRecord.id.desc()).offset(sample - 1).limit(1)
        )
        bottom = (bottom - 1) if bottom is not None else 0
        read = session.scalar(select(func.count()).where(ArticleRecord.id > bottom)) or 0
        if session.bind.dialect.name == "sqlite":  # type: ignore[union-attr]
            statement = text(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :match AND articles_fts.rowid > :bottom"
            ).bindparams(bindparam("match", fts5_match(parsed)), bindparam("bottom", bottom))
            matching = session.scalar(statement) or 0
        elif _finds_something(session, parsed):
            vector = literal_column("articles.search_vector")
            matching = session.scalar(
                select(func.count()).select_from(ArticleRecord).where(vector.op("@@")(postgres_match(parsed)), ArticleRecord.id > bottom)
            ) or 0
        else:
            matching = 0
        return int(matching), int(read)


def quotes_by_speaker(
    store: Store, name: str, since: datetime | None = None, limit: int = 50
) -> list[StoredQuote]:
    """What a person has been quoted saying, newest first: every word of `name` must be in the speaker's name."""
    terms = [term.casefold() for term in words(name)][:8]
    if not terms:
        return []
    query = select(QuoteRecord)
    for term in terms:
        # Terms are letters and digits only, so no LIKE wildcard can come from the user.
        query = query.where(QuoteRecord.speaker_key.like(f"% {term} %"))
    if since is not None:
        query = query.where(QuoteRecord.published_at >= since)
    query = query.order_by(QuoteRecord.published_at.desc(), QuoteRecord.id.desc()).limit(limit)
    return _quotes_with_articles(store, query)


def quotes_by_person(store: Store, person_key: str, since: datetime | None = None, limit: int = 50) -> list[StoredQuote]:
    """What one person (by identity key) has been quoted saying, newest first."""
    query = select(QuoteRecord).where(QuoteRecord.person_key == person_key)
    if since is not None:
        query = query.where(QuoteRecord.published_at >= since)
    query = query.order_by(QuoteRecord.published_at.desc(), QuoteRecord.id.desc()).limit(limit)
    return _quotes_with_articles(store, query)


def quotes_for_topic(
    store: Store, topic: str, since: datetime | None = None, limit: int = 50
) -> list[StoredQuote]:
    """The quotes of a topic's articles: key quotes first, then by score and recency."""
    query = (
        select(QuoteRecord)
        .join(TopicScore, TopicScore.article_id == QuoteRecord.article_id)
        .where(TopicScore.topic == getattr(topic, "name", topic))
    )
    if since is not None:
        query = query.where(TopicScore.published_at >= since)
    query = query.order_by(
        QuoteRecord.key.desc(), QuoteRecord.score.desc(), QuoteRecord.published_at.desc(), QuoteRecord.id
    ).limit(limit)
    return _quotes_with_articles(store, query)


def _quotes_with_articles(store: Store, query: Any) -> list[StoredQuote]:
    with transaction(store, write=False) as session:
        quotes = list(session.execute(query).scalars())
        ids = {quote.article_id for quote in quotes}
        articles = {
            row.id: row
            for row in session.execute(
                select(ArticleRecord.id, ArticleRecord.title, ArticleRecord.source, ArticleRecord.url, ArticleRecord.story_id)
                .where(ArticleRecord.id.in_(ids))
            )
        }
        return [_stored_quote(quote, articles.get(quote.article_id)) for quote in quotes]


def topic_counts(store: Store, since: datetime | None = None) -> dict[str, int]:
    """How many articles each topic has (published since `since`)."""
    query = select(TopicScore.topic, func.count()).group_by(TopicScore.topic)
    if since is not None:
        query = query.where(TopicScore.published_at >= since)
    with transaction(store, write=False) as session:
        return {topic: count for topic, count in session.execute(query)}


def article_count(store: Store) -> int:
    """How many articles are stored."""
    with transaction(store, write=False) as session:
        return session.scalar(select(func.count()).select_from(ArticleRecord)) or 0


def newest_article_time(store: Store) -> datetime | None:
    """When the newest stored article was published."""
    with transaction(store, write=False) as session:
        return session.scalar(select(func.max(ArticleRecord.published_at)))


def delete_articles(store: Store, ids: Iterable[int]) -> int:
    """Remove articles with everything derived from them; returns how many went."""
    ids = list(ids)
    if not ids:
        return 0
    with transaction(store) as session:
        stories = set(session.scalars(select(ArticleRecord.story_id).where(ArticleRecord.id.in_(ids))))
        gone = session.execute(delete(ArticleRecord).where(ArticleRecord.id.in_(ids))).rowcount or 0
        for story_id in stories - {None}:
            remaining = session.scalar(select(func.count()).where(ArticleRecord.story_id == story_id)) or 0
            if remaining:
                session.execute(update(StoryRecord).where(StoryRecord.id == story_id).values(article_count=remaining))
            else:
                session.execute(delete(StoryRecord).where(StoryRecord.id == story_id))
    return gone
