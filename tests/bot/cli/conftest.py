"""The CLI tests' store (a SQLite file of the test's own, named by DATABASE_URL, no topics file of the machine's), a wide terminal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import terminal
from bot.config import get_settings
from tests.bot.cli.process import WIDE


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("TOPICS_FILE", raising=False)
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process commands print as in a wide terminal: the tests compare whole lines, long temporary paths included."""
    for name, value in WIDE.items():
        monkeypatch.setenv(name, value)  # typer's own console (help, usage errors) reads it on each call
    # Ours were made at import, with the width COLUMNS had then.
    for screen in (terminal.console, terminal.errors):
        monkeypatch.setattr(screen, "width", int(WIDE["COLUMNS"]))
