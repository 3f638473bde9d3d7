"""The loopback Bot API server: Telegram's HTTP interface on 127.0.0.1, and the handle a test holds."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import os
import re
import secrets
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from telegram_loopback import users
from telegram_loopback.control import handle_control
from telegram_loopback.errors import ApiError, not_found, unauthorized
from telegram_loopback.faults import Faults
from telegram_loopback.limits import RateLimiter
from telegram_loopback.methods import BotApiMethods
from telegram_loopback.spec import BotApiSpec
from telegram_loopback.state import Call, CallbackAnswer, Event, InlineAnswer, Message, TelegramState, User
from telegram_loopback.webhook import WebhookDelivery
from telegram_loopback.wire import RawValue, UploadedFile, decode_params

log = logging.getLogger(__name__)

_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[^/]*)")
_CONTROL = re.compile(r"/control/(?P<token>[^/]+)/(?P<action>[a-z_]+)")
# Without the spec, parameters are converted by name; with it, by the declared type.
_JSON_FIELDS = frozenset(
    "reply_markup entities caption_entities link_preview_options reply_parameters commands scope allowed_updates "
    "message_ids".split()
)
_INT_FIELDS = frozenset(
    "chat_id message_id offset limit timeout cache_time max_connections user_id message_thread_id".split()
)
_BOOL_FIELDS = frozenset(
    "disable_notification protect_content allow_paid_broadcast show_alert drop_pending_updates".split()
)

SpecOption = BotApiSpec | str | os.PathLike[str] | bool | None


class BotApiServer:
    """Telegram's Bot API on 127.0.0.1 for a real python-telegram-bot ``Application``, plus the test's handle.

    ``with BotApiServer() as server:`` then build the bot with
    ``ApplicationBuilder().token(server.token).base_url(server.base_url)``.

    ``spec``: a :class:`BotApiSpec`, a path, ``None`` for ``../shared/telegram/bot-api-spec.min.json``
    when it exists (checks off otherwise), ``False`` for no checks. ``strict``: also refuse what Telegram
    lets through silently but a bot should not send (a bare ``&``, ``&nbsp;``, an ``<a>`` without a
    valid href, a button with two actions). ``privacy_mode``: group privacy as BotFather sets it by
    default. ``limits``: enforce Telegram's sending limits from the start (or ``server.limits.enable()``).
    ``callback_query_ttl``: seconds after which a button press can no longer be answered (``None``: never).
    ``call_log_limit``: keep only the newest calls. ``clock``: time for limits, faults and button-press age.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        spec: SpecOption = None,
        bot_username: str = "newsbrief_test_bot",
        bot_name: str = "Newsbrief",
        strict: bool = True,
        privacy_mode: bool = True,
        limits: bool = False,
        callback_query_ttl: float | None = 15.0,
        call_log_limit: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token or f"{7_000_000_000 + secrets.randbelow(999_999_999)}:AA{secrets.token_urlsafe(24)[:33]}"
        bot_id = int(self.token.split(":", 1)[0]) if self.token.split(":", 1)[0].isdigit() else 7_000_000_001
        self.host = host
        self.spec = _load_spec(spec)
        self.state = TelegramState(
            User(bot_id, bot_name, username=bot_username, is_bot=True),
            clock=clock,
            privacy_mode=privacy_mode,
            call_log_limit=call_log_limit,
        )
        self.limits = RateLimiter(clock)
        if limits:
            self.limits.enable()
        self.faults = Faults(clock)
        self.internal_errors: list[str] = []
        self._webhook = WebhookDelivery(self.state, self._execute_webhook_reply)
        self.methods = BotApiMethods(
            self.state,
            self.limits,
            spec=self.spec,
            strict=strict,
            callback_query_ttl=callback_query_ttl,
            on_webhook_change=self._webhook.refresh,
        )
        self._stopping = threading.Event()
        self._httpd = _HttpServer((host, port), self)
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> BotApiServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="botapi-http", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: waiting getUpdates calls return, open connections close."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self.state.close()
        self._webhook.stop()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.close_connections()
        self._httpd.server_close()

    def __enter__(self) -> BotApiServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: python-telegram-bot appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def bot(self) -> User:
        return self.state.bot

    @property
    def spec_checks(self) -> bool:
        """Whether calls are checked against the Bot API spec (off when its file is absent)."""
        return self.spec is not None

    # --- the HTTP side ----------------------------------------------------------------------

    def handle(self, path: str, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """Answer one HTTP request: (status, JSON body)."""
        route, _, query = path.partition("?")
        control = _CONTROL.fullmatch(route)
        if control:
            return handle_control(self, control.group("token"), control.group("action"), body)
        match = _PATH.fullmatch(route)
        if match is None:
            return 404, not_found().to_json()
        if match.group("token") != self.token:
            return 401, unauthorized().to_json()
        name = match.group("method")
        started = time.monotonic()
        params: dict[str, Any] = {}
        description: str | None = None
        try:
            raw = decode_params(query, content_type, body)
            params = dict(raw)
            status, answer = 200, self._call(name, raw, params)
        except ApiError as exc:
            status, answer = exc.error_code, exc.to_json()
            description = exc.description
        except Exception:  # a bug here must not look like a Telegram answer the bot could handle
            trace = traceback.format_exc()
            self.internal_errors.append(trace)
            log.error("loopback Bot API server failed on %s:\n%s", name, trace)
            status = 500
            answer = {"ok": False, "error_code": 500, "description": "Internal Server Error: loopback server bug"}
            description = answer["description"]
        self.state.record(
            Call(
                method=self._spelled(name),
                params=_loggable(params),
                chat_id=self._chat_of(name, params),
                time=time.time(),
                monotonic=time.monotonic(),
                status=status,
                description=description,
                duration=time.monotonic() - started,
            )
        )
        return status, answer

    def _call(self, name: str, raw: dict[str, RawValue], params: dict[str, Any]) -> dict[str, Any]:
        method = name.lower()
        spec_method = self.spec.method(method) if self.spec else None
        if (self.spec is not None and spec_method is None) or (self.spec is None and not self.methods.knows(method)):
            raise not_found()
        fault = self.faults.take(method)
        if fault is not None:
            if fault.delay:
                self._stopping.wait(fault.delay)
            error = fault.error()
            if error is not None:
                raise error
        checked = self.spec.parse_params(spec_method, raw) if spec_method else _loose(raw)
        params.clear()
        params.update(checked)
        try:
            reply = self.methods.call(method, checked)
        except KeyError as exc:
            if self.spec is not None:
                raise
            # Without the spec nobody checked required parameters beforehand.
            raise ApiError(400, f'Bad Request: parameter "{exc.args[0]}" is required') from exc
        answer: dict[str, Any] = {"ok": True, "result": reply.result}
        if reply.description:
            answer["description"] = reply.description
        return answer

    def call(self, method: str, **params: Any) -> Any:
        """Call a Bot API method in-process as the bot would (JSON values), returning ``result``."""
        body = json.dumps(params).encode("utf-8")
        status, answer = self.handle(f"/bot{self.token}/{method}", "application/json", body)
        if status != 200:
            raise ApiError(answer["error_code"], answer["description"], answer.get("parameters"))
        return answer["result"]

    def _execute_webhook_reply(self, method: str, params: dict[str, Any]) -> None:
        try:
            self.call(method, **params)
        except ApiError as exc:
            log.info("webhook reply %s failed: %s", method, exc.description)

    def _spelled(self, name: str) -> str:
        found = self.spec.method(name) if self.spec else None
        return found.name if found else name

    def _chat_of(self, name: str, params: dict[str, Any]) -> int | None:
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int):
            return chat_id
        if name.lower() == "answercallbackquery":
            with self.state.lock:
                query = self.state.callback_queries.get(str(params.get("callback_query_id")))
                return query.chat_id if query else None
        return None

    # --- playing users -------------------------------------------------------------------------

    def add_user(
        self,
        first_name: str = "Ada",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
    ) -> User:
        """A person who has opened a private chat with the bot; the chat id is ``user.id``."""
        return self.state.add_user(
            first_name, last_name=last_name, username=username, language_code=language_code, user_id=user_id
        )

    def add_users(self, count: int, *, first_name: str = "Reader") -> list[User]:
        return [self.add_user(f"{first_name} {index + 1}") for index in range(count)]

    def add_group(
        self,
        title: str = "Newsroom",
        members: list[User] | None = None,
        *,
        supergroup: bool = False,
        username: str | None = None,
        bot_is_admin: bool = False,
    ) -> int:
        """A group (or supergroup) with the bot in it; returns its chat id. The first member is its creator."""
        chat = self.state.add_group(title, members, supergroup=supergroup, username=username, bot_is_admin=bot_is_admin)
        return chat.id

    def add_channel(
        self,
        title: str = "Morning Wire",
        admins: list[User] | None = None,
        *,
        username: str | None = None,
        bot_status: str = "administrator",
        bot_can_post: bool = True,
    ) -> int:
        """A channel run by ``admins`` (the first its creator), the bot in it as ``bot_status`` ("left": never added)
        with or without the right to post; returns its chat id (-100...)."""
        chat = self.state.add_channel(title, admins, username=username, bot_status=bot_status, bot_can_post=bot_can_post)
        return chat.id

    def send_text(self, chat_id: int, text: str, *, user: User | None = None, reply_to: int | None = None) -> Message:
        """A user writes; the bot receives a ``message`` update (unless group privacy hides it)."""
        return users.send_text(self.state, chat_id, text, user=user, reply_to=reply_to)

    def send_command(
        self, chat_id: int, command: str, args: str = "", *, user: User | None = None, mention: bool = False
    ) -> Message:
        """``/command args`` (``/command@bot_username`` with ``mention=True``)."""
        return users.send_command(self.state, chat_id, command, args, user=user, mention=mention)

    def press_button(
        self, chat_id: int, message_id: int, button: str, *, user: User | None = None, check: bool = True
    ) -> str:
        """Press an inline button by callback data or text; returns the callback query id."""
        return users.press_button(self.state, chat_id, message_id, button, user=user, check=check)

    def enable_inline_mode(self, placeholder: str = "Search...") -> None:
        """What @BotFather /setinline does: users may type ``@bot words`` in any chat (getMe says so)."""
        with self.state.lock:
            self.state.inline_placeholder = placeholder

    def send_inline_query(
        self, user: User, query: str, *, offset: str = "", chat_type: str | None = "sender"
    ) -> str:
        """``user`` types ``@bot query`` in a chat of ``chat_type``; the bot gets an ``inline_query``; returns its id."""
        return users.send_inline_query(self.state, user, query, offset=offset, chat_type=chat_type)

    def inline_answer(self, query_id: str) -> InlineAnswer | None:
        """The bot's answer to an inline query (a snapshot), None while it has not answered."""
        with self.state.lock:
            query = self.state.inline_queries.get(query_id)
            return copy.deepcopy(query.answer) if query else None

    def wait_for_inline_answer(self, query_id: str, timeout: float = 5.0) -> InlineAnswer:
        """Block until the bot answers the inline query."""
        self.wait_for(lambda: self.inline_answer(query_id) is not None, timeout)
        answer = self.inline_answer(query_id)
        assert answer is not None
        return answer

    async def wait_for_inline_answer_async(self, query_id: str, timeout: float = 5.0) -> InlineAnswer:
        return await asyncio.to_thread(self.wait_for_inline_answer, query_id, timeout)

    def choose_inline_result(self, chat_id: int, query_id: str, result_id: str) -> Message:
        """The user taps result ``result_id``: its message goes into ``chat_id`` from them, via the bot."""
        return users.choose_inline_result(self.state, chat_id, query_id, result_id)

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: sends to them answer 403 ``bot was blocked by the user``."""
        users.block(self.state, chat_id)

    def unblock(self, chat_id: int) -> None:
        users.unblock(self.state, chat_id)

    def delete_chat(self, chat_id: int) -> None:
        """Account or group deleted: sends answer 403 (``user is deactivated``, ``the group chat was deleted``)."""
        users.delete_chat(self.state, chat_id)

    def kick_bot(self, chat_id: int, *, by: User | None = None) -> None:
        users.kick_bot(self.state, chat_id, by=by)

    def set_bot_member(self, chat_id: int, status: str, *, can_post_messages: bool = True, by: User | None = None) -> None:
        """An admin adds, removes or changes the bot in a group or channel: a ``my_chat_member`` update follows."""
        users.set_bot_member(self.state, chat_id, status, can_post_messages=can_post_messages, by=by)

    def migrate_group(self, chat_id: int) -> int:
        """The group becomes a supergroup; returns the new id. Sends to the old id answer 400 with it."""
        return users.migrate_group(self.state, chat_id)

    # --- reading what the bot did ------------------------------------------------------------------

    def messages(self, chat_id: int, *, include_deleted: bool = False, include_user: bool = False) -> list[Message]:
        """The bot's messages in a chat, oldest first, as the user sees them now (snapshots)."""
        with self.state.lock:
            return [
                copy.deepcopy(m)
                for m in self.state.chat_messages(chat_id)
                if (include_user or m.from_bot) and (include_deleted or not m.deleted) and m.kind != "service"
            ]

    def message(self, chat_id: int, message_id: int) -> Message:
        found = self.state.message(chat_id, message_id)
        if found is None:
            raise KeyError(f"no message {message_id} in chat {chat_id}")
        with self.state.lock:
            return copy.deepcopy(found)

    def last_message(self, chat_id: int) -> Message | None:
        found = self.messages(chat_id)
        return found[-1] if found else None

    def last_reply_markup(self, chat_id: int) -> dict[str, Any] | None:
        """The inline keyboard under the bot's newest message that has one."""
        for message in reversed(self.messages(chat_id)):
            if message.reply_markup:
                return message.reply_markup
        return None

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The custom reply keyboard the user has now (``ReplyKeyboardMarkup``), if any."""
        with self.state.lock:
            return copy.deepcopy(self.state.chat(chat_id).reply_keyboard)

    def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 5.0, *, after: int | None = None
    ) -> list[Message]:
        """Block until the bot has ``count`` visible messages in the chat (newer than message ``after``).

        Blocks the calling thread: from an ``async`` test use :meth:`wait_for_messages_async`.
        """

        def enough() -> bool:
            return len(self._visible(chat_id, after)) >= count

        if not self.state.wait_until(enough, timeout):
            raise TimeoutError(self._explain(chat_id, count, timeout))
        with self.state.lock:
            return [copy.deepcopy(m) for m in self._visible(chat_id, after)]

    async def wait_for_messages_async(
        self, chat_id: int, count: int = 1, timeout: float = 5.0, *, after: int | None = None
    ) -> list[Message]:
        """:meth:`wait_for_messages` without blocking the event loop the bot runs on."""
        return await asyncio.to_thread(self.wait_for_messages, chat_id, count, timeout, after=after)

    def _visible(self, chat_id: int, after: int | None) -> list[Message]:
        with self.state.lock:
            return [
                m
                for m in self.state.chat_messages(chat_id)
                if m.from_bot and not m.deleted and m.kind != "service" and (after is None or m.message_id > after)
            ]

    def _explain(self, chat_id: int, count: int, timeout: float) -> str:
        seen = len(self._visible(chat_id, None))
        failures = [f"{c.method} -> {c.status} {c.description}" for c in self.calls(chat_id=chat_id) if not c.ok]
        errors = f"; failed calls: {failures}" if failures else ""
        bugs = f"; loopback server errors: {len(self.internal_errors)}" if self.internal_errors else ""
        return f"the bot sent {seen} of {count} expected messages to chat {chat_id} within {timeout}s{errors}{bugs}"

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Block until ``predicate()`` holds (it is re-checked on every change the bot makes)."""
        if not self.state.wait_until(predicate, timeout):
            raise TimeoutError(f"condition not met within {timeout}s")

    async def wait_for_async(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        await asyncio.to_thread(self.wait_for, predicate, timeout)

    def callback_answers(self, chat_id: int | None = None) -> list[CallbackAnswer]:
        """Answers the bot gave to button presses, oldest first."""
        with self.state.lock:
            return [
                q.answer
                for q in self.state.callback_queries.values()
                if q.answer is not None and (chat_id is None or q.chat_id == chat_id)
            ]

    def wait_for_callback_answer(self, query_id: str, timeout: float = 5.0) -> CallbackAnswer:
        """Block until the bot answers the button press ``query_id`` (from :meth:`press_button`)."""
        with self.state.lock:
            query = self.state.callback_queries.get(query_id)
        if query is None:
            raise KeyError(f"no callback query {query_id}")
        if not self.state.wait_until(lambda: query.answer is not None, timeout):
            raise TimeoutError(f"the bot did not answer callback query {query_id} within {timeout}s")
        assert query.answer is not None
        return query.answer

    async def wait_for_callback_answer_async(self, query_id: str, timeout: float = 5.0) -> CallbackAnswer:
        return await asyncio.to_thread(self.wait_for_callback_answer, query_id, timeout)

    def calls(self, method: str | None = None, *, chat_id: int | None = None, ok: bool | None = None) -> list[Call]:
        """The call log, oldest first, filtered by method name (any case), chat and success."""
        wanted = method.lower() if method else None
        with self.state.lock:
            return [
                c
                for c in self.state.calls
                if (wanted is None or c.method.lower() == wanted)
                and (chat_id is None or c.chat_id == chat_id)
                and (ok is None or c.ok == ok)
            ]

    def commands(self, *, scope: dict[str, Any] | None = None, language_code: str | None = None) -> list[dict[str, Any]]:
        """The command list the bot set (``setMyCommands``) for a scope and language."""
        return self.methods.get_my_commands({"scope": scope, "language_code": language_code})

    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot (getUpdates offset or a 2xx webhook answer)."""
        return self.state.pending_updates()

    def webhook_info(self) -> dict[str, Any]:
        return self.methods.get_webhook_info({})

    def on_event(self, listener: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``listener(event)`` whenever the bot sends, edits or deletes a message, answers a button...

        Listeners run on the server's request thread: keep them quick. Returns an unsubscribe function.
        """
        return self.state.subscribe(listener)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx/1.18.0"
    sys_version = ""
    # Headers and body leave in one write: with keep-alive, two small writes meet Nagle's algorithm
    # and the client's delayed ACK, and every answer would take 40 ms.
    wbufsize = -1
    server: _HttpServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:
        body = self._body()
        status, answer = self.server.app.handle(self.path, self.headers.get("Content-Type", ""), body)
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout, a cancelled long poll)

    do_GET = do_POST

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        log.debug("%s " + format, self.address_string(), *args)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops connections when a push opens many at once.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: BotApiServer) -> None:
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (the bot stopping, `newsbrief chat` quitting) is no server error: no traceback.
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionResetError, BrokenPipeError)):
            log.debug("connection from %s closed by the client: %s", client_address, error)
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """Close kept-alive connections so their handler threads end with the server."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _load_spec(spec: SpecOption) -> BotApiSpec | None:
    if isinstance(spec, BotApiSpec):
        return spec
    if spec is False:
        return None
    if spec is None or spec is True:
        return BotApiSpec.find()
    return BotApiSpec.load(Path(spec))


def _loose(raw: dict[str, RawValue]) -> dict[str, Any]:
    """Parameters by name when there is no spec to say their types."""
    params: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, UploadedFile):
            params[name] = value
        elif value == "" and name != "text":
            continue
        elif name in _JSON_FIELDS:
            try:
                params[name] = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from exc
        elif name in _INT_FIELDS and re.fullmatch(r"-?\d+", value):
            params[name] = int(value)
        elif name in _BOOL_FIELDS:
            params[name] = value.lower() in ("true", "1", "yes")
        else:
            params[name] = value
    return params


def _loggable(params: dict[str, Any]) -> dict[str, Any]:
    return {
        name: (f"<file {value.filename}, {len(value.data)} bytes>" if isinstance(value, UploadedFile) else value)
        for name, value in params.items()
    }
