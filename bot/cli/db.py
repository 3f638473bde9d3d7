"""`newsbrief db backup FILE`: an online copy of the SQLite store, consistent while the bot writes to it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.cli.terminal import console, errors
from bot.config import get_settings

# Pages copied per step; between steps the bot may write (SQLite restarts the copy of what changed).
PAGES_PER_STEP = 1024


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy (a new file).")],
) -> None:
    """Copy the SQLite store to FILE while the bot runs (SQLite's online backup); for PostgreSQL use pg_dump."""
    settings = get_settings()
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        errors.print(f"[red]error:[/red] DATABASE_URL is not a database URL: {settings.database_url!r}")
        raise typer.Exit(2) from None
    if url.get_backend_name() != "sqlite":
        errors.print(f"The store is {url.get_backend_name()}: back it up with pg_dump (pg_dump -Fc -f {file} DBNAME).")
        raise typer.Exit(2)
    source = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source.is_file():
        errors.print(f"[red]error:[/red] no SQLite store at {source} (DATABASE_URL={settings.database_url})")
        raise typer.Exit(2)
    if file.exists():
        errors.print(f"[red]error:[/red] {file} exists: name a new file")
        raise typer.Exit(2)
    try:
        copy_sqlite(source, file, busy_timeout=settings.sqlite_busy_timeout)
    except sqlite3.Error as error:
        file.unlink(missing_ok=True)
        errors.print(f"[red]error:[/red] the backup failed: {error}")
        raise typer.Exit(1) from None
    console.print(f"backed up {source} to {file} ({file.stat().st_size:,} bytes)")


def copy_sqlite(source: Path, target: Path, *, busy_timeout: float = 10.0) -> None:
    """SQLite's online backup of `source` into `target`: a consistent snapshot even while others write."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=busy_timeout) as reading:
        writing = sqlite3.connect(target)
        try:
            reading.backup(writing, pages=PAGES_PER_STEP)
        finally:
            writing.close()


def register(db_app: typer.Typer) -> None:
    """Add `backup` to the `newsbrief db` group."""
    db_app.command("backup")(backup)
