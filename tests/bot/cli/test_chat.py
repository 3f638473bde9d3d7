"""`newsbrief chat` and `newsbrief brief`: the real bot in a terminal, over the loopback Bot API."""

from __future__ import annotations

import pytest

from tests.bot.cli.process import UNREACHABLE, UNREACHABLE_LINE, newsbrief
from tests.bot.immutable import immutable


def test_chat_runs_the_real_bot_on_the_demo_articles(tmp_path):
    result = newsbrief(tmp_path, "chat", "/start", "/syria", "1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "loaded the bundled fictional sample articles" in out
    assert "👋 newsbrief gives you news briefings" in out
    assert "Syria · 2 stories from the last 24 hours" in out
    assert "[1] 1 ›" in out
    assert "Sources (2)" in out  # button 1 opened the first story


def test_chat_reads_commands_from_a_pipe(tmp_path):
    result = newsbrief(tmp_path, "chat", input_text="/help\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "newsbrief briefs you on the news" in result.stdout


def test_brief_prints_what_the_command_would_send(tmp_path):
    assert newsbrief(tmp_path, "ingest", "--demo").returncode == 0
    result = newsbrief(tmp_path, "brief", "syria")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Syria · 2 stories from the last 24 hours")
    assert "☀️ Every morning" in result.stdout


@pytest.mark.parametrize("command", [["brief", "syria"], ["chat", "/start"]])
def test_an_unreachable_store_is_said_in_one_line(tmp_path, command):
    result = newsbrief(tmp_path, *command, env={"DATABASE_URL": UNREACHABLE})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(UNREACHABLE_LINE)
    assert result.stdout == ""


def test_chat_on_a_store_nobody_can_write_says_so_in_one_line(tmp_path):
    assert newsbrief(tmp_path, "ingest", "--demo").returncode == 0
    with immutable(tmp_path / "cli.sqlite3", tmp_path):
        result = newsbrief(tmp_path, "chat", "/start")
    assert result.returncode == 2
    assert result.stderr == (
        f"error: the SQLite store sqlite:///{tmp_path / 'cli.sqlite3'} is read-only (the file or its folder is not writable): "
        "newsbrief chat writes to it (the chats the bot talks to); try `newsbrief brief WORDS` to read it, or make it writable\n"
    )
    assert result.stdout == ""
