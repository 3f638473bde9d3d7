"""The HTTP surface: URL form, encodings, Telegram's answer shapes, webhooks, faults, the event hook."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from telegram_loopback import BotApiServer, BotApiSpec, Event, default_spec_path

needs_spec = pytest.mark.skipif(
    BotApiSpec.find() is None, reason=f"{default_spec_path()} is absent: spec checks are off"
)


HTTP = httpx.Client(timeout=10)  # one pool for the module: a client per call costs more than the call


def post(server: BotApiServer, method: str, **kwargs: Any) -> httpx.Response:
    return HTTP.post(f"{server.base_url}{server.token}/{method}", **kwargs)


def test_wrong_token_and_unknown_method_use_telegrams_shapes():
    with BotApiServer() as server:
        wrong = HTTP.post(f"{server.base_url}123:nope/getMe")
        unknown = post(server, "sendTelepathy")
        elsewhere = HTTP.get(f"{server.url}/favicon.ico")
    assert (wrong.status_code, wrong.json()) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert (unknown.status_code, unknown.json()) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert elsewhere.status_code == 404


def test_parameters_arrive_as_query_form_json_or_multipart():
    with BotApiServer() as server:
        ada = server.add_user()
        by_query = HTTP.get(f"{server.base_url}{server.token}/sendMessage", params={"chat_id": ada.id, "text": "query"})
        by_form = post(server, "SENDMESSAGE", data={"chat_id": str(ada.id), "text": "form"})
        by_json = post(server, "sendmessage", json={"chat_id": ada.id, "text": "json", "disable_notification": True})
        by_multipart = post(
            server,
            "sendPhoto",
            data={"chat_id": str(ada.id), "caption": "<b>multipart</b>", "parse_mode": "HTML"},
            files={"photo": ("map.png", b"\x89PNG", "image/png")},
        )
    assert [r.status_code for r in (by_query, by_form, by_json, by_multipart)] == [200, 200, 200, 200]
    assert by_json.json()["result"]["text"] == "json"
    assert by_multipart.json()["result"]["caption"] == "multipart"
    assert [(m.kind, m.text) for m in server.messages(ada.id)] == [
        ("text", "query"),
        ("text", "form"),
        ("text", "json"),
        ("photo", "multipart"),
    ]
    assert server.calls("sendPhoto")[0].params["photo"] == "<file map.png, 4 bytes>"


def test_errors_carry_parameters_as_telegram_does():
    with BotApiServer() as server:
        group = server.add_group("Newsroom", [server.add_user()])
        new_id = server.migrate_group(group)
        answer = post(server, "sendMessage", data={"chat_id": str(group), "text": "x"})
    assert (answer.status_code, answer.json()) == (
        400,
        {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: group chat was upgraded to a supergroup chat",
            "parameters": {"migrate_to_chat_id": new_id},
        },
    )


@needs_spec
def test_keyboards_telegram_would_refuse():
    def refusal(button: dict[str, Any]) -> str:
        markup = json.dumps({"inline_keyboard": [[button]]})
        answer = post(server, "sendMessage", data={"chat_id": str(ada.id), "text": "x", "reply_markup": markup})
        assert answer.status_code == 400
        return answer.json()["description"]

    with BotApiServer() as server:
        ada = server.add_user()
        assert refusal({"text": "More", "callback_data": "x" * 65}) == "Bad Request: BUTTON_DATA_INVALID"
        assert refusal({"text": "More", "callback_data": ""}) == (
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
        assert refusal({"text": "", "callback_data": "x"}) == "Bad Request: BUTTON_TEXT_INVALID"
        assert refusal({"text": "Read", "url": "not-a-url"}) == (
            "Bad Request: inline keyboard button URL 'not-a-url' is invalid: Wrong HTTP URL"
        )
        assert refusal({"text": "Both", "url": "https://example.com", "callback_data": "x"}).startswith(
            "Bad Request: can't parse inline keyboard button: Exactly one of the fields url, callback_data must be used"
        )
        assert post(server, "sendMessage", json={"chat_id": ada.id, "text": "x", "reply_markup": {
            "inline_keyboard": [[{"text": "é" * 5, "callback_data": "é" * 32}]]}}).status_code == 200  # 64 bytes


def test_without_the_spec_implemented_methods_still_work(tmp_path: Path):
    with BotApiServer(spec=False) as server:
        ada = server.add_user()
        sent = post(server, "sendMessage", data={"chat_id": str(ada.id), "text": "<i>hi</i>", "parse_mode": "HTML"})
        missing = post(server, "answerCallbackQuery")
        unknown = post(server, "sendDice", data={"chat_id": str(ada.id)})
    assert not server.spec_checks
    assert sent.json()["result"]["entities"] == [{"type": "italic", "offset": 0, "length": 2}]
    assert missing.json()["description"] == 'Bad Request: parameter "callback_query_id" is required'
    assert unknown.status_code == 404
    with pytest.raises(FileNotFoundError):
        BotApiServer(spec=tmp_path / "missing.json")


@needs_spec
def test_the_spec_can_be_named_explicitly():
    with BotApiServer(spec=str(default_spec_path())) as server:
        assert server.spec is not None and server.spec.version == "Bot API 10.1"


@needs_spec
def test_other_spec_methods_get_a_generic_answer():
    with BotApiServer() as server:
        ada = server.add_user()
        pinned = post(server, "pinChatMessage", data={"chat_id": str(ada.id), "message_id": "1"})
        dice = post(server, "sendDice", data={"chat_id": str(ada.id)})
        stars = post(server, "getMyStarBalance")
    assert pinned.json() == {"ok": True, "result": True}
    assert dice.json()["result"]["message_id"] == 1
    assert (stars.status_code, stars.json()["description"]) == (
        501,
        "Not Implemented: the loopback Bot API server does not emulate getMyStarBalance",
    )


def test_the_call_log_records_method_params_chat_and_answer():
    with BotApiServer() as server:
        ada = server.add_user()
        post(server, "sendMessage", json={"chat_id": ada.id, "text": "one"})
        post(server, "sendMessage", json={"chat_id": 424242, "text": "two"})
    ok, failed = server.calls("sendMessage")
    assert (ok.method, ok.params, ok.chat_id, ok.status, ok.ok) == (
        "sendMessage",
        {"chat_id": ada.id, "text": "one"},
        ada.id,
        200,
        True,
    )
    assert (failed.chat_id, failed.status, failed.description) == (424242, 400, "Bad Request: chat not found")
    assert server.calls(chat_id=ada.id) == [ok]
    assert server.calls(ok=False) == [failed]


def test_a_delayed_answer_times_the_client_out_but_the_message_is_sent():
    with BotApiServer() as server:
        ada = server.add_user()
        server.faults.delay_next(1, seconds=0.3, methods=["sendMessage"])
        with pytest.raises(httpx.ReadTimeout):
            post(server, "sendMessage", json={"chat_id": ada.id, "text": "late"}, timeout=0.05)
        [message] = server.wait_for_messages(ada.id, 1)
    assert message.text == "late"


def test_an_injected_500_for_a_few_calls():
    with BotApiServer() as server:
        ada = server.add_user()
        server.faults.fail_next(2, status=500)
        statuses = [post(server, "sendMessage", json={"chat_id": ada.id, "text": "x"}).status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert server.faults.injected == 2


def test_listeners_see_what_the_bot_does():
    with BotApiServer() as server:
        seen: list[Event] = []
        unsubscribe = server.on_event(seen.append)
        ada = server.add_user()
        server.send_text(ada.id, "hello")
        sent = post(server, "sendMessage", json={"chat_id": ada.id, "text": "one"}).json()["result"]
        post(server, "editMessageText", json={"chat_id": ada.id, "message_id": sent["message_id"], "text": "two"})
        post(server, "sendChatAction", json={"chat_id": ada.id, "action": "typing"})
        post(server, "deleteMessage", json={"chat_id": ada.id, "message_id": sent["message_id"]})
        unsubscribe()
        post(server, "sendMessage", json={"chat_id": ada.id, "text": "unseen"})
    assert [(e.kind, e.message.text if e.message else e.detail) for e in seen] == [
        ("user_message", "hello"),
        ("message", "one"),
        ("edit", "two"),
        ("chat_action", {"action": "typing"}),
        ("delete", "two"),
    ]


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str | None, dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers.get("X-Telegram-Bot-Api-Secret-Token"), json.loads(body)))
        reply = json.dumps({"method": "sendMessage", "chat_id": json.loads(body)["message"]["chat"]["id"], "text": "pong"})
        data = reply.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[tuple[str | None, dict[str, Any]]]]]:
    received: list[tuple[str | None, dict[str, Any]]] = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    httpd = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/hook", received
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_webhook_receives_updates_with_the_secret_and_blocks_get_updates():
    with webhook_receiver() as (url, received), BotApiServer() as server:
        ada = server.add_user()
        answer = post(server, "setWebhook", data={"url": url, "secret_token": "s3cret"})
        polled = post(server, "getUpdates")
        server.send_text(ada.id, "ping")
        server.wait_for(lambda: server.pending_updates() == 0)
        [reply] = server.wait_for_messages(ada.id, 1)
        info = post(server, "getWebhookInfo").json()["result"]
        deleted = post(server, "deleteWebhook").json()
        polled_after = post(server, "getUpdates")
    assert answer.json() == {"ok": True, "result": True, "description": "Webhook was set"}
    assert (polled.status_code, polled.json()["description"]) == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    )
    [(secret, update)] = received
    assert (secret, update["message"]["text"]) == ("s3cret", "ping")
    assert reply.text == "pong"  # a method in the webhook's answer is performed, as Telegram does
    assert (info["url"], info["pending_update_count"], info["has_custom_certificate"]) == (url, 0, False)
    assert deleted == {"ok": True, "result": True, "description": "Webhook was deleted"}
    assert polled_after.json() == {"ok": True, "result": []}


def test_an_unreachable_webhook_keeps_the_update_and_says_why():
    with BotApiServer() as server:
        ada = server.add_user()
        post(server, "setWebhook", data={"url": "http://127.0.0.1:9/hook"})
        server.send_text(ada.id, "ping")
        server.wait_for(lambda: server.webhook_info().get("last_error_message") is not None)
        info = server.webhook_info()
    assert (info["pending_update_count"], info["last_error_message"]) == (1, "Connection refused")


def test_a_client_hanging_up_prints_no_traceback_but_a_real_error_does(capsys):
    with BotApiServer() as server:
        for error in (ConnectionResetError(104, "Connection reset by peer"), BrokenPipeError(32, "Broken pipe"), ValueError("a bug")):
            try:
                raise error
            except (OSError, ValueError):
                server._httpd.handle_error(None, ("127.0.0.1", 45066))
        answered = post(server, "getMe").json()["ok"]
    printed = capsys.readouterr().err
    assert printed.count("Traceback") == 1
    assert "ValueError: a bug" in printed
    assert "ConnectionResetError" not in printed and "BrokenPipeError" not in printed
    assert answered is True
