"""`newsbrief run` and `newsbrief push` in processes of their own: no token, webhook secrets, serving Telegram."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.bot.cli.process import newsbrief


def test_run_without_a_token_says_how_to_get_one_and_how_to_try_without(tmp_path):
    result = newsbrief(tmp_path, "run")
    assert result.returncode == 2
    assert "No TELEGRAM_BOT_TOKEN is set." in result.stderr
    assert "@BotFather" in result.stderr
    assert "newsbrief chat" in result.stderr


def test_a_webhook_needs_a_secret(tmp_path):
    result = newsbrief(tmp_path, "run", "--webhook", "https://bot.example/hook", token="123:abc")
    assert result.returncode == 2
    assert "A webhook needs a secret token" in result.stderr


def test_push_dry_run_without_subscribers(tmp_path):
    result = newsbrief(tmp_path, "push", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "No active subscribers."


def test_run_serves_telegram_until_stopped(tmp_path):
    from telegram_loopback import BotApiServer

    with BotApiServer() as server:
        user = server.add_user("Ada")
        env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_"))}
        env.update(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
                "TELEGRAM_BOT_TOKEN": server.token,
                "TELEGRAM_API_BASE_URL": server.base_url,
            }
        )
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            server.wait_for(lambda: bool(server.commands()), timeout=60)  # post_init has set the command menu
            server.send_command(user.id, "start")
            [reply] = server.wait_for_messages(user.id, 1, timeout=30)
        finally:
            bot.send_signal(signal.SIGINT)
            output, _ = bot.communicate(timeout=60)
    assert reply.text.startswith("👋 newsbrief gives you news briefings")
    assert bot.returncode == 0, output



WRONG_TOKEN = "987654321:AAWrongWrongWrongWrongWrongWrongWrong"
REFUSED = "Telegram refused the token (InvalidToken): check TELEGRAM_BOT_TOKEN"


# DEBUG: httpx, aiohttp and python-telegram-bot log request URLs, and the token in them, at DEBUG.
@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_run_with_a_rejected_token_says_so_in_one_line_and_never_prints_it(tmp_path, level):
    from telegram_loopback import BotApiServer

    with BotApiServer() as server:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "LOG_"))}
        env.update(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
                "TELEGRAM_BOT_TOKEN": WRONG_TOKEN,
                "TELEGRAM_API_BASE_URL": server.base_url,
                "LOG_LEVEL": level,
            }
        )
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
    output = result.stdout + result.stderr
    assert WRONG_TOKEN.split(":")[1] not in output
    assert "Traceback" not in output
    assert result.returncode == 2
    if level == "INFO":
        assert (result.stdout, result.stderr) == ("", REFUSED + "\n")
    else:
        assert "<redacted token>" in result.stderr  # the DEBUG lines are there, without the token
        assert result.stderr.splitlines()[-1] == REFUSED
