"""The `newsbrief` command run as a person runs it: a process of its own, a store in a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Rich wraps at the terminal's width (COLUMNS); the tests compare whole lines, long temporary paths included,
# so the command runs as in a wide terminal whatever COLUMNS the person running the tests has.
WIDE = {"COLUMNS": "200"}


def newsbrief(
    tmp_path: Path,
    *args: str,
    token: str = "",
    input_text: str | None = None,
    env: dict[str, str] | None = None,
    columns: int = 200,
) -> subprocess.CompletedProcess[str]:
    """The newsbrief command in a process of its own, with a store in tmp_path and no .env, on a terminal `columns` wide; `env` adds or overrides."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_"))}
    environment.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "TELEGRAM_BOT_TOKEN": token, "COLUMNS": str(columns)})
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], env=environment, cwd=tmp_path, capture_output=True, text=True, timeout=120, input=input_text
    )


# A PostgreSQL store nobody listens for (port 1), and the one line every command says about it.
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/none"
UNREACHABLE_LINE = f"error: cannot reach the PostgreSQL server of {UNREACHABLE}: is it running? ("
