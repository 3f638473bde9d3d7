"""One reader for every file format: front matter, Markdown, HTML, JSON and JSONL, standard input."""

from __future__ import annotations

from bot.ingest.pipeline import SAMPLES
from bot.ingest.read import read_file


def test_the_sample_files_still_read_with_front_matter() -> None:
    (incoming,) = list(read_file(SAMPLES / "syria-manbij-truce.txt"))

    assert incoming.title == "Turkey and Kurdish-Led Forces Agree to a Three-Day Truce Around Manbij"
    assert "source:" not in incoming.text
    assert incoming.source == "Levant Ledger"
