"""Compose a briefing from a topic's articles: stories, not articles; quotes, not repeats.

Pure: the articles, the time ("now") and what a chat was sent before all come
in as arguments. Articles are anything with the attributes of `BriefingArticle`
(the store's `StoredArticle` has them), so this module needs nothing above it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from summaries.language import stop_words
from summaries.quotes import Quote, key_quotes, same_words
from summaries.speakers import person_key
from summaries.story_summary import StorySentence, new_since
from summaries.text import stem, words

# Two stories whose headlines and summaries share this much are one story told twice.
SAME_STORY = 0.4
# A story's weight halves for every this much it ages.
HALF_LIFE = timedelta(hours=12)
QUOTABLE_KINDS = frozenset({"full", "partial"})
QUOTES_PER_STORY = 4
# A partial quotation ("as long as the other side does") joins the digest only from this many words.
DIGEST_PARTIAL_WORDS = 10
# The sentences of a story remembered as shown to a chat: enough for a story's whole summary and its updates.
SHOWN_SENTENCES = 12
# The outlet of an article with neither a source name nor a URL (a renderer may say it in its own words).
UNNAMED_SOURCE = "source"
_SPACE = re.compile(r"\s+")


class BriefingArticle(Protocol):
    """What composition reads of an article."""

    id: int
    title: str
    source: str
    url: str | None
    published_at: datetime
    story_id: int | None
    summary: tuple[str, ...]
    quotes: tuple[Any, ...]  # objects with a Quote's fields (the store's StoredQuote)
    score: float


@dataclass(frozen=True)
class Source:
    """One outlet's article of a story."""

    name: str
    url: str | None
    title: str
    article_id: int


@dataclass(frozen=True)
class BriefingQuote:
    """A quotation as a briefing shows it: the words, who said them, where."""

    text: str
    speaker: str
    speaker_name: str
    source: str
    url: str | None
    story_key: int
    kind: str = "full"
    # How many outlets quoted these words (each outlet's cut of them counts).
    outlets: int = 1


@dataclass(frozen=True)
class Story:
    """Articles telling one story, from one outlet or several, or updates of it."""

    key: int
    headline: str
    summary: tuple[str, ...]
    quote: BriefingQuote | None
    sources: tuple[Source, ...]
    story_ids: tuple[int, ...]
    article_count: int
    published_at: datetime
    score: float
    status: str = ""  # "new" or "updated" (sent before, grown since) when composed for a chat
    quotes: tuple[BriefingQuote, ...] = ()
    # How many outlets reported it (the store counts every article of the story, not only those given).
    outlet_count: int = 1
    # The outlet of each summary sentence; and every sentence of the story's summary from all its
    # articles, (text, outlet), from which "what's new" picks for a chat that saw the story before.
    summary_outlets: tuple[str, ...] = ()
    told: tuple[tuple[str, str], ...] = ()
    # True when the summary holds only what is new since the chat last saw the story.
    news_only: bool = False


@dataclass(frozen=True)
class Briefing:
    """What `/syria` answers and what the morning push sends."""

    title: str
    since: datetime
    until: datetime
    stories: tuple[Story, ...]
    quotes: tuple[BriefingQuote, ...] = ()
    widened_from: timedelta | None = None
    unchanged: int = 0
    topic: str | None = None
    personal: bool = False
    story_sizes: Mapping[int, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.stories


@dataclass
class _Group:
    articles: list[Any] = field(default_factory=list)
    story_ids: set[int] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)


def compose_briefing(
    articles: Iterable[BriefingArticle],
    *,
    title: str,
    now: datetime,
    since: datetime,
    topic: str | None = None,
    topic_terms: Sequence[str] = (),
    seen: Mapping[int, int] | None = None,
    shown: Mapping[int, Sequence[str]] | None = None,
    story_sizes: Mapping[int, int] | None = None,
    widened_from: timedelta | None = None,
    max_stories: int = 20,
    summary_sentences: int = 3,
    digest_size: int = 5,
    language: str = "english",
) -> Briefing:
    """Group, rank and describe the stories of `articles`.

    `seen` maps story ids a chat was sent before to their article counts then:
    with it, unchanged stories are left out, new ones come first and grown ones
    are marked "updated". `shown` maps story ids to the summary sentences the chat
    was shown then: a grown story tells only what is new since (or is left out
    when nothing is). `story_sizes` gives each story id's article count now
    (the store's cluster size); by default the articles given are counted.
    """
    groups = _group(list(articles), language)
    stories = [_story(group, now, topic_terms, summary_sentences, story_sizes) for group in groups]
    stories.sort(key=lambda story: (-story.score, -story.published_at.timestamp(), story.key))
    briefing = Briefing(
        title=title,
        since=since,
        until=now,
        stories=tuple(stories),
        widened_from=widened_from,
        topic=topic,
        story_sizes=dict(story_sizes or {}),
    )
    if seen is not None:
        return personalize(briefing, seen, shown=shown, max_stories=max_stories, digest_size=digest_size)
    return _finish(briefing, max_stories, digest_size)


