"""`newsbrief run` serves /healthz and /metrics on METRICS_PORT, in a process of its own against the loopback Bot API."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from telegram_loopback import BotApiServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_when_up(url: str, deadline: float = 60.0) -> httpx.Response:
    """GET url, retrying while the bot starts (a generous deadline only to catch a hang)."""
    give_up = time.monotonic() + deadline
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > give_up:
                raise
            time.sleep(0.2)


def test_run_serves_healthz_and_metrics_on_the_metrics_port(tmp_path):
    port = free_port()
    with BotApiServer() as server:
        user = server.add_user("Ada")
        env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "METRICS_"))}
        env.update(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
                "TELEGRAM_BOT_TOKEN": server.token,
                "TELEGRAM_API_BASE_URL": server.base_url,
                "METRICS_PORT": str(port),
            }
        )
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            health = get_when_up(f"http://127.0.0.1:{port}/healthz")
            server.send_command(user.id, "help")
            server.wait_for_messages(user.id, 1, timeout=30)
            metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
        finally:
            bot.send_signal(signal.SIGINT)
            output, _ = bot.communicate(timeout=60)
    assert health.status_code == 200, health.text
    assert health.json()["store"] == "reachable"
    assert 'newsbrief_command_seconds_count{command="help"} 1.0' in metrics.text
    assert bot.returncode == 0, output
