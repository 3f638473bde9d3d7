"""User queries to full-text queries: words, phrases and exclusions (bot/query.py), never user text as an operator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, literal_column

from bot.query import Query

# The most words, phrases, excluded words and excluded phrases a search runs (each).
MAX_TERMS = 16


def _fts5_string(terms: Sequence[str]) -> str:
    """One FTS5 string (a word, or a phrase of adjacent words): quoted, its double quotes doubled."""
    return '"' + " ".join(term.replace('"', '""') for term in terms) + '"'


def fts5_match(query: Query, any_word: bool = False) -> str:
    """The FTS5 MATCH expression of a parsed query: phrases as "a b", exclusions with NOT, every part a quoted string.

    `any_word`: the plain words are alternatives (OR); phrases and exclusions still hold.
    A query of plain words only is the words quoted, side by side (AND) or joined by OR.
    """
    words = [_fts5_string([word]) for word in query.words]
    phrases = [_fts5_string(phrase) for phrase in query.phrases]
    if any_word and len(words) > 1:
        words = [" OR ".join(words) if not phrases else "(" + " OR ".join(words) + ")"]
    found = " AND ".join(words + phrases) if phrases else " ".join(words)
    excluded = [_fts5_string([word]) for word in query.excluded_words] + [_fts5_string(p) for p in query.excluded_phrases]
    if not excluded:
        return found
    return f"({found}) NOT ({' OR '.join(excluded)})"


def postgres_match(query: Query, any_word: bool = False) -> Any:
    """The PostgreSQL tsquery of a parsed query: words by plainto_tsquery, phrases by phraseto_tsquery (<->, <N> over
    stop words), exclusions by tsquery_not (!!); every part a bound parameter, so no operator passes."""
    english = literal_column("'english'::regconfig")
    words = [func.plainto_tsquery(english, bindparam(f"word{n}", word)) for n, word in enumerate(query.words)]
    phrases = [func.phraseto_tsquery(english, bindparam(f"phrase{n}", " ".join(p))) for n, p in enumerate(query.phrases)]
    excluded = [
        func.phraseto_tsquery(english, bindparam(f"not{n}", " ".join(terms)))
        for n, terms in enumerate([(word,) for word in query.excluded_words] + list(query.excluded_phrases))
    ]
    combined = _joined(words, "||" if any_word else "&&")
    for part in phrases:
        combined = part if combined is None else combined.op("&&")(part)
    for part in excluded:
        assert combined is not None, "a query of exclusions only is never searched"
        combined = combined.op("&&")(func.tsquery_not(part))
    return combined


def postgres_found(query: Query) -> Any:
    """The tsquery of what a query looks for, without its exclusions (empty when PostgreSQL drops every word)."""
    return postgres_match(Query(query.words, query.phrases))


def _joined(parts: list[Any], operator: str) -> Any:
    combined = None
    for part in parts:
        combined = part if combined is None else combined.op(operator)(part)
    return combined
