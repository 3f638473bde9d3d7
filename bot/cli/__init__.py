"""The `newsbrief` command: one module per command family, each registering its commands here."""

from __future__ import annotations

import typer

from bot.cli import analyze, chat, db, doctor, run, store, stories

app = typer.Typer(no_args_is_help=True, add_completion=False, help="newsbrief: news briefings with who-said-what.")


@app.callback()
def _root() -> None:
    """newsbrief: news briefings with who-said-what."""


# The order `newsbrief --help` lists them in.
analyze.register(app)
store.register(app)
db.register(store.db_app)  # `newsbrief db backup` beside upgrade and status
stories.register(app)
run.register(app)
chat.register(app)
doctor.register(app)


def main() -> None:
    """Entry point of the `newsbrief` console script."""
    app()
