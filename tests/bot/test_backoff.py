"""Waiting for Telegram at start-up: which errors are waited out, and how long each wait is."""

from __future__ import annotations

import logging
from itertools import islice

import pytest
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.backoff import Backoff, until_reachable


def failing(*errors: Exception):
    """An action raising these errors in turn, then answering "ok"; and the list of its calls."""
    calls: list[int] = []

    async def action() -> str:
        calls.append(len(calls))
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "ok"

    return action, calls


def recorder():
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    return sleep, slept


def test_the_waits_double_from_one_second_up_to_a_minute():
    assert list(islice(Backoff().delays(), 9)) == [1, 2, 4, 8, 16, 32, 60, 60, 60]


async def test_network_errors_and_timeouts_are_waited_out_with_one_line_each(caplog):
    action, calls = failing(NetworkError("aiohttp.ClientConnectorError: Cannot connect"), TimedOut(), NetworkError("DNS"))
    sleep, slept = recorder()
    with caplog.at_level(logging.WARNING, logger="bot.backoff"):
        assert await until_reachable(action, Backoff(), sleep=sleep) == "ok"
    assert slept == [1, 2, 4]
    assert len(calls) == 4
    assert caplog.messages == [
        "Telegram unreachable (aiohttp.ClientConnectorError: Cannot connect): retrying in 1 s",
        "Telegram unreachable (Timed out): retrying in 2 s",
        "Telegram unreachable (DNS): retrying in 4 s",
    ]


@pytest.mark.parametrize("error", [InvalidToken("Unauthorized"), BadRequest("Bad Request: wrong parameter"), ValueError("bug")])
async def test_an_answer_from_telegram_or_a_bug_is_raised_at_once(error):
    action, calls = failing(error)
    sleep, slept = recorder()
    with pytest.raises(type(error)):
        await until_reachable(action, Backoff(), sleep=sleep)
    assert (calls, slept) == ([0], [])


async def test_a_flood_wait_waits_as_long_as_telegram_asks():
    action, _ = failing(RetryAfter(5), NetworkError("down"))
    sleep, slept = recorder()
    assert await until_reachable(action, Backoff(), sleep=sleep) == "ok"
    assert slept == [5, 2]
