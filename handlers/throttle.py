"""A per-chat flood throttle: too many commands in a short time get one answer, then silence."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from handlers.services import BotContext

THROTTLE = "throttle"


@dataclass
class Throttle:
    """At most `burst` updates per chat in `window` seconds; the first one over gets a warning."""

    burst: int = 8
    window: float = 10.0
    clock: Callable[[], float] = time.monotonic
    _seen: dict[int, deque[float]] = field(default_factory=dict)
    _warned: dict[int, float] = field(default_factory=dict)

    def check(self, chat_id: int) -> str:
        """'ok', 'warn' (the first update over the limit) or 'drop'."""
        now = self.clock()
        times = self._seen.setdefault(chat_id, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) < self.burst:
            times.append(now)
            self._warned.pop(chat_id, None)
            self._forget_idle(now)
            return "ok"
        if chat_id in self._warned and now - self._warned[chat_id] <= self.window:
            return "drop"
        self._warned[chat_id] = now
        return "warn"

    def _forget_idle(self, now: float) -> None:
        if len(self._seen) > 10_000:
            for chat_id in [chat for chat, times in self._seen.items() if not times or now - times[-1] > self.window]:
                self._seen.pop(chat_id, None)


async def throttle(update: Update, context: BotContext) -> None:
    """Runs before every other handler; stops an update from a chat that floods the bot."""
    chat = update.effective_chat
    if chat is None:
        return
    limiter: Throttle = context.bot_data.setdefault(THROTTLE, Throttle())
    verdict = limiter.check(chat.id)
    if verdict == "ok":
        return
    if verdict == "warn":
        t = context.translator
        if update.callback_query is not None:
            await update.callback_query.answer(t.gettext("Slow down a little, please."))
        else:
            await context.bot.send_message(
                chat.id, t.ngettext("Slow down a little: I'll answer again in {n} second.", "Slow down a little: I'll answer again in {n} seconds.", int(limiter.window))
            )
    elif update.callback_query is not None:
        await update.callback_query.answer()
    raise ApplicationHandlerStop
