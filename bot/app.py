"""Build the bot: one function makes the Application, registers every handler, schedules the jobs; and opens the configured store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

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
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.backoff import Backoff, until_reachable
from bot.config import Settings
from bot.ingest.upkeep import open_configured
from bot.metrics import BotMetrics
from bot.ops_server import OpsServer
from bot.ratelimit import TelegramRateLimiter
from bot.store import Store
from bot.telegram_http import AiohttpRequest
from bot.topics import Topics, load_topics
from handlers import admin, buttons, channels, chats, commands, inline, jobs, language, mutes, subscriptions, timing
from handlers.translations import IN_ENGLISH, N_, Translator, translators
from handlers.errors import error_handler
from handlers.push import push_tick
from handlers.services import CONTEXT_TYPES, SERVICES, Services, utc_now
from handlers.throttle import throttle

log = logging.getLogger(__name__)

# (command, description) of the built-in commands, in the order /help and Telegram's menu show them;
# the descriptions are catalogue messages, set in every language (setMyCommands with language_code).
BUILT_IN = (
    ("start", N_("What this bot does")),
    ("help", N_("All commands")),
    ("topics", N_("The topics I follow")),
    ("brief", N_("A briefing on any words: /brief grain exports")),
    ("latest", N_("The newest stories")),
    ("quotes", N_("Who said what on a topic: /quotes syria")),
    ("who", N_("What a person has been quoted saying: /who name")),
    ("subscribe", N_("A topic, or your own words, every morning")),
    ("unsubscribe", N_("Stop a morning briefing")),
    ("subscriptions", N_("Your morning topics")),
    ("time", N_("When the morning briefing comes: /time 07:30")),
    ("timezone", N_("Your time zone: /timezone Europe/Berlin")),
    ("quiet", N_("The morning briefing without sound: /quiet on")),
    ("mute", N_("Leave out stories with some words: /mute football")),
    ("mutes", N_("What is muted here")),
    ("channel", N_("The morning briefing in your channel: /channel @name syria")),
    ("settings", N_("What I keep about this chat")),
    ("language", N_("English or Russian: /language ru")),
    ("stop", N_("Forget this chat")),
)
ADMIN = (("stats", admin.stats), ("ingest", admin.ingest), ("feeds", admin.feeds))
FEED_POLL_SECONDS = 60
OPS_SERVER = "ops_server"
PUSH_TICK_SECONDS = 60


class NewsbriefApplication(Application):  # type: ignore[type-arg]
    """python-telegram-bot's Application that, given a backoff, waits for an unreachable Telegram at start,
    and on a stop lets the push record what it sent (up to `stop_timeout` seconds) before the JobQueue stops.

    python-telegram-bot's own stop waits for every running job without a bound (a whole push to
    thousands of chats), so systemd's or Docker's kill would land in the middle of a send.
    """

    def __init__(self, *, startup_backoff: Backoff | None = None, stop_timeout: float = 20.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.startup_backoff = startup_backoff
        self.stop_timeout = stop_timeout

    async def initialize(self) -> None:
        """Get the bot ready (getMe); with a backoff, network errors are waited out and InvalidToken raised at once."""
        if self.startup_backoff is None:
            await super().initialize()
        else:
            await until_reachable(super().initialize, self.startup_backoff)

    async def stop(self) -> None:
        """Stop the push in flight cleanly (bounded), then python-telegram-bot's stop."""
        services = self.bot_data.get(SERVICES)
        if services is not None:
            await services.shutdown.finish(self.stop_timeout)
        await super().stop()


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
    startup_backoff: Backoff | None = None,
    serve_ops: bool = False,
) -> NewsbriefApplication:
    """The bot, ready for run_polling / run_webhook (or initialize + start in tests).

    A store passed in is used as is (and left open); otherwise DATABASE_URL is
    opened in post_init, its schema upgraded, and closed in post_shutdown. With
    `startup_backoff`, start-up waits for Telegram while it is unreachable (`newsbrief run`).
    With `serve_ops` and METRICS_PORT set, /healthz and /metrics are served from post_init on.
    """
    topics = topics if topics is not None else load_topics(settings.topics_file)
    token = token or settings.telegram_bot_token
    if not token:
        raise ValueError("no TELEGRAM_BOT_TOKEN")
    limiter = rate_limiter if rate_limiter is not None else TelegramRateLimiter()
    metrics = BotMetrics(limiter)

    async def post_init(application: Application) -> None:
        opened = store if store is not None else open_configured(settings)[0]
        metrics.attach(opened, clock)
        application.bot_data[SERVICES] = Services(store=opened, topics=topics, settings=settings, clock=clock, metrics=metrics)
        if serve_ops and settings.metrics_port is not None:
            await start_ops_server(application)
        if startup_backoff is None:
            await set_menus(application, topics)
        else:
            await until_reachable(lambda: set_menus(application, topics), startup_backoff)
        if jobs_enabled and application.job_queue is not None:
            schedule_jobs(application)
        log.info("newsbrief is up as @%s with %d topics", application.bot.username, len(topics))

    async def post_shutdown(application: Application) -> None:
        ops = application.bot_data.pop(OPS_SERVER, None)
        if ops is not None:
            await ops.stop()
        services = application.bot_data.get(SERVICES)
        if services is not None and store is None:
            services.store.close()
        # python-telegram-bot closes the bot's HTTP sessions only if getMe succeeded (a stop while waiting, a refused token).
        await close_requests(application)

    builder = (
        ApplicationBuilder()
        .application_class(NewsbriefApplication, {"startup_backoff": startup_backoff, "stop_timeout": settings.stop_timeout_seconds})
        .token(token)
        .context_types(CONTEXT_TYPES)
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
    builder = builder.rate_limiter(limiter)
    application: NewsbriefApplication = builder.build()  # type: ignore[assignment]
    register_handlers(application, topics, settings)
    return application


async def close_requests(application: Application) -> None:
    """Close the bot's HTTP sessions (closing a closed one does nothing)."""
    bot = application.bot
    for request in dict.fromkeys(getattr(bot, "_request", (bot.request,))):
        await request.shutdown()


def register_handlers(application: Application, topics: Topics, settings: Settings) -> None:
    """Every handler, in one place; the order within a group matters where commented."""
    # Group -1 runs first: a chat that floods the bot is stopped before any work is done.
    application.add_handler(TypeHandler(Update, throttle), group=-1)
    # Command latency: noted before the throttle (group -2), observed after every other group (99).
    application.add_handler(TypeHandler(Update, timing.handling_started), group=-2)
    application.add_handler(TypeHandler(Update, timing.handling_finished), group=99)

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
    application.add_handler(CommandHandler("quiet", subscriptions.quiet_command))
    application.add_handler(CommandHandler("mute", mutes.mute_command))
    application.add_handler(CommandHandler("mutes", mutes.mutes_command))
    application.add_handler(CommandHandler("channel", channels.channel_command))
    application.add_handler(CommandHandler("settings", subscriptions.settings_command))
    application.add_handler(CommandHandler("language", language.language_command))
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
    # `@bot words` in any chat (inline mode, switched on with @BotFather /setinline).
    application.add_handler(InlineQueryHandler(inline.inline_query))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, chats.migrated))
    application.add_handler(ChatMemberHandler(chats.membership, ChatMemberHandler.MY_CHAT_MEMBER))
    # After every command handler: what none of them took is unknown.
    application.add_handler(MessageHandler(filters.COMMAND, commands.unknown_command))
    # A story the user posted from our inline results comes back "via" us in our own chat: not a question to answer.
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT & filters.ChatType.PRIVATE, commands.text_message))

    application.add_error_handler(error_handler)


