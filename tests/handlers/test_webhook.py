from __future__ import annotations

import socket

import httpx

from bot.app import webhook_arguments
from tests.handlers.harness import live_bot


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_webhook_arguments_take_the_path_of_the_url():
    assert webhook_arguments("https://bot.example/tg/hook", "0.0.0.0", 8443, "s3cret") == {
        "listen": "0.0.0.0",
        "port": 8443,
        "url_path": "tg/hook",
        "webhook_url": "https://bot.example/tg/hook",
        "secret_token": "s3cret",
    }


async def test_webhook_mode_answers_updates_and_refuses_a_wrong_secret(tmp_path):
    async with live_bot(tmp_path, polling=False) as bot:
        port = free_port()
        url = f"http://127.0.0.1:{port}/hook"
        await bot.application.updater.start_webhook(**webhook_arguments(url, "127.0.0.1", port, "s3cret-token"))
        try:
            assert bot.server.webhook_info()["url"] == url
            [reply] = await bot.chat().command("help")
            async with httpx.AsyncClient() as client:
                forged = await client.post(url, json={"update_id": 999, "message": {"text": "/help"}}, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
                unsigned = await client.post(url, json={"update_id": 998})
        finally:
            await bot.application.updater.stop()
    assert reply.text.startswith("newsbrief briefs you on the news")
    assert forged.status_code == 403
    assert unsigned.status_code == 403
