"""What every handler and job reaches through its context: the store, the topics, the settings, the clock.

python-telegram-bot's `contexttypesbot.py` shape: the Application is built with
`ContextTypes(context=BotContext)`, so a handler reads `context.services.store`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.config import Settings
from bot.metrics import BotMetrics
from bot.store import Store, get_subscriber
from bot.topics import Topics
from handlers.translations import Translator, language_for, translator

SERVICES = "services"
ARGUMENT_CHARS = 200

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Shutdown:
    """The bot's stop as the push sees it: whether one was asked for, and the push runs it waits for."""

    requested: asyncio.Event = field(default_factory=asyncio.Event)
    runs: set[asyncio.Task[Any]] = field(default_factory=set)

    @contextmanager
    def running(self) -> Iterator[None]:
        """Count the current task as a push run until the block ends."""
        task = asyncio.current_task()
        if task is not None:
            self.runs.add(task)
        try:
            yield
        finally:
            self.runs.discard(task)  # type: ignore[arg-type]

    async def finish(self, timeout: float) -> int:
        """Ask the runs to stop and wait up to `timeout` seconds for them; the runs cancelled after that."""
        self.requested.set()
        runs = {run for run in self.runs if not run.done()}
        if not runs:
            return 0
        log.info("stopping: waiting up to %g s for the push in flight to record what it sent", timeout)
        _, late = await asyncio.wait(runs, timeout=timeout)
        for run in late:
            run.cancel()
        if late:
            log.warning("stopping: the push did not finish within %g s; its unrecorded deliveries are retaken after the claim lease", timeout)
            await asyncio.wait(late, timeout=1)
        return len(late)


@dataclass
class Services:
    """The bot's long-lived parts, opened in post_init and closed in post_shutdown."""

    store: Store
    topics: Topics
    settings: Settings
    clock: Callable[[], datetime] = utc_now
    # The Application's metrics (its own Prometheus registry), recorded by the jobs and the timing handlers.
    metrics: BotMetrics = field(default_factory=BotMetrics)
    # Ad-hoc /brief queries by short key, so a button's callback data stays under 64 bytes.
    queries: dict[str, str] = field(default_factory=dict)
    shutdown: Shutdown = field(default_factory=Shutdown)
    # Telegram's file id of each story picture uploaded, by image URL, oldest first (handlers/pictures.py bounds it).
    picture_ids: OrderedDict[str, str] = field(default_factory=OrderedDict)
    # Inline answers by normalised query: (when made, monotonic seconds; the results), oldest first (handlers/inline.py).
    inline_answers: OrderedDict[str, tuple[float, Any]] = field(default_factory=OrderedDict)

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


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The context of every handler and job: python-telegram-bot's, with the bot's services."""

    # When handling of this update began (time.perf_counter()), set by handlers/timing.py; one context serves an update's handlers.
    handling_started: float | None = None
    # The update's chat and the language of its user's Telegram app, noted when the context is made for an update.
    update_chat_id: int | None = None
    update_user_language: str | None = None
    _translator: Translator | None = None

    @classmethod
    def from_update(cls, update: object, application: Any) -> BotContext:
        """python-telegram-bot's context for an update, noting whose language the replies are in."""
        context = super().from_update(update, application)
        if isinstance(update, Update):
            context.update_chat_id = update.effective_chat.id if update.effective_chat is not None else None
            user = update.effective_user
            context.update_user_language = user.language_code if user is not None else None
        return context  # type: ignore[return-value]

    @property
    def translator(self) -> Translator:
        """This update's language: the chat's choice (/language), else its user's Telegram language, else English."""
        if self._translator is None:
            chosen = None
            if self.update_chat_id is not None:
                subscriber = get_subscriber(self.services.store, self.update_chat_id)
                chosen = subscriber.language if subscriber is not None else None
            self._translator = translator(language_for(chosen, self.update_user_language))
        return self._translator

    def use_language(self, code: str) -> Translator:
        """Answer the rest of this update in `code` (the chat has just chosen it)."""
        self._translator = translator(code)
        return self._translator

    @property
    def services(self) -> Services:
        """The services of the running Application (put in bot_data by post_init)."""
        return self.bot_data[SERVICES]

    @property
    def argument_text(self) -> str:
        """The words after the command, trimmed to a sane length."""
        return " ".join(self.args or [])[:ARGUMENT_CHARS].strip()


CONTEXT_TYPES = ContextTypes(context=BotContext)
