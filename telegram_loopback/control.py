"""Playing users from another process: ``POST /control/<token>/<action>`` with a JSON body, and a client.

For a server started with ``python -m telegram_loopback``; in-process tests call the server's methods directly.
"""

from __future__ import annotations

import dataclasses
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, Protocol

from telegram_loopback.errors import ApiError, bad_request, not_found, unauthorized
from telegram_loopback.state import User


class BotApiServer(Protocol):
    """What the control actions reach of the server (which imports this module, so it is named, not imported)."""

    token: str

    def __getattr__(self, name: str) -> Any: ...


def _user(server: BotApiServer, args: dict[str, Any]) -> User | None:
    user_id = args.pop("user_id", None)
    return server.state.users.get(int(user_id)) if user_id is not None else None


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _nothing(_: Any) -> None:
    return None


ACTIONS: dict[str, Callable[[BotApiServer, dict[str, Any]], Any]] = {
    "add_user": lambda s, a: s.add_user(**a),
    "add_users": lambda s, a: s.add_users(**a),
    "add_group": lambda s, a: s.add_group(
        a.get("title", "Newsroom"),
        [s.state.users[int(i)] for i in a.get("member_ids", [])],
        supergroup=bool(a.get("supergroup")),
        username=a.get("username"),
        bot_is_admin=bool(a.get("bot_is_admin")),
    ),
    "add_channel": lambda s, a: s.add_channel(
        a.get("title", "Morning Wire"),
        [s.state.users[int(i)] for i in a.get("admin_ids", [])],
        username=a.get("username"),
        bot_status=a.get("bot_status", "administrator"),
        bot_can_post=bool(a.get("bot_can_post", True)),
    ),
    "set_bot_member": lambda s, a: s.set_bot_member(a.pop("chat_id"), a.pop("status"), **a),
    "send_text": lambda s, a: s.send_text(a.pop("chat_id"), a.pop("text"), user=_user(s, a), **a),
    "send_command": lambda s, a: s.send_command(a.pop("chat_id"), a.pop("command"), user=_user(s, a), **a),
    "press_button": lambda s, a: s.press_button(a.pop("chat_id"), a.pop("message_id"), a.pop("button"), user=_user(s, a), **a),
    "enable_inline_mode": lambda s, a: s.enable_inline_mode(**a),
    "send_inline_query": lambda s, a: s.send_inline_query(s.state.users[int(a.pop("user_id"))], a.pop("query"), **a),
    "inline_answer": lambda s, a: s.inline_answer(a["query_id"]),
    "choose_inline_result": lambda s, a: s.choose_inline_result(a["chat_id"], a["query_id"], a["result_id"]),
    "block": lambda s, a: s.block(a["chat_id"]),
    "unblock": lambda s, a: s.unblock(a["chat_id"]),
    "delete_chat": lambda s, a: s.delete_chat(a["chat_id"]),
    "kick_bot": lambda s, a: s.kick_bot(a["chat_id"]),
    "migrate_group": lambda s, a: s.migrate_group(a["chat_id"]),
    "messages": lambda s, a: s.messages(a.pop("chat_id"), **a),
    "wait_for_messages": lambda s, a: s.wait_for_messages(a.pop("chat_id"), **a),
    "callback_answers": lambda s, a: s.callback_answers(a.get("chat_id")),
    "calls": lambda s, a: s.calls(a.get("method"), chat_id=a.get("chat_id"), ok=a.get("ok")),
    "enable_limits": lambda s, a: s.limits.enable(**a),
    "disable_limits": lambda s, a: s.limits.disable(),
    "limits": lambda s, a: {"enabled": s.limits.enabled, "rejected": s.limits.rejected, **_plain(s.limits.config)},
    "fail_next": lambda s, a: _nothing(s.faults.fail_next(**a)),
    "fail_for": lambda s, a: _nothing(s.faults.fail_for(**a)),
    "delay_next": lambda s, a: _nothing(s.faults.delay_next(**a)),
    "clear_faults": lambda s, a: s.faults.clear(),
    "pending_updates": lambda s, a: s.pending_updates(),
}


def handle_control(server: BotApiServer, token: str, action: str, body: bytes) -> tuple[int, dict[str, Any]]:
    """Run one control action; answers use the Bot API's ``ok``/``result`` shape."""
    if token != server.token:
        return 401, unauthorized().to_json()
    run = ACTIONS.get(action)
    if run is None:
        return 404, not_found().to_json()
    try:
        args = json.loads(body or b"{}")
        if not isinstance(args, dict):
            raise bad_request("JSON object expected")
        result = run(server, args)
    except ApiError as exc:
        return exc.error_code, exc.to_json()
    except (KeyError, TypeError, ValueError, TimeoutError) as exc:
        return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {type(exc).__name__}: {exc}"}
    return 200, {"ok": True, "result": _plain(result)}


class ControlClient:
    """Drive a server in another process: ``ControlClient(url, token).send_command(chat_id, "syria")``."""

    def __init__(self, url: str, token: str, *, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def __getattr__(self, action: str) -> Callable[..., Any]:
        if action not in ACTIONS:
            raise AttributeError(action)

        def run(**args: Any) -> Any:
            return self.request(action, **args)

        return run

    def request(self, action: str, **args: Any) -> Any:
        data = json.dumps(args).encode("utf-8")
        request = urllib.request.Request(
            f"{self.url}/control/{self.token}/{action}", data, {"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())["result"]
        except urllib.error.HTTPError as exc:
            answer = json.loads(exc.read() or b"{}")
            raise ApiError(exc.code, answer.get("description", str(exc))) from exc
