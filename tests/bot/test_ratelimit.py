"""Our rate limiter in the real python-telegram-bot, against the loopback Bot API server enforcing Telegram's limits.

Each test runs the server's clock `scale` times faster than ours and gives the limiter
Telegram's limits scaled alike, so the ratios are Telegram's and the tests take a few
seconds. Nothing here asserts speed. The gaps checked are the server's own record of
behaviour: a limit of N a period means the (k+N)-th message reaches the server at least a
period after the k-th, exactly (the limiter counts from a request's start until a period
after its answer), so the only tolerance is for how the server logs a call.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram.error import RetryAfter
from telegram.ext import ApplicationBuilder, BaseRateLimiter, ExtBot

from bot.ratelimit import BULK, Rate, SendArgs, SendLimits, TelegramRateLimiter, _Pacer
from telegram_loopback import BotApiServer, Call

# PTB itself warns when it builds a RetryAfter (its retry_after becomes a timedelta in v23).
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

LOGGING = 0.001  # the server logs a call's arrival a few microseconds early


class FastClock:
    """A monotonic clock running `factor` times faster than the real one."""

    def __init__(self, factor: float) -> None:
        self.factor = factor
        self.origin = time.monotonic()

    def __call__(self) -> float:
        return 1_000.0 + (time.monotonic() - self.origin) * self.factor


def fast_server(scale: float, **limits: int) -> BotApiServer:
    """A server enforcing Telegram's limits (or these) on a clock `scale` times faster than ours."""
    server = BotApiServer(clock=FastClock(scale))
    server.limits.enable(**limits)
    return server


@asynccontextmanager
async def bot_on(server: BotApiServer, limiter: BaseRateLimiter[Any] | None) -> AsyncIterator[ExtBot[Any]]:
    """The real Application's bot, talking to the server through the limiter."""
    builder = ApplicationBuilder().token(server.token).base_url(server.base_url)
    if limiter is not None:
        builder = builder.rate_limiter(limiter)
    app = builder.build()
    async with app:
        yield app.bot


def arrived(call: Call) -> float:
    """When the request reached the server (the log records when it was answered)."""
    return call.monotonic - call.duration


def sends(server: BotApiServer, chat_id: int | None = None) -> list[Call]:
    return sorted(server.calls("sendMessage", chat_id=chat_id), key=arrived)


def texts(server: BotApiServer, chat_id: int) -> list[str]:
    return [message.text or "" for message in server.messages(chat_id)]


def closest(calls: list[Call], apart: int) -> float:
    """The shortest time between a call's arrival and the arrival `apart` calls later (inf when too few)."""
    times = [arrived(call) for call in calls]
    return min((b - a for a, b in zip(times, times[apart:])), default=float("inf"))


# ---- against the server ------------------------------------------------------------------------


async def test_three_chats_and_a_group_at_telegrams_limits_see_no_429():
    scale = 60.0  # a second is 17 ms, a minute 1 s
    with fast_server(scale) as server:
        readers = server.add_users(3)
        group = server.add_group("Newsroom", readers[:1])
        async with bot_on(server, TelegramRateLimiter(SendLimits().scaled(scale))) as bot:
            jobs = [bot.send_message(reader.id, f"{reader.id} #{n}") for n in range(20) for reader in readers]
            jobs += [bot.send_message(group, f"group #{n}") for n in range(30)]
            await asyncio.gather(*jobs)
        second = 1.0 / scale
        assert server.limits.rejected == 0
        assert [call.status for call in server.calls("sendMessage")] == [200] * 90
        for reader in readers:
            assert texts(server, reader.id) == [f"{reader.id} #{n}" for n in range(20)]
            assert closest(sends(server, reader.id), 1) >= second - LOGGING
        assert texts(server, group) == [f"group #{n}" for n in range(30)]
        assert closest(sends(server, group), 1) >= second - LOGGING
        assert closest(sends(server, group), 20) >= 60 * second - LOGGING  # 20 a minute
        assert closest(sends(server), 30) >= second - LOGGING  # 30 a second in all


