"""Our rate limiter for python-telegram-bot: Telegram's sending limits kept before a request leaves.

`TelegramRateLimiter` is a `telegram.ext.BaseRateLimiter`. python-telegram-bot's own
AIORateLimiter (22.8) paces no private chat, and the pause it takes after a 429 ends as
soon as any other request finishes (python-telegram-bot issue 5338). This one:

- paces every chat (1 message a second), groups, supergroups and channels also at 20 a
  minute, and the whole bot at 30 a second (1,000 for `allow_paid_broadcast` messages);
- counts a message against a limit from the moment it leaves until `period` after its
  answer arrives, so a message can never reach Telegram inside a window it is not allowed
  in, however long the network took. A limit of N per period is N permits, each given
  back one period after its request ends;
- spreads the whole bot's messages evenly (one every 1/30 s) rather than in bursts of 30:
  Telegram allows bursts nowhere but in a group's minute, and few requests are on the wire
  when a 429 comes; slots are given as they come, never reserved ahead, so a message on an
  idle bot goes at once;
- has two lanes: replies, and bulk messages (``rate_limit_args=BULK``: the morning push).
  A reply takes the next free permit and slot before any queued bulk message, so a reader's
  command is answered at once during a push of thousands, within the same limits;
- on a 429 pauses every request (getUpdates aside) until `retry_after` has passed, as a
  deadline nobody else can shorten, then retries the request, first in line;
- keeps each chat's messages in order (one in flight per chat, first come first served),
  lets a chat waiting for its own turn hold up no other chat, and forgets a chat once its
  windows are empty;
- lets methods that send no message (answerCallbackQuery, editMessageText, getMe,
  setMyCommands...) through unpaced, though not during a 429 pause.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, Result]]

# Methods that put a message into a chat; getUpdates never waits, not even for a 429 pause.
_NOT_MESSAGES = frozenset({"sendchataction"})
_MESSAGE_PREFIXES = ("send", "forward", "copy")
_UNLIMITED = "getupdates"


@dataclass(frozen=True)
class Rate:
    """At most `count` messages in any `period` seconds."""

    count: int
    period: float

    def __post_init__(self) -> None:
        if self.count < 1 or self.period <= 0:
            raise ValueError(f"a rate needs count >= 1 and period > 0; got {self.count}/{self.period}s")


@dataclass(frozen=True)
class SendLimits:
    """Telegram's limits: `chat` applies to every chat, `group` on top of it to groups and channels."""

    overall: Rate = Rate(30, 1.0)
    paid: Rate = Rate(1000, 1.0)
    chat: Rate = Rate(1, 1.0)
    group: Rate = Rate(20, 60.0)

    def scaled(self, factor: float) -> SendLimits:
        """The same counts in periods `factor` times shorter (tests, and servers running a fast clock)."""
        rates = (self.overall, self.paid, self.chat, self.group)
        return SendLimits(*(replace(rate, period=rate.period / factor) for rate in rates))


@dataclass(frozen=True)
class SendArgs:
    """A call's ``rate_limit_args``: `bulk` messages (the morning push) wait behind replies; `retries` after a 429."""

    bulk: bool = False
    retries: int | None = None


BULK = SendArgs(bulk=True)


@dataclass(frozen=True)
class LimiterStats:
    """Since the limiter was made: message requests let through (retries too), 429s, retries, seconds paused."""

    messages: int
    rate_limited: int
    retried: int
    chats_tracked: int
    paused_for: float


class _Lanes:
    """Waiters in two lanes, replies before bulk, each in call order (a retry goes to its lane's front)."""

    __slots__ = ("bulk", "replies")

    def __init__(self) -> None:
        self.replies: deque[asyncio.Future[None]] = deque()
        self.bulk: deque[asyncio.Future[None]] = deque()

    def __bool__(self) -> bool:
        return bool(self.replies or self.bulk)

    def join(self, loop: asyncio.AbstractEventLoop, *, bulk: bool, first: bool) -> asyncio.Future[None]:
        waiter: asyncio.Future[None] = loop.create_future()
        lane = self.bulk if bulk else self.replies
        if first:
            lane.appendleft(waiter)
        else:
            lane.append(waiter)
        return waiter

    def leave(self, waiter: asyncio.Future[None]) -> None:
        for lane in (self.replies, self.bulk):
            if waiter in lane:
                lane.remove(waiter)
                return

    def wake_next(self) -> bool:
        """Wake the first waiter still waiting; False when there is none."""
        for lane in (self.replies, self.bulk):
            while lane:
                waiter = lane.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return True
        return False


