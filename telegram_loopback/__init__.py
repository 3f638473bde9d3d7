"""A loopback Telegram Bot API server: the real python-telegram-bot talks to it through ``base_url``.

It checks every call against the Bot API spec and Telegram's HTML rules, answers with Telegram's
error shapes, enforces Telegram's limits when asked, injects faults, and lets a test play users::

    with BotApiServer() as server:
        app = ApplicationBuilder().token(server.token).base_url(server.base_url).build()
        ada = server.add_user("Ada")                      # a private chat; its id is ada.id
        ...start the app polling...
        server.send_command(ada.id, "syria")
        [briefing] = await server.wait_for_messages_async(ada.id, 1)
        briefing.text, briefing.entities, briefing.buttons  # what Ada sees
        server.press_button(ada.id, briefing.message_id, "More")
        server.enable_inline_mode()                       # @BotFather /setinline
        query = server.send_inline_query(ada, "syria")    # Ada types "@bot syria"
        server.wait_for_inline_answer(query).results      # what the bot offered
        server.choose_inline_result(ada.id, query, "1")   # posted "via @bot" into the chat
        server.block(ada.id)                              # next send: 403 Forbidden
        server.limits.enable()                            # 30/s, 1/s per chat, 20/min per group
        server.faults.fail_next(3, status=429, retry_after=2, methods=["sendMessage"])
        server.calls("sendMessage")                       # the call log

Modules: ``spec`` (the spec's checks), ``html_rules`` and ``entities`` and ``formatting`` (what a
message text becomes), ``keyboards``, ``limits``, ``faults``, ``state`` (chats, messages, updates),
``users`` (playing people), ``methods`` (each Bot API method), ``webhook``, ``server`` (HTTP and
the test's handle), ``control`` and ``__main__`` (a server in another process).
"""

from __future__ import annotations

from telegram_loopback.errors import ApiError
from telegram_loopback.faults import Fault, Faults
from telegram_loopback.limits import RateLimiter, TelegramLimits
from telegram_loopback.server import BotApiServer
from telegram_loopback.spec import BotApiSpec, default_spec_path
from telegram_loopback.state import Call, CallbackAnswer, Event, InlineAnswer, Message, User

__all__ = [
    "ApiError",
    "BotApiServer",
    "BotApiSpec",
    "Call",
    "CallbackAnswer",
    "Event",
    "Fault",
    "InlineAnswer",
    "Faults",
    "Message",
    "RateLimiter",
    "TelegramLimits",
    "User",
    "default_spec_path",
]
