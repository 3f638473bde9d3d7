from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, time

from bot.store import deliveries, open_store, subscribe, update_subscriber
from tests.handlers.harness import live_bot

MORNING = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


class Lock:
    """Another process holding the SQLite file's write lock."""

    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path, timeout=0, check_same_thread=False, isolation_level=None)

    def take(self) -> None:
        self.connection.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.close()


async def test_a_store_unavailable_at_push_time_postpones_the_push(tmp_path, caplog):
    path = tmp_path / "outage.sqlite3"
    store = open_store(f"sqlite:///{path}", busy_timeout=0.2)
    async with live_bot(tmp_path, store=store) as bot:
        chat = bot.chat()
        subscribe(bot.store, chat.chat_id, "syria", now=datetime(2026, 11, 1, tzinfo=UTC))
        update_subscriber(bot.store, chat.chat_id, briefing_time=time(10, 0))
        lock = Lock(str(path))
        lock.take()
        bot.clock.set(MORNING)
        await bot.tick()
        during = bot.server.messages(chat.chat_id)
        lock.release()
        await bot.tick()
        after = bot.server.messages(chat.chat_id)
        [delivery] = deliveries(bot.store, chat_id=chat.chat_id, local_date=MORNING.date())
    store.close()
    assert during == []
    assert "push postponed, the store is unavailable" in caplog.text
    assert [message.text.split("\n")[0] for message in after] == ["Syria · 2 stories from the last 24 hours"]
    assert delivery.status == "sent" and list(delivery.message_ids) == [after[0].message_id]


async def test_a_store_outage_in_the_middle_of_a_push_neither_repeats_nor_loses(tmp_path):
    path = tmp_path / "outage.sqlite3"
    store = open_store(f"sqlite:///{path}", busy_timeout=0.2)
    async with live_bot(tmp_path, store=store) as bot:
        chat = bot.chat()
        subscribe(bot.store, chat.chat_id, "syria", now=datetime(2026, 11, 1, tzinfo=UTC))
        subscribe(bot.store, chat.chat_id, "economy", now=datetime(2026, 11, 1, tzinfo=UTC))
        update_subscriber(bot.store, chat.chat_id, briefing_time=time(10, 0))
        lock = Lock(str(path))
        taken = threading.Event()

        def on_first_message(event) -> None:
            # The store goes away right after Telegram took the first message, for a second.
            if event.kind == "message" and event.chat_id == chat.chat_id and not taken.is_set():
                taken.set()
                lock.take()
                threading.Timer(1.0, lock.release).start()

        bot.server.on_event(on_first_message)
        bot.clock.set(MORNING)
        await bot.tick()
        sent = bot.server.messages(chat.chat_id)
        [delivery] = deliveries(bot.store, chat_id=chat.chat_id, local_date=MORNING.date())
    store.close()
    assert taken.is_set()
    assert [message.text.split("\n")[0] for message in sent] == [
        "Economy · 1 story from the last 24 hours",
        "Syria · 2 stories from the last 24 hours",
    ]
    assert delivery.status == "sent"
    assert list(delivery.message_ids) == [message.message_id for message in sent]
