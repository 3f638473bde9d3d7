"""Webhook delivery: POST each pending update to the bot's URL, one at a time, until it answers 2xx."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from http.client import responses
from typing import Any

from telegram_loopback.state import TelegramState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDelivery:
    """A background thread alive while a webhook is set; failures are kept for getWebhookInfo."""

    def __init__(
        self,
        state: TelegramState,
        execute: Callable[[str, dict[str, Any]], None],
        *,
        timeout: float = 10.0,
        max_backoff: float = 2.0,
    ) -> None:
        self.state = state
        self.execute = execute
        self.timeout = timeout
        self.max_backoff = max_backoff
        self.delivered = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Start delivering if a webhook is set and nobody is delivering yet."""
        with self._lock:
            if self._stop.is_set() or not self.state.webhook.url:
                return
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="botapi-webhook", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self.state.lock:
            self.state.changed.notify_all()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=self.timeout + 1)

    def _run(self) -> None:
        backoff = 0.05
        while not self._stop.is_set():
            with self.state.lock:
                url = self.state.webhook.url
                secret = self.state.webhook.secret_token
                if not url or self.state.closing:
                    return
                head = self.state.peek_update()
                if head is None:
                    self.state.changed.wait(0.5)
                    continue
            update_id, payload = head
            error, reply = self._post(url, secret, payload)
            if error is None:
                backoff = 0.05
                self.state.confirm(update_id + 1)
                self.delivered += 1
                if reply:
                    self._run_reply(reply)
                continue
            with self.state.lock:
                self.state.webhook.last_error_date = int(time.time())
                self.state.webhook.last_error_message = error
            self._stop.wait(backoff)
            backoff = min(self.max_backoff, backoff * 2)

    def _post(self, url: str, secret: str | None, payload: dict[str, Any]) -> tuple[str | None, bytes]:
        headers = {"Content-Type": "application/json"}
        if secret:
            headers[SECRET_HEADER] = secret
        request = urllib.request.Request(url, json.dumps(payload).encode("utf-8"), headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return None, response.read()
        except urllib.error.HTTPError as exc:
            return f"Wrong response from the webhook: {exc.code} {responses.get(exc.code, '')}".rstrip(), b""
        except TimeoutError:
            return "Read timeout expired", b""
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, ConnectionRefusedError):
                return "Connection refused", b""
            if isinstance(reason, TimeoutError):
                return "Read timeout expired", b""
            return f"Connection failed: {reason}", b""

    def _run_reply(self, body: bytes) -> None:
        """A webhook may answer with one method call, which Telegram then performs (no result is sent back)."""
        try:
            reply = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return
        if isinstance(reply, dict) and isinstance(reply.get("method"), str):
            method = reply.pop("method")
            self.execute(method, reply)
