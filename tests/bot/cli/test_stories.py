"""`newsbrief stories`: the store's stories, files grouped without a store, one story's summary, regrouping."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from tests.bot.helpers import OTHER_QUAKE, QUAKE_A, QUAKE_B


def reports(tmp_path: Path) -> Path:
    """Three fictional reports: two outlets on one quake, one on another, as a JSONL file."""
    rows = [
        {"title": "Quake topples Velmora clock tower", "text": QUAKE_A, "source": "Arlen Courier", "published": "2026-11-30T08:00:00Z"},
        {"title": "Quake cracks Tarsk harbour wall", "text": OTHER_QUAKE, "source": "Arlen Courier", "published": "2026-11-30T09:00:00Z"},
        {"title": "Velmora digs out after 6.1 quake", "text": QUAKE_B, "source": "Northern Ledger", "published": "2026-11-30T10:00:00Z"},
    ]
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def shape(line: dict[str, object]) -> tuple[object, ...]:
    return (line["headline"], line["outlets"], [article["title"] for article in line["articles"]])  # type: ignore[union-attr]


def test_the_stores_stories_one_line_each_with_every_article(database: Path, tmp_path: Path) -> None:
    assert run("ingest", str(reports(tmp_path)))[0] == 0

    code, output = run("stories", "--since", "3650d", "--jsonl")

    assert code == 0
    stories = lines(output)
    assert [shape(story) for story in stories] == [
        ("Quake topples Velmora clock tower", ["Arlen Courier", "Northern Ledger"],
         ["Quake topples Velmora clock tower", "Velmora digs out after 6.1 quake"]),
        ("Quake cracks Tarsk harbour wall", ["Arlen Courier"], ["Quake cracks Tarsk harbour wall"]),
    ]
    assert all(sentence in QUAKE_A + QUAKE_B for sentence in stories[0]["summary"])  # type: ignore[union-attr]
    assert len(stories[1]["summary"]) >= 1  # type: ignore[arg-type]


def test_files_are_grouped_by_the_same_rules_without_touching_the_store(database: Path, tmp_path: Path) -> None:
    code, output = run("stories", str(reports(tmp_path)), "--jsonl")

    assert code == 0
    assert [len(story["articles"]) for story in lines(output)] == [2, 1]  # type: ignore[arg-type]
    assert "articles: 0" in run("db", "status")[1]


def test_one_story_prints_the_summary_of_all_the_files(database: Path, tmp_path: Path) -> None:
    code, output = run("stories", str(reports(tmp_path)), "--one-story", "--jsonl", "-n", "2")

    assert code == 0
    (story,) = lines(output)
    assert story["headline"] == "Velmora digs out after 6.1 quake"
    assert story["outlets"] == ["Arlen Courier", "Northern Ledger"]
    assert len(story["summary"]) == 2  # type: ignore[arg-type]


def test_rebuild_regroups_the_store_and_the_table_lists_them(database: Path, tmp_path: Path) -> None:
    run("ingest", str(reports(tmp_path)))

    assert run("stories", "--rebuild") == (0, "regrouped the stored articles into 2 stories\n")
    code, output = run("stories", "--since", "3650d")
    assert code == 0
    assert "Stories (2)" in output and "Quake topples Velmora clock tower" in output


def test_a_since_it_cannot_read_is_refused_with_the_forms_it_takes(database: Path) -> None:
    code, output = run("stories", "--since", "last week")
    assert code == 2
    assert "give 24h, 7d, 2w or a date" in output
