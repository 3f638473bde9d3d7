"""The real bot against the loopback Bot API server, over a real SQLite store with the demo articles."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from bot.ingest.pipeline import load_demo
from bot.ratelimit import SendLimits, TelegramRateLimiter
from bot.store import Store, open_store
from bot.topics import load_topics
from handlers.push import push_tick
from telegram_loopback import BotApiServer, Message

# The demo articles are dated relative to this instant; the bot's clock stands still at it.
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


async def replies(server: BotApiServer, chat_id: int, after: int | None, count: int = 1, settle: float = 0.4) -> list[Message]:
    """The bot's new messages in a chat: at least `count`, then whatever follows until it goes quiet."""
    found = await server.wait_for_messages_async(chat_id, count, 10.0, after=after)
    while True:
        await asyncio.sleep(settle)
        more = server.messages(chat_id)
        more = [message for message in more if after is None or message.message_id > after]
        if len(more) == len(found):
            return more
        found = more


@dataclass
class Chat:
    """A user's private chat with the bot, driven from a test."""

    server: BotApiServer
    chat_id: int

    def _last(self) -> int | None:
        last = self.server.last_message(self.chat_id)
        return last.message_id if last else None

    async def command(self, command: str, args: str = "", *, count: int = 1) -> list[Message]:
        """Send /command args; the bot's answer, every message of it (at least `count`: a slow answer's last part)."""
        after = self._last()
        self.server.send_command(self.chat_id, command, args)
        return await replies(self.server, self.chat_id, after, count)

    async def say(self, text: str) -> list[Message]:
        after = self._last()
        self.server.send_text(self.chat_id, text)
        return await replies(self.server, self.chat_id, after)

    async def press(self, message: Message, button: str) -> list[Message]:
        """Press a button under a message; the messages it brings."""
        after = self._last()
        self.server.press_button(self.chat_id, message.message_id, button)
        return await replies(self.server, self.chat_id, after)

    async def press_silently(self, message: Message, button: str, *, stale: bool = False) -> str:
        """Press a button that answers only with a notice (`stale`: callback data no button carries now)."""
        query = self.server.press_button(self.chat_id, message.message_id, button, check=not stale)
        answer = await asyncio.to_thread(self.server.wait_for_callback_answer, query, 10.0)
        return answer.text or ""


@dataclass
class Clock:
    """The bot's clock, which a test moves."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def set(self, instant: datetime) -> None:
        self.now = instant


@dataclass
class LiveBot:
    server: BotApiServer
    application: Application
    store: Store
    clock: Clock

    def chat(self, first_name: str = "Ada") -> Chat:
        user = self.server.add_user(first_name)
        return Chat(self.server, user.id)

    async def tick(self) -> None:
        """One run of the push job, as the JobQueue runs it every minute."""
        # The context the JobQueue would make: the Application's own context type.
        await push_tick(self.application.context_types.context(self.application))


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(
        telegram_bot_token="unused",
        database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        _env_file=None,  # type: ignore[call-arg]
        **values,
    )


@asynccontextmanager
async def live_bot(
    tmp_path: Path,
    *,
    demo: bool = True,
    store: Store | None = None,
    limits: bool = False,
    polling: bool = True,
    inline_mode: bool = False,
    **values: object,
) -> AsyncIterator[LiveBot]:
    """Start the server and the bot (long polling unless told not to); stop both afterwards.

    `inline_mode`: switched on (@BotFather /setinline) before the bot starts, so its getMe says so."""
    config = settings(tmp_path, **values)
    topics = load_topics()
    own_store = store is None
    store = store or open_store(config.database_url)
    if demo:
        load_demo(store, topics, now=NOW)
    clock = Clock()
    with BotApiServer(limits=limits) as server:
        if inline_mode:
            server.enable_inline_mode("Search news…")
        # The real limiter, with Telegram's periods 20 times shorter so a test need not wait a second per message.
        limiter = TelegramRateLimiter(SendLimits().scaled(20))
        application = build_application(
            config, store=store, topics=topics, base_url=server.base_url, token=server.token, clock=clock, jobs_enabled=False,
            rate_limiter=limiter,
        )
        async with application:
            # run_polling() calls post_init/post_shutdown; a test starting the parts itself calls them too.
            await application.post_init(application)
            await application.start()
            if polling:
                await application.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                yield LiveBot(server, application, store, clock)
            finally:
                if application.updater.running:
                    await application.updater.stop()
                await application.stop()
                await application.post_shutdown(application)
        assert not server.internal_errors, server.internal_errors
    if own_store:
        store.close()
