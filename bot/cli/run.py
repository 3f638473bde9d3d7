"""`newsbrief run` (the bot on Telegram) and `newsbrief push` (one morning push from the command line)."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime
from typing import Annotated

import typer
from telegram.error import InvalidToken

from bot.app import build_application, run_bot
from bot.backoff import Backoff
from bot.cli.store import opened
from bot.cli.terminal import console, errors, html_to_text
from bot.config import Settings, get_settings
from bot.logs import configure_logging
from bot.push_plan import due_now, plan_deliveries
from bot.schedule import Schedule
from bot.store import Subscriber, active_subscribers
from bot.timezones import zone
from handlers import push
from handlers.messaging import Outgoing
from handlers.services import Services

NO_TOKEN = """No TELEGRAM_BOT_TOKEN is set.

To run the bot on Telegram:
  1. In Telegram, talk to @BotFather (https://t.me/BotFather), send /newbot and follow its questions.
  2. Put the token it gives you in .env as TELEGRAM_BOT_TOKEN=... (see .env.example), or export it.
  3. Run `newsbrief run` again.

To try the bot without Telegram, run `newsbrief chat`: you type /syria and see the bot's answers,
through the same bot over a local stand-in for Telegram."""


REFUSED = "Telegram refused the token (InvalidToken): check TELEGRAM_BOT_TOKEN"


def run(
    webhook: Annotated[str | None, typer.Option("--webhook", help="Public HTTPS URL Telegram posts updates to (default: WEBHOOK_URL, else long polling).")] = None,
    listen: Annotated[str | None, typer.Option(help="Address the webhook server listens on (default: WEBHOOK_LISTEN).")] = None,
    port: Annotated[int | None, typer.Option(help="Port the webhook server listens on (default: WEBHOOK_PORT).")] = None,
    secret: Annotated[str | None, typer.Option(help="Secret token Telegram sends with every update (default: WEBHOOK_SECRET).")] = None,
) -> None:
    """Run the bot on Telegram (long polling, or a webhook with --webhook URL)."""
    settings = get_settings()
    if not settings.telegram_bot_token:
        errors.print(NO_TOKEN)
        raise typer.Exit(2)
    url = webhook or settings.webhook_url
    token = secret or settings.webhook_secret
    if url and not (token and re.fullmatch(r"[A-Za-z0-9_-]{1,256}", token)):
        errors.print("A webhook needs a secret token of 1-256 characters A-Z a-z 0-9 _ -: pass --secret or set WEBHOOK_SECRET.")
        raise typer.Exit(2)
    configure_logging(settings.log_level, settings.telegram_bot_token)
    # Every request would be logged at INFO by the HTTP libraries; the bot's own log says what matters.
    for noisy in ("httpx", "aiohttp.access", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Started while the network (or Telegram) is down, the bot waits for it instead of exiting.
    application = build_application(settings, startup_backoff=Backoff(), serve_ops=True)
    # python-telegram-bot logs the rejection with a traceback; the one line below says it all.
    for handler in logging.getLogger().handlers:
        handler.addFilter(_Reported(InvalidToken))
    try:
        run_bot(
            application,
            webhook=url,
            listen=listen or settings.webhook_listen,
            port=port or settings.webhook_port,
            secret=token,
        )
    except InvalidToken:
        # Its message quotes the token: say what is wrong, and only that.
        errors.print(REFUSED)
        raise typer.Exit(2) from None


class _Reported(logging.Filter):
    """Drops log records of an exception that `newsbrief run` reports itself, in one line."""

    def __init__(self, kind: type[BaseException]) -> None:
        super().__init__()
        self.kind = kind

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], self.kind))


def push_command(
    now: Annotated[bool, typer.Option("--now", help="Send today's briefing now instead of at each subscriber's time.")] = False,
    chat_id: Annotated[int | None, typer.Option("--chat", help="Only this chat.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show, a row a chat, its local due time and what a run now would send (everything with --now); send nothing.")] = False,
) -> None:
    """Run the morning push once: what is due now, or everything with --now (each chat at most once a day)."""
    settings = get_settings()
    if not settings.telegram_bot_token and not dry_run:
        errors.print(NO_TOKEN)
        raise typer.Exit(2)
    raise typer.Exit(asyncio.run(push_once(settings, now=now, chat_id=chat_id, dry_run=dry_run)))


async def push_once(settings: Settings, *, now: bool, chat_id: int | None, dry_run: bool) -> int:
    """One push run: the deliveries due now, or --now for everyone; --dry-run prints instead of sending."""
    with opened(settings=settings) as (store, topics):
        found = Services(store=store, topics=topics, settings=settings)
        if dry_run:
            return await preview(found, chat_id, everything=now)
        application = build_application(settings, store=store, topics=topics, jobs_enabled=False)
        async with application:
            if now:
                report, _ = await push.push_now(application.bot, found, chat_id=chat_id)
            else:
                plan = plan_deliveries(store, found.now(), grace=settings.push_grace)
                report = await push.run_push(application.bot, found, chat_id=chat_id, lease=settings.push_claim_lease)
                report.missed = len(plan.missed)
        console.print(f"Push: {report.line()}")
        return 1 if report.failed else 0


async def preview(found: Services, chat_id: int | None, *, everything: bool) -> int:
    """Print, a row a chat, its local due time and whether a tick now would send it; then the messages it would send."""
    chats = sorted(
        (s for s in active_subscribers(found.store) if chat_id is None or s.chat_id == chat_id), key=lambda s: s.chat_id
    )
    if not chats:
        console.print("No active subscribers.")
        return 0
    now = found.now()
    if everything:
        _, composed = await push.push_now(None, found, chat_id=chat_id, dry_run=True)  # type: ignore[arg-type]
        messages = dict(composed)
        for subscriber in chats:
            _row(subscriber, now, now, f"now (--now): {_count(messages.get(subscriber.chat_id, []))}")
            _show(messages.get(subscriber.chat_id, []))
        return 0
    settings = found.settings
    # The tick's own decision (bot/push_plan.py), read without planning or claiming anything.
    send, missed = due_now(found.store, now, grace=settings.push_grace, lease=settings.push_claim_lease, subscribers=chats)
    composed = push.preview_deliveries(found, send, chats)
    hours = f"{settings.push_grace.total_seconds() / 3600:g} h"
    for subscriber in chats:
        for item in missed:
            if item.chat_id == subscriber.chat_id:
                _row(subscriber, item.due_at, now, f"missed: more than {hours} late, a tick skips it")
        due = [(item, messages) for item, messages in composed if item.chat_id == subscriber.chat_id]
        for item, messages in due:
            _row(subscriber, item.due_at, now, f"due now: {_count(messages)}")
            _show(messages)
        if not due:
            _row(subscriber, Schedule.of(subscriber).next_due(now).due_at, now, "not due yet")
    console.print(f"{len({item.chat_id for item, _ in composed})} of {len(chats)} chats due now.", highlight=False)
    return 0


def _row(subscriber: Subscriber, due_at: datetime, now: datetime, status: str) -> None:
    """chat 101 · 07:00 Europe/Berlin today · due now: 2 messages"""
    tz = zone(subscriber.timezone)
    local = due_at.astimezone(tz)
    days = (local.date() - now.astimezone(tz).date()).days
    day = {0: "today", 1: "tomorrow", -1: "yesterday"}.get(days) or f"{local:%a %d %b}"
    console.print(
        f"chat {subscriber.chat_id} · {local:%H:%M} {subscriber.timezone} {day} · {status}", markup=False, highlight=False, soft_wrap=True
    )


def _count(messages: list[Outgoing]) -> str:
    return f"{len(messages)} message{'' if len(messages) == 1 else 's'}"


def _show(messages: list[Outgoing]) -> None:
    for message in messages:
        console.print(html_to_text(message.text))
        console.print()


def register(app: typer.Typer) -> None:
    """Add `run` and `push` to the `newsbrief` app."""
    app.command()(run)
    app.command("push")(push_command)
