"""The store's `newsbrief` commands: ingest, topics, reanalyze, feeds ... and db ...."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from bot.cli.terminal import console, errors
from bot.config import Settings, get_settings
from bot.ingest.discovery import NoFeed, find_feed
from bot.ingest.feeds import FeedError, read_opml, write_opml
from bot.ingest.addresses import url_refusal
from bot.ingest.fetch import FetchLimits, make_client
from bot.ingest.pipeline import IngestReport, load_demo, poll_due_feeds
from bot.ingest.pipeline import ingest as ingest_targets
from bot.ingest.read import expand_paths, is_url
from bot.ingest.upkeep import reanalyze as reanalyze_articles
from bot.ingest.upkeep import open_configured, stale_count
from bot.store import (
    Store,
    StoreError,
    add_feed,
    article_count,
    list_feeds,
    newest_article_time,
    open_store,
    remove_feed,
    schema_revision,
    subscriber_count,
    topic_counts,
)
from bot.store.engine import explain, read_only_file, read_only_refusal
from bot.topics import Topics, TopicsError, load_topics

feeds_app = typer.Typer(no_args_is_help=True, help="Feeds polled by the bot: add, list, remove, OPML in and out.")
db_app = typer.Typer(no_args_is_help=True, help="The store's schema: upgrade, status.")


@contextmanager
def opened(rescore: bool = True, settings: Settings | None = None) -> Iterator[tuple[Store, Topics]]:
    """The configured store and topics for one command; a store or topics error ends it with a clear message."""
    try:
        store, topics = _open(settings or get_settings(), rescore)
    except (StoreError, TopicsError) as error:
        _fail(error)
    except SQLAlchemyError as error:  # raised outside a store transaction, so not yet explained
        _fail(explain(error, (settings or get_settings()).database_url))
    try:
        yield store, topics
    except StoreError as error:
        _fail(error)
    except SQLAlchemyError as error:
        _fail(explain(error, store.url))
    finally:
        store.close()


def _open(settings: Settings, rescore: bool) -> tuple[Store, Topics]:
    if not read_only_file(settings.database_url):
        return open_configured(settings, rescore=rescore)
    # Reading commands work on a store this process cannot write (a copy, a read-only mount); scores and
    # stories stay as stored, and a writing command fails at its first write, in one line.
    topics = load_topics(settings.topics_file)
    store = open_store(settings.database_url, read_only=True, busy_timeout=settings.sqlite_busy_timeout, story_window=settings.story_window)
    return store, topics


def _fail(error: Exception) -> NoReturn:
    errors.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
    raise typer.Exit(2) from error


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[item]}", style="dim"),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    )


def ingest(
    targets: Annotated[list[str] | None, typer.Argument(help="Files, folders (.txt .md .html .json .jsonl), page or feed URLs.")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Load the bundled fictional sample articles, dated just now.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every failure and duplicate.")] = False,
) -> None:
    """Store articles: analysed once, deduplicated, indexed; prints one summary line, exits 1 when any input failed."""
    if not targets and not demo:
        errors.print("Nothing to ingest: give files, folders or URLs, or --demo for the bundled sample articles.")
        raise typer.Exit(2)
    settings = get_settings()
    report = IngestReport()
    with opened() as (store, topics):
        if demo:
            report.merge(load_demo(store, topics))
        paths = expand_paths(targets or [])
        if paths:
            client = make_client(FetchLimits.from_settings(settings)) if any(is_url(path) for path in paths) else None
            try:
                with _progress() as progress:
                    task = progress.add_task("ingesting", total=len(paths), item="")

                    def advance(target: str) -> None:
                        progress.update(task, advance=1, item=Path(target).name if not is_url(target) else target)

                    report.merge(
                        ingest_targets(store, topics, paths, client=client, progress=advance)
                    )
            except KeyboardInterrupt:
                errors.print(f"[yellow]interrupted[/yellow]: {report.line()}; what was stored stays, rerun to add the rest")
                raise typer.Exit(130) from None
            finally:
                if client is not None:
                    client.close()
    if verbose:
        for origin, reason in report.failed:
            errors.print(f"[red]failed[/red] {origin}: {reason}")
        for origin, reason in report.duplicate_reasons:
            errors.print(f"[dim]duplicate {origin}: {reason}[/dim]")
    console.print(report.line(), markup=False, highlight=False, soft_wrap=True)
    # What could be stored is; the exit status still tells a script that something was not.
    raise typer.Exit(1 if report.failed else 0)


def topics() -> None:
    """The topics in force, with their commands and article counts (last 24 hours and all)."""
    with opened() as (store, loaded):
        recent = topic_counts(store, since=datetime.now(UTC) - timedelta(hours=24))
        total = topic_counts(store)
    table = Table(title="Topics", title_justify="left")
    command_width = max(len(topic.command) for topic in loaded.values()) + 1
    title_width = max(len(topic.title) for topic in loaded.values())
    # Whatever the terminal leaves after the other columns (and 16 for borders) shows keywords.
    keywords_width = console.width - (command_width + title_width + 4 + 8 + 16)
    table.add_column("command", no_wrap=True)
    table.add_column("title", no_wrap=True)
    table.add_column("24 h", justify="right", no_wrap=True)
    table.add_column("articles", justify="right", no_wrap=True)
    if keywords_width >= 12:
        table.add_column("keywords", no_wrap=True, overflow="ellipsis", max_width=keywords_width)
    for topic in loaded.values():
        cells = [f"/{topic.command}", topic.title, str(recent.get(topic.name, 0)), str(total.get(topic.name, 0))]
        if keywords_width >= 12:
            cells.append(", ".join(topic.keywords))
        table.add_row(*cells)
    console.print(table)


def reanalyze(
    everything: Annotated[bool, typer.Option("--all", help="Every article, not only those analysed by an older version.")] = False,
) -> None:
    """Analyse stored articles again from their original text (summary, quotes, topics)."""
    with opened() as (store, topics):
        total = article_count(store) if everything else stale_count(store)
        if not total:
            console.print("Every stored analysis is up to date.")
            return
        with _progress() as progress:
            task = progress.add_task("reanalysing", total=total, item="")
            done = reanalyze_articles(store, topics, everything=everything, progress=lambda n: progress.update(task, completed=n))
    console.print(f"reanalysed {done} articles")


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's URL (RSS or Atom), or a page that links its feed.")],
    interval: Annotated[int | None, typer.Option("--interval", "-i", min=1, help="Minutes between polls.")] = None,
    title: Annotated[str, typer.Option("--title", help="A name for the feed; by default the feed's own.")] = "",
) -> None:
    """Add a feed after checking it is one (a page's own feed is found through its <link rel="alternate">)."""
    if not is_url(url):
        errors.print(f"[red]error:[/red] {url!r} is not an http(s) URL")
        raise typer.Exit(2)
    with opened(rescore=False) as (store, _):
        if store.read_only:
            _fail(read_only_refusal(store.url))  # before fetching anything
        try:
            found = find_feed(url, limits=FetchLimits.from_settings())
        except NoFeed as error:
            _fail(error)
        if found.page:
            console.print(f"{found.page} is a web page; its feed is {found.url}", markup=False, highlight=False, soft_wrap=True)
        feed, created = add_feed(
            store, found.url, title=title or found.title, interval_minutes=interval or get_settings().feed_interval_minutes
        )
    console.print(
        f"{'added' if created else 'already there'}: #{feed.id} {feed.url} every {feed.interval_minutes} min",
        markup=False, highlight=False, soft_wrap=True,
    )


@feeds_app.command("list")
def feeds_list() -> None:
    """Every feed: its whole URL, interval, next poll, articles added, error count and last error."""
    with opened(rescore=False) as (store, _):
        feeds = list_feeds(store)
    if not feeds:
        console.print("No feeds yet: newsbrief feeds add URL")
        return
    # A line a fact rather than a table: a table column cuts or wraps a long URL, and a URL is for copying whole.
    for feed in feeds:
        state = "" if feed.active else " (paused)"
        console.print(f"[bold]#{feed.id}[/bold] {escape(feed.title or '(no title yet)')}", highlight=False)
        console.print(f"  {feed.url}", markup=False, highlight=False, soft_wrap=True)
        console.print(
            f"  every {feed.interval_minutes} min{state} · next poll {feed.next_poll_at:%Y-%m-%d %H:%M} UTC · "
            f"{feed.articles_added} added · {feed.error_count} errors",
            markup=False, highlight=False, soft_wrap=True,
        )
        if feed.last_error:
            console.print(f"  last error: {feed.last_error}", markup=False, highlight=False, soft_wrap=True)


@feeds_app.command("remove")
def feeds_remove(feed: Annotated[str, typer.Argument(help="The feed's URL or number (see feeds list).")]) -> None:
    """Stop polling a feed (its articles stay)."""
    with opened(rescore=False) as (store, _):
        removed = remove_feed(store, feed)
    if not removed:
        errors.print(f"no feed {feed!r}; see newsbrief feeds list")
        raise typer.Exit(1)
    console.print(f"removed {feed}")


@feeds_app.command("poll")
def feeds_poll() -> None:
    """Poll the feeds that are due now, as the bot's job does."""
    with opened() as (store, topics), make_client(FetchLimits.from_settings()) as client:
        polls = poll_due_feeds(store, topics, client=client, limit=1000)
    if not polls:
        console.print("No feed is due.")
    for poll in polls:
        detail = poll.error if poll.status == "failed" else poll.report.line() if poll.status == "updated" else ""
        console.print(f"{poll.feed.url}: {poll.status}" + (f" ({detail})" if detail else ""))


@feeds_app.command("import-opml")
def feeds_import(
    path: Annotated[Path, typer.Argument(help="An OPML file exported by a feed reader.", exists=True, dir_okay=False)],
    interval: Annotated[int | None, typer.Option("--interval", "-i", min=1, help="Minutes between polls.")] = None,
) -> None:
    """Add every feed of an OPML file."""
    try:
        found = read_opml(path)
    except FeedError as error:
        errors.print(f"[red]error:[/red] {path}: {error}")
        raise typer.Exit(2) from error
    allowed = FetchLimits.from_settings().allowed
    added = refused = 0
    with opened(rescore=False) as (store, _):
        for url, title in found:
            reason = "only http and https URLs can be fetched" if not is_url(url) else url_refusal(url, allowed)
            if reason:
                errors.print(f"refused {url}: {reason}", markup=False, highlight=False, soft_wrap=True)
                refused += 1
                continue
            _, created = add_feed(store, url, title=title, interval_minutes=interval or get_settings().feed_interval_minutes)
            added += created
    kept = len(found) - refused - added
    console.print(f"added {added} feeds, {kept} already there" + (f", {refused} refused" if refused else ""))


@feeds_app.command("export-opml")
def feeds_export(
    path: Annotated[Path | None, typer.Argument(help="Where to write; - or nothing for standard output.")] = None,
) -> None:
    """Write the feeds as an OPML file for a feed reader."""
    with opened(rescore=False) as (store, _):
        document = write_opml(list_feeds(store))
    if path is None or str(path) == "-":
        sys.stdout.write(document)
        sys.stdout.flush()
    else:
        path.write_text(document, encoding="utf-8")
        console.print(f"wrote {path}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the store's schema to the newest version (the bot and the CLI also do it on start)."""
    with opened() as (store, _):
        console.print(f"{store.dialect} store at revision {schema_revision(store)}")


@db_app.command("status")
def db_status() -> None:
    """The store's backend, schema revision and what it holds."""
    with opened(rescore=False) as (store, _):
        newest = newest_article_time(store)
        chats = subscriber_count(store)
        console.print(f"store: {store.dialect}, schema revision {schema_revision(store)}")
        console.print(
            f"articles: {article_count(store)} (newest {newest:%Y-%m-%d %H:%M} UTC), stale analyses: {stale_count(store)}"
            if newest
            else "articles: 0 (load the demo set with: newsbrief ingest --demo)"
        )
        console.print(f"feeds: {len(list_feeds(store))}; chats: {chats['known']} known, {chats['subscribed']} subscribed")


def register(app: typer.Typer) -> None:
    """Add the store's commands to the `newsbrief` app."""
    app.command()(ingest)
    app.command()(topics)
    app.command()(reanalyze)
    app.add_typer(feeds_app, name="feeds")
    app.add_typer(db_app, name="db")
