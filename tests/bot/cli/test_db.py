"""`newsbrief db backup`: an online copy of the SQLite store while another connection writes."""

from __future__ import annotations

import sqlite3
import threading

from bot.ingest.pipeline import load_demo
from bot.store import article_count, open_store
from bot.topics import load_topics
from tests.bot.cli.process import newsbrief


def test_a_backup_taken_while_another_connection_writes_opens_and_holds_the_articles(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    load_demo(store, load_topics())
    articles = article_count(store)
    store.close()
    stop = threading.Event()
    writes = []

    def write() -> None:
        with sqlite3.connect(tmp_path / "cli.sqlite3", timeout=30) as connection:
            while not stop.is_set():
                connection.execute("INSERT INTO store_settings (key, value) VALUES (?, 'x')", (f"busy.{len(writes)}",))
                connection.commit()
                writes.append(1)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = newsbrief(tmp_path, "db", "backup", str(tmp_path / "copy.sqlite3"))
    finally:
        stop.set()
        writer.join()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"backed up {tmp_path / 'cli.sqlite3'} to {tmp_path / 'copy.sqlite3'} (")
    assert writes
    copy = open_store(f"sqlite:///{tmp_path / 'copy.sqlite3'}", upgrade=False)
    try:
        assert article_count(copy) == articles
    finally:
        copy.close()
    with sqlite3.connect(tmp_path / "copy.sqlite3") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_backup_never_overwrites_a_file(tmp_path):
    open_store(f"sqlite:///{tmp_path / 'cli.sqlite3'}").close()
    (tmp_path / "copy.sqlite3").write_text("keep me")
    result = newsbrief(tmp_path, "db", "backup", str(tmp_path / "copy.sqlite3"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'copy.sqlite3'} exists: name a new file"
    assert (tmp_path / "copy.sqlite3").read_text() == "keep me"


def test_a_postgresql_store_is_backed_up_with_pg_dump(tmp_path):
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "DATABASE_"))}
    env["DATABASE_URL"] = "postgresql+psycopg://bot@db.invalid:5432/newsbrief"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "backup", "out.dump"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "The store is postgresql: back it up with pg_dump (pg_dump -Fc -f out.dump DBNAME)."
