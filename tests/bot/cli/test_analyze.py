from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()

ARTICLE = (
    "Harbour council approves bridge repair\n\n"
    "The Harbour City council voted 7-2 on Tuesday to spend $4.2m repairing the Old Swing Bridge.\n\n"
    "Work is expected to begin in January and take about eight months, the council said.\n\n"
    "Two councillors voted against the plan, saying a new crossing upstream would be cheaper.\n\n"
    "Read more"
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_without_a_path_it_analyses_the_bundled_fictional_sample():
    result = runner.invoke(app, ["analyze"])
    assert result.exit_code == 0
    assert "Harbour City Council Approves Repairs to the Old Swing Bridge" in result.output
    assert "fictional sample" in result.output


def test_json_output_has_title_summary_and_what_was_removed(tmp_path):
    path = write(tmp_path, "bridge.txt", ARTICLE)
    result = runner.invoke(app, ["analyze", "--json", "--sentences", "2", str(path)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["title"] == "Harbour council approves bridge repair"
    assert data["language"] == "english"
    assert data["summary"] == [
        "The Harbour City council voted 7-2 on Tuesday to spend $4.2m repairing the Old Swing Bridge.",
        "Work is expected to begin in January and take about eight months, the council said.",
    ]
    assert data["removed"] == [{"text": "Read more", "reason": "read-more-link"}]
    assert data["sentences"] == 3
    assert isinstance(data["quotes"], list)


def test_html_file_and_stdin(tmp_path):
    html = write(
        tmp_path,
        "page.html",
        "<html><head><title>Bridge vote</title></head><body><article><h1>Bridge vote</h1>"
        "<p>The council voted on Tuesday to repair the old bridge at a cost of four million.</p>"
        "<p>Work starts in January and will take about eight months, officials said.</p>"
        "<script>track()</script></article></body></html>",
    )
    result = runner.invoke(app, ["analyze", "--json", str(html)])
    data = json.loads(result.stdout)
    assert data["title"] == "Bridge vote"
    assert "track()" not in " ".join(data["summary"])
    piped = runner.invoke(app, ["analyze", "--json", "-"], input=ARTICLE)
    assert json.loads(piped.stdout)["title"] == "Harbour council approves bridge repair"


def test_bad_files_get_a_clear_message_and_the_rest_goes_on(tmp_path):
    binary = write(tmp_path, "photo.txt", b"\x89PNG\x00\x00\x01\x02")
    empty = write(tmp_path, "empty.txt", "  \n\n ")
    good = write(tmp_path, "good.txt", ARTICLE)
    result = runner.invoke(app, ["analyze", "--json", str(binary), str(empty), str(tmp_path / "missing.txt"), str(good)])
    assert result.exit_code == 0
    assert f"{binary}: binary data, not text" in result.stderr
    assert f"{empty}: empty, nothing to analyze" in result.stderr
    assert "missing.txt: no such file" in result.stderr
    assert json.loads(result.stdout)["title"] == "Harbour council approves bridge repair"


def test_all_files_bad_exits_non_zero(tmp_path):
    empty = write(tmp_path, "empty.txt", "")
    assert runner.invoke(app, ["analyze", str(empty)]).exit_code == 1


def test_jsonl_in_one_process(tmp_path):
    lines = [
        json.dumps({"id": "a1", "title": "Bridge", "text": ARTICLE.split("\n\n", 1)[1]}),
        "not json",
        json.dumps({"id": "a2", "text": ""}),
        json.dumps({"id": 7, "text": "Shares fell sharply on Monday. Traders blamed the rate rise."}),
    ]
    source = write(tmp_path, "in.jsonl", "\n".join(lines) + "\n")
    result = runner.invoke(app, ["analyze", "--jsonl", str(source), "-n", "1"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row.get("id") for row in rows] == ["a1", None, "a2", 7]
    assert rows[0]["summary"] == ["The Harbour City council voted 7-2 on Tuesday to spend $4.2m repairing the Old Swing Bridge."]
    assert rows[1]["error"].startswith("line 2:")
    assert rows[2]["error"] == "empty text, nothing to analyze"
    assert rows[3]["summary"] == ["Shares fell sharply on Monday."]
    assert result.exit_code == 1


def test_bad_options_are_refused_with_the_choices():
    result = runner.invoke(app, ["analyze", "--algorithm", "magic"])
    assert result.exit_code == 2
    assert "unknown algorithm 'magic'" in result.output
    assert runner.invoke(app, ["analyze", "--sentences", "zero"]).exit_code == 2


def test_a_five_megabyte_text_and_a_paragraph_without_punctuation(tmp_path):
    paragraph = "The council met again on Tuesday and voted to repair the bridge. " * 80
    big = write(tmp_path, "big.txt", "Big\n\n" + "\n\n".join([paragraph] * 1000))
    assert big.stat().st_size > 5_000_000
    result = runner.invoke(app, ["analyze", "--json", str(big)])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["summary"]) == 1  # the same sentence over and over counts once
    endless = write(tmp_path, "endless.txt", " ".join(["word"] * 200_000))
    result = runner.invoke(app, ["analyze", "--json", str(endless)])
    assert result.exit_code == 0
    assert all(len(sentence) <= 2000 for sentence in json.loads(result.stdout)["summary"])