async def start_ops_server(application: Application) -> OpsServer:
    """Serve /healthz and /metrics of a started-up Application on METRICS_LISTEN:METRICS_PORT, until post_shutdown."""
    services: Services = application.bot_data[SERVICES]
    settings = services.settings
    server = OpsServer(
        services.metrics, services.clock, listen=settings.metrics_listen, port=settings.metrics_port or 0,
        push_late_after=settings.health_push_late_seconds,
    )
    await server.start()
    application.bot_data[OPS_SERVER] = server
    return server


def schedule_jobs(application: Application) -> None:
    """Put the recurring jobs on the JobQueue."""
    queue = application.job_queue
    queue.run_repeating(jobs.poll_feeds, interval=FEED_POLL_SECONDS, first=5, name="poll-feeds")
    # The push runs every minute and once at start-up, so a briefing missed while the bot
    # was down goes out at once (within the grace period). Schedules live in the store,
    # not in one job per subscriber, so every process sees the same plan.
    queue.run_repeating(push_tick, interval=PUSH_TICK_SECONDS, first=1, name="push")


async def set_menus(application: Application, topics: Topics) -> None:
    """The command menu in English for everyone, and in each other language for users whose Telegram speaks it."""
    for code, t in translators().items():
        await application.bot.set_my_commands(bot_commands(topics, t), language_code=None if t is IN_ENGLISH else code)


def bot_commands(topics: Topics, t: Translator = IN_ENGLISH) -> list[BotCommand]:
    """The command menu set with setMyCommands: built-ins, then topics (Telegram takes up to 100), in `t`'s language."""
    menu = [BotCommand(name, t.gettext(description)) for name, description in BUILT_IN]
    taken = {name for name, _ in BUILT_IN}
    for topic in topics.values():
        if topic.command not in taken and len(menu) < 100:
            menu.append(BotCommand(topic.command, t.gettext("{title} briefing", title=t.title(topic.title))[:256]))
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
