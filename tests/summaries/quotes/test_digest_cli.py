"""`newsbrief analyze` shows the key-quote digest and prints every quotation in its JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

ARTICLE = (
    "Harbour bridge to reopen in May\n\n"
    "The harbour bridge will reopen in May after a winter of repairs, the council said on Tuesday.\n\n"
    "“The bridge will reopen in May, and the ferry will keep running until it does,” Mayor Elena Marsh told reporters.\n\n"
    "Councillor Tom Okafor called the repair “overdue.”"
)


def analyze_file(tmp_path: Path, *options: str) -> str:
    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", *options, str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_digest_names_who_said_each_key_quote(tmp_path):
    output = analyze_file(tmp_path)
    assert "Key quotes" in output
    assert (
        "“The bridge will reopen in May, and the ferry will keep running until it does” — "
        "Mayor Elena Marsh (told reporters)"
    ) in output
    assert "“overdue”" not in output
    assert "1 more quoted passage in --json" in output


def test_json_lists_every_quotation_key_ones_first(tmp_path):
    data = json.loads(analyze_file(tmp_path, "--json"))
    assert [(quote["text"][:20], quote["kind"], quote["key"], quote["speaker_full"]) for quote in data["quotes"]] == [
        ("The bridge will reop", "full", True, "Mayor Elena Marsh"),
        ("overdue", "scare", False, "Councillor Tom Okafor"),
    ]
