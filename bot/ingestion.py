"""Ingest: read sources, analyse each article once, store it, and say what happened in one line."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import httpx

from bot.fetch import FetchError, fetch, make_client
from bot.sources import (
    IncomingArticle,
    Item,
    Unreadable,
    expand_paths,
    fetched_page_article,
    is_url,
    read_file,
    url_key,
)
from bot.stories import content_hash, signature
from bot.store import (
    NewArticle,
    Store,
    StoreBusy,
    add_articles,
    count_stale_analyses,
    get_setting,
    iter_article_sources,
    replace_analysis,
    set_setting,
    set_topic_scores,
)
from bot.topics import Topics, TokenizedText
from summaries.analysis import analyze
from summaries.article import Analysis, Article
from summaries.language import detect_language

SAMPLES = Path(__file__).resolve().parent / "samples"
SUMMARY_SENTENCES = 3
ALGORITHM = "news"
TOPICS_DIGEST_KEY = "topics_digest"
# Articles committed together by a bulk ingest: one commit per batch instead of per article,
# or sooner when the first of them has waited STORE_WAIT seconds (slow feeds and pages).
STORE_BATCH = 100
STORE_WAIT = 2.0


@lru_cache(maxsize=1)
def analysis_version() -> str:
    """A short hash of the text layer's source: any change to summaries/ makes stored analyses stale."""
    import summaries

    digest = hashlib.sha256(f"{SUMMARY_SENTENCES}:{ALGORITHM}".encode())
    root = Path(summaries.__file__).resolve().parent
    for file in sorted(root.rglob("*.py")):
        digest.update(file.relative_to(root).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


@dataclass
class IngestReport:
    """What a bulk ingest did: counts, the ids added, and a reason for every failure."""

    added: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    added_ids: list[int] = field(default_factory=list)
    duplicate_reasons: list[tuple[str, str]] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        self.added += other.added
        self.duplicates += other.duplicates
        self.failed.extend(other.failed)
        self.added_ids.extend(other.added_ids)
        self.duplicate_reasons.extend(other.duplicate_reasons)

    def line(self) -> str:
        """One line for a person: added, duplicates, failed with reasons."""
        text = f"added {self.added}, duplicates {self.duplicates}, failed {len(self.failed)}"
        if self.failed:
            shown = "; ".join(f"{origin}: {reason}" for origin, reason in self.failed[:5])
            more = f"; and {len(self.failed) - 5} more" if len(self.failed) > 5 else ""
            text += f" ({shown}{more})"
        return text


def prepare(incoming: IncomingArticle, topics: Topics, *, now: datetime | None = None) -> NewArticle:
    """Analyse an article once (summary, quotes, topics, near-duplicate signature) for the store."""
    return new_article(analyse(incoming, now), topics)


@dataclass(frozen=True)
class Analysed:
    """An article read and analysed, waiting for its topics, signature and storage."""

    incoming: IncomingArticle
    analysis: Analysis
    language: str
    fetched_at: datetime


def analyse(incoming: IncomingArticle, now: datetime | None = None) -> Analysed:
    """The text layer's analysis of an article (summary, quotes, cleaned text), made once."""
    language = incoming.language or detect_language(incoming.text)
    analysis = analyze(Article(text=incoming.text, title=incoming.title, language=language), SUMMARY_SENTENCES, ALGORITHM)
    return Analysed(incoming, analysis, language, now or datetime.now(UTC))


def new_article(analysed: Analysed, topics: Topics) -> NewArticle:
    """An analysed article with its topic scores, content hash and near-duplicate signature, ready to store."""
    incoming, analysis = analysed.incoming, analysed.analysis
    cleaned = analysis.cleaned.text
    # One tokenisation of the body serves topic scoring and the near-duplicate signature.
    body_tokens = TokenizedText(cleaned)
    return NewArticle(
        title=incoming.title,
        text=incoming.text,
        cleaned_text=cleaned,
        content_hash=content_hash(cleaned or incoming.text),
        analysis=analysis,
        analysis_version=analysis_version(),
        fetched_at=analysed.fetched_at,
        published_at=incoming.published_at,
        language=analysed.language,
        url=incoming.url,
        canonical_url=url_key(incoming.url),
        source=incoming.source,
        author=incoming.author,
        origin=incoming.origin,
        topic_scores=topics.scores(incoming.title, body_tokens),
        signature=signature(body_tokens.folded),
        algorithm=ALGORITHM,
    )


def store_items(
    store: Store,
    topics: Topics,
    items: Iterable[Item],
    *,
    now: datetime | None = None,
    batch: int = STORE_BATCH,
    wait: float = STORE_WAIT,
) -> IngestReport:
    """Analyse and store each article; a failure is recorded with its reason and the rest go on.

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


def items_from_target(target: str, *, client: httpx.Client | None = None, max_bytes: int | None = None) -> Iterator[Item]:
    """The articles of one file, folder entry, web page URL or feed URL."""
    if not is_url(target):
        yield from read_file(target)
        return
    from bot.feeds import FeedError, feed_items, parse_feed

    try:
        fetched = fetch(target, client=client, **({"max_bytes": max_bytes} if max_bytes else {}))
    except FetchError as error:
        yield Unreadable(target, str(error).removeprefix(f"{target}: "))
        return
    if fetched.is_feed:
        try:
            feed = parse_feed(fetched.body, fetched.url, charset=fetched.charset)
        except FeedError as error:
            yield Unreadable(target, str(error))
            return
        yield from feed_items(feed, client=client)
        return
    yield fetched_page_article(fetched, target)


Progress = Callable[[str], None]


def ingest(
    store: Store,
    topics: Topics,
    targets: list[str],
    *,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
    max_bytes: int | None = None,
) -> IngestReport:
    """Ingest files, folders, page URLs and feed URLs; `progress` is called once per file or URL done."""
    own_client = client is None and any(is_url(target) for target in targets)
    if own_client:
        client = make_client()

    def every_item() -> Iterator[Item]:
        for target in expand_paths(targets):
            yield from items_from_target(target, client=client, max_bytes=max_bytes)
            if progress is not None:
                progress(target)

    try:
        return store_items(store, topics, every_item(), now=now)
    finally:
        if own_client and client is not None:
            client.close()


def ensure_topic_scores(store: Store, topics: Topics, progress: Callable[[int], None] | None = None) -> int:
    """Rescore every stored article when the topics (or their scoring) changed; returns how many were rescored."""
    if get_setting(store, TOPICS_DIGEST_KEY) == topics.digest:
        return 0
    count = rescore_topics(store, topics, progress)
    set_setting(store, TOPICS_DIGEST_KEY, topics.digest)
    return count


def rescore_topics(store: Store, topics: Topics, progress: Callable[[int], None] | None = None) -> int:
    """Recompute the topic scores of every stored article."""
    count = 0
    batch: dict[int, dict[str, float]] = {}
    for article in iter_article_sources(store):
        batch[article.id] = topics.scores(article.title, article.cleaned_text)
        if len(batch) >= 500:
            set_topic_scores(store, batch)
            count += len(batch)
            batch = {}
            if progress:
                progress(count)
    set_topic_scores(store, batch)
    count += len(batch)
    if progress:
        progress(count)
    return count


def stale_count(store: Store) -> int:
    """How many stored analyses were made by another version of the text layer."""
    return count_stale_analyses(store, analysis_version())


def reanalyze(
    store: Store, topics: Topics, *, everything: bool = False, progress: Callable[[int], None] | None = None
) -> int:
    """Analyse stored articles again from their original text: the stale ones, or all of them."""
    version = analysis_version()
    count = 0
    for source in iter_article_sources(store, stale_version=None if everything else version):
        analysis = analyze(Article(text=source.text, title=source.title, language=source.language), SUMMARY_SENTENCES, ALGORITHM)
        replace_analysis(
            store,
            source.id,
            analysis,
            version=version,
            topic_scores=topics.scores(source.title, analysis.cleaned.text),
            signature=signature(analysis.cleaned.text),
            algorithm=ALGORITHM,
        )
        count += 1
        if progress:
            progress(count)
    return count


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


def open_configured(settings: object | None = None, *, rescore: bool = True) -> tuple[Store, Topics]:
    """The store DATABASE_URL names (schema upgraded) and the topics in force, topic scores up to date.

    What the bot's post_init and every CLI command start with.
    """
    from bot.config import get_settings
    from bot.store import open_store
    from bot.topics import load_topics

    config = settings or get_settings()
    topics = load_topics(getattr(config, "topics_file", None))
    store = open_store(config.database_url, busy_timeout=getattr(config, "sqlite_busy_timeout", 10.0))  # type: ignore[attr-defined]
    if rescore:
        try:
            ensure_topic_scores(store, topics)
        except Exception:
            store.close()
            raise
    return store, topics
