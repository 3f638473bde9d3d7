"""`newsbrief run` and `newsbrief push` in processes of their own: no token, webhook secrets, serving Telegram."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.bot.cli.process import UNREACHABLE, UNREACHABLE_LINE, newsbrief


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


def free_port() -> int:
    """A loopback port nothing listens on (for the moment)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Output:
    """A process's output lines, read as they come, so a test can wait for one."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        import threading

        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._reader.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, count: int = 1, timeout: float = 60) -> None:
        import time

        deadline = time.monotonic() + timeout
        while sum(text in line for line in self.lines) < count:
            assert time.monotonic() < deadline, f"no {count}x {text!r} in:\n" + "\n".join(self.lines)
            time.sleep(0.05)

    def finish(self, timeout: float = 60) -> str:
        self._reader.join(timeout)
        return "\n".join(self.lines)


def test_run_started_while_telegram_is_unreachable_waits_for_it_then_serves(tmp_path):
    from telegram_loopback import BotApiServer

    port = free_port()
    token = "7123456789:AA" + "x" * 33
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "LOG_"))}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
        }
    )
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = Output(bot)
    try:
        # Connection refused twice: the first waits 1 s, the second 2 s.
        output.wait_for("Telegram unreachable (", count=2)
        assert bot.poll() is None, output.finish()
        with BotApiServer(port=port, token=token) as server:
            user = server.add_user("Ada")
            server.wait_for(lambda: bool(server.commands()), timeout=60)
            server.send_command(user.id, "start")
            [reply] = server.wait_for_messages(user.id, 1, timeout=30)
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=60)
    finally:
        if bot.poll() is None:
            bot.kill()
    log = output.finish()
    assert reply.text.startswith("👋 newsbrief gives you news briefings")
    assert bot.returncode == 0, log
    waits = [line.split(": retrying in ")[1] for line in log.splitlines() if "Telegram unreachable (" in line]
    assert waits[:2] == ["1 s", "2 s"]
    assert "Cannot connect to host 127.0.0.1:" in log
    assert "Traceback" not in log
    assert token.split(":")[1] not in log


async def test_push_dry_run_shows_each_chat_s_local_due_time_and_only_what_a_tick_now_sends(tmp_path, capsys):
    from datetime import UTC, datetime, time

    from bot.cli.run import preview
    from bot.push_plan import due_now
    from bot.store import deliveries, subscribe, update_subscriber
    from handlers.push import preview_deliveries
    from tests.handlers.harness import live_bot

    clock = datetime(2026, 11, 20, 10, 1, tzinfo=UTC)  # a Friday; New York is on EST (UTC-5)
    async with live_bot(tmp_path, polling=False) as bot:
        chats = {}
        for name, topic, at, zone in [
            ("utc", "syria", time(10, 0), "UTC"),  # due a minute ago
            ("berlin", "economy", time(12, 0), "Europe/Berlin"),  # 11:00 UTC: not yet
            ("new_york", "syria", time(5, 0), "America/New_York"),  # 10:00 UTC: due
            ("tokyo", "economy", time(16, 0), "Asia/Tokyo"),  # 07:00 UTC: 3 h 1 min late, missed
        ]:
            chat_id = bot.chat(name).chat_id
            subscribe(bot.store, chat_id, topic, now=datetime(2026, 11, 20, 6, 0, tzinfo=UTC))
            update_subscriber(bot.store, chat_id, briefing_time=at, timezone=zone)
            chats[name] = chat_id
        bot.clock.set(clock)
        found = bot.application.bot_data["services"]
        capsys.readouterr()

        assert await preview(found, None, everything=False) == 0
        shown = capsys.readouterr().out.splitlines()
        send, _ = due_now(bot.store, clock, grace=found.settings.push_grace)
        previewed = {item.chat_id: [m.text for m in messages] for item, messages in preview_deliveries(found, send)}
        assert await preview(found, None, everything=True) == 0
        everything = [line for line in capsys.readouterr().out.splitlines() if line.startswith("chat ")]
        await bot.tick()
        sent = {chat: [m.source for m in bot.server.messages(chat)] for chat in chats.values()}
        statuses = {d.chat_id: d.status for d in deliveries(bot.store)}
        assert await preview(found, None, everything=False) == 0
        after = capsys.readouterr().out.splitlines()

    rows = [line for line in shown if line.startswith("chat ")]
    assert rows == [
        f"chat {chats['utc']} · 10:00 UTC today · due now: 1 message",
        f"chat {chats['berlin']} · 12:00 Europe/Berlin today · not due yet",
        f"chat {chats['new_york']} · 05:00 America/New_York today · due now: 1 message",
        f"chat {chats['tokyo']} · 16:00 Asia/Tokyo today · missed: more than 3 h late, a tick skips it",
        f"chat {chats['tokyo']} · 16:00 Asia/Tokyo tomorrow · not due yet",
    ]
    assert shown[-1] == "2 of 4 chats due now."
    # --now previews every chat, now.
    assert [row.split(" · ", 1)[1] for row in everything] == [
        "10:01 UTC today · now (--now): 1 message",
        "11:01 Europe/Berlin today · now (--now): 1 message",
        "05:01 America/New_York today · now (--now): 1 message",
        "19:01 Asia/Tokyo today · now (--now): 1 message",
    ]
    # What the preview shows is what the tick then sent, message for message.
    assert previewed == {chats["utc"]: sent[chats["utc"]], chats["new_york"]: sent[chats["new_york"]]}
    assert sent[chats["berlin"]] == sent[chats["tokyo"]] == []
    assert statuses == {chats["utc"]: "sent", chats["new_york"]: "sent", chats["tokyo"]: "skipped"}
    assert [line for line in after if line.startswith("chat ")] == [
        f"chat {chats['utc']} · 10:00 UTC tomorrow · not due yet",
        f"chat {chats['berlin']} · 12:00 Europe/Berlin today · not due yet",
        f"chat {chats['new_york']} · 05:00 America/New_York tomorrow · not due yet",
        f"chat {chats['tokyo']} · 16:00 Asia/Tokyo tomorrow · not due yet",
    ]
    assert after[-1] == "0 of 4 chats due now."


@pytest.mark.parametrize("options", [["--dry-run"], ["--now"]])
def test_push_says_in_one_line_that_the_store_is_unreachable(tmp_path, options):
    result = newsbrief(tmp_path, "push", *options, token="123:abc", env={"DATABASE_URL": UNREACHABLE})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(UNREACHABLE_LINE)
