"""What handlers reach through `context.bot_data`: the store, the topics, the settings, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.config import Settings
from bot.store import Store, Subscriber, ensure_subscriber
from bot.topics import Topics

SERVICES = "services"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """The bot's long-lived parts, opened in post_init and closed in post_shutdown."""

    store: Store
    topics: Topics
    settings: Settings
    clock: Callable[[], datetime] = utc_now
    # Ad-hoc /brief queries by short key, so a button's callback data stays under 64 bytes.
    queries: dict[str, str] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock()

    def remember_query(self, query: str) -> str:
        """A short key for a query, stable for the same words."""
        for key, known in self.queries.items():
            if known == query:
                return key
        key = f"?{len(self.queries) + 1}"
        self.queries[key] = query
        if len(self.queries) > 10_000:
            self.queries.pop(next(iter(self.queries)))
        return key


def services(context: Any) -> Services:
    """The services of the running Application."""
    return context.bot_data[SERVICES]


def ensure_chat(found: Services, chat: Any) -> Subscriber:
    """The chat's row, created with the default time and zone when new (/stop deletes it)."""
    return ensure_subscriber(
        found.store,
        chat.id,
        chat_type=getattr(chat, "type", None) or "private",
        title=(getattr(chat, "title", None) or getattr(chat, "username", None) or "")[:200],
        timezone=found.settings.default_timezone,
        briefing_time=found.settings.default_briefing_time,
        now=found.now(),
    )