class _Window:
    """`count` permits, replies before bulk, each first come first served; a permit comes back `period` after its request ends."""

    __slots__ = ("count", "held", "period", "waiting")

    def __init__(self, rate: Rate) -> None:
        self.count = rate.count
        self.period = rate.period
        self.held = 0
        self.waiting = _Lanes()

    @property
    def idle(self) -> bool:
        return self.held == 0 and not self.waiting

    async def acquire(self, *, first: bool = False, bulk: bool = False) -> None:
        if self.held < self.count and not self.waiting:
            self.held += 1
            return
        waiter = self.waiting.join(asyncio.get_running_loop(), bulk=bulk, first=first)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.hand_on()  # the permit arrived as we were cancelled: nothing was sent with it
            else:
                self.waiting.leave(waiter)
            raise

    def hand_on(self) -> None:
        """Give a permit to the next waiter (replies first), or back to the pool."""
        if not self.waiting.wake_next():
            self.held -= 1


class _Pacer:
    """Starts at least `period / count` apart, each slot given when it comes: replies first, then bulk, each in call order.

    Slots are not reserved ahead: a reply that arrives while a push is queued takes the
    next slot, and on an idle bot a message goes at once.
    """

    __slots__ = ("next_slot", "spacing", "timer", "waiting", "woken")

    def __init__(self, rate: Rate) -> None:
        self.spacing = rate.period / rate.count
        self.next_slot = 0.0
        self.waiting = _Lanes()
        self.timer: asyncio.TimerHandle | None = None
        # Waiters given their slot that have not run yet: a newcomer must not take the next slot before them
        # (on a busy loop the next slot may be due before a woken waiter runs).
        self.woken = 0

    async def turn(self, *, bulk: bool = False, first: bool = False) -> None:
        """Wait for this message's slot."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        if now >= self.next_slot and not self.waiting and not self.woken:
            self.next_slot = now + self.spacing
            return
        waiter = self.waiting.join(loop, bulk=bulk, first=first)
        self._arm(loop)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done():
                self.woken -= 1  # its slot goes unused
            else:
                self.waiting.leave(waiter)
            raise
        self.woken -= 1

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        if self.timer is None:
            self.timer = loop.call_at(self.next_slot, self._give, loop)

    def _give(self, loop: asyncio.AbstractEventLoop) -> None:
        self.timer = None
        if self.waiting.wake_next():
            self.woken += 1
            # From the slot as planned, not as the timer fired: a timer a little late costs no rate.
            planned, now = self.next_slot + self.spacing, loop.time()
            self.next_slot = planned if planned > now else now + self.spacing
            if self.waiting:
                self._arm(loop)


class _Chat:
    """One chat's turn (its messages go one at a time, in order) and, for groups, its minute window."""

    __slots__ = ("group", "turn")

    def __init__(self, limits: SendLimits, *, is_group: bool) -> None:
        self.turn = _Window(limits.chat)
        self.group = _Window(limits.group) if is_group else None

    @property
    def idle(self) -> bool:
        return self.turn.idle and (self.group is None or self.group.idle)


