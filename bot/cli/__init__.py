"""The `newsbrief` command: one module per command family, each registering its commands here.

A command's module is imported when that command is run, not before: `newsbrief analyze` loads
neither the store (SQLAlchemy) nor Telegram nor the bot, and starts in a fraction of the time.
`newsbrief --help` imports them all, to list every command with its help.
"""

from __future__ import annotations

import importlib

import click
import typer
from typer.core import TyperGroup

# Each command and the module of bot.cli that registers it, in the order `newsbrief --help` lists them.
COMMANDS: dict[str, str] = {
    "analyze": "analyze",
    "ingest": "store",
    "topics": "store",
    "reanalyze": "store",
    "feeds": "store",
    "db": "store",
    "stories": "stories",
    "run": "run",
    "push": "run",
    "chat": "chat",
    "brief": "chat",
    "doctor": "doctor",
}


def _register(module_name: str, app: typer.Typer) -> None:
    module = importlib.import_module(f"bot.cli.{module_name}")
    module.register(app)
    if module_name == "store":
        from bot.cli import db

        db.register(module.db_app)  # `newsbrief db backup` beside upgrade and status


class CommandFamilies(TyperGroup):
    """The `newsbrief` group: a command's module is imported and registered the first time the command is asked for."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._families: dict[str, click.Group] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        if module_name not in self._families:
            family = typer.Typer()
            family.callback()(lambda: None)  # a group even for a module of one command
            _register(module_name, family)
            group = typer.main.get_group(family)
            self._families[module_name] = group
        return self._families[module_name].commands.get(cmd_name)


app = typer.Typer(
    cls=CommandFamilies, no_args_is_help=True, add_completion=False, help="newsbrief: news briefings with who-said-what."
)


@app.callback()
def _root() -> None:
    """newsbrief: news briefings with who-said-what."""


def main() -> None:
    """Entry point of the `newsbrief` console script."""
    app()
