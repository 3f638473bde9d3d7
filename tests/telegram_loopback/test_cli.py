"""``python -m telegram_loopback`` in another process, driven over HTTP like a second bot process would be."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from telegram_loopback.control import ControlClient

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def server_process(*args: str) -> Iterator[dict[str, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "telegram_loopback", "--port", "0", "--token", "123456:test-token", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline()]
        while lines[-1] and not lines[-1].startswith("users: "):
            lines.append(process.stdout.readline())
        yield dict(line.strip().split(": ", 1) for line in lines[1:])
    finally:
        process.terminate()
        process.wait(timeout=10)


def bot_api(base_url: str, method: str, **params: object) -> dict:
    request = urllib.request.Request(
        f"{base_url}123456:test-token/{method}", json.dumps(params).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_a_server_in_another_process_is_played_through_its_control_url():
    with server_process("--users", "1") as printed:
        base_url = printed["base_url"]
        control = ControlClient(base_url.removesuffix("/bot"), printed["token"])
        user_id = int(printed["users"].split("..")[0])
        control.send_command(chat_id=user_id, command="syria")
        [update] = bot_api(base_url, "getUpdates")["result"]
        sent = bot_api(base_url, "sendMessage", chat_id=user_id, text="<b>Syria</b>", parse_mode="HTML")["result"]
        messages = control.messages(chat_id=user_id)
    assert printed["token"] == "123456:test-token"
    assert update["message"]["text"] == "/syria"
    assert [(m["message_id"], m["text"], m["entities"]) for m in messages] == [
        (sent["message_id"], "Syria", [{"type": "bold", "offset": 0, "length": 5}])
    ]


def test_channels_made_on_the_command_line_take_the_bots_posts():
    with server_process("--users", "1", "--channels", "2") as printed:
        base_url = printed["base_url"]
        first, last = (int(end) for end in printed["channels"].split(".."))
        posted = [bot_api(base_url, "sendMessage", chat_id=chat_id, text="Morning")["result"] for chat_id in (first, last)]
        member = bot_api(base_url, "getChatMember", chat_id=first, user_id=int(printed["users"].split("..")[0]))["result"]
    assert first - last == 1
    assert [(post["chat"]["id"], post["chat"]["type"], post["text"]) for post in posted] == [
        (first, "channel", "Morning"), (last, "channel", "Morning")
    ]
    assert member["status"] == "creator"
