"""The `newsbrief` command run as a person runs it: a process of its own, a store in a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def newsbrief(
    tmp_path: Path, *args: str, token: str = "", input_text: str | None = None, columns: int = 200
) -> subprocess.CompletedProcess[str]:
    """The newsbrief command in a process of its own, with a store in tmp_path and no .env, on a terminal `columns` wide."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "TELEGRAM_BOT_TOKEN": token, "COLUMNS": str(columns)})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, input=input_text
    )
