"""`newsbrief chat` (the real bot in this terminal, over the loopback Bot API) and `newsbrief brief` (one briefing printed)."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

import typer

from bot.app import build_application
from bot.cli.store import opened
from bot.cli.terminal import console, errors, html_to_text, keyboard_text
from bot.config import Settings, get_settings
from bot.ingest.pipeline import load_demo
from bot.store import article_count
from handlers import briefings, keyboards, render
from handlers.services import utc_now
from telegram_loopback import BotApiServer, Event

QUIT = ("/quit", "/exit", "quit", "exit")
READ_ONLY = (
    "the SQLite store {url} is read-only (the file or its folder is not writable): newsbrief chat writes to it "
    "(the chats the bot talks to); try `newsbrief brief WORDS` to read it, or make it writable"
)


def chat(
    script: Annotated[list[str] | None, typer.Argument(help="Messages to send in turn, e.g. /start /syria (default: type them).")] = None,
    demo: Annotated[bool, typer.Option("--demo/--no-demo", help="Load the bundled fictional sample articles when the store is empty.")] = True,
) -> None:
    """Try the bot in this terminal, without Telegram: type /syria, press buttons by number."""
    raise typer.Exit(asyncio.run(chat_session(get_settings(), script, demo=demo)))


def brief(
    words: Annotated[list[str], typer.Argument(help="A topic (syria) or any words (grain exports).")],
) -> None:
    """Print the briefing that /syria (or /brief words) would send, as the chat would show it."""
    raise typer.Exit(print_briefing(get_settings(), " ".join(words)))


def print_briefing(settings: Settings, words: str) -> int:
    """Print what `/topic` or `/brief words` would send to a chat that has had nothing yet."""
    with opened(settings=settings) as (store, topics):
        now = utc_now()
        topic = topics.find(words)
        briefing = (
            briefings.topic_briefing(store, topic, now) if topic is not None else briefings.query_briefing(store, words, now)
        )
        for message in render.render_briefing(briefing):
            console.print(html_to_text(message))
            console.print()
        key = topic.name if topic is not None else "?1"
        markup = keyboards.briefing_keyboard(briefing, key, 0, render.STORIES_PER_PAGE, subscribed=False)
        if markup is not None:
            console.print(keyboard_text(markup))
        if briefing.empty and article_count(store) == 0:
            console.print("[dim]The store is empty: load the demo articles with `newsbrief ingest --demo`.[/dim]")
    return 0


class TerminalChat:
    """One person talking to the bot through the loopback server: what they type goes in, what the bot sends is shown."""

    def __init__(self, server: BotApiServer) -> None:
        self.server = server
        self.user = server.add_user("You")
        self.buttons: list[dict[str, Any]] = []
        self.keyboard_message = 0

    def show(self, event: Event) -> None:
        """Print a message or edit the bot made in this chat, with its buttons numbered; notices dimmed."""
        if event.kind == "callback_answer" and event.detail.get("text"):
            console.print(f"[dim](notice) {event.detail['text']}[/dim]")
        if event.kind not in ("message", "edit") or event.message is None or event.chat_id != self.user.id:
            return
        message = event.message
        if message.kind == "photo":
            console.print("[dim](the story's picture)[/dim]")
        console.print(html_to_text(message.source or message.text or ""), style=None)
        if message.reply_markup:
            console.print(keyboard_text(message.reply_markup))
            self.buttons = [button for row in message.reply_markup.get("inline_keyboard", []) for button in row]
            self.keyboard_message = message.message_id
        console.print()

    async def say(self, line: str) -> None:
        """Send a line as the user (a number presses that button of the last keyboard) and wait for the bot's answer."""
        before = len(self.server.calls())
        if line.isdigit() and self.buttons and 1 <= int(line) <= len(self.buttons):
            button = self.buttons[int(line) - 1]
            if "callback_data" not in button:
                console.print(f"[dim]That button opens {button.get('url', 'a link')}[/dim]")
                return
            self.server.press_button(self.user.id, self.keyboard_message, button["callback_data"])
        else:
            self.server.send_text(self.user.id, line)
        await quiet(self.server, before)


async def typed_lines(script: list[str] | None) -> AsyncIterator[str]:
    """The lines to send: the script's, else what is typed (or piped) until end of input."""
    if script is not None:
        for line in script:
            console.print(f"[bold cyan]you>[/bold cyan] {line}")
            yield line
        return
    interactive = sys.stdin.isatty()
    while True:
        try:
            line = await asyncio.to_thread(input, "you> " if interactive else "")
        except EOFError:
            return
        if not interactive:
            console.print(f"[bold cyan]you>[/bold cyan] {line}")
        yield line


async def chat_session(settings: Settings, script: list[str] | None, *, demo: bool) -> int:
    """Talk to the real bot in a terminal, through the loopback Bot API server."""
    with opened(settings=settings) as (store, topics), BotApiServer(bot_username="newsbrief_bot", bot_name="newsbrief") as server:
        if store.read_only:  # the bot records every chat it talks to: each message would fail
            errors.print(f"error: {READ_ONLY.format(url=store.url)}", markup=False, highlight=False)
            return 2
        if demo and article_count(store) == 0:
            report = load_demo(store, topics)
            console.print(f"[dim]The store was empty: loaded the bundled fictional sample articles ({report.line()}).[/dim]")
        person = TerminalChat(server)
        application = build_application(settings, store=store, topics=topics, base_url=server.base_url, token=server.token, jobs_enabled=False)
        stop_showing = server.on_event(person.show)
        console.print("[bold]newsbrief chat[/bold]: type a command such as /start or /syria; a number presses that button; /quit leaves.\n")
        try:
            async with application:
                await application.post_init(application)
                await application.start()
                await application.updater.start_polling(poll_interval=0.0, timeout=1)
                async for line in typed_lines(script):
                    line = line.strip()
                    if line in QUIT:
                        break
                    if line:
                        await person.say(line)
                await application.updater.stop()
                await application.stop()
                await application.post_shutdown(application)
        finally:
            stop_showing()
    return 0


async def quiet(server: BotApiServer, before: int, settle: float = 0.6, limit: float = 15.0) -> None:
    """Wait until the bot has answered and gone quiet (no new calls for `settle` seconds)."""
    started = time.monotonic()
    seen, changed = before, time.monotonic()
    while time.monotonic() - started < limit:
        await asyncio.sleep(0.1)
        count = len(server.calls())
        if count != seen:
            seen, changed = count, time.monotonic()
        elif count > before and time.monotonic() - changed >= settle:
            return


def register(app: typer.Typer) -> None:
    """Add `chat` and `brief` to the `newsbrief` app."""
    app.command()(chat)
    app.command()(brief)
