"""`newsbrief doctor`: settings, store, schema, token, feeds and time-zone data checked, one table, exit 1 on a failure."""

from __future__ import annotations

import asyncio
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from pydantic import ValidationError
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from telegram import Bot
from telegram.error import InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from bot.cli.terminal import console
from bot.config import Settings
from bot.logs import RedactToken
from bot.store import Store, StoreError, list_feeds, open_store, schema_revision
from bot.store.engine import explain, known_revisions, newest_revision, normalize_url, read_only_file

Status = Literal["ok", "warn", "FAIL"]

# Seconds for getMe to connect and answer: a doctor says "unreachable" rather than wait.
TOKEN_TIMEOUT = 5.0
ZONE = "Europe/Berlin"


@dataclass(frozen=True)
class Check:
    """One row of the doctor's table."""

    name: str
    status: Status
    detail: str


def doctor() -> None:
    """Check the settings, the store and its schema, the token (getMe), the feeds and the time-zone data."""
    checks = run_checks()
    table = Table(title="newsbrief doctor", title_justify="left")
    table.add_column("check", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("detail")
    colours = {"ok": "green", "warn": "yellow", "FAIL": "bold red"}
    for check in checks:
        table.add_row(check.name, f"[{colours[check.status]}]{check.status}[/]", check.detail, end_section=False)
    console.print(table, highlight=False)
    raise typer.Exit(1 if any(check.status == "FAIL" for check in checks) else 0)


def run_checks() -> list[Check]:
    """Every check, in the table's order; one that cannot run says why (a warning)."""
    try:
        settings = Settings()
    except ValidationError as error:
        skipped = [Check(name, "warn", "not checked: the settings are invalid") for name in ("store", "schema", "token", "feeds")]
        return [Check("settings", "FAIL", _invalid(error)), *skipped, zone_check()]
    settings_ok = Check("settings", "ok", "valid (.env and environment)")
    token = asyncio.run(token_check(settings))
    unchecked = [Check("schema", "warn", "not checked: no store"), token, Check("feeds", "warn", "not checked: no store"), zone_check()]
    sqlite_file = _sqlite_file(settings.database_url)
    if sqlite_file is not None and not sqlite_file.exists():  # opening it would create it: a doctor only looks
        absent = Check("store", "warn", f"no SQLite file {sqlite_file} yet: the bot or any command creates it")
        return [settings_ok, absent, *unchecked]
    cannot_write = read_only_file(settings.database_url)
    try:
        # A SQLite file is only read (no WAL switch, no upgrade): a doctor changes nothing.
        store = open_store(
            settings.database_url, upgrade=False, busy_timeout=settings.sqlite_busy_timeout, read_only=sqlite_file is not None
        )
    except StoreError as error:
        return [settings_ok, Check("store", "FAIL", str(error)), *unchecked]
    try:
        where = Check("store", "ok", f"{store.dialect} at {store.engine.url.render_as_string(hide_password=True)}")
        if cannot_write:
            where = Check("store", "warn", f"{where.detail}, read-only (the file or its folder is not writable): the bot cannot run on it")
        schema = schema_check(store)
        feeds = feeds_check(store) if schema.status == "ok" else Check("feeds", "warn", "not checked: the schema is not current")
    finally:
        store.close()
    return [settings_ok, where, schema, token, feeds, zone_check()]


def _sqlite_file(url: str) -> Path | None:
    """The file a SQLite DATABASE_URL names, None for another backend, memory or a URL open_store will refuse."""
    try:
        parsed = make_url(normalize_url(url))
    except ArgumentError:
        return None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _invalid(error: ValidationError) -> str:
    problems = [f"{'.'.join(str(part) for part in problem['loc']).upper()}: {problem['msg']}" for problem in error.errors()]
    return "; ".join(problems)


def schema_check(store: Store) -> Check:
    """The store's schema revision against the newest the code ships."""
    newest = newest_revision()
    try:
        current = schema_revision(store)
    except SQLAlchemyError as error:
        return Check("schema", "FAIL", str(explain(error, store.url)))
    if current == newest:
        return Check("schema", "ok", f"at the newest revision {newest}")
    if current is None:
        return Check("schema", "warn", f"empty store: the bot or `newsbrief db upgrade` creates revision {newest}")
    if current not in known_revisions():
        return Check("schema", "FAIL", f"revision {current} is unknown to this version (newer code wrote it?); newest known {newest}")
    return Check("schema", "warn", f"at {current}, behind {newest}: run `newsbrief db upgrade` (the bot also does it on start)")


async def token_check(settings: Settings) -> Check:
    """getMe with the configured token, through python-telegram-bot; the token itself is never shown."""
    token = settings.telegram_bot_token
    if not token:
        return Check("token", "warn", "no TELEGRAM_BOT_TOKEN: `newsbrief run` needs one (`newsbrief chat` does not)")
    request = HTTPXRequest(connect_timeout=TOKEN_TIMEOUT, read_timeout=TOKEN_TIMEOUT, write_timeout=TOKEN_TIMEOUT, pool_timeout=TOKEN_TIMEOUT)
    try:
        bot = Bot(token, base_url=settings.telegram_api_base_url, request=request, get_updates_request=request)
        async with bot:
            me = bot.bot
    except InvalidToken:
        return Check("token", "FAIL", "Telegram refused the token (InvalidToken): check TELEGRAM_BOT_TOKEN")
    except TelegramError as error:
        # Its message may quote the URL, and the token in it.
        reason = RedactToken([token]).redact(f"{type(error).__name__}: {error}")
        return Check("token", "FAIL", f"getMe failed ({reason})")
    return Check("token", "ok", f"@{me.username} (id {me.id}, {me.first_name})")


def feeds_check(store: Store) -> Check:
    """How many feeds there are and how many are failing (their error counts in the store)."""
    try:
        feeds = list_feeds(store)
    except (StoreError, SQLAlchemyError) as error:
        return Check("feeds", "FAIL", str(error if isinstance(error, StoreError) else explain(error, store.url)))
    if not feeds:
        return Check("feeds", "warn", "no feeds: add one with `newsbrief feeds add URL`")
    failing = [feed for feed in feeds if feed.error_count > 0]
    detail = f"{len(feeds)} feeds, {len(failing)} failing"
    if not failing:
        return Check("feeds", "ok", detail)
    worst = max(failing, key=lambda feed: feed.error_count)
    return Check("feeds", "warn", detail + f" (most: {worst.url}, {worst.error_count} errors, last: {worst.last_error or 'unknown'})")


def zone_check() -> Check:
    """zoneinfo loads a zone, and the tzdata package (the zones on machines without their own) is installed."""
    try:
        ZoneInfo(ZONE)
    except ZoneInfoNotFoundError:
        return Check("time zones", "FAIL", f"zoneinfo cannot load {ZONE}: install tzdata (pip install tzdata)")
    try:
        version = importlib.metadata.version("tzdata")
    except importlib.metadata.PackageNotFoundError:
        return Check("time zones", "warn", f"{ZONE} loads from the system's zones; the tzdata package is missing")
    return Check("time zones", "ok", f"{ZONE} loads; tzdata {version}")


def register(app: typer.Typer) -> None:
    """Add `doctor` to the `newsbrief` app."""
    app.command()(doctor)