async def test_a_push_to_many_chats_stays_under_the_overall_limit():
    scale = 4.0  # 120 messages a second: more than one second's worth, within what loopback HTTP carries
    with fast_server(scale) as server:
        readers = server.add_users(80)
        async with bot_on(server, TelegramRateLimiter(SendLimits().scaled(scale))) as bot:
            await asyncio.gather(*(bot.send_message(reader.id, "Morning briefing") for reader in readers))
        assert server.limits.rejected == 0
        assert len(sends(server)) == 80
        assert closest(sends(server), 30) >= 1.0 / scale - LOGGING  # never 31 in one second


async def test_after_a_429_no_request_reaches_the_server_until_retry_after_has_passed():
    with fast_server(20.0) as server:
        first, *others = server.add_users(11)
        limiter = TelegramRateLimiter(SendLimits().scaled(20.0))
        async with bot_on(server, limiter) as bot:
            loop = asyncio.get_running_loop()
            # A request in flight when the 429 comes, answered during the pause: it must not end it.
            server.faults.delay_next(1, seconds=0.3, methods=["getMe"])
            slow = asyncio.ensure_future(bot.get_me())
            while server.faults.injected < 1:
                await asyncio.sleep(0.001)
            server.faults.fail_next(1, status=429, retry_after=1, methods=["sendMessage"])
            parts = asyncio.gather(*(bot.send_message(first.id, f"part {n}") for n in range(3)))
            while limiter.paused_until <= loop.time():
                await asyncio.sleep(0.001)
            pause_end = limiter.paused_until
            pause_start = pause_end - 1.0  # loop time is time.monotonic(), the server's clock for its log
            # Everything asked for during the pause waits for its end, unpaced methods too.
            await asyncio.gather(
                slow,
                parts,
                bot.get_me(),
                bot.set_my_commands([("syria", "Syria briefing")]),
                *(bot.send_message(reader.id, "briefing") for reader in others),
            )
        [slow_call] = [call for call in server.calls("getMe") if call.duration >= 0.3]
        assert arrived(slow_call) < pause_start < slow_call.monotonic < pause_end  # answered during the pause
        assert [(c.method, c.status) for c in server.calls() if pause_start < arrived(c) < pause_end] == []
        after = [c.method for c in server.calls() if arrived(c) >= pause_end]
        assert sorted(set(after)) == ["getMe", "sendMessage", "setMyCommands"] and len(after) == 3 + 10 + 2
        # The 429 hit the first part; retried, it kept its place in its chat.
        assert [(c.status, c.params["text"]) for c in server.calls("sendMessage") if arrived(c) < pause_end] == [
            (429, "part 0")
        ]
        assert texts(server, first.id) == ["part 0", "part 1", "part 2"]
        assert all(texts(server, reader.id) == ["briefing"] for reader in others)
        assert server.limits.rejected == 0
        stats = limiter.stats()
        assert (stats.messages, stats.rate_limited, stats.retried, stats.paused_for) == (13 + 1, 1, 1, 1.0)


async def test_paid_broadcasts_are_not_held_to_the_free_limit():
    # 20 paid messages paced 1/50 s apart all leave within 0.4 s; the eleventh free one cannot
    # leave before 1 s: a margin no loaded machine closes (fifty paid ones would end at 0.98 s).
    scale = 1.0
    with fast_server(scale, messages_per_second=10, paid_messages_per_second=50) as server:
        limits = SendLimits(overall=Rate(10, 1.0), paid=Rate(50, 1.0)).scaled(scale)
        free, paid = server.add_users(20), server.add_users(20)
        async with bot_on(server, TelegramRateLimiter(limits)) as bot:
            await asyncio.gather(
                *(bot.send_message(reader.id, "free") for reader in free),
                *(bot.send_message(reader.id, "paid", allow_paid_broadcast=True) for reader in paid),
            )
        assert server.limits.rejected == 0
        free_sends = [c for c in sends(server) if not c.params.get("allow_paid_broadcast")]
        paid_sends = [c for c in sends(server) if c.params.get("allow_paid_broadcast")]
        assert len(free_sends) == 20 and len(paid_sends) == 20
        # The free ones wait a second after the first ten; the paid ones never waited for them.
        assert max(arrived(c) for c in paid_sends) < arrived(free_sends[10])
        assert closest(free_sends, 10) >= 1.0 / scale - LOGGING


