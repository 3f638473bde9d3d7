"""Errors reported to the operator's chat (ERROR_CHAT_ID), over the loopback Bot API with the real Application."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram.ext import CommandHandler

from handlers.error_reports import report_text
from tests.handlers.harness import NOW, live_bot

TOKEN_SHAPED = "1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


async def _boom(update: object, context: object) -> None:
    """A command whose handler fails, with markup and a token-shaped string in the error's message."""
    raise RuntimeError(f"<b>broke</b> & calling https://api.telegram.org/bot{TOKEN_SHAPED}/getMe")


def _add_boom(bot) -> None:
    # Before every group of the bot's own (whose unknown-command handler would take /boom first).
    bot.application.add_handler(CommandHandler("boom", _boom), group=-10)


def _operator(bot) -> int:
    """A user who is the bot's ERROR_CHAT_ID."""
    operator = bot.server.add_user("Operator").id
    bot.application.bot_data["services"].settings.error_chat_id = operator
    return operator


async def _reports(bot, operator: int, count: int) -> list[str]:
    await bot.server.wait_for_messages_async(operator, count, 10.0)
    await asyncio.sleep(0.3)  # nothing more arrives
    return [message.text for message in bot.server.messages(operator)]


async def test_a_failing_command_is_reported_to_the_operator_escaped_and_without_the_token(tmp_path):
    async with live_bot(tmp_path, demo=False, error_report_interval_seconds=60) as bot:
        operator = _operator(bot)
        _add_boom(bot)
        chat = bot.chat()
        apology, _unknown = await chat.command("boom", count=2)
        [report] = await _reports(bot, operator, 1)
    assert apology.text == "Sorry, something went wrong on my side. Please try again in a moment."
    lines = report.split("\n")
    assert lines[0] == "⚠️ newsbrief error"
    assert lines[1] == "RuntimeError: <b>broke</b> & calling https://api.telegram.org/bot<redacted token>/getMe"
    assert lines[2] == "while handling: command /boom in a private chat"
    assert lines[3] == f"at test_error_reports.py:{_boom.__code__.co_firstlineno + 2} in _boom"  # the raise
    assert TOKEN_SHAPED not in report and bot.server.token not in report


async def test_errors_within_the_interval_are_counted_in_the_next_report(tmp_path):
    async with live_bot(tmp_path, demo=False, error_report_interval_seconds=60) as bot:
        operator = _operator(bot)
        _add_boom(bot)
        chat = bot.chat()
        for _ in range(3):
            await chat.command("boom", count=2)
        first = await _reports(bot, operator, 1)
        bot.clock.set(NOW + timedelta(seconds=61))
        await chat.command("boom", count=2)
        both = await _reports(bot, operator, 2)
    assert len(first) == 1
    assert "more error" not in first[0]
    assert both[1].split("\n")[-1] == "and 2 more errors since 09:00:00 UTC (see the log)"


async def test_a_telegram_error_while_answering_is_reported(tmp_path):
    async with live_bot(tmp_path, demo=False) as bot:
        operator = _operator(bot)
        chat = bot.chat()
        bot.server.faults.fail_next(1, status=400, methods=["sendMessage"])
        bot.server.send_command(chat.chat_id, "help")
        [report] = await _reports(bot, operator, 1)
    assert report.split("\n")[1:3] == ["BadRequest: Injected fault", "while handling: command /help in a private chat"]


async def test_without_an_error_chat_nothing_is_reported_and_a_failing_report_raises_nothing(tmp_path):
    async with live_bot(tmp_path, demo=False) as bot:
        _add_boom(bot)
        chat = bot.chat()
        apology, _unknown = await chat.command("boom", count=2)
        # An operator chat that does not exist: the report fails, the user is still answered.
        bot.application.bot_data["services"].settings.error_chat_id = 987654321
        second, _unknown = await chat.command("boom", count=2)
    assert apology.text == second.text == "Sorry, something went wrong on my side. Please try again in a moment."


def test_a_report_stays_under_telegrams_limit_whatever_the_error_says():
    error = ValueError("<&>" * 5000)
    text = report_text(error, "x" * 10_000, token=None, held_back=3)
    assert len(text) < 4096
    assert text.count("&lt;&amp;&gt;") >= 100