def personalize(
    briefing: Briefing,
    seen: Mapping[int, int],
    *,
    shown: Mapping[int, Sequence[str]] | None = None,
    max_stories: int = 20,
    digest_size: int = 5,
) -> Briefing:
    """A composed briefing for one chat: new stories first, grown ones marked, unchanged ones left out.

    The morning push composes a topic once and personalises it per subscriber,
    which costs a pass over the stories, not a new composition.
    """
    stories, unchanged = _since_last_time(list(briefing.stories), seen, shown or {})
    personal = replace(briefing, stories=tuple(stories), unchanged=unchanged, personal=True)
    return _finish(personal, max_stories, digest_size)


def _finish(briefing: Briefing, max_stories: int, digest_size: int) -> Briefing:
    stories = briefing.stories[:max_stories]
    return replace(briefing, stories=stories, quotes=_digest(stories, digest_size))


def _group(articles: list[Any], language: str) -> list[_Group]:
    """One group per story: the store's clusters first, then headlines that tell the same story."""
    stops = stop_words(language)
    by_story: dict[Any, _Group] = {}
    seen_ids: set[int] = set()
    for article in articles:
        if article.id in seen_ids:
            continue
        seen_ids.add(article.id)
        key = article.story_id if article.story_id is not None else f"article:{article.id}"
        group = by_story.setdefault(key, _Group())
        group.articles.append(article)
        if article.story_id is not None:
            group.story_ids.add(article.story_id)
        group.terms |= _terms(" ".join([article.title, *article.summary[:2]]), stops)
    groups = list(by_story.values())
    # Union the groups whose words overlap enough (updates of one story under new headlines).
    parent = list(range(len(groups)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for left in range(len(groups)):
        for right in range(left + 1, len(groups)):
            if _jaccard(groups[left].terms, groups[right].terms) >= SAME_STORY:
                parent[root(right)] = root(left)
    merged: dict[int, _Group] = {}
    for index, group in enumerate(groups):
        target = merged.setdefault(root(index), _Group())
        target.articles.extend(group.articles)
        target.story_ids |= group.story_ids
        target.terms |= group.terms
    return list(merged.values())


def _story(
    group: _Group,
    now: datetime,
    topic_terms: Sequence[str],
    summary_sentences: int,
    story_sizes: Mapping[int, int] | None,
) -> Story:
    # The newest article leads: it tells the story as it stands now; the rest are "also reported by".
    articles = sorted(group.articles, key=lambda a: (-a.published_at.timestamp(), -a.score, a.id))
    lead = articles[0]
    newest = max(article.published_at for article in articles)
    outlets = {(article.source or _host(article.url)).casefold() for article in articles}
    relevance = max(max(article.score for article in articles), 0.05)
    age = max((now - newest).total_seconds(), 0.0)
    recency = 0.5 ** (age / HALF_LIFE.total_seconds())
    # The store counts the outlets of every article of the story, not only of those given here.
    outlet_count = max([len(outlets), *(getattr(article, "story_outlets", 1) for article in articles)])
    # More outlets carrying a story raise it, but never above a fresher, more relevant one by much.
    spread = 1.0 + 0.5 * math.log2(outlet_count)
    key = min(group.story_ids) if group.story_ids else -lead.id
    sources = tuple(
        Source(article.source or _host(article.url) or UNNAMED_SOURCE, article.url, article.title, article.id)
        for article in _one_per_outlet(articles)
    )
    quotes = _story_quotes(articles, key, topic_terms)
    told = _story_summary(articles)
    if told:
        summary, summary_outlets = tuple(text for text, _ in told[:summary_sentences]), tuple(o for _, o in told[:summary_sentences])
    else:
        summary = tuple(lead.summary[:summary_sentences])
        summary_outlets = tuple(lead.source or _host(lead.url) for _ in summary)
    # The story's quote is not a sentence its summary already shows just above it: in the briefing
    # (the first sentences) or under "More on this story" (every sentence the story's summary has).
    shown = (*summary, *(text for text, _ in told))
    quotes = [quote for quote in quotes if not any(_quotes_sentence(quote.text, sentence) for sentence in shown)]
    if story_sizes is not None and group.story_ids:
        count = sum(story_sizes.get(story_id, 0) for story_id in group.story_ids) or len(articles)
    else:
        count = len(articles)
    return Story(
        key=key,
        headline=lead.title.strip() or (lead.summary[0] if lead.summary else "Untitled"),
        summary=summary,
        quote=quotes[0] if quotes else None,
        sources=sources,
        story_ids=tuple(sorted(group.story_ids)),
        article_count=count,
        published_at=newest,
        score=relevance * recency * spread,
        quotes=tuple(quotes),
        outlet_count=outlet_count,
        summary_outlets=summary_outlets,
        told=told,
    )


def _quotes_sentence(quotation: str, sentence: str) -> bool:
    """True when a summary sentence holds the quotation's words: showing both would say it twice."""
    said = _SPACE.sub(" ", quotation).strip(" .,").casefold()
    return bool(said) and (said in _SPACE.sub(" ", sentence).casefold() or same_words(quotation, sentence))


def _story_summary(articles: Sequence[Any]) -> tuple[tuple[str, str], ...]:
    """The story's summary from all its articles, as the store made it at ingest: (sentence, outlet) pairs."""
    for article in articles:
        stored = getattr(article, "story_summary", ())
        if stored:
            return tuple((str(item["text"]), str(item.get("outlet", ""))) for item in stored if item.get("text"))
    return ()


def _story_quotes(articles: Sequence[Any], key: int, topic_terms: Sequence[str]) -> list[BriefingQuote]:
    """A story's quotations, best first, each set of words once however many outlets carry it."""
    by_id = {article.id: article for article in articles}
    pool = [_as_quote(quote, article.id) for article in articles for quote in article.quotes]
    pool = [quote for quote in pool if quote is not None]
    story_terms = " ".join(f"{article.title} {' '.join(article.summary)}" for article in articles[:3])
    ranked = key_quotes(pool, topic_terms=topic_terms, limit=QUOTES_PER_STORY, story_terms=story_terms)
    chosen = []
    for quote in ranked:
        if int(quote.source or 0) not in by_id:
            continue
        copies = [other for other in pool if same_words(quote.text, other.text)] or [quote]
        outlets = {(by_id[int(other.source or 0)].source or _host(by_id[int(other.source or 0)].url)).casefold() for other in copies}
        speaker = _most_given_speaker(quote, copies)
        chosen.append(replace(_briefing_quote(speaker, by_id[int(quote.source or 0)], key), outlets=max(len(outlets), 1)))
    return chosen


def _most_given_speaker(quote: Quote, copies: Sequence[Quote]) -> Quote:
    """The quote as most outlets attribute it: when outlets disagree about who said the words, the majority wins."""
    counts: dict[str, int] = {}
    for copy in copies:
        name = person_key(copy)
        if name:
            counts[name] = counts.get(name, 0) + 1
    if not counts or counts.get(person_key(quote), 0) == max(counts.values()):
        return quote
    best = max(counts, key=lambda name: (counts[name], name))
    given = max((copy for copy in copies if person_key(copy) == best), key=lambda copy: len(copy.speaker_full or copy.speaker or ""))
    return replace(quote, speaker=given.speaker, speaker_full=given.speaker_full, speaker_name=given.speaker_name, role=given.role)


def _as_quote(quote: Any, article_id: int) -> Quote | None:
    """A stored quotation as the quote ranking takes it; `source` carries its article's id."""
    kind = getattr(quote, "kind", "full")
    if kind not in QUOTABLE_KINDS or not getattr(quote, "speaker", None) or not getattr(quote, "text", "").strip():
        return None
    return Quote(
        text=_SPACE.sub(" ", quote.text).strip(),
        speaker=quote.speaker,
        speaker_full=getattr(quote, "speaker_full", None) or None,
        speaker_name=getattr(quote, "speaker_name", None) or None,
        role=getattr(quote, "role", None) or None,
        cue=getattr(quote, "cue", None) or None,
        start=int(getattr(quote, "start", 0) or 0),
        end=int(getattr(quote, "end", 0) or 0),
        kind=kind,
        score=float(getattr(quote, "score", 0.0) or 0.0),
        key=bool(getattr(quote, "key", False)),
        source=str(article_id),
    )


def _briefing_quote(quote: Quote, article: Any, key: int) -> BriefingQuote:
    return BriefingQuote(
        text=quote.text,
        speaker=quote.speaker_full or quote.speaker or "",
        speaker_name=quote.speaker_name or quote.speaker or "",
        source=article.source or _host(article.url),
        url=article.url,
        story_key=key,
        kind=quote.kind,
    )


def _digest(stories: Sequence[Story], size: int) -> tuple[BriefingQuote, ...]:
    """Key quotes across stories, none of them already shown under its story, none twice."""
    shown = [story.quote for story in stories if story.quote is not None]
    chosen: list[BriefingQuote] = []
    # Round-robin over stories in rank order, so one talkative story cannot fill the digest.
    for depth in range(1, QUOTES_PER_STORY):
        for story in stories:
            if len(chosen) == size:
                return tuple(chosen)
            if depth < len(story.quotes):
                quote = story.quotes[depth]
                if _says_enough(quote) and not any(same_words(quote.text, other.text) for other in [*shown, *chosen]):
                    chosen.append(quote)
    return tuple(chosen)


def _says_enough(quote: BriefingQuote) -> bool:
    """A digest line must stand alone: a full quotation, or a partial one long enough to say something."""
    return quote.kind == "full" or len(words(quote.text)) >= DIGEST_PARTIAL_WORDS


def _since_last_time(
    stories: list[Story], seen: Mapping[int, int], shown: Mapping[int, Sequence[str]]
) -> tuple[list[Story], int]:
    fresh: list[Story] = []
    grown: list[Story] = []
    unchanged = 0
    for story in stories:
        before = [seen[story_id] for story_id in story.story_ids if story_id in seen]
        if not before and story.key not in seen:
            fresh.append(_with_status(story, "new"))
        elif story.article_count > sum(before):
            told_before = [text for story_id in story.story_ids for text in shown.get(story_id, ())]
            news = _news(story, told_before) if told_before else story
            if news is None:
                unchanged += 1
            else:
                grown.append(_with_status(news, "updated"))
        else:
            unchanged += 1
    return fresh + grown, unchanged


def told_to_chat(story: Story, before: Sequence[str] = ()) -> tuple[str, ...]:
    """What a chat has been shown of a story once this briefing is sent: what it had before, then this summary."""
    kept = [*before, *(sentence for sentence in story.summary if sentence not in before)]
    return tuple(kept[-SHOWN_SENTENCES:])


def _news(story: Story, told_before: Sequence[str]) -> Story | None:
    """A grown story as it reads for a chat that was told `told_before`: only its new sentences, None when nothing is."""
    pool = story.told or tuple(zip(story.summary, story.summary_outlets or ("",) * len(story.summary)))
    sentences = [StorySentence(text, 0, outlet, story.published_at) for text, outlet in pool]
    novel = new_since(sentences, told_before)[: max(len(story.summary), 1)]
    if not novel:
        return None
    return replace(
        story,
        summary=tuple(sentence.text for sentence in novel),
        summary_outlets=tuple(sentence.outlet for sentence in novel),
        news_only=True,
    )


def _with_status(story: Story, status: str) -> Story:
    return replace(story, status=status)


def _one_per_outlet(articles: Sequence[Any]) -> list[Any]:
    chosen: list[Any] = []
    outlets: set[str] = set()
    for article in articles:
        outlet = (article.source or _host(article.url) or f"#{article.id}").casefold()
        if outlet in outlets:
            continue
        outlets.add(outlet)
        chosen.append(article)
    return chosen


def _host(url: str | None) -> str:
    if not url:
        return ""
    match = re.match(r"^[a-z][a-z0-9+.-]*://(?:www\.)?([^/:?#]+)", url, re.I)
    return match.group(1) if match else ""


def _terms(text: str, stops: frozenset[str]) -> set[str]:
    return {stem(word) for word in words(text) if word.lower() not in stops and len(word) > 2 and not word.isdigit()}


def _jaccard(left: set[str], right: set[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)
