"""Waiting for Telegram at start-up: network errors retried with exponential backoff, a refused token not at all.

python-telegram-bot has `bootstrap_retries` for this, but its loop logs only at DEBUG (a bot
waiting for the network looks hung) and retries a timeout at once; here each wait is one
WARNING line ("Telegram unreachable (...): retrying in 4 s"), 1 s doubling to 60 s.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.ratelimit import retry_after_seconds

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """Waits of `first` seconds, multiplied by `factor` after each failure, never more than `cap`."""

    first: float = 1.0
    factor: float = 2.0
    cap: float = 60.0

    def delays(self) -> Iterator[float]:
        """The waits, one per failure, without end."""
        delay = self.first
        while True:
            yield min(delay, self.cap)
            delay = min(delay * self.factor, self.cap)


def unreachable(error: BaseException) -> bool:
    """Whether an error means Telegram could not be reached (worth waiting for), not that it said no."""
    # BadRequest is a NetworkError in python-telegram-bot, but it is Telegram's answer.
    return isinstance(error, RetryAfter) or (isinstance(error, NetworkError) and not isinstance(error, BadRequest))


async def until_reachable(
    action: Callable[[], Awaitable[T]],
    backoff: Backoff,
    *,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> T:
    """Run `action` until it does not fail for want of Telegram; any other error (InvalidToken) is raised at once."""
    delays = backoff.delays()
    while True:
        try:
            return await action()
        except Exception as error:
            if not unreachable(error):
                raise
            delay = next(delays)
            if isinstance(error, RetryAfter):
                delay = max(delay, retry_after_seconds(error))
            log.warning("Telegram unreachable (%s): retrying in %s s", str(error).strip() or type(error).__name__, f"{delay:g}")
            await sleep(delay)
