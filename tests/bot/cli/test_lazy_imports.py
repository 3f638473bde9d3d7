"""`newsbrief analyze` loads only what it needs: no store, no Telegram, no bot, no sumy algorithms."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlalchemy", "telegram", "numpy", "sumy.utils", "sumy.summarizers", "requests", "httpx", "bot.app", "bot.store", "handlers")


def loaded_after(code: str) -> set[str]:
    """The heavy packages in sys.modules after running `code` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    return {name for name in HEAVY if any(module == name or module.startswith(name + ".") for module in modules)}


def test_importing_the_analyze_command_loads_no_store_telegram_or_bot() -> None:
    assert loaded_after("import bot.cli.analyze") == set()


def test_running_analyze_jsonl_loads_no_store_telegram_or_bot() -> None:
    code = (
        "import io, sys\n"
        "sys.stdin = io.StringIO('{\"id\": 1, \"text\": \"The minister said on Tuesday that the talks would resume. "
        "\\\\\"We will not stop,\\\\\" she said.\"}\\n')\n"
        "sys.argv = ['newsbrief', 'analyze', '--jsonl', '-']\n"
        "import bot.cli\n"
        "try:\n    bot.cli.main()\nexcept SystemExit as end:\n    assert end.code == 0, end.code"
    )
    assert loaded_after(code) == set()


def test_the_help_of_every_command_still_loads_them_all() -> None:
    # The lazy group must not lose a command: `newsbrief --help` lists (and so imports) every family.
    code = (
        "import sys\nsys.argv = ['newsbrief', '--help']\nimport bot.cli\n"
        "try:\n    bot.cli.main()\nexcept SystemExit:\n    pass"
    )
    assert {"sqlalchemy", "telegram", "bot.app", "bot.store", "handlers"} <= loaded_after(code)


def test_the_store_commands_load_no_telegram_or_bot() -> None:
    # ingest, topics, feeds, db: the store and the network, but neither Telegram nor the bot's handlers.
    assert loaded_after("import bot.cli.store") & {"telegram", "bot.app", "handlers"} == set()
