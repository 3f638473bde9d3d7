"""Build the bot: one function makes the Application, registers every handler, schedules the jobs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.ingestion import open_configured
from bot.ratelimit import TelegramRateLimiter
from bot.telegram_http import AiohttpRequest
from bot.store import Store, article_count
from bot.topics import Topics, load_topics
from handlers import admin, briefings, buttons, chats, commands, jobs, keyboards, push, render, subscriptions, terminal
from handlers.errors import error_handler
from handlers.services import SERVICES, Services, utc_now
from handlers.throttle import throttle

log = logging.getLogger(__name__)

# (command, description) of the built-in commands, in the order /help and Telegram's menu show them.
BUILT_IN = (
    ("start", "What this bot does"),
    ("help", "All commands"),
    ("topics", "The topics I follow"),
    ("brief", "A briefing on any words: /brief grain exports"),
    ("latest", "The newest stories"),
    ("quotes", "Who said what on a topic: /quotes syria"),
    ("who", "What a person has been quoted saying: /who name"),
    ("subscribe", "A topic's briefing every morning"),
    ("unsubscribe", "Stop a morning briefing"),
    ("subscriptions", "Your morning topics"),
    ("time", "When the morning briefing comes: /time 07:30"),
    ("timezone", "Your time zone: /timezone Europe/Berlin"),
    ("settings", "What I keep about this chat"),
    ("stop", "Forget this chat"),
)
ADMIN = (("stats", admin.stats), ("ingest", admin.ingest), ("feeds", admin.feeds))
FEED_POLL_SECONDS = 60
PUSH_TICK_SECONDS = 60


def build_application(
    settings: Settings,
    *,
    store: Store | None = None,
    topics: Topics | None = None,
    base_url: str | None = None,
    token: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    rate_limiter: BaseRateLimiter | None = None,
    jobs_enabled: bool = True,
) -> Application:
    """The bot, ready for run_polling / run_webhook (or initialize + start in tests).

    A store passed in is used as is (and left open); otherwise DATABASE_URL is
    opened in post_init, its schema upgraded, and closed in post_shutdown.
    """
    topics = topics if topics is not None else load_topics(settings.topics_file)
    token = token or settings.telegram_bot_token
    if not token:
        raise ValueError("no TELEGRAM_BOT_TOKEN")

    async def post_init(application: Application) -> None:
        opened = store if store is not None else open_configured(settings)[0]
        application.bot_data[SERVICES] = Services(store=opened, topics=topics, settings=settings, clock=clock)
        await application.bot.set_my_commands(bot_commands(topics))
        if jobs_enabled and application.job_queue is not None:
            jobs.schedule(application, feed_interval=FEED_POLL_SECONDS, push_interval=PUSH_TICK_SECONDS)
        log.info("newsbrief is up as @%s with %d topics", application.bot.username, len(topics))

    async def post_shutdown(application: Application) -> None:
        services = application.bot_data.get(SERVICES)
        if services is not None and store is None:
            services.store.close()

    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url or settings.telegram_api_base_url)
        # aiohttp rather than httpx: half the client work per request, which a push to thousands feels.
        .request(AiohttpRequest(connection_pool_size=max(8, settings.push_concurrency)))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=ZoneInfo(settings.default_timezone),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    # Our limiter paces each chat and honours a 429 for everyone (python-telegram-bot's own does neither).
    builder = builder.rate_limiter(rate_limiter if rate_limiter is not None else TelegramRateLimiter())
    application = builder.build()
    register_handlers(application, topics, settings)
    return application


def register_handlers(application: Application, topics: Topics, settings: Settings) -> None:
    """Every handler, in one place; the order within a group matters where commented."""
    # Group -1 runs first: a chat that floods the bot is stopped before any work is done.
    application.add_handler(TypeHandler(Update, throttle), group=-1)

    application.add_handler(CommandHandler("start", commands.start))
    application.add_handler(CommandHandler("help", commands.help_command))
    application.add_handler(CommandHandler("topics", commands.topics_command))
    application.add_handler(CommandHandler("brief", commands.brief))
    application.add_handler(CommandHandler("latest", commands.latest))
    application.add_handler(CommandHandler("quotes", commands.quotes_command))
    application.add_handler(CommandHandler("who", commands.who))
    application.add_handler(CommandHandler("subscribe", subscriptions.subscribe_command))
    application.add_handler(CommandHandler("unsubscribe", subscriptions.unsubscribe_command))
    application.add_handler(CommandHandler("subscriptions", subscriptions.subscriptions_command))
    application.add_handler(CommandHandler("time", subscriptions.time_command))
    application.add_handler(CommandHandler("timezone", subscriptions.timezone_command))
    application.add_handler(CommandHandler("settings", subscriptions.settings_command))
    application.add_handler(CommandHandler("stop", subscriptions.stop_command))
    admins = filters.User(user_id=list(settings.admin_ids)) if settings.admin_ids else None
    for name, callback in ADMIN:
        if admins is not None:
            application.add_handler(CommandHandler(name, callback, filters=admins))
        # Reached only when the admin filter did not match.
        application.add_handler(CommandHandler(name, admin.not_an_admin))
    built_in = {name for name, _ in BUILT_IN} | {name for name, _ in ADMIN}
    topic_commands = [topic.command for topic in topics.values() if topic.command not in built_in]
    if topic_commands:
        application.add_handler(CommandHandler(topic_commands, commands.topic_command))
    application.add_handler(CallbackQueryHandler(buttons.button))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, chats.migrated))
    application.add_handler(ChatMemberHandler(chats.membership, ChatMemberHandler.MY_CHAT_MEMBER))
    # After every command handler: what none of them took is unknown.
    application.add_handler(MessageHandler(filters.COMMAND, commands.unknown_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, commands.text_message))

    application.add_error_handler(error_handler)


def bot_commands(topics: Topics) -> list[BotCommand]:
    """The command menu set with setMyCommands: built-ins, then topics (Telegram takes up to 100)."""
    menu = [BotCommand(name, description) for name, description in BUILT_IN]
    taken = {name for name, _ in BUILT_IN}
    for topic in topics.values():
        if topic.command not in taken and len(menu) < 100:
            menu.append(BotCommand(topic.command, f"{topic.title} briefing"[:256]))
            taken.add(topic.command)
    return menu


def run_bot(application: Application, *, webhook: str | None = None, listen: str = "0.0.0.0", port: int = 8443, secret: str | None = None) -> None:
    """Run until interrupted: long polling, or a webhook server checking Telegram's secret token on every request."""
    if webhook:
        application.run_webhook(**webhook_arguments(webhook, listen, port, secret), allowed_updates=Update.ALL_TYPES)
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


