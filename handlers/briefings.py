"""Build a briefing from the store: a topic, free words, or the latest, over a widening window; and who said what."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from bot.mutes import Mutes
from bot.query import parse_query
from bot.store import (
    Store,
    StoredArticle,
    StoredQuote,
    articles_for_topic,
    get_article,
    latest_articles,
    quotes_by_person,
    quotes_by_speaker,
    record_sent_stories,
    search,
    sent_stories,
    story_articles,
)
from bot.topics import Topic, Topics
from handlers.translations import IN_ENGLISH, N_, Translator
from summaries.briefing import Briefing, Story, compose_briefing, told_to_chat
from summaries.quotes import same_words
from summaries.speakers import Speaker, group_by_speaker

# The default window, and the wider ones tried in turn when it is empty.
WINDOWS = (timedelta(hours=24), timedelta(days=3), timedelta(days=7), timedelta(days=30), timedelta(days=365))
CANDIDATES = 80
# The key a /latest briefing's buttons carry (topics use their name, queries '?n').
LATEST = "*latest"
MIN_TOPIC_SCORE = 0.1
# /who looks this far back.
WHO_WINDOW = timedelta(days=30)


def topic_briefing(store: Store, topic: Topic, now: datetime, chat_id: int | None = None, mutes: Mutes | None = None) -> Briefing:
    """A topic's briefing, personal ("since your last briefing") when a chat is given, without what `mutes` hide."""
    articles, since, widened = _widening(lambda since: articles_for_topic(store, topic.name, since, CANDIDATES, min_score=MIN_TOPIC_SCORE), now)
    return _compose(store, articles, topic.title, now, since, widened, chat_id, mutes, topic=topic.name, terms=topic.keywords)


def query_briefing(
    store: Store, query: str, now: datetime, chat_id: int | None = None, mutes: Mutes | None = None, t: Translator = IN_ENGLISH
) -> Briefing:
    """A briefing on a query (/brief grain exports, /brief "grain exports" -wheat: bot/query.py), headed in `t`'s language."""
    parsed = parse_query(query)
    articles, since, widened = _widening(lambda since: search(store, parsed, since, CANDIDATES, now=now), now)
    return _compose(
        store, articles, t.gettext("Briefing: {query}", query=query), now, since, widened, chat_id, mutes, terms=parsed.found_terms
    )


def latest_briefing(store: Store, now: datetime, chat_id: int | None = None, mutes: Mutes | None = None) -> Briefing:
    """The newest stories of any topic (/latest)."""
    articles, since, widened = _widening(lambda since: latest_articles(store, since, CANDIDATES), now)
    return _compose(store, articles, N_("Latest news"), now, since, widened, chat_id, mutes)


def record_briefing_sent(store: Store, chat_id: int, briefing: Briefing, shown: Sequence[Story], now: datetime) -> None:
    """Remember the stories of a briefing a chat was just shown, so the next one leaves them out unless they grow."""
    marks = {story_id: briefing.story_sizes.get(story_id, 1) for story in shown for story_id in story.story_ids}
    before = sent_stories(store, chat_id, marks) if any(story.news_only for story in shown) else {}
    told = {
        story_id: told_to_chat(story, before[story_id].shown if story_id in before else ())
        for story in shown
        for story_id in story.story_ids
    }
    record_sent_stories(store, chat_id, marks, shown=told, now=now)


def _widening(
    query: Callable[[datetime], list[StoredArticle]], now: datetime
) -> tuple[list[StoredArticle], datetime, timedelta | None]:
    for window in WINDOWS:
        articles = query(now - window)
        if articles:
            return articles, now - window, (WINDOWS[0] if window != WINDOWS[0] else None)
    return [], now - WINDOWS[0], None


def _compose(
    store: Store,
    articles: Sequence[StoredArticle],
    title: str,
    now: datetime,
    since: datetime,
    widened: timedelta | None,
    chat_id: int | None,
    mutes: Mutes | None = None,
    *,
    topic: str | None = None,
    terms: Sequence[str] = (),
) -> Briefing:
    if mutes:
        articles = _unmuted(articles, mutes, title=title, now=now, since=since, topic=topic, terms=terms)
    story_ids = {article.story_id for article in articles if article.story_id is not None}
    seen = shown = None
    if chat_id is not None and story_ids:
        marks = sent_stories(store, chat_id, story_ids)
        if marks:
            seen = {story_id: mark.article_count for story_id, mark in marks.items()}
            shown = {story_id: mark.shown for story_id, mark in marks.items()}
    sizes = {article.story_id: article.story_size for article in articles if article.story_id is not None}
    return compose_briefing(
        articles,
        title=title,
        now=now,
        since=since,
        topic=topic,
        topic_terms=terms,
        seen=seen,
        shown=shown,
        story_sizes=sizes,
        widened_from=widened,
    )


def _unmuted(
    articles: Sequence[StoredArticle], mutes: Mutes, *, title: str, now: datetime, since: datetime, topic: str | None, terms: Sequence[str]
) -> list[StoredArticle]:
    """The articles of the stories `mutes` do not hide.

    Stories are told apart by composing (the headline, the summary from all of a
    story's reports, its key quote), so they are composed whole once to be tested;
    the briefing is then composed from what is left as for any chat.
    """
    whole = compose_briefing(articles, title=title, now=now, since=since, topic=topic, topic_terms=terms, max_stories=max(len(articles), 1))
    hidden = [story for story in whole.stories if mutes.hides(story)]
    if not hidden:
        return list(articles)
    story_ids = {story_id for story in hidden for story_id in story.story_ids}
    keys = {story.key for story in hidden}
    return [article for article in articles if article.story_id not in story_ids and -article.id not in keys]


def find_story(store: Store, key: int, now: datetime) -> Story | None:
    """A story by the key a button carries (a story id, or minus an article id); None when gone."""
    if key > 0:
        articles = story_articles(store, key)
    else:
        article = get_article(store, -key)
        articles = [article] if article is not None else []
    if not articles:
        return None
    briefing = compose_briefing(articles, title="", now=now, since=now - WINDOWS[-1], max_stories=1, summary_sentences=5)
    return briefing.stories[0] if briefing.stories else None


def briefing_for_key(
    store: Store,
    key: str,
    now: datetime,
    topics: Topics,
    queries: Mapping[str, str],
    chat_id: int | None = None,
    mutes: Mutes | None = None,
    t: Translator = IN_ENGLISH,
) -> Briefing | None:
    """Rebuild the briefing a button names: a topic, '?n' for a remembered query, or the latest."""
    if key == LATEST:
        return latest_briefing(store, now, chat_id, mutes)
    if key.startswith("?"):
        query = queries.get(key)
        return query_briefing(store, query, now, chat_id, mutes, t) if query else None
    topic = topics.find(key)
    return topic_briefing(store, topic, now, chat_id, mutes) if topic else None


def people_quoted(store: Store, name: str, now: datetime, *, exact: bool = False) -> list[Speaker]:
    """The people whose name has every word of `name` (`exact`: the one person of that identity key), with what they
    were quoted saying lately, newest first."""
    found = (quotes_by_person if exact else quotes_by_speaker)(store, name, now - WHO_WINDOW, limit=60)
    return group_by_speaker(distinct_quotes(found))


def distinct_quotes(quotes: Sequence[StoredQuote]) -> list[StoredQuote]:
    """The quotations worth listing (full or partial), each set of words once however many outlets carry it."""
    unique: list[StoredQuote] = []
    for quote in quotes:
        if quote.kind in ("full", "partial") and not any(same_words(quote.text, other.text) for other in unique):
            unique.append(quote)
    return unique
