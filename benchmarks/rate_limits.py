"""Pushing at Telegram's limits: our rate limiter beside python-telegram-bot's AIORateLimiter and no limiter.

    .venv/bin/python -m benchmarks.rate_limits [--messages 2000] [--skip-mixed] [--skip-pause] [--skip-typing]

Every run is the real python-telegram-bot `Application` talking over HTTP to the loopback
Bot API server, which enforces Telegram's limits (30 messages a second in all, 1 a second
per chat, 20 a minute per group) and answers 429 with retry_after when they are broken.
Figures come from the server's call log.

1. The push: one message to each of `--messages` private chats, all asked for at once.
   Sustained rate = accepted messages over the time from the first to the last (target
   within 10% of 30/s), 429s answered (target 0), max accepted in any one second.
2. Mixed (limits scaled 20x, said in the table): 20 messages to each of 3 private chats
   and 30 to one group, all at once. AIORateLimiter paces no private chat.
3. A 429 in the middle (real limits): a push of 150 while other requests (getMe, answered
   0.3 s late) are in flight; the server answers one sendMessage 429 retry_after=1. Counted:
   requests that reached the server during that second (python-telegram-bot issue 5338:
   AIORateLimiter's pause ends when any other request finishes).
4. Push plus 20 users typing (real limits): the push of `--messages` chats while 20 other
   readers each send a command every 2-4 s (seeded) and get one reply. Reply latency is
   from asking to send until Telegram's answer; the push's rate and 429s beside it.
   newsbrief sends the push in its bulk lane (``rate_limit_args=BULK``, as handlers/push.py
   does); the "one lane" row is the same limiter with the push unmarked.
Both limiters retry a 429 up to 3 times; without a limiter a 429 is an error.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram.ext import AIORateLimiter, ApplicationBuilder, BaseRateLimiter, ExtBot
from telegram.warnings import PTBDeprecationWarning

from bot.ratelimit import BULK, SendLimits, TelegramRateLimiter
from telegram_loopback import BotApiServer, Call

TARGET_RATE = 30.0
MIXED_SCALE = 20.0


@dataclass(frozen=True)
class Outcome:
    """One run, as the server saw it and as the caller got it."""

    limiter: str
    asked: int
    accepted: int
    rejected_429: int
    errors: Counter[str]
    seconds: float
    sustained: float
    busiest_second: int


class FastClock:
    """A monotonic clock running `factor` times faster than the real one (the server's, for scaled runs)."""

    def __init__(self, factor: float) -> None:
        self.factor = factor
        self.origin = time.monotonic()

    def __call__(self) -> float:
        return 1_000.0 + (time.monotonic() - self.origin) * self.factor


def limiters(scale: float = 1.0) -> dict[str, Callable[[], BaseRateLimiter[Any] | None]]:
    """The contenders, each with Telegram's limits divided in time by `scale`."""
    return {
        "newsbrief TelegramRateLimiter": lambda: TelegramRateLimiter(SendLimits().scaled(scale), max_retries=3),
        "PTB AIORateLimiter": lambda: AIORateLimiter(
            overall_time_period=1.0 / scale, group_time_period=60.0 / scale, max_retries=3
        ),
        "no limiter": lambda: None,
    }


def arrived(call: Call) -> float:
    return call.monotonic - call.duration


def busiest(times: list[float], span: float) -> int:
    """The most arrivals in any window of `span` seconds."""
    most, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= span:
            first += 1
        most = max(most, last - first + 1)
    return most


async def run_bot(
    server: BotApiServer, limiter: BaseRateLimiter[Any] | None, work: Callable[[ExtBot[Any]], Any]
) -> Any:
    """Build the real Application on the server, run `work` with its bot, shut it down."""
    builder = ApplicationBuilder().token(server.token).base_url(server.base_url).pool_timeout(300.0)
    if limiter is not None:
        builder = builder.rate_limiter(limiter)
    app = builder.build()
    async with app:
        return await work(app.bot)


def outcome(name: str, server: BotApiServer, asked: int, results: list[Any], seconds: float, span: float) -> Outcome:
    accepted = sorted(arrived(call) for call in server.calls("sendMessage", ok=True))
    rejected = sum(1 for call in server.calls() if call.status == 429)
    sustained = (len(accepted) - 1) / (accepted[-1] - accepted[0]) * span if len(accepted) > 1 else 0.0
    errors = Counter(type(result).__name__ for result in results if isinstance(result, BaseException))
    return Outcome(name, asked, len(accepted), rejected, errors, seconds, sustained, busiest(accepted, span))


async def push(name: str, make: Callable[[], BaseRateLimiter[Any] | None], messages: int) -> Outcome:
    """One message to each of `messages` private chats, all at once, Telegram's limits enforced."""
    with BotApiServer(limits=True) as server:
        readers = server.add_users(messages)

        async def work(bot: ExtBot[Any]) -> tuple[list[Any], float]:
            started = time.monotonic()
            results = await asyncio.gather(
                *(bot.send_message(reader.id, "Morning briefing") for reader in readers), return_exceptions=True
            )
            return results, time.monotonic() - started

        results, seconds = await run_bot(server, make(), work)
        return outcome(name, server, messages, results, seconds, 1.0)


async def mixed(name: str, make: Callable[[], BaseRateLimiter[Any] | None]) -> Outcome:
    """20 messages to each of 3 private chats and 30 to a group, all at once, limits scaled in time."""
    with BotApiServer(clock=FastClock(MIXED_SCALE), limits=True) as server:
        readers = server.add_users(3)
        group = server.add_group("Newsroom", readers[:1])
        chats = [reader.id for reader in readers] * 20 + [group] * 30

        async def work(bot: ExtBot[Any]) -> tuple[list[Any], float]:
            started = time.monotonic()
            results = await asyncio.gather(*(bot.send_message(chat, "part") for chat in chats), return_exceptions=True)
            return results, time.monotonic() - started

        results, seconds = await run_bot(server, make(), work)
        return outcome(name, server, len(chats), results, seconds, 1.0 / MIXED_SCALE)


async def pause(
    name: str, make: Callable[[], BaseRateLimiter[Any] | None], messages: int = 150
) -> tuple[int, Outcome]:
    """Requests that reached the server during the second after an injected 429, and the push's outcome."""
    with BotApiServer(limits=True) as server:
        readers = server.add_users(messages)
        server.faults.delay_for(3600, seconds=0.3, methods=["getMe"])

        async def work(bot: ExtBot[Any]) -> tuple[list[Any], float]:
            done = asyncio.Event()

            async def other_traffic() -> None:
                while not done.is_set():
                    await bot.get_me()

            async def inject() -> None:
                await asyncio.to_thread(server.wait_for, lambda: len(server.calls("sendMessage")) >= messages // 3, 300)
                server.faults.fail_next(1, status=429, retry_after=1, methods=["sendMessage"])

            traffic = [asyncio.ensure_future(other_traffic()) for _ in range(4)]
            started = time.monotonic()
            results = await asyncio.gather(
                *(bot.send_message(reader.id, "Morning briefing") for reader in readers),
                inject(),
                return_exceptions=True,
            )
            seconds = time.monotonic() - started
            done.set()
            await asyncio.gather(*traffic, return_exceptions=True)
            return results[:messages], seconds

        results, seconds = await run_bot(server, make(), work)
        first_429 = min((call.monotonic for call in server.calls() if call.status == 429), default=None)
        during = -1
        if first_429 is not None:
            during = sum(1 for call in server.calls() if first_429 < arrived(call) < first_429 + 1.0)
        return during, outcome(name, server, messages, results, seconds, 1.0)


TYPISTS = 20


@dataclass(frozen=True)
class Typing:
    """Replies to readers typing during a push, and the push itself."""

    limiter: str
    replies: list[float]
    push: Outcome
    all_rate: float


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def typing(name: str, make: Callable[[], BaseRateLimiter[Any] | None], messages: int, lane: bool) -> Typing:
    """A push to `messages` chats while TYPISTS readers ask for replies; seeded, the same for every limiter."""
    with BotApiServer(limits=True) as server:
        pushed, typists = server.add_users(messages), server.add_users(TYPISTS)
        extra = {"rate_limit_args": BULK} if lane else {}

        async def work(bot: ExtBot[Any]) -> tuple[list[Any], list[float], float]:
            done = asyncio.Event()
            latencies: list[float] = []

            async def reader(user_id: int, seed: int) -> None:
                pause_of = random.Random(seed)
                await asyncio.sleep(1.0 + pause_of.uniform(0, 2.0))
                while not done.is_set():
                    asked = time.monotonic()
                    try:
                        await bot.send_message(user_id, "Here is your briefing")
                    except Exception:  # noqa: BLE001 - counted by the server's log; latency only for answers
                        pass
                    else:
                        latencies.append(time.monotonic() - asked)
                    await asyncio.sleep(pause_of.uniform(2.0, 4.0))

            readers = [asyncio.ensure_future(reader(user.id, n)) for n, user in enumerate(typists)]
            started = time.monotonic()
            results = await asyncio.gather(
                *(bot.send_message(user.id, "Morning briefing", **extra) for user in pushed), return_exceptions=True
            )
            seconds = time.monotonic() - started
            done.set()
            await asyncio.gather(*readers, return_exceptions=True)
            return list(results), latencies, seconds

        results, latencies, seconds = await run_bot(server, make(), work)
        push_ids = {user.id for user in pushed}
        accepted = sorted(arrived(c) for c in server.calls("sendMessage", ok=True) if c.chat_id in push_ids)
        rejected = sum(1 for call in server.calls() if call.status == 429)
        sustained = (len(accepted) - 1) / (accepted[-1] - accepted[0]) if len(accepted) > 1 else 0.0
        errors = Counter(type(result).__name__ for result in results if isinstance(result, BaseException))
        row = Outcome(name, messages, len(accepted), rejected, errors, seconds, sustained, busiest(accepted, 1.0))
        every = sorted(arrived(c) for c in server.calls("sendMessage", ok=True))
        all_rate = (len(every) - 1) / (every[-1] - every[0]) if len(every) > 1 else 0.0
        return Typing(name, latencies, row, all_rate)


def errors_text(errors: Counter[str]) -> str:
    return ", ".join(f"{count} {name}" for name, count in errors.most_common()) or "-"


def table(title: str, rows: list[Outcome], *, rates: bool = True) -> None:
    print(title)
    rate_heads = f" {'rate/s':>7} {'busiest 1 s':>12}" if rates else ""
    print(f"{'limiter':<30} {'asked':>6} {'accepted':>9} {'429s':>6} {'seconds':>8}{rate_heads}  caller errors")
    for row in rows:
        rate_cells = f" {row.sustained:>7.1f} {row.busiest_second:>12}" if rates else ""
        print(
            f"{row.limiter:<30} {row.asked:>6} {row.accepted:>9} {row.rejected_429:>6} {row.seconds:>8.1f}"
            f"{rate_cells}  {errors_text(row.errors)}"
        )
    print()


async def main_async(args: argparse.Namespace) -> None:
    rows = [await push(name, make, args.messages) for name, make in limiters().items()]
    table(f"1. Push: {args.messages:,} private chats, one message each, Telegram's limits (30/s, 1/s a chat)", rows)
    ours = rows[0]
    verdict = "within" if abs(ours.sustained - TARGET_RATE) <= 0.1 * TARGET_RATE else "OUTSIDE"
    print(
        f"target: sustained rate within 10% of {TARGET_RATE:.0f}/s and 0 429s -> ours {ours.sustained:.1f}/s "
        f"({verdict} 10%), {ours.rejected_429} 429s\n"
    )
    if not args.skip_mixed:
        scaled = [await mixed(name, make) for name, make in limiters(MIXED_SCALE).items()]
        table(
            f"2. Mixed: 3 chats x 20 + a group x 30, at once; limits scaled {MIXED_SCALE:.0f}x in time "
            f"(a second is {1000 / MIXED_SCALE:.0f} ms, a minute {60 / MIXED_SCALE:.0f} s; "
            "a 429 still waits >= 1 real s)",
            scaled,
            rates=False,
        )
    if not args.skip_pause:
        print("3. One injected 429 (retry_after=1) in a push of 150, getMe calls (answered 0.3 s late) in flight")
        print(f"{'limiter':<30} {'requests in that second':>24} {'accepted':>9} {'429s':>6}  caller errors")
        for name, make in list(limiters().items())[:2]:
            during, row = await pause(name, make)
            print(f"{name:<30} {during:>24} {row.accepted:>9} {row.rejected_429:>6}  {errors_text(row.errors)}")
        print()
    if not args.skip_typing:
        contenders = limiters()
        runs = [
            ("newsbrief, push in bulk lane", contenders["newsbrief TelegramRateLimiter"], True),
            ("newsbrief, one lane", contenders["newsbrief TelegramRateLimiter"], False),
            ("PTB AIORateLimiter", contenders["PTB AIORateLimiter"], False),
            ("no limiter", contenders["no limiter"], False),
        ]
        print(
            f"4. Push of {args.messages:,} chats plus {TYPISTS} readers typing (a command every 2-4 s each), "
            "Telegram's limits; reply latency in ms"
        )
        print(
            f"{'limiter':<30} {'replies':>8} {'p50':>7} {'p95':>7} {'max':>7} "
            f"{'push rate/s':>12} {'all rate/s':>11} {'429s':>6}  push errors"
        )
        for name, make, lane in runs:
            run = await typing(name, make, args.messages, lane)
            cells = [1000 * percentile(run.replies, share) for share in (0.5, 0.95)] + [1000 * max(run.replies, default=0)]
            print(
                f"{name:<30} {len(run.replies):>8} {cells[0]:>7.0f} {cells[1]:>7.0f} {cells[2]:>7.0f} "
                f"{run.push.sustained:>12.1f} {run.all_rate:>11.1f} {run.push.rejected_429:>6}  {errors_text(run.push.errors)}"
            )
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000, help="private chats in the push (default 2000)")
    parser.add_argument("--skip-mixed", action="store_true", help="leave out the mixed chats-and-group run")
    parser.add_argument("--skip-pause", action="store_true", help="leave out the 429-pause run")
    parser.add_argument("--skip-typing", action="store_true", help="leave out the push-plus-readers-typing run")
    args = parser.parse_args()
    warnings.simplefilter("ignore", PTBDeprecationWarning)
    logging.basicConfig(level=logging.CRITICAL)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
