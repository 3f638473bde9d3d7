"""Settings from the environment and a .env file (every variable is listed in .env.example)."""

from __future__ import annotations

from datetime import time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """What the person who runs the bot can set."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    database_url: str = "sqlite:///newsbrief.sqlite3"
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default=frozenset())
    default_timezone: str = "UTC"
    default_briefing_time: time = time(7, 0)
    topics_file: Path | None = None
    sqlite_busy_timeout: float = Field(default=10.0, gt=0)
    # Fetching pages and feeds: seconds to wait for each connect or read, seconds for a whole
    # exchange (connect, headers and body), the largest body, and the non-global hosts and
    # networks that may be fetched from (none: loopback, private, link-local ... are refused).
    fetch_timeout: float = Field(default=10.0, gt=0)
    fetch_deadline: float = Field(default=60.0, gt=0)
    fetch_max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    fetch_allow_private: Annotated[tuple[str, ...], NoDecode] = ()
    # The longest article analysed, in characters of its text (a news article is under 20,000 words,
    # about 130,000 characters); a longer one is refused with its length, the others go on.
    article_max_chars: int = Field(default=1_000_000, gt=0)
    feed_interval_minutes: int = Field(default=30, ge=1)
    # A story stays open to new reports this long after its latest one (follow-ups come for days).
    story_window_hours: float = Field(default=72.0, gt=0)
    log_level: str = "INFO"
    # The morning push: how late a missed briefing may still go out after downtime,
    # how many chats are sent to at once, and when a crashed process's claim is taken over.
    push_grace_hours: float = Field(default=3.0, ge=0)
    push_concurrency: int = Field(default=32, ge=1, le=1000)
    push_claim_lease_seconds: int = Field(default=600, ge=5)
    # On SIGTERM (systemd stop, docker stop) the push sends no new message and records what it
    # sent; this many seconds at most, then it is cancelled (keep it below systemd's TimeoutStopSec).
    stop_timeout_seconds: float = Field(default=20.0, gt=0)
    # Telegram's paid broadcasts (up to 1,000 messages a second, charged in Stars): off unless set.
    allow_paid_broadcast: bool = False
    # Webhook mode (`newsbrief run --webhook`): the public URL, the secret Telegram sends with
    # every update (checked on each request), and where the bot's web server listens.
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # The operator's endpoints of `newsbrief run`, GET /healthz and GET /metrics: off unless a port is
    # set (0: any free port); loopback unless told otherwise, since they need no password. /healthz
    # answers 503 when no push tick finished for this many seconds (the tick runs every minute).
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    metrics_listen: str = "127.0.0.1"
    health_push_late_seconds: float = Field(default=300.0, gt=0)
    # Errors reported to an operator's chat (a user, group or channel id), at most one message in this
    # many seconds; the errors in between are counted in the next one.
    error_chat_id: int | None = None
    error_report_interval_seconds: float = Field(default=60.0, ge=0)

    @property
    def story_window(self) -> timedelta:
        return timedelta(hours=self.story_window_hours)

    @property
    def push_grace(self) -> timedelta:
        return timedelta(hours=self.push_grace_hours)

    @property
    def push_claim_lease(self) -> timedelta:
        return timedelta(seconds=self.push_claim_lease_seconds)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("fetch_allow_private", mode="before")
    @classmethod
    def _split_allowed(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.replace(";", ",").split(",")
        if isinstance(value, (list, tuple, set, frozenset)):
            from bot.ingest.addresses import AllowedAddresses  # the guard's own parser says what a bad entry is

            entries = tuple(str(part).strip() for part in value if str(part).strip())
            AllowedAddresses.parse(entries)
            return entries
        return value

    @field_validator("metrics_port", "error_chat_id", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `METRICS_PORT=` as .env.example has it means "not set", not "not a number".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}: use an IANA name such as Europe/Berlin") from error
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
