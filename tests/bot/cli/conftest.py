"""The CLI tests' store: a SQLite file of the test's own, named by DATABASE_URL, no topics file of the machine's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import get_settings


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("TOPICS_FILE", raising=False)
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()
