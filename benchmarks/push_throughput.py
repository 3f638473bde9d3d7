"""The morning push at scale, against the loopback Bot API server running in a process of its own.

    .venv/bin/python -m benchmarks.push_throughput [--subscribers 10000] [--limited 2000]

1. Overhead: subscribers x 3 topics with every limit switched off (the server
   enforces none, our limiter is given limits no push reaches): how many
   messages a second newsbrief composes and dispatches, and its peak memory.
   Beside it, the same push with one chat in ten muting five words (one of
   them in a Syria story) and silenced with /quiet; the same push with one chat
   in ten also following two saved searches of its own (drawn from a pool of
   SEARCHES, so many chats share each one); all of these at once with one
   subscriber in a hundred a channel (linked with /channel, posted without
   buttons); and the same pipeline composing and
   rendering anew for every chat (no sharing), on a tenth of the subscribers.
2. Telegram's limits: the server enforces them and answers 429 when broken; a
   push of one message to each of `--limited` chats with our limiter, beside
   python-telegram-bot's AIORateLimiter. Sustained rate and 429s (`--limited 0` skips it).

Every run is a process of its own (peak memory is per run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
TOPICS = ("syria", "economy", "turkey")
# What a muting chat mutes: "manbij" is in one of the demo's Syria stories, the rest in none.
MUTED = ("manbij", "premier league", "football", "celebrity gossip", "horoscope")
# The saved searches a searching chat draws two of: each matches a demo story, some of them one its topics carry too.
SEARCHES = (
    "grain exports", "solar panels", "central bank rates", "flood barrier", "chip plant", "aid convoy", "energy grid", "arctic shipping",
)


def start_server(users: int, limits: bool, channels: int = 0) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """`python -m telegram_loopback` in its own process; its base URL, token, control URL and the channels it made."""
    command = [
        sys.executable, "-m", "telegram_loopback", "--port", "0", "--users", str(users), "--channels", str(channels), "--no-spec",
        "--lenient",
    ]
    if limits:
        command.append("--limits")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    info: dict[str, str] = {}
    while "users" not in info:
        line = process.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise RuntimeError("the Bot API server did not start")
        key, _, value = line.partition(": ")
        info[key.strip()] = value.strip()
    return process, info


def fill(
    store: object, chats: int, topics: tuple[str, ...], muting_every: int = 0, searching_every: int = 0, channels: tuple[int, ...] = ()
) -> None:
    """`chats` subscribers (the server's users 1000001...) each with `topics`, inserted in bulk;
    every `muting_every`-th of them quiet and muting MUTED; every `searching_every`-th (from the fifth)
    with two saved searches of SEARCHES; and `channels` (the server's channel ids) linked by the first user."""
    from sqlalchemy import insert

    from bot.store.models import ChannelLink, ChatMute, ChatSearch, SubscriberRecord, Subscription

    created = NOW - timedelta(days=30)
    rows = [
        {"chat_id": 1_000_001 + n, "chat_type": "private", "title": "", "timezone": "UTC", "briefing_time": "10:00",
         "days": "1234567", "active": True, "created_at": created, "quiet": bool(muting_every and n % muting_every == 0)}
        for n in range(chats)
    ]
    channel_rows = [
        {"chat_id": chat_id, "chat_type": "channel", "title": f"Channel {n + 1}", "timezone": "UTC", "briefing_time": "10:00",
         "days": "1234567", "active": True, "created_at": created, "quiet": False}
        for n, chat_id in enumerate(channels)
    ]
    links = [{"channel_id": chat_id, "linked_by": 1_000_001, "username": "", "linked_at": created, "stop_told_at": None} for chat_id in channels]
    subscriptions = [
        {"chat_id": row["chat_id"], "topic": topic, "created_at": created} for row in rows + channel_rows for topic in topics
    ]
    mutes = [
        {"chat_id": row["chat_id"], "key": key, "label": key, "story_id": None, "created_at": created}
        for row in rows if row["quiet"] for key in MUTED
    ]
    searching = [row for n, row in enumerate(rows) if searching_every and n % searching_every == searching_every // 2]
    searches = [
        {"chat_id": row["chat_id"], "key": key, "label": key, "created_at": created}
        for n, row in enumerate(searching)
        # Two different ones: the second 1 to 7 places after the first.
        for key in (SEARCHES[n % len(SEARCHES)], SEARCHES[(n + 1 + (n // len(SEARCHES)) % (len(SEARCHES) - 1)) % len(SEARCHES)])
    ]
    with store.engine.begin() as connection:  # type: ignore[attr-defined]
        connection.execute(insert(SubscriberRecord.__table__), rows + channel_rows)
        if links:
            connection.execute(insert(ChannelLink.__table__), links)
        connection.execute(insert(Subscription.__table__), subscriptions)
        if mutes:
            connection.execute(insert(ChatMute.__table__), mutes)
        if searches:
            connection.execute(insert(ChatSearch.__table__), searches)


async def push_run(
    base_url: str, token: str, chats: int, topics: tuple[str, ...], limiter: str, share: bool, muting_every: int = 0,
    searching_every: int = 0, channels: tuple[int, ...] = (),
) -> dict[str, float]:
    """One push to every subscriber; what it sent, how fast, with how much memory."""
    from telegram.ext import AIORateLimiter

    from bot.app import build_application
    from bot.config import Settings
    from bot.ingest.pipeline import load_demo
    from bot.ratelimit import Rate, SendLimits, TelegramRateLimiter
    from bot.store import open_store
    from bot.topics import load_topics
    from handlers import push
    from handlers.services import Services

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(telegram_bot_token=token, database_url=f"sqlite:///{Path(folder) / 'push.sqlite3'}", _env_file=None)  # type: ignore[call-arg]
        store = open_store(settings.database_url)
        topic_set = load_topics()
        load_demo(store, topic_set, now=NOW - timedelta(hours=1))
        fill(store, chats, topics, muting_every, searching_every, channels)
        if limiter == "unbounded":
            rate_limiter = TelegramRateLimiter(SendLimits(Rate(10**6, 1), Rate(10**6, 1), Rate(10**6, 1), Rate(10**6, 1)))
        elif limiter == "ptb":
            rate_limiter = AIORateLimiter(max_retries=3)
        else:
            rate_limiter = TelegramRateLimiter()
        application = build_application(
            settings, store=store, topics=topic_set, base_url=base_url, token=token, clock=lambda: NOW, rate_limiter=rate_limiter, jobs_enabled=False
        )
        found = Services(store=store, topics=topic_set, settings=settings, clock=lambda: NOW)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        async with application:
            started, cpu = time.perf_counter(), time.process_time()
            push.plan_now(store, NOW, push.active_subscribers(store))
            report = await push.run_push(application.bot, found, concurrency=settings.push_concurrency, share=share)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"sent": report.sent, "messages": report.messages, "failed": report.failed + report.retrying, "seconds": elapsed, "cpu": cpu,
            "peak_mb": peak, "start_mb": before}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(options: argparse.Namespace) -> None:
    """One run in this process; prints a JSON line."""
    topics = tuple(options.topics.split(","))
    server, info = start_server(options.chats, options.server_limits, options.channels)
    channels: tuple[int, ...] = ()
    if "channels" in info:
        first, last = (int(end) for end in info["channels"].split(".."))
        channels = tuple(range(first, last - 1, -1))
    try:
        server_cpu = cpu_seconds(server.pid)
        result = asyncio.run(
            push_run(
                info["base_url"], info["token"], options.chats, topics, options.limiter, not options.no_share, options.muting_every,
                options.searching_every, channels,
            )
        )
        result["server_cpu"] = cpu_seconds(server.pid) - server_cpu
        if options.server_limits:
            from telegram_loopback.control import ControlClient

            control = ControlClient(info["control"].split("/control/")[0], info["token"])
            limits = control.limits()
            times = sorted(call["time"] for call in control.calls(method="sendMessage", ok=True))
            result["rejected"] = limits["rejected"]
            result["rate"] = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
            busiest = 0
            start = 0
            for end, moment in enumerate(times):
                while moment - times[start] >= 1.0:
                    start += 1
                busiest = max(busiest, end - start + 1)
            result["busiest"] = busiest
        print(json.dumps(result), flush=True)
    finally:
        server.terminate()
        server.wait()


def run_child(*args: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.push_throughput", "--child", *args], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--limited", type=int, default=2_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--chats", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--topics", default=",".join(TOPICS), help=argparse.SUPPRESS)
    parser.add_argument("--limiter", default="unbounded", help=argparse.SUPPRESS)
    parser.add_argument("--server-limits", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-share", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--muting-every", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--searching-every", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--channels", type=int, default=0, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options)
        return
    console = Console(width=150)
    small = max(100, options.subscribers // 10)
    runs = [
        ("newsbrief (compose once per topic, personalise per chat)", options.subscribers, []),
        ("newsbrief, 1 chat in 10 quiet and muting 5 words", options.subscribers, ["--muting-every", "10"]),
        (
            f"newsbrief, 1 chat in 10 also with 2 own searches (a pool of {len(SEARCHES)})", options.subscribers,
            ["--searching-every", "10"],
        ),
        (
            "newsbrief, all at once: 1 chat in 10 quiet and muting, 1 in 10 with 2 searches, 1 in 100 a channel",
            options.subscribers - options.subscribers // 100,
            ["--muting-every", "10", "--searching-every", "10", "--channels", str(options.subscribers // 100)],
        ),
        ("newsbrief", small, []),
        ("baseline: compose and render per chat", small, ["--no-share"]),
    ]
    table = Table(title=f"1. Push overhead, limits off: subscribers x {len(TOPICS)} topics (server in its own process)")
    columns = (
        "pipeline", "subscribers", "messages", "seconds", "messages/s", "newsbrief CPU s",
        "messages per newsbrief CPU-second (target >= 1,000)", "server CPU s", "peak RSS MB (target <= 200)",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "pipeline" else "right")
    for label, chats, extra in runs:
        console.print(f"[dim]running: {label}, {chats} subscribers…[/dim]")
        result = run_child("--chats", str(chats), *extra)
        subscribers = chats + (int(extra[extra.index("--channels") + 1]) if "--channels" in extra else 0)
        table.add_row(
            label, f"{subscribers:,}", f"{result['messages']:,.0f}", f"{result['seconds']:.1f}",
            f"{result['messages'] / result['seconds']:,.0f}", f"{result['cpu']:.1f}", f"{result['messages'] / result['cpu']:,.0f}",
            f"{result['server_cpu']:.1f}", f"{result['peak_mb']:.0f}",
        )
    console.print(table)
    console.print(
        "[dim]Both processes share this 2-core machine: the loopback server (Python, HTML checks on every message) uses"
        " about as much CPU as newsbrief, so wall-clock messages/s measures the pair; newsbrief's own capacity on one"
        " core is messages per CPU-second of its process.[/dim]"
    )
    limited = Table(title=f"2. Telegram's limits enforced by the server (429 when broken): one message to each of {options.limited:,} chats")
    for column in ("rate limiter", "messages", "seconds", "sustained msg/s (target 27-33)", "busiest second", "429s (target 0)", "not sent"):
        limited.add_column(column, justify="left" if column == "rate limiter" else "right")
    for label, limiter in (("newsbrief TelegramRateLimiter", "ours"), ("python-telegram-bot AIORateLimiter", "ptb")) if options.limited else ():
        console.print(f"[dim]running: {label}, {options.limited} chats with Telegram's limits…[/dim]")
        result = run_child("--chats", str(options.limited), "--topics", "syria", "--limiter", limiter, "--server-limits")
        limited.add_row(label, f"{result['messages']:,.0f}", f"{result['seconds']:.1f}", f"{result['rate']:.1f}", f"{result['busiest']:.0f}",
                        f"{result['rejected']:.0f}", f"{result['failed']:.0f}")
    if options.limited:
        console.print(limited)


if __name__ == "__main__":
    main()
