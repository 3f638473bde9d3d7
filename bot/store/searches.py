"""Saved searches: a chat's own words (`/subscribe grain exports`) pushed each morning like a topic.

The words are parsed by bot/searches.py; here they are kept: `key` is the
normalised query (bot/query.py: what the push composes once for every chat that
has it; searches saved before keys were normalised keep their words in the order
typed), `label` the words as the chat typed them (what /subscriptions shows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.store.engine import Store, dialect_insert, transaction, utc_now
from bot.store.models import ChatSearch


@dataclass(frozen=True)
class SavedSearch:
    """One of a chat's saved searches."""

    id: int
    chat_id: int
    key: str
    label: str
    created_at: datetime


class TooManySearches(Exception):
    """The chat has as many saved searches as it may have."""


def _saved(record: ChatSearch) -> SavedSearch:
    return SavedSearch(record.id, record.chat_id, record.key, record.label, record.created_at)


def add_search(store: Store, chat_id: int, key: str, label: str, *, limit: int, now: datetime | None = None) -> bool:
    """Save a search for a chat that has a subscriber row; False when it had this search already.

    TooManySearches when the chat has `limit` searches and this one is new.
    """
    with transaction(store) as session:
        count = session.scalar(select(func.count()).where(ChatSearch.chat_id == chat_id)) or 0
        if count >= limit:
            exists = session.scalar(select(ChatSearch.id).where(ChatSearch.chat_id == chat_id, ChatSearch.key == key))
            if exists is None:
                raise TooManySearches(f"chat {chat_id} has {count} saved searches, the most it may have")
        result = session.execute(
            dialect_insert(session)(ChatSearch)
            .values(chat_id=chat_id, key=key, label=label[:300], created_at=now or utc_now())
            .on_conflict_do_nothing(index_elements=["chat_id", "key"])
            .returning(ChatSearch.id)
        )
        return result.first() is not None


def remove_search(store: Store, chat_id: int, key: str) -> SavedSearch | None:
    """Take one of a chat's searches away by its key; what it was, None when the chat had no such search."""
    with transaction(store) as session:
        record = session.scalars(select(ChatSearch).where(ChatSearch.chat_id == chat_id, ChatSearch.key == key)).first()
        if record is None:
            return None
        removed = _saved(record)
        session.delete(record)
        return removed


def chat_searches(store: Store, chat_id: int) -> list[SavedSearch]:
    """A chat's saved searches, oldest first."""
    with transaction(store, write=False) as session:
        query = select(ChatSearch).where(ChatSearch.chat_id == chat_id).order_by(ChatSearch.id)
        return [_saved(record) for record in session.scalars(query)]


def searches_of_chats(store: Store, chat_ids: Iterable[int]) -> dict[int, list[str]]:
    """The search keys of each of these chats that has any, oldest first, in one query per 500 chats."""
    wanted = sorted(set(chat_ids))
    found: dict[int, list[str]] = {}
    with transaction(store, write=False) as session:
        for start in range(0, len(wanted), 500):
            query = (
                select(ChatSearch.chat_id, ChatSearch.key)
                .where(ChatSearch.chat_id.in_(wanted[start : start + 500]))
                .order_by(ChatSearch.chat_id, ChatSearch.id)
            )
            for chat_id, key in session.execute(query):
                found.setdefault(chat_id, []).append(key)
    return found


def search_label(store: Store, key: str) -> str | None:
    """How the chats saving this search wrote it most often (the earliest such wording on a tie); None if none does."""
    with transaction(store, write=False) as session:
        query = (
            select(ChatSearch.label)
            .where(ChatSearch.key == key)
            .group_by(ChatSearch.label)
            .order_by(func.count().desc(), func.min(ChatSearch.id))
            .limit(1)
        )
        return session.scalar(query) or None
