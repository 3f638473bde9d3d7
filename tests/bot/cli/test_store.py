"""The store's `newsbrief` commands, run through typer against a SQLite file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from bot.cli import app
from bot.cli import store as store_cli
from bot.config import get_settings
from tests.bot.cli.process import newsbrief
from tests.bot.helpers import OTHER_QUAKE, QUAKE_A, QUAKE_B, LoopbackSite, rss
from tests.bot.immutable import immutable


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
    assert "store: sqlite, schema revision 0009" in output
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


def reader_opml(tmp_path: Path, *feeds: tuple[str, str]) -> Path:
    """An OPML file as a feed reader exports it, with these (title, URL) feeds."""
    outlines = "".join(f'<outline text="{title}" xmlUrl="{url}"/>' for title, url in feeds)
    opml = tmp_path / "reader.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>', encoding="utf-8")
    return opml


def test_feeds_list_shows_a_long_url_whole_on_an_80_column_terminal(tmp_path: Path) -> None:
    url = "https://courier.example/feeds/" + "world-news-and-analysis/" * 4 + "rss.xml?edition=national"
    assert len(url) == 150
    assert newsbrief(tmp_path, "feeds", "import-opml", str(reader_opml(tmp_path, ("Courier", url)))).returncode == 0

    listed = newsbrief(tmp_path, "feeds", "list", columns=80)

    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert any(url in line for line in lines), listed.stdout  # on one line, for copying
    assert lines[:2] == ["#1 Courier", f"  {url}"]
    assert lines[2].startswith("  every 30 min · next poll ") and lines[2].endswith(" UTC · 0 added · 0 errors")
    assert len(lines) == 3


def test_export_opml_to_dash_writes_the_document_alone_to_stdout(tmp_path: Path) -> None:
    opml = reader_opml(tmp_path, ("Courier", "https://courier.example/rss"), ("Gazette &amp; Post", "https://gazette.example/atom"))
    assert newsbrief(tmp_path, "feeds", "import-opml", str(opml)).returncode == 0

    exported = newsbrief(tmp_path, "feeds", "export-opml", "-")

    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<opml version="2.0">\n'
        "  <head><title>newsbrief feeds</title></head>\n"
        "  <body>\n"
        '    <outline type="rss" text="Courier" title="Courier" xmlUrl="https://courier.example/rss"/>\n'
        '    <outline type="rss" text="Gazette &amp; Post" title="Gazette &amp; Post" xmlUrl="https://gazette.example/atom"/>\n'
        "  </body>\n"
        "</opml>\n"
    )
    assert not (tmp_path / "-").exists()


def test_feeds_add_finds_the_feed_of_a_page_and_refuses_a_page_without_one(
    database: Path, site: LoopbackSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FETCH_ALLOW_PRIVATE", "127.0.0.1")
    get_settings.cache_clear()
    feed = site.serve("/rss.xml", rss([], title="Loopback Feed"), content_type="application/rss+xml")
    page = site.serve("/", '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>News</body></html>')
    plain = site.serve("/about.html", "<html><head><title>About</title></head><body>About us</body></html>")
    image = site.serve("/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")

    found_code, found = run("feeds", "add", page)
    plain_code, refused = run("feeds", "add", plain)
    image_code, neither = run("feeds", "add", image)

    assert (found_code, found.splitlines()) == (0, [f"{page} is a web page; its feed is {feed}", f"added: #1 {feed} every 30 min"])
    assert (plain_code, refused.strip()) == (
        2, f'error: {plain}: a web page that links no RSS or Atom feed (no <link rel="alternate" type="application/rss+xml">)'
    )
    assert (image_code, neither.strip()) == (2, f"error: {image}: neither an RSS or Atom feed nor a web page (image/png)")
    assert run("feeds", "list")[1].splitlines()[:2] == ["#1 Loopback Feed", f"  {feed}"]
    assert len(run("feeds", "list")[1].splitlines()) == 3  # one feed, nothing of the refused URLs


def test_ingest_stores_what_it_can_and_still_exits_1_when_an_input_failed(database: Path, tmp_path: Path) -> None:
    good = tmp_path / "quake.txt"
    good.write_text(f"Quake topples Velmora clock tower\n\n{QUAKE_A}", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")

    code, output = run("ingest", str(good), str(tmp_path / "empty.txt"))

    assert code == 1
    assert output.strip().startswith("added 1, duplicates 0, failed 1 (")
    assert "articles: 1 " in run("db", "status")[1]


def test_ingest_shows_a_progress_bar_in_a_terminal(database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Console(file=io.StringIO(), force_terminal=True, width=120)
    monkeypatch.setattr(store_cli, "errors", screen)
    for number, text in enumerate((QUAKE_A, QUAKE_B, OTHER_QUAKE)):
        (tmp_path / f"report-{number}.txt").write_text(f"Report {number}\n\n{text}", encoding="utf-8")

    code, output = run("ingest", str(tmp_path))

    assert (code, output.strip()) == (0, "added 3, duplicates 0, failed 0")
    drawn = Text.from_ansi(screen.file.getvalue()).plain
    assert "ingesting" in drawn
    assert "3/3" in drawn


def test_a_store_nobody_can_write_is_read_by_brief_topics_and_stories_and_refused_by_writers(tmp_path: Path) -> None:
    assert newsbrief(tmp_path, "ingest", "--demo").returncode == 0
    report = tmp_path / "report.txt"
    report.write_text(f"Quake topples Velmora clock tower\n\n{QUAKE_A}", encoding="utf-8")
    store = tmp_path / "cli.sqlite3"
    with immutable(store, tmp_path):
        brief = newsbrief(tmp_path, "brief", "syria")
        listed = newsbrief(tmp_path, "topics")
        stories = newsbrief(tmp_path, "stories")
        added = newsbrief(tmp_path, "feeds", "add", "https://news.example/rss.xml")
        ingested = newsbrief(tmp_path, "ingest", str(report))
    assert (brief.returncode, brief.stderr) == (0, "")
    assert brief.stdout.startswith("Syria · 2 stories from the last 24 hours")
    assert (listed.returncode, listed.stderr) == (0, "")
    assert "│ /syria " in listed.stdout
    assert (stories.returncode, stories.stderr) == (0, "")
    assert stories.stdout.startswith("Stories (12)")
    assert added.returncode == 2
    assert added.stderr == (
        f"error: the SQLite store sqlite:///{store} is read-only (the file or its folder is not writable): "
        "this command writes to it; run it where the store is writable\n"
    )
    assert (ingested.returncode, ingested.stderr) == (2, added.stderr)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cli.sqlite3", "report.txt"]
