"""Shared fixtures: a real store on SQLite (a tmp file) and on the local PostgreSQL server.

`backend` / `store` run a test once per backend. PostgreSQL comes from
NEWSBRIEF_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
each test session works in a schema of its own, dropped at the end, and every
test starts from empty tables. When the server is unreachable the PostgreSQL
cases skip with the reason, unless NEWSBRIEF_REQUIRE_POSTGRES=1 (set by .ci/run),
which makes them fail.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Test helper modules (tests/bot/helpers.py) are imported as `tests.bot.helpers`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.store import Store, open_store  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    """The PostgreSQL server the tests use."""
    return os.environ.get("NEWSBRIEF_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def postgres_required() -> bool:
    """True when PostgreSQL tests must run (CI), so an unreachable server fails them."""
    return os.environ.get("NEWSBRIEF_REQUIRE_POSTGRES") == "1"


@dataclass(frozen=True)
class Backend:
    """One database for one test: open as many Store objects on it as the test needs."""

    name: str
    url: str
    schema: str | None = None

    def open(self, **options: object) -> Store:
        """A new Store (own engine and pool) on this test's database; the schema is already there."""
        return open_store(self.url, schema=self.schema, upgrade=False, **options)  # type: ignore[arg-type]


def _psycopg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A schema of its own for this test session on the PostgreSQL server, migrated once, dropped after."""
    import psycopg

    url = postgres_url()
    try:
        connection = psycopg.connect(_psycopg_dsn(url), autocommit=True, connect_timeout=3)
    except psycopg.Error as error:
        reason = f"PostgreSQL not reachable at {url} ({str(error).strip().splitlines()[0]})"
        if postgres_required():
            pytest.fail(f"{reason}; NEWSBRIEF_REQUIRE_POSTGRES=1 needs it")
        pytest.skip(f"{reason}; set NEWSBRIEF_TEST_POSTGRES_URL to run the PostgreSQL cases")
    schema = f"nbtest_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
        try:
            open_store(url, schema=schema).close()
            yield schema
        finally:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies instead of migrating again."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    store = open_store(f"sqlite:///{path}")
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def _empty_postgres(url: str, schema: str) -> None:
    from bot.store.models import Base

    tables = ", ".join(f'"{schema}"."{table.name}"' for table in Base.metadata.sorted_tables)
    store = open_store(url, schema=schema, upgrade=False)
    try:
        with store.engine.begin() as connection:
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        store.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """The test's database: a fresh SQLite file, or emptied tables in the session's PostgreSQL schema."""
    if request.param == "sqlite":
        path = tmp_path / "store.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return Backend("sqlite", f"sqlite:///{path}")
    schema = request.getfixturevalue("postgres_schema")
    _empty_postgres(postgres_url(), schema)
    return Backend("postgres", postgres_url(), schema)


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    """An open, migrated, empty store on each backend."""
    opened = backend.open()
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(tmp_path: Path, sqlite_template: Path) -> Iterator[Store]:
    """An open, migrated, empty SQLite store (for SQLite-only behaviour such as file locks)."""
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(sqlite_template, path)
    opened = open_store(f"sqlite:///{path}", upgrade=False)
    yield opened
    opened.close()