async def test_replies_during_a_push_keep_telegrams_limits():
    scale = 10.0
    with fast_server(scale) as server:
        pushed, readers = server.add_users(90), server.add_users(5)
        async with bot_on(server, TelegramRateLimiter(SendLimits().scaled(scale))) as bot:
            push = [
                asyncio.ensure_future(bot.send_message(user.id, "briefing", rate_limit_args=BULK)) for user in pushed
            ]
            await asyncio.sleep(0.02)
            await asyncio.gather(*(bot.send_message(reader.id, "reply") for reader in readers))
            replied = len(sends(server))
            await asyncio.gather(*push)
        assert server.limits.rejected == 0
        assert len(sends(server)) == 95
        # The five replies were answered while most of the 90-message push still waited.
        assert sum(1 for call in sends(server)[:replied] if call.params["text"] == "briefing") < 45


# ---- the limiter's own queueing, with a stand-in request --------------------------------------------


class Requests:
    """Records the order in which the limiter lets requests go; each takes a millisecond."""

    def __init__(self) -> None:
        self.log: list[tuple[str, Any]] = []

    def request(self, endpoint: str, label: Any) -> Callable[[], Awaitable[bool]]:
        async def send() -> bool:
            self.log.append((endpoint, label))
            await asyncio.sleep(0.001)
            return True

        return send


async def through(
    limiter: TelegramRateLimiter, requests: Requests, endpoint: str, chat_id: Any, label: Any, **data: Any
) -> Any:
    return await limiter.process_request(
        requests.request(endpoint, label), (), {}, endpoint, {"chat_id": chat_id, **data}, None
    )


async def test_a_chat_with_many_messages_holds_up_no_other_chat():
    limiter, requests = TelegramRateLimiter(SendLimits().scaled(20.0)), Requests()
    await limiter.initialize()
    busy = [through(limiter, requests, "sendMessage", 1, ("busy", n)) for n in range(10)]
    others = [through(limiter, requests, "sendMessage", chat, ("other", chat)) for chat in range(2, 22)]
    await asyncio.gather(*busy, *others)
    order = [label for _, label in requests.log]
    assert order[: order.index(("busy", 1))] == [("busy", 0)] + [("other", chat) for chat in range(2, 22)]
    assert [label for label in order if label[0] == "busy"] == [("busy", n) for n in range(10)]


async def test_a_push_interleaves_chats_first_messages_before_second_ones():
    limiter, requests = TelegramRateLimiter(SendLimits().scaled(20.0)), Requests()
    await limiter.initialize()
    jobs = [through(limiter, requests, "sendMessage", chat, (chat, part)) for chat in range(100) for part in (1, 2)]
    await asyncio.gather(*jobs)
    parts = [part for _, (_, part) in requests.log]
    assert parts == [1] * 100 + [2] * 100


