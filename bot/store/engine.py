"""The store's engine: opening DATABASE_URL, sessions, schema upgrades, and what differs by backend.

Every SQLite/PostgreSQL difference the domain modules need is decided here:
the INSERT that knows ON CONFLICT (`dialect_insert`, `upsert`), and the clock
the rows are stamped with (`utc_now`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = "bot.store:migrations"
# The backends open_store accepts, by SQLAlchemy dialect name.
DIALECTS = ("sqlite", "postgresql")


class StoreError(RuntimeError):
    """The store could not be opened or used; the message says why and what to do."""


class StoreBusy(StoreError):
    """Another process holds the SQLite file's write lock for longer than the busy timeout."""


@dataclass(frozen=True)
class Store:
    """An open store: the engine, its session factory and which backend it is."""

    engine: Engine
    sessions: sessionmaker[Session]
    url: str
    # How long a story stays open to new reports after its latest one (STORY_WINDOW_HOURS).
    story_window: timedelta = timedelta(days=3)
    # Opened for reading only (a SQLite file this process cannot write): every write fails.
    read_only: bool = False

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def normalize_url(url: str) -> str:
    """DATABASE_URL with the psycopg 3 driver named for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def open_store(
    url: str,
    *,
    upgrade: bool = True,
    schema: str | None = None,
    busy_timeout: float = 10.0,
    echo: bool = False,
    story_window: timedelta = timedelta(days=3),
    read_only: bool = False,
) -> Store:
    """Connect to DATABASE_URL and, unless told not to, bring the schema to the newest revision.

    `schema` puts every table in that PostgreSQL schema (the tests use one per run).
    `busy_timeout` is how long a SQLite writer waits for another process's lock.
    `read_only` opens a SQLite file for reading only (see `read_only_file`): no WAL switch, no upgrade;
    a schema behind the code is refused (unless `upgrade` is False: the caller looks at the schema itself),
    and any write fails with a StoreError saying the store is read-only.
    """
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(f"DATABASE_URL {url!r} is not a database URL: use sqlite:///path or postgresql+psycopg://user@host/db") from error
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().resolve().parent
            if not folder.is_dir():
                raise StoreError(f"cannot open the store {url}: the folder {folder} does not exist")
        kwargs["connect_args"] = {"timeout": busy_timeout, "check_same_thread": False}
        if read_only:
            kwargs["creator"] = _read_only_connector(Path(database).expanduser().resolve(), busy_timeout)
    elif read_only:
        raise StoreError(f"only a SQLite store can be opened read-only, not {_safe_url(url)}")
    elif parsed.get_backend_name() == "postgresql":
        kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
        if schema:
            kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    else:
        raise StoreError(f"unsupported DATABASE_URL {url!r}: use sqlite:///path or postgresql+psycopg://user@host/db")
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine, busy_timeout, wal=not read_only)
    store = Store(
        engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), url=url, story_window=story_window, read_only=read_only
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        if read_only and upgrade:  # what would be upgraded cannot be: say so rather than misread it
            _check_current(store)
        elif upgrade:
            upgrade_schema(store)
    except OperationalError as error:
        engine.dispose()
        raise explain(error, url) from error
    except StoreError:
        engine.dispose()
        raise
    return store


def read_only_file(url: str) -> bool:
    """Whether DATABASE_URL names an existing SQLite file that this process cannot write: the file or its folder.

    `os.access` also answers for root: a read-only file system, or an immutable file or folder (chattr +i).
    """
    try:
        parsed = make_url(normalize_url(url))
    except Exception:  # open_store says what is wrong with the URL
        return False
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return False
    path = Path(database).expanduser().resolve()
    # SQLite writes its journal (-wal, -shm) beside the file, so the folder must be writable too.
    return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _read_only_connector(path: Path, busy_timeout: float) -> Any:
    uri = f"file:{quote(str(path))}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-wal").exists():
        # A reader of a WAL file needs its -shm file, which it cannot make in a folder it cannot write;
        # there no writer can make a journal either, so the file cannot change under us: immutable holds.
        uri += "&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=busy_timeout, check_same_thread=False)

    return connect


def _check_current(store: Store) -> None:
    current, newest = schema_revision(store), newest_revision()
    if current != newest:
        raise StoreError(
            f"the read-only SQLite store {_safe_url(store.url)} is at schema revision {current or '(none)'}, "
            f"not {newest}: it cannot be upgraded while it is read-only; make it writable and run `newsbrief db upgrade`"
        )


def _tune_sqlite(engine: Engine, busy_timeout: float, *, wal: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(connection: sqlite3.Connection, _record: object) -> None:
        # pysqlite's own transaction handling is turned off so that a writing transaction
        # starts with BEGIN IMMEDIATE (below) and takes the write lock first: a read-then-write
        # transaction can otherwise fail at once with "database is locked" when another
        # writer committed in between, whatever the busy timeout.
        connection.isolation_level = None
        cursor = connection.cursor()
        if wal:  # switching the journal mode writes to the file, so a read-only store keeps the one it has
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get("newsbrief_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def read_only_refusal(url: str) -> StoreError:
    """What a writing command says on a store it cannot write."""
    return StoreError(
        f"the SQLite store {_safe_url(url)} is read-only (the file or its folder is not writable): this command writes to it; "
        "run it where the store is writable"
    )


def explain(error: SQLAlchemyError | sqlite3.Error, url: str = "") -> StoreError:
    """A StoreError whose message a person running the bot can act on."""
    message = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    where = _safe_url(url)
    if "database is locked" in message or "database table is locked" in message:
        return StoreBusy(
            f"the SQLite store {where} is locked by another process (another newsbrief still writing?); "
            "try again when it has finished, or use PostgreSQL for more than one process"
        )
    if "readonly database" in message:
        return read_only_refusal(url)
    if "unable to open database file" in message:
        return StoreError(f"cannot open the SQLite store {where}: check that the folder exists and is writable")
    if "Connection refused" in message or "could not connect" in message or "connection failed" in message:
        return StoreError(f"cannot reach the PostgreSQL server of {where}: is it running? ({message})")
    return StoreError(f"store error on {where}: {message}")


def _safe_url(url: str) -> str:
    if not url:
        return "(store)"
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as it is; it carries no password we could hide
        return url


def utc_now() -> datetime:
    """The time now, aware, in UTC: what every row is stamped with when no `now` is given."""
    return datetime.now(UTC)


def dialect_insert(bind: Session | Connection | str) -> Any:
    """The INSERT of a backend (SQLite or PostgreSQL), which knows ON CONFLICT.

    `bind` is a session or connection of that backend, or its dialect name (one of DIALECTS).
    """
    if isinstance(bind, Session):
        name = bind.bind.dialect.name  # type: ignore[union-attr]
    elif isinstance(bind, Connection):
        name = bind.dialect.name
    else:
        name = bind
    return sqlite_insert if name == "sqlite" else postgres_insert


def upsert(session: Session, table: Table, rows: list[dict[str, Any]], *, key: list[str], update: list[str]) -> None:
    """Insert `rows`; one whose `key` columns are taken updates the `update` columns of the stored row instead."""
    statement = dialect_insert(session)(table)
    session.execute(
        statement.on_conflict_do_update(index_elements=key, set_={name: statement.excluded[name] for name in update}),
        rows,
    )


@contextmanager
def transaction(store: Store, write: bool = True) -> Iterator[Session]:
    """A session in one transaction: committed when the block ends, rolled back on error.

    On SQLite a writing transaction takes the file's write lock when it begins.
    """
    with store.sessions() as session:
        try:
            with session.begin():
                session.connection(execution_options={"newsbrief_write": write})
                yield session
        except OperationalError as error:
            raise explain(error, store.url) from error


def upgrade_schema(store: Store, revision: str = "head") -> None:
    """Apply the Alembic migrations shipped in bot/store/migrations up to `revision`."""
    from alembic import command

    with store.engine.connect().execution_options(newsbrief_write=True) as connection:
        config = alembic_config(connection)
        command.upgrade(config, revision)
        connection.commit()


def downgrade_schema(store: Store, revision: str) -> None:
    """Undo migrations down to `revision` ('base' removes every table)."""
    from alembic import command

    with store.engine.connect() as connection:
        command.downgrade(alembic_config(connection), revision)
        connection.commit()


def schema_revision(store: Store) -> str | None:
    """The revision the store's schema is at, None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def newest_revision() -> str:
    """The newest revision of the migrations shipped in bot/store/migrations (what `upgrade_schema` brings a store to)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "bot/store/migrations holds no revision"
    return head


def known_revisions() -> set[str]:
    """Every revision of the migrations shipped in bot/store/migrations."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def alembic_config(connection: Any = None) -> Any:
    """An Alembic Config pointing at the migrations inside the package, bound to `connection`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config