def webhook_arguments(url: str, listen: str, port: int, secret: str | None) -> dict[str, Any]:
    """How the webhook server listens: the URL's path on listen:port, and the secret every update must carry."""
    from urllib.parse import urlparse

    return {"listen": listen, "port": port, "url_path": urlparse(url).path.lstrip("/"), "webhook_url": url, "secret_token": secret}


def print_briefing(settings: Settings, words: str, *, console: Console) -> int:
    """Print what `/topic` or `/brief words` would send to a chat that has had nothing yet."""
    store, topics = open_configured(settings)
    try:
        now = utc_now()
        topic = topics.find(words)
        briefing = (
            briefings.topic_briefing(store, topic, now) if topic is not None else briefings.query_briefing(store, words, now)
        )
        for message in render.render_briefing(briefing):
            console.print(terminal.html_to_text(message))
            console.print()
        key = topic.name if topic is not None else "?1"
        markup = keyboards.briefing_keyboard(briefing, key, 0, render.STORIES_PER_PAGE, subscribed=False)
        if markup is not None:
            console.print(terminal.keyboard_text(markup))
        if briefing.empty and article_count(store) == 0:
            console.print("[dim]The store is empty: load the demo articles with `newsbrief ingest --demo`.[/dim]")
    finally:
        store.close()
    return 0


def chat_session(settings: Settings, script: list[str] | None, *, demo: bool, console: Console) -> int:
    """Talk to the real bot in a terminal, through the loopback Bot API server."""
    import asyncio

    return asyncio.run(_chat(settings, script, demo=demo, console=console))