async def test_a_reply_goes_before_a_queued_push():
    limiter, requests = TelegramRateLimiter(SendLimits().scaled(20.0)), Requests()
    await limiter.initialize()

    async def bulk(chat: int) -> Any:
        return await limiter.process_request(
            requests.request("sendMessage", ("push", chat)), (), {}, "sendMessage", {"chat_id": chat}, BULK
        )

    push = [asyncio.ensure_future(bulk(chat)) for chat in range(1, 121)]
    while len(requests.log) < 5:
        await asyncio.sleep(0.001)
    started_before = len(requests.log)
    await through(limiter, requests, "sendMessage", 500, "reply")
    await asyncio.gather(*push)
    order = [label for _, label in requests.log]
    # After the reply was asked for, only pushes already holding one of the 30 overall permits went first.
    assert order.index("reply") - started_before <= 30
    assert [label for label in order if label != "reply"] == [("push", chat) for chat in range(1, 121)]


async def test_a_slot_given_to_a_waiter_is_not_taken_by_a_newcomer_on_a_busy_loop():
    pacer = _Pacer(Rate(1, 0.005))
    loop = asyncio.get_running_loop()
    order: list[str] = []
    await pacer.turn()  # the first message goes at once

    async def waiting() -> None:
        await pacer.turn()
        order.append("waiting")

    queued = asyncio.ensure_future(waiting())
    await asyncio.sleep(0)  # it joins the queue and arms the timer
    assert pacer.timer is not None
    pacer.timer.cancel()
    time.sleep(0.006)
    pacer._give(loop)  # its slot comes; it runs at the loop's next turn
    time.sleep(0.012)  # a busy loop: by then the next slot is due too
    await pacer.turn()
    order.append("newcomer")
    await queued

    assert order == ["waiting", "newcomer"]


async def test_one_lane_keeps_a_reply_behind_the_push():
    # The same traffic with the push not marked bulk: the reply waits its turn behind all of it.
    limiter, requests = TelegramRateLimiter(SendLimits().scaled(20.0)), Requests()
    await limiter.initialize()
    push = [asyncio.ensure_future(through(limiter, requests, "sendMessage", chat, ("push", chat))) for chat in range(1, 121)]
    while len(requests.log) < 5:
        await asyncio.sleep(0.001)
    await through(limiter, requests, "sendMessage", 500, "reply")
    await asyncio.gather(*push)
    assert [label for _, label in requests.log][-1] == "reply"


async def test_rate_limit_args_may_still_be_a_number_of_retries():
    limiter = TelegramRateLimiter(SendLimits().scaled(20.0), max_retries=5)
    await limiter.initialize()
    tries = 0

    async def too_many() -> bool:
        nonlocal tries
        tries += 1
        raise RetryAfter(0.01)

    for args, expected in ((1, 2), (SendArgs(bulk=True, retries=0), 1)):
        tries = 0
        with pytest.raises(RetryAfter):
            await limiter.process_request(too_many, (), {}, "sendMessage", {"chat_id": 3}, args)
        assert tries == expected


async def test_the_whole_bot_is_paced_evenly_not_in_bursts():
    limiter = TelegramRateLimiter(SendLimits().scaled(20.0))
    await limiter.initialize()
    loop = asyncio.get_running_loop()
    starts: list[float] = []

    async def send() -> bool:
        starts.append(loop.time())
        return True

    await asyncio.gather(
        *(limiter.process_request(send, (), {}, "sendMessage", {"chat_id": chat}, None) for chat in range(40))
    )
    spacing = 0.05 / 30  # a second's 30 messages spread over the (scaled) second
    # Next-free-slot: the k-th message no earlier than k slots after the first (slots are fixed when taken).
    assert [k for k, start in enumerate(starts) if start - starts[0] < k * spacing - 1e-6] == []


