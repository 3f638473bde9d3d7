"""GET /healthz and GET /metrics over real HTTP on loopback, after real work by the real Application."""

from __future__ import annotations

from datetime import timedelta

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.app import start_ops_server
from bot.store import DeliveryDue, add_feed, ensure_deliveries, open_store
from handlers.jobs import poll_feeds
from tests.bot.helpers import TRUCE, rss
from tests.handlers.harness import NOW, live_bot


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus exposition by (name, sorted labels)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def get(server, path: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.get(f"http://127.0.0.1:{server.port}{path}")


async def test_metrics_count_commands_and_messages_and_a_429(tmp_path):
    async with live_bot(tmp_path, metrics_port=0) as bot:
        server = await start_ops_server(bot.application)
        chat = bot.chat()
        await chat.command("syria")
        await chat.command("syria")
        await chat.command("help")
        await chat.command("nosuchcommand")
        bot.server.faults.fail_next(1, status=429, retry_after=1, methods=["sendMessage"])
        await chat.command("help")
        response = await get(server, "/metrics")
        sent_by_bot = len(bot.server.messages(chat.chat_id))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    found = samples(response.text)
    assert found[("newsbrief_command_seconds_count", (("command", "syria"),))] == 2
    assert found[("newsbrief_command_seconds_count", (("command", "help"),))] == 2
    assert found[("newsbrief_command_seconds_count", (("command", "unknown"),))] == 1
    assert ("newsbrief_command_seconds_count", (("command", "nosuchcommand"),)) not in found
    assert found[("newsbrief_command_seconds_bucket", (("command", "syria"), ("le", "+Inf")))] == 2
    assert found[("newsbrief_command_seconds_sum", (("command", "syria"),))] > 0
    assert found[("newsbrief_telegram_rate_limited_total", ())] == 1
    assert found[("newsbrief_telegram_retries_total", ())] == 1
    # Every message request let through: the bot's messages in the chat, and the one answered 429.
    assert found[("newsbrief_telegram_messages_total", ())] == sent_by_bot + 1
    assert found[("newsbrief_store_up", ())] == 1
    assert found[("newsbrief_push_lag_seconds", ())] == 0


async def test_metrics_count_articles_and_errors_of_a_feed_poll(tmp_path, site):
    site.serve("/feed.xml", rss([{"title": "Truce agreed around Manbij", "link": site.url("/truce"), "description": TRUCE.replace("\n\n", " ")}]),
               content_type="application/rss+xml")
    async with live_bot(tmp_path, demo=False, metrics_port=0, fetch_allow_private="127.0.0.1") as bot:
        server = await start_ops_server(bot.application)
        add_feed(bot.store, site.url("/feed.xml"), now=NOW)
        add_feed(bot.store, site.url("/missing.xml"), now=NOW)
        await poll_feeds(bot.application.context_types.context(bot.application))
        found = samples((await get(server, "/metrics")).text)
        health = (await get(server, "/healthz")).json()
    assert found[("newsbrief_articles_ingested_total", (("source", "feed"),))] == 1
    assert found[("newsbrief_feed_errors_total", ())] == 1
    assert found[("newsbrief_feed_polls_total", (("status", "updated"),))] == 1
    assert found[("newsbrief_feed_polls_total", (("status", "failed"),))] == 1
    assert found[("newsbrief_feed_last_poll_timestamp_seconds", ())] == NOW.timestamp()
    assert health["last_feed_poll"] == "2026-11-20T09:00:00Z"


async def test_healthz_reports_the_push_lag_and_a_late_push_tick(tmp_path):
    async with live_bot(tmp_path, metrics_port=0, health_push_late_seconds=300) as bot:
        server = await start_ops_server(bot.application)
        first = await get(server, "/healthz")
        chat = bot.chat()
        await chat.command("subscribe", "syria")
        due = DeliveryDue(chat_id=chat.chat_id, local_date=NOW.date(), due_at=NOW - timedelta(seconds=90))
        assert ensure_deliveries(bot.store, [due], now=NOW) == 1
        lagging = await get(server, "/healthz")
        lag_metric = samples((await get(server, "/metrics")).text)[("newsbrief_push_lag_seconds", ())]
        await bot.tick()  # the briefing goes out: nothing is due any more
        pushed = bot.server.messages(chat.chat_id)[-1].text
        ticked = await get(server, "/healthz")
        bot.clock.set(NOW + timedelta(seconds=301))
        late = await get(server, "/healthz")
    assert (first.status_code, first.json()) == (
        200,
        {"status": "ok", "store": "reachable", "last_feed_poll": None, "last_push_tick": None, "push_lag_seconds": 0.0, "problems": []},
    )
    assert lagging.json()["push_lag_seconds"] == 90.0
    assert lag_metric == 90.0
    assert pushed.startswith("Syria · ")
    assert (ticked.status_code, ticked.json()["last_push_tick"], ticked.json()["push_lag_seconds"]) == (200, "2026-11-20T09:00:00Z", 0.0)
    assert late.status_code == 503
    assert late.json()["status"] == "unhealthy"
    assert late.json()["problems"] == ["push tick late: last at 2026-11-20T09:00:00Z, 301 s ago (more than 300 s)"]


async def test_healthz_before_any_tick_counts_from_the_start(tmp_path):
    async with live_bot(tmp_path, demo=False, metrics_port=0, health_push_late_seconds=120) as bot:
        server = await start_ops_server(bot.application)
        bot.clock.set(NOW + timedelta(seconds=121))
        late = await get(server, "/healthz")
    assert late.status_code == 503
    assert late.json()["problems"] == ["push tick late: none since the start at 2026-11-20T09:00:00Z, 121 s ago (more than 120 s)"]


async def test_healthz_is_503_when_the_store_is_unreachable(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    store = open_store(f"sqlite:///{folder / 'bot.sqlite3'}")
    try:
        async with live_bot(tmp_path, demo=False, store=store, metrics_port=0) as bot:
            server = await start_ops_server(bot.application)
            healthy = await get(server, "/healthz")
            folder.rename(tmp_path / "moved")
            store.engine.dispose()  # pooled connections still hold the old file open; new ones find no folder
            try:
                broken = await get(server, "/healthz")
                metrics = samples((await get(server, "/metrics")).text)
            finally:
                (tmp_path / "moved").rename(folder)
    finally:
        store.close()
    assert healthy.status_code == 200
    assert broken.status_code == 503
    body = broken.json()
    assert (body["status"], body["store"], body["push_lag_seconds"]) == ("unhealthy", "unreachable", None)
    assert body["problems"][0].startswith("store unreachable: ")
    assert metrics[("newsbrief_store_up", ())] == 0
    assert ("newsbrief_push_lag_seconds", ()) not in metrics


def test_each_application_has_a_registry_of_its_own():
    from bot.metrics import BotMetrics

    one, two = BotMetrics(), BotMetrics()
    one.feed_errors.inc()
    assert samples(one.exposition().decode())[("newsbrief_feed_errors_total", ())] == 1
    assert samples(two.exposition().decode())[("newsbrief_feed_errors_total", ())] == 0
