"""Telegram's sending limits, enforced when switched on: 429 with ``retry_after`` when a bot breaks them.

Telegram documents them loosely ("about 30 messages per second", "no more than one message per
second" in a chat, "20 messages per minute" in a group); here each is a sliding window over the
messages actually sent, so a bot pacing itself just under the limits never sees a 429.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from telegram_loopback.errors import too_many_requests

# Methods that put a message into a chat; edits, deletions and chat actions are not counted.
MESSAGE_METHODS = frozenset(
    {
        "sendmessage",
        "forwardmessage",
        "forwardmessages",
        "copymessage",
        "copymessages",
        "sendphoto",
        "sendaudio",
        "senddocument",
        "sendvideo",
        "sendanimation",
        "sendvoice",
        "sendvideonote",
        "sendpaidmedia",
        "sendmediagroup",
        "sendlocation",
        "sendvenue",
        "sendcontact",
        "sendpoll",
        "sendchecklist",
        "senddice",
        "sendsticker",
        "sendinvoice",
        "sendgame",
    }
)


@dataclass(frozen=True)
class TelegramLimits:
    """The numbers; change one with ``server.limits.enable(per_chat_per_second=2)``."""

    messages_per_second: int = 30
    per_chat_per_second: int = 1
    group_per_minute: int = 20
    paid_messages_per_second: int = 1000


class RateLimiter:
    """Sliding-window counters per bot, per chat and per group. Thread-safe; off until enabled."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.enabled = False
        self.config = TelegramLimits()
        self.rejected = 0
        self._all: deque[float] = deque()
        self._paid: deque[float] = deque()
        self._chats: dict[int, deque[float]] = {}
        self._groups: dict[int, deque[float]] = {}

    def enable(self, **overrides: int) -> None:
        """Enforce Telegram's limits (optionally with other numbers) from now on."""
        with self._lock:
            self.config = replace(TelegramLimits(), **overrides)
            self.enabled = True

    def disable(self) -> None:
        with self._lock:
            self.enabled = False

    def reset(self) -> None:
        """Forget sent messages and the count of 429s."""
        with self._lock:
            self.rejected = 0
            self._all.clear()
            self._paid.clear()
            self._chats.clear()
            self._groups.clear()

    def acquire(self, chat_id: int, *, is_group: bool, paid: bool = False) -> None:
        """Count one message to ``chat_id``, or raise the 429 Telegram would answer."""
        if not self.enabled:
            return
        with self._lock:
            now = self._clock()
            config = self.config
            waits: list[float] = []
            if paid:
                waits.append(_wait(self._paid, now, 1.0, config.paid_messages_per_second))
            else:
                waits.append(_wait(self._all, now, 1.0, config.messages_per_second))
            chat_window = self._chats.setdefault(chat_id, deque())
            waits.append(_wait(chat_window, now, 1.0, config.per_chat_per_second))
            group_window = self._groups.setdefault(chat_id, deque()) if is_group else None
            if group_window is not None:
                waits.append(_wait(group_window, now, 60.0, config.group_per_minute))
            longest = max(waits)
            if longest > 0:
                self.rejected += 1
                raise too_many_requests(longest)
            (self._paid if paid else self._all).append(now)
            chat_window.append(now)
            if group_window is not None:
                group_window.append(now)


def _wait(window: deque[float], now: float, span: float, allowed: int) -> float:
    """Seconds until one more message fits into ``window`` (0 when it fits now)."""
    while window and window[0] <= now - span:
        window.popleft()
    if len(window) < allowed:
        return 0.0
    return window[len(window) - allowed] + span - now