async def test_methods_that_send_no_message_are_not_paced_but_wait_for_a_429_pause():
    limiter, requests = TelegramRateLimiter(SendLimits(chat=Rate(1, 0.3))), Requests()
    await limiter.initialize()
    await through(limiter, requests, "sendMessage", 7, "first")
    sent_at = len(requests.log)
    # While chat 7 waits for its next turn, its button presses are answered at once.
    queued = asyncio.ensure_future(through(limiter, requests, "sendMessage", 7, "late"))
    await through(limiter, requests, "answerCallbackQuery", None, "button")
    await through(limiter, requests, "editMessageText", 7, "edit")
    assert requests.log[sent_at:] == [("answerCallbackQuery", "button"), ("editMessageText", "edit")]
    await queued

    async def too_many() -> bool:
        raise RetryAfter(0.2)  # Telegram says whole seconds; a fraction keeps the test short

    loop = asyncio.get_running_loop()
    limiter.max_retries = 0
    with pytest.raises(RetryAfter):  # the last try's 429 reaches the caller, and the pause holds
        await limiter.process_request(too_many, (), {}, "sendMessage", {"chat_id": 8}, None)
    paused_until = limiter.paused_until
    assert paused_until > loop.time()
    await through(limiter, requests, "getUpdates", None, "poll")
    assert loop.time() < paused_until  # long polling never waits
    await through(limiter, requests, "getMe", None, "me")
    assert loop.time() >= paused_until


async def test_a_shorter_429_answered_during_a_pause_does_not_shorten_it():
    limiter = TelegramRateLimiter(SendLimits().scaled(20.0), max_retries=0)
    await limiter.initialize()

    def limited(seconds: int, after: float) -> Callable[[], Awaitable[bool]]:
        async def send() -> bool:
            await asyncio.sleep(after)
            raise RetryAfter(seconds)

        return send

    async def expect_429(seconds: int, after: float, chat_id: int) -> float:
        with pytest.raises(RetryAfter):
            await limiter.process_request(limited(seconds, after), (), {}, "sendMessage", {"chat_id": chat_id}, None)
        return limiter.paused_until

    # The 1 s one leaves first and is answered last, inside the 2 s pause the other one started.
    after_short, long_pause = await asyncio.gather(expect_429(1, 0.05, 2), expect_429(2, 0.0, 1))
    assert after_short == long_pause == limiter.paused_until
    assert limiter.stats().rate_limited == 2


async def test_idle_chats_are_forgotten():
    limits = SendLimits(overall=Rate(1000, 0.01), chat=Rate(1, 0.01), group=Rate(20, 0.2))
    limiter, requests = TelegramRateLimiter(limits), Requests()
    await limiter.initialize()
    chats = [*range(1, 301), -5, "@channel"]
    await asyncio.gather(*(through(limiter, requests, "sendMessage", chat, chat) for chat in chats))
    assert limiter.stats().chats_tracked > 0
    await asyncio.sleep(0.3)
    assert limiter.stats().chats_tracked == 0
    assert limiter.stats().messages == 302


async def test_groups_channels_and_usernames_get_the_group_limit():
    limits = SendLimits(overall=Rate(1000, 1.0), chat=Rate(1, 0.001), group=Rate(2, 0.3))
    limiter, requests = TelegramRateLimiter(limits), Requests()
    await limiter.initialize()
    loop = asyncio.get_running_loop()
    started = loop.time()
    stamps: dict[Any, list[float]] = {}

    async def send(chat_id: Any) -> None:
        await through(limiter, requests, "sendMessage", chat_id, chat_id)
        stamps.setdefault(chat_id, []).append(loop.time() - started)

    await asyncio.gather(*(send(chat_id) for chat_id in (-100123, "@newsroom", "-42", 99) for _ in range(3)))
    for group in (-100123, "@newsroom", "-42"):
        assert stamps[group][2] >= 0.3  # the third waits for the window
    order = [label for _, label in requests.log]
    assert order[:9].count(99) == 3  # a private chat does not


def test_limits_are_checked_and_scale():
    assert SendLimits().scaled(20) == SendLimits(Rate(30, 0.05), Rate(1000, 0.05), Rate(1, 0.05), Rate(20, 3.0))
    with pytest.raises(ValueError):
        Rate(0, 1.0)
    with pytest.raises(ValueError):
        TelegramRateLimiter(max_retries=-1)
