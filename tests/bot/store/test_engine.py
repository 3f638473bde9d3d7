"""bot/store/engine.py: opening a SQLite store read-only, and deciding when a store must be."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import StoreError, add_feed, article_count, downgrade_schema, list_feeds, open_store
from bot.store.engine import read_only_file
from tests.bot.immutable import immutable

READ_ONLY = "is read-only (the file or its folder is not writable): this command writes to it; run it where the store is writable"


def made(tmp_path: Path, *, journal: str = "wal") -> str:
    """A store at the newest schema with one feed, its journal mode as given, closed."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = open_store(url)
    add_feed(store, "https://news.example/rss.xml", title="News", interval_minutes=30)
    store.close()
    connection = sqlite3.connect(tmp_path / "store.sqlite3")
    connection.execute(f"PRAGMA journal_mode={journal}")
    connection.close()  # the last connection of a WAL file removes its -wal and -shm files
    return url


def journal_mode(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        connection.close()


def test_a_read_only_store_reads_and_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    url = made(tmp_path, journal="delete")
    before = (tmp_path / "store.sqlite3").read_bytes()

    store = open_store(url, read_only=True)
    try:
        assert [feed.url for feed in list_feeds(store)] == ["https://news.example/rss.xml"]
        assert article_count(store) == 0
    finally:
        store.close()

    assert journal_mode(tmp_path / "store.sqlite3") == "delete"  # no WAL switch
    assert (tmp_path / "store.sqlite3").read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["store.sqlite3"]


def test_writing_to_a_read_only_store_says_so_in_one_line(tmp_path: Path) -> None:
    url = made(tmp_path)
    store = open_store(url, read_only=True)
    try:
        with pytest.raises(StoreError) as raised:
            add_feed(store, "https://other.example/feed", title="", interval_minutes=30)
    finally:
        store.close()
    assert str(raised.value) == f"the SQLite store {url} {READ_ONLY}"


def test_a_read_only_store_behind_the_code_is_refused_not_upgraded(tmp_path: Path) -> None:
    url = made(tmp_path)
    store = open_store(url)
    downgrade_schema(store, "0001")
    store.close()

    with pytest.raises(StoreError) as raised:
        open_store(url, read_only=True)

    assert str(raised.value) == (
        f"the read-only SQLite store {url} is at schema revision 0001, not 0009: it cannot be upgraded while it is "
        "read-only; make it writable and run `newsbrief db upgrade`"
    )
    connection = sqlite3.connect(tmp_path / "store.sqlite3")
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    finally:
        connection.close()


def test_only_sqlite_opens_read_only() -> None:
    with pytest.raises(StoreError, match="^only a SQLite store can be opened read-only, not postgresql"):
        open_store("postgresql+psycopg://postgres@127.0.0.1:1/none", read_only=True)


def test_a_store_is_read_only_when_its_file_or_folder_cannot_be_written(tmp_path: Path) -> None:
    url = made(tmp_path)
    assert not read_only_file(url)
    assert not read_only_file(f"sqlite:///{tmp_path / 'absent.sqlite3'}")  # opening creates it
    assert not read_only_file("sqlite:///:memory:")
    assert not read_only_file("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    with immutable(tmp_path / "store.sqlite3"):
        assert read_only_file(url)
    with immutable(tmp_path):
        assert read_only_file(url)


def test_a_wal_store_in_a_folder_nobody_can_write_is_still_read(tmp_path: Path) -> None:
    url = made(tmp_path, journal="wal")
    with immutable(tmp_path / "store.sqlite3", tmp_path):
        # A plain writable open (and mode=ro without immutable) cannot make the -shm file here.
        with pytest.raises(StoreError):
            open_store(url, upgrade=False).close()
        store = open_store(url, read_only=True)
        try:
            assert [feed.title for feed in list_feeds(store)] == ["News"]
        finally:
            store.close()


def test_a_database_url_that_is_no_url_is_said_in_one_line() -> None:
    with pytest.raises(StoreError) as raised:
        open_store("newsbrief.sqlite3")
    assert str(raised.value) == (
        "DATABASE_URL 'newsbrief.sqlite3' is not a database URL: use sqlite:///path or postgresql+psycopg://user@host/db"
    )
