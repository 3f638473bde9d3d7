"""The push across processes: killed in the middle and restarted, and two processes sharing one push."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.ingest.pipeline import load_demo
from bot.store import Store, deliveries, open_store, subscribe
from bot.topics import load_topics
from telegram_loopback import BotApiServer
from tests.conftest import postgres_url

NEWSBRIEF = [sys.executable, "-m", "bot.cli"]


def subscribers(server: BotApiServer, store: Store, count: int, *topics: str) -> list[int]:
    """`count` readers, each subscribed to the topics."""
    chats = []
    for number in range(count):
        chat = server.add_user(f"Reader {number}").id
        for topic in topics:
            subscribe(store, chat, topic, now=datetime(2026, 1, 1, tzinfo=UTC))
        chats.append(chat)
    return chats


def push_process(server: BotApiServer, database_url: str, *extra: str, concurrency: int = 4) -> subprocess.Popen[str]:
    """`newsbrief push --now` in a process of its own, talking to the loopback server."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "DATABASE_URL": database_url,
        "PUSH_CONCURRENCY": str(concurrency),
        "PUSH_CLAIM_LEASE_SECONDS": "5",
    }
    return subprocess.Popen(
        [*NEWSBRIEF, "push", "--now", *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def finished(process: subprocess.Popen[str], timeout: float = 120) -> str:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output
    return output


def received(server: BotApiServer, chats: list[int]) -> dict[int, list[str]]:
    return {chat: [message.text or "" for message in server.messages(chat)] for chat in chats}


def assert_each_got_one_briefing(server: BotApiServer, chats: list[int]) -> None:
    seen = received(server, chats)
    first = seen[chats[0]]
    assert len(first) >= 2
    for chat, texts in seen.items():
        assert texts == first, f"chat {chat} got {len(texts)} messages, the first chat {len(first)}"
    assert all(count == 1 for count in Counter(first).values())


def wait_for_sends(server: BotApiServer, process: subprocess.Popen[str], count: int, *, failing: str, ok: bool | None = None) -> None:
    """Until the server has had `count` sendMessage calls (delivered ones when `ok`) while `process` still runs."""
    deadline = time.monotonic() + 60
    while len(server.calls("sendMessage", ok=ok)) < count:
        assert time.monotonic() < deadline and process.poll() is None, failing
        time.sleep(0.01)


def test_a_push_killed_in_the_middle_resumes_without_repeating_or_dropping(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'push.sqlite3'}"
    store = open_store(database_url)
    load_demo(store, load_topics())
    with BotApiServer() as server:
        chats = subscribers(server, store, 24, "syria", "economy")
        # Slow Telegram down so the push is caught in the middle.
        server.faults.delay_for(120, seconds=0.05, methods=["sendMessage"])
        first = push_process(server, database_url, concurrency=2)
        wait_for_sends(server, first, 15, ok=True, failing="the push ended before it could be interrupted")
        # From now on Telegram hangs and never delivers: whatever is in flight is lost, as in a crash.
        server.faults.clear()
        server.faults.delay_for(120, seconds=30, deliver=False, methods=["sendMessage"])
        time.sleep(0.5)
        first.send_signal(signal.SIGKILL)
        first.wait()
        server.faults.clear()
        partial = received(server, chats)
        time.sleep(5.5)  # the dead process's claims go stale
        finished(push_process(server, database_url))
        states = Counter(delivery.status for delivery in deliveries(store))
    store.close()
    assert 0 < sum(len(texts) for texts in partial.values()) < 48
    assert states == {"sent": 24}
    assert_each_got_one_briefing(server, chats)


@pytest.mark.postgres
def test_two_processes_share_one_push_and_every_chat_gets_it_once(postgres_schema):
    database_url = f"{postgres_url()}?options={quote(f'-csearch_path={postgres_schema}')}"
    from tests.conftest import _empty_postgres

    _empty_postgres(postgres_url(), postgres_schema)
    store = open_store(database_url, upgrade=False)
    load_demo(store, load_topics())
    with BotApiServer() as server:
        chats = subscribers(server, store, 40, "syria", "economy")
        server.faults.delay_for(120, seconds=0.02, methods=["sendMessage"])
        both = [push_process(server, database_url), push_process(server, database_url)]
        outputs = [finished(process) for process in both]
        states = Counter(delivery.status for delivery in deliveries(store))
        workers = Counter(delivery.claimed_by for delivery in deliveries(store))
    store.close()
    assert states == {"sent": 40}
    assert len(workers) == 2, f"one process did all the work: {workers}; {outputs}"
    assert_each_got_one_briefing(server, chats)


def run_process(server: BotApiServer, database_url: str, cwd: Path) -> subprocess.Popen[str]:
    """`newsbrief run` (the bot, with its minute push) in a process of its own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_"))}
    env.update(TELEGRAM_BOT_TOKEN=server.token, TELEGRAM_API_BASE_URL=server.base_url, DATABASE_URL=database_url, PUSH_CONCURRENCY="2")
    return subprocess.Popen(
        [*NEWSBRIEF, "run"], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def test_sigterm_in_the_middle_of_a_push_records_every_message_sent_and_a_restart_sends_the_rest_once(tmp_path):
    from bot.push_plan import LAST_PLANNED, plan_now
    from bot.store import active_subscribers, set_setting

    database_url = f"sqlite:///{tmp_path / 'run.sqlite3'}"
    store = open_store(database_url)
    load_demo(store, load_topics())
    with BotApiServer() as server:
        chats = subscribers(server, store, 12, "syria", "economy")
        now = datetime.now(UTC)
        set_setting(store, LAST_PLANNED, now.isoformat())  # only the deliveries made here are due
        plan_now(store, now, active_subscribers(store))
        server.faults.delay_for(300, seconds=0.3, methods=["sendMessage"])
        first = run_process(server, database_url, tmp_path)
        wait_for_sends(server, first, 5, failing="the push did not start")
        first.send_signal(signal.SIGTERM)
        output, _ = first.communicate(timeout=60)
        assert first.returncode == 0, output
        partial = {chat: [message.message_id for message in server.messages(chat)] for chat in chats}
        recorded = {delivery.chat_id: list(delivery.message_ids) for delivery in deliveries(store)}
        states = Counter(delivery.status for delivery in deliveries(store))
        server.faults.clear()
        second = run_process(server, database_url, tmp_path)
        try:
            server.wait_for(lambda: all(delivery.status == "sent" for delivery in deliveries(store)), timeout=60)
        finally:
            second.send_signal(signal.SIGTERM)
            second_output, _ = second.communicate(timeout=60)
        assert second.returncode == 0, second_output
    store.close()
    assert partial == recorded  # every message Telegram took is recorded, none more
    assert 0 < sum(map(len, partial.values())) < 24
    assert states["claimed"] == 0 and states["sent"] < 12  # the rest handed back, not left claimed
    assert_each_got_one_briefing(server, chats)
