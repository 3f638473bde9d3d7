"""`newsbrief doctor`: one table of checks (settings, store, schema, token by getMe, feeds, time zones), exit 1 on a FAIL."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.cli import doctor as doctor_cli
from bot.config import get_settings
from bot.store import add_feed, downgrade_schema, open_store, record_poll_failure
from telegram_loopback import BotApiServer
from tests.bot.cli.process import UNREACHABLE, UNREACHABLE_LINE
from tests.bot.immutable import immutable

WRONG_TOKEN = "987654321:AAWrongWrongWrongWrongWrongWrongWrong"
ZONES = ("ok", "Europe/Berlin loads; tzdata ")


@pytest.fixture
def telegram(monkeypatch: pytest.MonkeyPatch) -> Iterator[BotApiServer]:
    """The loopback Bot API, the bot's token set to its."""
    with BotApiServer(token="7000000123:AAGoodGoodGoodGoodGoodGoodGoodGoodGo", bot_username="newsbrief_bot", bot_name="newsbrief") as server:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", server.token)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", server.base_url)
        yield server


def doctor(monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[int, dict[str, tuple[str, str]], str]:
    """Run `newsbrief doctor`: its exit code, its table as {check: (status, detail)}, and everything it printed."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["doctor"])
    rows: dict[str, tuple[str, str]] = {}
    name = ""
    for line in result.output.splitlines():
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[0]:
            name = cells[0]
            rows[name] = (cells[1], cells[2])
        else:  # a detail wrapped onto the next line
            rows[name] = (rows[name][0], f"{rows[name][1]} {cells[2]}")
    return result.exit_code, rows, result.output


def upgraded(database: Path) -> str:
    url = f"sqlite:///{database}"
    open_store(url).close()
    return url


def test_a_healthy_setup_is_all_ok(database: Path, telegram: BotApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(upgraded(database))
    add_feed(store, "https://news.example/rss.xml", title="", interval_minutes=30)
    store.close()

    code, rows, _ = doctor(monkeypatch)

    assert code == 0
    assert list(rows) == ["settings", "store", "schema", "token", "feeds", "time zones"]
    assert rows["settings"] == ("ok", "valid (.env and environment)")
    assert rows["store"] == ("ok", f"sqlite at sqlite:///{database}")
    assert rows["schema"] == ("ok", "at the newest revision 0009")
    assert rows["token"] == ("ok", "@newsbrief_bot (id 7000000123, newsbrief)")
    assert rows["feeds"] == ("ok", "1 feeds, 0 failing")
    assert rows["time zones"][0] == ZONES[0] and rows["time zones"][1].startswith(ZONES[1])


def test_a_refused_token_fails_and_is_never_printed(database: Path, telegram: BotApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    upgraded(database)

    code, rows, output = doctor(monkeypatch, TELEGRAM_BOT_TOKEN=WRONG_TOKEN)

    assert code == 1
    assert rows["token"] == ("FAIL", "Telegram refused the token (InvalidToken): check TELEGRAM_BOT_TOKEN")
    assert WRONG_TOKEN.split(":")[1] not in output
    assert [name for name, (status, _) in rows.items() if status == "FAIL"] == ["token"]


def test_without_a_token_it_warns_and_passes(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    upgraded(database)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)

    code, rows, _ = doctor(monkeypatch)

    assert code == 0
    assert rows["token"] == ("warn", "no TELEGRAM_BOT_TOKEN: `newsbrief run` needs one (`newsbrief chat` does not)")


def test_failing_feeds_are_counted_from_the_store(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(upgraded(database))
    add_feed(store, "https://news.example/rss.xml", title="", interval_minutes=30)
    broken, _ = add_feed(store, "https://gone.example/feed", title="", interval_minutes=30)
    record_poll_failure(store, broken.id, "HTTP 404")
    record_poll_failure(store, broken.id, "HTTP 404")
    store.close()

    code, rows, _ = doctor(monkeypatch, TELEGRAM_BOT_TOKEN="")

    assert code == 0
    assert rows["feeds"] == ("warn", "2 feeds, 1 failing (most: https://gone.example/feed, 2 errors, last: HTTP 404)")


def test_invalid_settings_fail_with_the_setting_named(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, rows, _ = doctor(monkeypatch, FETCH_TIMEOUT="soon")

    assert code == 1
    assert rows["settings"] == ("FAIL", "FETCH_TIMEOUT: Input should be a valid number, unable to parse string as a number")
    assert rows["store"] == ("warn", "not checked: the settings are invalid")


def test_an_unreachable_store_fails(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, rows, _ = doctor(monkeypatch, DATABASE_URL=UNREACHABLE, TELEGRAM_BOT_TOKEN="")

    assert code == 1
    assert rows["store"][0] == "FAIL"
    assert rows["store"][1].startswith(UNREACHABLE_LINE.removeprefix("error: "))
    assert rows["schema"] == ("warn", "not checked: no store")


def test_a_store_not_yet_made_is_not_created_by_looking(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, rows, _ = doctor(monkeypatch, TELEGRAM_BOT_TOKEN="")

    assert code == 0
    assert rows["store"] == ("warn", f"no SQLite file {database} yet: the bot or any command creates it")
    assert not database.exists()


def test_a_schema_behind_the_code_is_a_warning(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(upgraded(database))
    downgrade_schema(store, "0001")
    store.close()

    code, rows, _ = doctor(monkeypatch, TELEGRAM_BOT_TOKEN="")

    assert code == 0
    assert rows["schema"] == ("warn", "at 0001, behind 0009: run `newsbrief db upgrade` (the bot also does it on start)")
    assert rows["feeds"] == ("warn", "not checked: the schema is not current")


def test_a_store_nobody_can_write_is_a_warning_and_is_left_as_it_was(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    upgraded(database)
    before = database.read_bytes()
    with immutable(database, database.parent):
        code, rows, _ = doctor(monkeypatch, TELEGRAM_BOT_TOKEN="")
    assert code == 0
    assert rows["store"] == (
        "warn",
        f"sqlite at sqlite:///{database}, read-only (the file or its folder is not writable): the bot cannot run on it",
    )
    assert rows["schema"] == ("ok", "at the newest revision 0009")
    assert database.read_bytes() == before


def test_a_database_url_that_is_no_url_fails(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, rows, _ = doctor(monkeypatch, DATABASE_URL="newsbrief.sqlite3", TELEGRAM_BOT_TOKEN="")
    assert code == 1
    assert rows["store"] == (
        "FAIL",
        "DATABASE_URL 'newsbrief.sqlite3' is not a database URL: use sqlite:///path or postgresql+psycopg://user@host/db",
    )


def test_a_bot_api_that_never_answers_fails_within_the_short_timeout(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    upgraded(database)
    monkeypatch.setattr(doctor_cli, "TOKEN_TIMEOUT", 0.5)
    with socket.create_server(("127.0.0.1", 0)) as silent:  # connects, never answers
        port = silent.getsockname()[1]
        code, rows, output = doctor(monkeypatch, TELEGRAM_BOT_TOKEN=WRONG_TOKEN, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot")
    assert code == 1
    assert rows["token"] == ("FAIL", "getMe failed (TimedOut: Timed out)")
    assert WRONG_TOKEN.split(":")[1] not in output
