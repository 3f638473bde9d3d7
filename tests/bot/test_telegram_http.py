from __future__ import annotations

import socket

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.telegram_http import AiohttpRequest
from telegram_loopback import BotApiServer


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_a_bot_speaks_json_to_the_bot_api_through_aiohttp():
    with BotApiServer() as server:
        user = server.add_user("Ada")
        async with Bot(server.token, base_url=server.base_url, request=AiohttpRequest(2)) as bot:
            message = await bot.send_message(user.id, "<b>Hello</b> &amp; goodbye", parse_mode="HTML")
        [call] = server.calls("sendMessage")
    assert message.text == "Hello & goodbye"
    assert server.messages(user.id)[0].text == "Hello & goodbye"
    assert call.params["parse_mode"] == "HTML"


async def test_no_answer_in_time_is_timed_out():
    with BotApiServer() as server:
        user = server.add_user("Ada")
        server.faults.delay_next(1, seconds=2, deliver=False, methods=["sendMessage"])
        async with Bot(server.token, base_url=server.base_url, request=AiohttpRequest(2, read_timeout=0.3)) as bot:
            with pytest.raises(TimedOut):
                await bot.send_message(user.id, "late")


async def test_nobody_listening_is_a_network_error():
    request = AiohttpRequest(1, connect_timeout=1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError, match="aiohttp.ClientConnectorError"):
            await request.do_request(f"http://127.0.0.1:{closed_port()}/botX/getMe", "POST")
    finally:
        await request.shutdown()


async def test_a_request_before_initialize_is_refused():
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/x", "POST")
