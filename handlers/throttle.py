"""A flood throttle: too many commands in a short time get one answer, then silence.

It counts people, not whole groups: in a group each person has the budget a private chat has, so one quick
reader does not silence the others. A group as a whole has a higher cap (`chat_burst`), a backstop against
several people flooding at once: it bounds the work queued for a group, whose replies Telegram lets through
at 20 a minute (bot/ratelimit.py paces them, so nothing meets a 429; a reply just waits). A button pressed
again by the same person (same message, same data) within `repeat_window` (3 s: a double tap, or impatience
while the answer is on its way) was answered already: it is answered again, silently, and neither runs nor
counts. Pressed again later, it is a new request (to see a story once more). Only messages and button presses are counted: a membership
change (the bot removed from a channel) always gets through.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from handlers import render
from handlers.services import BotContext

THROTTLE = "throttle"
GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


@dataclass
class Throttle:
    """At most `burst` updates per person (per chat) in `window` seconds, `chat_burst` per group; the first over gets a warning."""

    burst: int = 8
    window: float = 10.0
    # Three people's budgets: one person alone never reaches it.
    chat_burst: int = 24
    # A second press of one button by one person this soon is a double tap or impatience, not a new request.
    repeat_window: float = 3.0
    clock: Callable[[], float] = time.monotonic
    _seen: dict[Hashable, deque[float]] = field(default_factory=dict)
    _warned: dict[Hashable, float] = field(default_factory=dict)
    _presses: dict[tuple[int, int | None, int, str], float] = field(default_factory=dict)

    def check(self, chat_id: int, user_id: int | None = None, *, press: tuple[int, str] | None = None) -> str:
        """'ok', 'warn' (the first update over a limit: 'warn' the person, 'warn_chat' the group), 'drop' or 'repeat'.

        `user_id` is given in a group (its people are counted apart); `press` is (message id, callback data) of a button.
        """
        now = self.clock()
        if press is not None:
            pressed = self._presses.get((chat_id, user_id, *press))
            if pressed is not None and now - pressed <= self.repeat_window:
                return "repeat"
        person: Hashable = chat_id if user_id is None else (chat_id, user_id)
        limits: list[tuple[Hashable, int]] = [(person, self.burst)]
        if user_id is not None:
            limits.append((chat_id, self.chat_burst))
        over = [key for key, limit in limits if self._count(key, now) >= limit]
        if not over:
            self._seen[person].append(now)
            if user_id is not None:
                self._seen[chat_id].append(now)
                self._warned.pop(chat_id, None)
            self._warned.pop(person, None)
            if press is not None:
                self._presses[(chat_id, user_id, *press)] = now
            self._forget_idle(now)
            return "ok"
        key = over[0]
        if key in self._warned and now - self._warned[key] <= self.window:
            return "drop"
        self._warned[key] = now
        return "warn" if key == person else "warn_chat"

    def _count(self, key: Hashable, now: float) -> int:
        times = self._seen.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return len(times)

    def _forget_idle(self, now: float) -> None:
        if len(self._seen) > 10_000:
            for key in [key for key, times in self._seen.items() if not times or now - times[-1] > self.window]:
                self._seen.pop(key, None)
        if len(self._presses) > 10_000:
            for key in [key for key, pressed in self._presses.items() if now - pressed > self.repeat_window]:
                self._presses.pop(key, None)


async def throttle(update: Update, context: BotContext) -> None:
    """Runs before every other handler; stops a message or button press from someone who floods the bot."""
    chat = update.effective_chat
    if chat is None or (update.effective_message is None and update.callback_query is None):
        return
    limiter: Throttle = context.bot_data.setdefault(THROTTLE, Throttle())
    user = update.effective_user
    in_group = chat.type in GROUPS and user is not None
    query = update.callback_query
    press = (query.message.message_id, query.data or "") if query is not None and query.message is not None else None
    verdict = limiter.check(chat.id, user.id if in_group and user is not None else None, press=press)
    if verdict == "ok":
        return
    seconds = int(limiter.window)
    if verdict in ("warn", "warn_chat"):
        t = context.translator
        if query is not None:
            await query.answer(t.gettext("Slow down a little, please."))
        elif verdict == "warn_chat":
            await context.bot.send_message(
                chat.id,
                t.ngettext(
                    "This group is asking faster than I can answer: I'll answer again in {n} second.",
                    "This group is asking faster than I can answer: I'll answer again in {n} seconds.",
                    seconds,
                ),
            )
        elif in_group and update.message is not None and user is not None:
            await update.message.reply_html(
                t.ngettext(
                    "Slow down a little, {name}: I'll answer you again in {n} second.",
                    "Slow down a little, {name}: I'll answer you again in {n} seconds.",
                    seconds,
                    name=render.escape(user.first_name),
                )
            )
        else:
            await context.bot.send_message(
                chat.id, t.ngettext("Slow down a little: I'll answer again in {n} second.", "Slow down a little: I'll answer again in {n} seconds.", seconds)
            )
    elif query is not None:
        await query.answer()
    raise ApplicationHandlerStop
