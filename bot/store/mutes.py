"""Chat mutes: the words, phrases and stories a chat leaves out of its briefings (matched by bot/mutes.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from bot.store.engine import Store, dialect_insert, transaction, utc_now
from bot.store.models import ChatMute


@dataclass(frozen=True)
class Mute:
    """One thing a chat muted: words (key = the words as matched) or a story (key '#<id>', story_id set)."""

    id: int
    chat_id: int
    key: str
    label: str
    story_id: int | None
    created_at: datetime


class TooManyMutes(Exception):
    """The chat has as many mutes of this kind as it may have."""


def _mute(record: ChatMute) -> Mute:
    return Mute(record.id, record.chat_id, record.key, record.label, record.story_id, record.created_at)


def add_mute(
    store: Store, chat_id: int, key: str, label: str, *, story_id: int | None = None, limit: int, now: datetime | None = None
) -> bool:
    """Mute words (or a story) for a chat that has a subscriber row; False when it was muted already.

    `limit` counts the chat's mutes of the same kind (words, or stories): TooManyMutes beyond it.
    """
    with transaction(store) as session:
        kind = ChatMute.story_id.is_not(None) if story_id is not None else ChatMute.story_id.is_(None)
        count = session.scalar(select(func.count()).where(ChatMute.chat_id == chat_id, kind)) or 0
        if count >= limit:
            exists = session.scalar(select(ChatMute.id).where(ChatMute.chat_id == chat_id, ChatMute.key == key))
            if exists is None:
                raise TooManyMutes(f"chat {chat_id} has {count} mutes, the most it may have")
        result = session.execute(
            dialect_insert(session)(ChatMute)
            .values(chat_id=chat_id, key=key, label=label[:300], story_id=story_id, created_at=now or utc_now())
            .on_conflict_do_nothing(index_elements=["chat_id", "key"])
            .returning(ChatMute.id)
        )
        return result.first() is not None


def remove_mute(store: Store, chat_id: int, mute_id: int) -> Mute | None:
    """Take one of a chat's mutes away; what it was, None when it was not there."""
    with transaction(store) as session:
        record = session.scalars(select(ChatMute).where(ChatMute.chat_id == chat_id, ChatMute.id == mute_id)).first()
        if record is None:
            return None
        removed = _mute(record)
        session.delete(record)
        return removed


def remove_story_mutes(store: Store, chat_id: int) -> int:
    """Show every story a chat hid again; how many there were."""
    with transaction(store) as session:
        result = session.execute(delete(ChatMute).where(ChatMute.chat_id == chat_id, ChatMute.story_id.is_not(None)))
        return int(result.rowcount or 0)


def chat_mutes(store: Store, chat_id: int) -> list[Mute]:
    """A chat's mutes, oldest first."""
    with transaction(store, write=False) as session:
        query = select(ChatMute).where(ChatMute.chat_id == chat_id).order_by(ChatMute.id)
        return [_mute(record) for record in session.scalars(query)]


def mutes_of_chats(store: Store, chat_ids: Iterable[int]) -> dict[int, list[str]]:
    """The mute keys of each of these chats that has any, in one query."""
    wanted = sorted(set(chat_ids))
    found: dict[int, list[str]] = {}
    if not wanted:
        return found
    with transaction(store, write=False) as session:
        for start in range(0, len(wanted), 500):
            query = select(ChatMute.chat_id, ChatMute.key).where(ChatMute.chat_id.in_(wanted[start : start + 500]))
            for chat_id, key in session.execute(query):
                found.setdefault(chat_id, []).append(key)
    return found