async def _chat(settings: Settings, script: list[str] | None, *, demo: bool, console: Console) -> int:
    import asyncio
    import sys

    from telegram_loopback import BotApiServer, Event
    from bot.ingestion import load_demo

    store, topics = open_configured(settings)
    if demo and article_count(store) == 0:
        report = load_demo(store, topics)
        console.print(f"[dim]The store was empty: loaded the bundled fictional sample articles ({report.line()}).[/dim]")
    interactive = script is None and sys.stdin.isatty()
    lines = list(script) if script is not None else None
    last_keyboard: list[dict[str, Any]] = []
    last_with_keyboard: list[int] = []

    def show(event: Event) -> None:
        if event.kind not in ("message", "edit") or event.message is None or event.chat_id != user.id:
            if event.kind == "callback_answer" and event.detail.get("text"):
                console.print(f"[dim](notice) {event.detail['text']}[/dim]")
            return
        message = event.message
        console.print(terminal.html_to_text(message.source or message.text or ""), style=None)
        if message.reply_markup:
            console.print(terminal.keyboard_text(message.reply_markup))
            last_keyboard[:] = [button for row in message.reply_markup.get("inline_keyboard", []) for button in row]
            last_with_keyboard[:] = [message.message_id]
        console.print()

    with BotApiServer(bot_username="newsbrief_bot", bot_name="newsbrief") as server:
        user = server.add_user("You")
        application = build_application(settings, store=store, topics=topics, base_url=server.base_url, token=server.token, jobs_enabled=False)
        unsubscribe = server.on_event(show)
        console.print("[bold]newsbrief chat[/bold]: type a command such as /start or /syria; a number presses that button; /quit leaves.\n")
        try:
            async with application:
                await application.post_init(application)
                await application.start()
                await application.updater.start_polling(poll_interval=0.0, timeout=1)
                while True:
                    if lines is not None:
                        if not lines:
                            break
                        line = lines.pop(0)
                        console.print(f"[bold cyan]you>[/bold cyan] {line}")
                    else:
                        try:
                            line = await asyncio.to_thread(input, "you> " if interactive else "")
                        except EOFError:
                            break
                        if not interactive:
                            console.print(f"[bold cyan]you>[/bold cyan] {line}")
                    line = line.strip()
                    if not line:
                        continue
                    if line in ("/quit", "/exit", "quit", "exit"):
                        break
                    before = len(server.calls())
                    if line.isdigit() and last_keyboard and 1 <= int(line) <= len(last_keyboard):
                        button = last_keyboard[int(line) - 1]
                        if "callback_data" in button:
                            server.press_button(user.id, last_with_keyboard[0], button["callback_data"])
                        else:
                            console.print(f"[dim]That button opens {button.get('url', 'a link')}[/dim]")
                            continue
                    else:
                        server.send_text(user.id, line)
                    await _quiet(server, before)
                await application.updater.stop()
                await application.stop()
                await application.post_shutdown(application)
        finally:
            unsubscribe()
            store.close()
    return 0


async def _quiet(server: Any, before: int, settle: float = 0.6, limit: float = 15.0) -> None:
    """Wait until the bot has answered and gone quiet (no new calls for `settle` seconds)."""
    import asyncio
    import time

    started = time.monotonic()
    seen, changed = before, time.monotonic()
    while time.monotonic() - started < limit:
        await asyncio.sleep(0.1)
        count = len(server.calls())
        if count != seen:
            seen, changed = count, time.monotonic()
        elif count > before + 0 and time.monotonic() - changed >= settle:
            return


def push_once(settings: Settings, *, now: bool, chat_id: int | None, dry_run: bool, console: Console) -> int:
    """`newsbrief push`: one push run from the command line (due deliveries, or --now for everyone)."""
    import asyncio

    from bot.push import plan_deliveries

    async def go() -> int:
        store, topics = open_configured(settings)
        try:
            found = Services(store=store, topics=topics, settings=settings)
            if dry_run:
                _, preview = await push.push_now(None, found, chat_id=chat_id, dry_run=True)  # type: ignore[arg-type]
                for chat, messages in preview:
                    console.print(f"[bold]chat {chat}[/bold]: {len(messages)} message(s)")
                    for message in messages:
                        console.print(terminal.html_to_text(message.text))
                        console.print()
                if not preview:
                    console.print("No active subscribers.")
                return 0
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
        finally:
            store.close()

    return asyncio.run(go())
