"""`python -m bot.cli`: the `newsbrief` command."""

from bot.cli import main

main()
