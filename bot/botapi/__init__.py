"""A loopback Telegram Bot API server: the real python-telegram-bot talks to it through ``base_url``.

It checks every call against the Bot API spec and Telegram's HTML rules, answers with Telegram's
error shapes, enforces Telegram's limits when asked, injects faults, and lets a test play users.
"""

from __future__ import annotations

from bot.botapi.errors import ApiError
from bot.botapi.faults import Fault, Faults
from bot.botapi.limits import RateLimiter, TelegramLimits
from bot.botapi.server import BotApiServer
from bot.botapi.spec import BotApiSpec, default_spec_path
from bot.botapi.state import Call, CallbackAnswer, Event, Message, User

__all__ = [
    "ApiError",
    "BotApiServer",
    "BotApiSpec",
    "Call",
    "CallbackAnswer",
    "Event",
    "Fault",
    "Faults",
    "Message",
    "RateLimiter",
    "TelegramLimits",
    "User",
    "default_spec_path",
]
