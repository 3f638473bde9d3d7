"""User words to full-text queries: every word a plain term, never an operator."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import bindparam, func, literal_column

# Letters and digits only: quotes, *, -, ^, :, parentheses and the like are never passed on.
_TERM = re.compile(r"[^\W_]+")
MAX_TERMS = 16


def search_terms(query: str, limit: int | None = MAX_TERMS) -> list[str]:
    """The words of a user's query, in order, without repeats, at most `limit` (None: all of them)."""
    terms: list[str] = []
    for term in _TERM.findall(query.casefold()):
        if term not in terms:
            terms.append(term)
    return terms[:limit]


def fts5_query(terms: list[str], any_term: bool = False) -> str:
    """An FTS5 MATCH expression in which each term is a quoted string (so NEAR, OR, AND, NOT are words)."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    return (" OR " if any_term else " ").join(quoted)


def postgres_tsquery(terms: list[str], any_term: bool = False) -> Any:
    """The PostgreSQL tsquery of the terms: each a plainto_tsquery (so no operator passes), joined by & or |."""
    query = None
    for index, term in enumerate(terms):
        part = func.plainto_tsquery(literal_column("'english'::regconfig"), bindparam(f"term{index}", term))
        query = part if query is None else query.op("||" if any_term else "&&")(part)
    return query