class TelegramRateLimiter(BaseRateLimiter[int | SendArgs]):
    """Paces messages to Telegram's limits and honours every 429 for all requests.

    ``ApplicationBuilder().rate_limiter(TelegramRateLimiter())``. `max_retries` is how often a
    request answered 429 is tried again; a call's ``rate_limit_args`` (a number of retries, or
    SendArgs) overrides it, and ``rate_limit_args=BULK`` sends in the lane behind replies.
    """

    def __init__(self, limits: SendLimits | None = None, *, max_retries: int = 3) -> None:
        if max_retries < 0:
            raise ValueError("max_retries cannot be negative")
        self.limits = limits or SendLimits()
        self.max_retries = max_retries
        self._messages = 0
        self._rate_limited = 0
        self._retried = 0
        self._paused_for = 0.0
        self._reset()

    def _reset(self) -> None:
        self._overall = _Window(self.limits.overall)
        self._paid = _Window(self.limits.paid)
        self._overall_pacer = _Pacer(self.limits.overall)
        self._paid_pacer = _Pacer(self.limits.paid)
        self._chats: dict[int | str, _Chat] = {}
        self._paused_until = 0.0

    async def initialize(self) -> None:
        """Start from empty windows (timers of an earlier event loop never fire in this one)."""
        self._reset()

    async def shutdown(self) -> None:
        self._reset()

    def stats(self) -> LimiterStats:
        return LimiterStats(self._messages, self._rate_limited, self._retried, len(self._chats), self._paused_for)

    @property
    def paused_until(self) -> float:
        """The event loop time until which every request waits (in the past when there is no pause)."""
        return self._paused_until

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | SendArgs | None,
    ) -> Result:
        args_ = rate_limit_args if isinstance(rate_limit_args, SendArgs) else SendArgs(retries=rate_limit_args)
        tries = 1 + (self.max_retries if args_.retries is None else args_.retries)
        name = endpoint.lower()
        if name == _UNLIMITED:
            return await callback(*args, **kwargs)
        if not (name.startswith(_MESSAGE_PREFIXES) and name not in _NOT_MESSAGES):
            return await self._unpaced(callback, args, kwargs, endpoint, tries)
        return await self._paced(callback, args, kwargs, endpoint, data, tries, bulk=args_.bulk)

    async def _unpaced(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str, tries: int
    ) -> Result:
        for attempt in range(1, tries + 1):
            await self._pause_over()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                self._on_retry_after(error, endpoint, attempt, tries)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _paced(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        tries: int,
        *,
        bulk: bool,
    ) -> Result:
        key, is_group = _chat_of(data.get("chat_id"))
        paid = bool(data.get("allow_paid_broadcast"))
        overall, pacer = (self._paid, self._paid_pacer) if paid else (self._overall, self._overall_pacer)
        chat = self._chat(key, is_group) if key is not None else None
        windows: list[_Window] = []
        try:
            if chat is not None:
                # The chat's own turn first: a chat waiting for its next second holds no overall permit.
                await chat.turn.acquire()
                windows.append(chat.turn)
                if chat.group is not None:
                    await chat.group.acquire()
                    windows.append(chat.group)
            for attempt in range(1, tries + 1):
                await overall.acquire(first=attempt > 1, bulk=bulk)
                try:
                    await self._slot(pacer, bulk=bulk, first=attempt > 1)
                    self._messages += 1
                    return await callback(*args, **kwargs)
                except RetryAfter as error:
                    self._on_retry_after(error, endpoint, attempt, tries)
                finally:
                    self._release_later(overall)
            raise AssertionError("unreachable: the last attempt returns or raises")
        finally:
            for window in windows:
                self._release_later(window, key)
            if chat is not None and chat.idle:
                self._forget(key, chat)

    def _chat(self, key: int | str, is_group: bool) -> _Chat:
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = _Chat(self.limits, is_group=is_group)
        return chat

    def _release_later(self, window: _Window, key: int | str | None = None) -> None:
        asyncio.get_running_loop().call_later(window.period, self._release, window, key)

    def _release(self, window: _Window, key: int | str | None) -> None:
        window.hand_on()
        if key is not None:
            chat = self._chats.get(key)
            if chat is not None and chat.idle:
                self._forget(key, chat)

    def _forget(self, key: int | str | None, chat: _Chat) -> None:
        if key is not None and self._chats.get(key) is chat:
            del self._chats[key]

    async def _slot(self, pacer: _Pacer, *, bulk: bool, first: bool) -> None:
        """Wait for a 429 pause to end, then for a slot; again if a 429 came meanwhile."""
        loop = asyncio.get_running_loop()
        while True:
            await self._pause_over()
            await pacer.turn(bulk=bulk, first=first)
            if self._paused_until <= loop.time():
                return

    async def _pause_over(self) -> None:
        loop = asyncio.get_running_loop()
        # A loop, not one sleep: another 429 may push the deadline further while we wait.
        while (left := self._paused_until - loop.time()) > 0:
            await asyncio.sleep(left)

    def _on_retry_after(self, error: RetryAfter, endpoint: str, attempt: int, tries: int) -> None:
        seconds = retry_after_seconds(error)
        now = asyncio.get_running_loop().time()
        until = max(self._paused_until, now + seconds)
        self._paused_for += until - max(self._paused_until, now)
        self._paused_until = until
        self._rate_limited += 1
        if attempt >= tries:
            log.warning("%s answered 429 (retry after %ss) %d times: giving up", endpoint, seconds, attempt)
            raise error
        self._retried += 1
        log.info("%s answered 429: every request waits %ss, then it is tried again", endpoint, seconds)


def _chat_of(chat_id: object) -> tuple[int | str | None, bool]:
    """The chat's key and whether it is a group, supergroup or channel (negative ids, @usernames)."""
    if isinstance(chat_id, bool) or chat_id is None:
        return None, False
    if isinstance(chat_id, int):
        return chat_id, chat_id < 0
    text = str(chat_id).strip()
    try:
        number = int(text)
    except ValueError:
        return text.lower(), True  # "@channel": only supergroups and channels have usernames here
    return number, number < 0


def retry_after_seconds(error: RetryAfter) -> float:
    """How long a 429 asks to wait, in seconds, without python-telegram-bot's deprecation warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)  # int today, timedelta in a later major version
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
