"""An article read, made ready for the store: analysed once, its topics scored, its near-copy signature made."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from bot.ingest.read import IncomingArticle, url_key
from bot.signatures import content_hash, signature
from bot.store import NewArticle
from bot.topics import Topics, TokenizedText
from summaries.analysis import analyze
from summaries.article import Analysis, Article
from summaries.language import detect_language
from summaries.stories import article_terms

SUMMARY_SENTENCES = 3
ALGORITHM = "news"


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


def article_max_chars() -> int:
    """The longest article text analysed (ARTICLE_MAX_CHARS)."""
    from bot.config import get_settings

    return get_settings().article_max_chars


def too_long(incoming: IncomingArticle, max_chars: int | None = None) -> str | None:
    """Why an article is refused before analysis for its length (ARTICLE_MAX_CHARS), None when it is not."""
    limit = max_chars or article_max_chars()
    if len(incoming.text) <= limit:
        return None
    return f"too long: {len(incoming.text):,} characters, the limit is {limit:,} (ARTICLE_MAX_CHARS)"


def prepare(incoming: IncomingArticle, topics: Topics, *, now: datetime | None = None) -> NewArticle:
    """Analyse an article once (summary, quotes, topics, near-duplicate signature) for the store."""
    return new_article(analyse(incoming, now), topics)


# C0 controls but tab and newline, and DEL: PostgreSQL refuses NUL in text, and none of them is text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TEXT_FIELDS = ("title", "text", "origin", "url", "source", "author", "language", "image_url")


def without_controls(incoming: IncomingArticle) -> IncomingArticle:
    """The article with NUL and the other control characters but tab and newline out of every text field (CR becomes a newline)."""
    changes: dict[str, str] = {}
    for name in _TEXT_FIELDS:
        value = getattr(incoming, name)
        if value and _CONTROLS.search(value):
            changes[name] = _CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return replace(incoming, **changes) if changes else incoming


@dataclass(frozen=True)
class Analysed:
    """An article read and analysed, waiting for its topics, signature and storage."""

    incoming: IncomingArticle
    analysis: Analysis
    language: str
    fetched_at: datetime


def analyse(incoming: IncomingArticle, now: datetime | None = None) -> Analysed:
    """The text layer's analysis of an article (summary, quotes, cleaned text), made once."""
    incoming = without_controls(incoming)
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
        story_terms=article_terms(
            incoming.title, cleaned, sentences=[sentence.text for sentence in analysis.sentences], language=analysed.language
        ),
        algorithm=ALGORITHM,
        image_url=incoming.image_url,
    )


