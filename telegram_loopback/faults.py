"""Faults injected on purpose: Telegram answering 429, 500 or 502, or answering late, for a while."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from telegram_loopback.errors import ApiError, bad_gateway, internal_error, too_many_requests

# Faults leave long polling alone unless asked, so the bot under test keeps receiving updates.
_SPARED_BY_DEFAULT = frozenset({"getupdates"})


@dataclass
class Fault:
    """One injected fault: ``status`` 429/500/502, or a ``delay`` before the answer."""

    status: int | None
    retry_after: int = 1
    delay: float = 0.0
    deliver: bool = True
    remaining: int | None = None
    until: float | None = None
    methods: frozenset[str] | None = None
    hits: int = 0

    def live(self, now: float) -> bool:
        if self.remaining is not None:
            return self.remaining > 0
        return self.until is not None and now < self.until

    def applies(self, method: str, now: float) -> bool:
        if self.methods is None:
            if method in _SPARED_BY_DEFAULT:
                return False
        elif method not in self.methods:
            return False
        return self.live(now)

    def error(self) -> ApiError | None:
        """The answer this fault gives instead of a result (``None``: a delayed normal answer)."""
        if self.status == 429:
            return too_many_requests(self.retry_after)
        if self.status == 500:
            return internal_error()
        if self.status == 502:
            return bad_gateway()
        if self.status is not None:
            return ApiError(self.status, "Injected fault")
        return None if self.deliver else bad_gateway()


class Faults:
    """The faults now in force; thread-safe. ``methods`` names Bot API methods (any case)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.injected = 0

    def fail_next(
        self, count: int = 1, *, status: int = 500, retry_after: int = 1, methods: Iterable[str] | None = None
    ) -> Fault:
        """The next ``count`` calls answer ``status`` (429 carries ``retry_after``)."""
        return self._add(Fault(status, retry_after=retry_after, remaining=count, methods=_names(methods)))

    def fail_for(
        self, seconds: float, *, status: int = 500, retry_after: int = 1, methods: Iterable[str] | None = None
    ) -> Fault:
        """Every call for the next ``seconds`` answers ``status``."""
        until = self._clock() + seconds
        return self._add(Fault(status, retry_after=retry_after, until=until, methods=_names(methods)))

    def delay_next(
        self, count: int = 1, *, seconds: float, deliver: bool = True, methods: Iterable[str] | None = None
    ) -> Fault:
        """The next ``count`` calls answer after ``seconds`` (a client timeout).

        With ``deliver=True`` the call still takes effect, as when Telegram sent the message but the
        answer never reached the bot; with ``deliver=False`` it does not, and the late answer is a 502.
        """
        return self._add(Fault(None, delay=seconds, deliver=deliver, remaining=count, methods=_names(methods)))

    def delay_for(
        self, window: float, *, seconds: float, deliver: bool = True, methods: Iterable[str] | None = None
    ) -> Fault:
        """Every call in the next ``window`` seconds answers after ``seconds``."""
        until = self._clock() + window
        return self._add(Fault(None, delay=seconds, deliver=deliver, until=until, methods=_names(methods)))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def active(self) -> list[Fault]:
        with self._lock:
            now = self._clock()
            return [fault for fault in self._faults if fault.live(now)]

    def take(self, method: str) -> Fault | None:
        """The fault that hits this call of ``method`` (lower-case), consuming one of its calls."""
        with self._lock:
            now = self._clock()
            for fault in self._faults:
                if fault.applies(method, now):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    fault.hits += 1
                    self.injected += 1
                    return fault
        return None

    def _add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault


def _names(methods: Iterable[str] | None) -> frozenset[str] | None:
    if methods is None:
        return None
    if isinstance(methods, str):
        methods = [methods]
    return frozenset(name.lower() for name in methods)
