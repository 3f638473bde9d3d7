"""The store's `newsbrief` commands, run through typer against a SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import get_settings
from tests.bot.helpers import LoopbackSite, rss


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_ingest_demo_then_topics_and_status(database: Path) -> None:
    code, output = run("ingest", "--demo")
    assert (code, output.strip()) == (0, "added 15, duplicates 0, failed 0")

    code, output = run("ingest", "--demo")
    assert output.strip() == "added 0, duplicates 15, failed 0"

    code, output = run("topics")
    assert code == 0
    syria = next(line for line in output.splitlines() if "/syria" in line)
    assert [cell.strip() for cell in syria.split("│")][1:5] == ["/syria", "Syria", "3", "3"]

    code, output = run("db", "status")
    assert "store: sqlite, schema revision 0003" in output
    assert "articles: 15" in output


def test_ingest_reports_failures_and_exits_non_zero_when_nothing_was_stored(database: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")

    code, output = run("ingest", str(tmp_path / "empty.txt"), str(tmp_path / "absent.txt"))

    assert code == 1
    assert output.strip().startswith("added 0, duplicates 0, failed 2 (")
    assert "absent.txt: no such file" in output


def test_ingest_without_arguments_says_what_to_give(database: Path) -> None:
    code, output = run("ingest")
    assert code == 2
    assert "--demo" in output


def test_feeds_add_list_poll_export_import_remove(
    database: Path, site: LoopbackSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FETCH_ALLOW_PRIVATE", "127.0.0.1")
    get_settings.cache_clear()
    feed = site.serve("/feed.xml", rss([], title="Loopback Feed"), content_type="application/rss+xml")

    assert run("feeds", "add", feed, "--interval", "15")[1].startswith(f"added: #1 {feed} every 15 min")
    assert run("feeds", "add", feed)[1].startswith("already there: #1")
    assert run("feeds", "add", "not-a-url")[0] == 2
    code, output = run("feeds", "poll")
    assert output.strip() == f"{feed}: updated (added 0, duplicates 0, failed 0)"
    code, output = run("feeds", "list")
    assert "Loopback Feed" in output and "15 min" in output
    opml = tmp_path / "feeds.opml"
    assert run("feeds", "export-opml", str(opml))[0] == 0
    assert 'xmlUrl="' + feed + '"' in opml.read_text(encoding="utf-8")
    assert run("feeds", "remove", "1")[1].strip() == "removed 1"
    assert run("feeds", "remove", "1")[0] == 1
    assert run("feeds", "import-opml", str(opml))[1].strip() == "added 1 feeds, 0 already there"


def test_a_store_that_cannot_be_opened_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/no/such/folder/x.sqlite3")
    get_settings.cache_clear()
    try:
        code, output = run("topics")
    finally:
        get_settings.cache_clear()
    assert code == 2
    assert "does not exist" in output


def test_reanalyze_when_everything_is_current(database: Path) -> None:
    run("ingest", "--demo")
    assert run("reanalyze")[1].strip() == "Every stored analysis is up to date."
    assert run("reanalyze", "--all")[1].strip() == "reanalysed 15 articles"


def test_import_opml_refuses_feeds_that_are_not_http(database: Path, tmp_path: Path) -> None:
    opml = tmp_path / "reader.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="Script" xmlUrl="javascript:alert(1)"/>'
        '<outline text="Disk" xmlUrl="file:///etc/passwd"/>'
        '<outline text="Old" xmlUrl="ftp://files.example/feed.xml"/>'
        '<outline text="Courier" xmlUrl="https://courier.example/rss"/>'
        "</body></opml>",
        encoding="utf-8",
    )

    code, output = run("feeds", "import-opml", str(opml))

    assert code == 0
    assert output.splitlines() == [
        "refused javascript:alert(1): only http and https URLs can be fetched",
        "refused file:///etc/passwd: only http and https URLs can be fetched",
        "refused ftp://files.example/feed.xml: only http and https URLs can be fetched",
        "added 1 feeds, 0 already there, 3 refused",
    ]
    assert "javascript" not in run("feeds", "list")[1]


def test_feeds_add_and_ingest_refuse_loopback_addresses_by_default(database: Path, site: LoopbackSite) -> None:
    feed = site.serve("/feed.xml", rss([], title="Loopback Feed"), content_type="application/rss+xml")
    page = site.serve("/internal", "<p>internal</p>")

    added_code, added = run("feeds", "add", feed)
    ingest_code, ingested = run("ingest", page)

    assert (added_code, added.strip()) == (2, f"error: {feed}: refused: 127.0.0.1 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it)")
    assert ingest_code == 1
    assert ingested.strip() == (
        f"added 0, duplicates 0, failed 1 ({page}: refused: 127.0.0.1 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it))"
    )
    assert site.requests == []
    assert run("feeds", "list")[1].strip() == "No feeds yet: newsbrief feeds add URL"
