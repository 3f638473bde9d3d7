from __future__ import annotations

import pytest

from telegram_loopback.errors import ApiError
from telegram_loopback.limits import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(clock: FakeClock, **overrides: int) -> RateLimiter:
    limits = RateLimiter(clock)
    limits.enable(**overrides)
    return limits


def retry_after(limits: RateLimiter, chat_id: int, *, is_group: bool = False, paid: bool = False) -> int:
    with pytest.raises(ApiError) as caught:
        limits.acquire(chat_id, is_group=is_group, paid=paid)
    assert caught.value.error_code == 429
    assert caught.value.description == f"Too Many Requests: retry after {caught.value.parameters['retry_after']}"
    return caught.value.parameters["retry_after"]


def test_off_until_enabled():
    limits = RateLimiter(FakeClock())
    for _ in range(100):
        limits.acquire(1, is_group=False)
    assert limits.rejected == 0


def test_one_message_a_second_per_chat():
    clock = FakeClock()
    limits = limiter(clock)
    limits.acquire(1, is_group=False)
    limits.acquire(2, is_group=False)
    clock.now += 0.5
    assert retry_after(limits, 1) == 1
    clock.now += 0.5
    limits.acquire(1, is_group=False)
    assert limits.rejected == 1


def test_thirty_messages_a_second_in_all():
    clock = FakeClock()
    limits = limiter(clock)
    for chat_id in range(30):
        limits.acquire(chat_id, is_group=False)
    assert retry_after(limits, 99) == 1
    clock.now += 1.0
    limits.acquire(99, is_group=False)


def test_twenty_messages_a_minute_in_a_group():
    clock = FakeClock()
    limits = limiter(clock)
    for _ in range(20):
        limits.acquire(-5, is_group=True)
        clock.now += 1.5
    assert retry_after(limits, -5, is_group=True) == 30  # the first of the twenty leaves the window in 30 s
    clock.now += 30
    limits.acquire(-5, is_group=True)


def test_paid_broadcast_lifts_the_overall_limit_but_not_the_chat_limit():
    clock = FakeClock()
    limits = limiter(clock)
    for chat_id in range(100):
        limits.acquire(chat_id, is_group=False, paid=True)
    assert retry_after(limits, 0, paid=True) == 1


def test_the_numbers_can_be_changed():
    clock = FakeClock()
    limits = limiter(clock, per_chat_per_second=3)
    for _ in range(3):
        limits.acquire(1, is_group=False)
    assert retry_after(limits, 1) == 1
