"""Command latency: /syria with 100,000 stored articles, update in to reply out over loopback.

    .venv/bin/python -m benchmarks.command_latency [--articles 100000] [--commands 200] [--postgres]

The store is filled by the query benchmark's bulk loader (corpus articles with
new ids, spread over a year). The real Application long-polls the loopback Bot
API server; each command comes from a new reader, so every answer is a whole
briefing (no "since your last briefing" shortcut). The same briefing is then
rebuilt step by step to split the time into query, composition and rendering.
Target: p95 <= 100 ms end to end.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.query_latency import NOW, POSTGRES_URL, bulk_load
from bot.app import build_application
from bot.config import Settings
from bot.store import Store, articles_for_topic, open_store
from bot.topics import load_topics
from handlers import briefings, render
from summaries.briefing import compose_briefing
from telegram_loopback import BotApiServer


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def end_to_end(store: Store, commands: int) -> list[float]:
    """Seconds from a reader's /syria to the bot's last message of the answer, per command."""
    topics = load_topics()
    settings = Settings(telegram_bot_token="unused", _env_file=None)  # type: ignore[call-arg]
    latencies: list[float] = []
    with BotApiServer() as server:
        application = build_application(
            settings, store=store, topics=topics, base_url=server.base_url, token=server.token, clock=lambda: NOW, jobs_enabled=False
        )
        async with application:
            await application.post_init(application)
            await application.start()
            await application.updater.start_polling(poll_interval=0.0, timeout=10)
            for number in range(commands + 5):
                reader = server.add_user(f"Reader {number}").id
                started = time.perf_counter()
                server.send_command(reader, "syria")
                await server.wait_for_messages_async(reader, 1, 30.0)
                if number >= 5:  # the first few warm caches and connections
                    latencies.append(time.perf_counter() - started)
            await application.updater.stop()
            await application.stop()
    return latencies


def split(store: Store, rounds: int) -> tuple[dict[str, list[float]], int, str]:
    """The same work in steps: the store query, composing the briefing, rendering it to HTML.

    The window is the one the bot ended on (24 hours, widened when empty).
    """
    topic = load_topics()["syria"]
    since = briefings.topic_briefing(store, topic, NOW).since
    parts: dict[str, list[float]] = {"query": [], "composition": [], "rendering": []}
    stories = 0
    for _ in range(rounds):
        started = time.perf_counter()
        articles = articles_for_topic(store, topic.name, since, briefings.CANDIDATES, min_score=briefings.MIN_TOPIC_SCORE)
        queried = time.perf_counter()
        briefing = compose_briefing(articles, title=topic.title, now=NOW, since=since, topic=topic.name, topic_terms=topic.keywords)
        stories = len(briefing.stories)
        composed = time.perf_counter()
        render.render_briefing(briefing)
        rendered = time.perf_counter()
        parts["query"].append(queried - started)
        parts["composition"].append(composed - queried)
        parts["rendering"].append(rendered - composed)
    return parts, stories, render.window_phrase(since, NOW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="also on the PostgreSQL server of NEWSBRIEF_TEST_POSTGRES_URL")
    options = parser.parse_args()
    console = Console(width=150)
    table = Table(title=f"/syria with {options.articles:,} stored articles: milliseconds, p50 / p95 (target p95 <= 100 ms end to end)")
    for column in ("store", "end to end", "query", "composition", "rendering", "stories (window)"):
        table.add_column(column, justify="right" if column != "store" else "left")
    backends = [("SQLite", None)] + ([("PostgreSQL", POSTGRES_URL)] if options.postgres else [])
    for name, url in backends:
        with tempfile.TemporaryDirectory() as folder:
            schema = None
            if url is None:
                store = open_store(f"sqlite:///{Path(folder) / 'latency.sqlite3'}")
            else:
                import psycopg

                schema = f"nbbench_{uuid.uuid4().hex[:8]}"
                with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
                    connection.execute(f'CREATE SCHEMA "{schema}"')
                store = open_store(url, schema=schema)
            try:
                console.print(f"[dim]{name}: loading {options.articles:,} articles…[/dim]")
                bulk_load(store, options.articles)
                latencies = asyncio.run(end_to_end(store, options.commands))
                parts, stories, window = split(store, options.commands)
                cells = [f"{percentile(values, 0.5) * 1e3:.1f} / {percentile(values, 0.95) * 1e3:.1f}" for values in (latencies, *parts.values())]
                table.add_row(name, *cells, f"{stories} ({window})")
            finally:
                store.close()
                if schema is not None:
                    import psycopg

                    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:  # type: ignore[union-attr]
                        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
    console.print(table)
    console.print(f"[dim]mean end to end: {statistics.mean(latencies) * 1e3:.1f} ms over {len(latencies)} commands[/dim]")


if __name__ == "__main__":
    main()
