"""`newsbrief stories`: the store's stories (or files grouped into stories without a store), and their regrouping."""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from bot.cli.store import opened
from bot.cli.terminal import console, errors
from bot.ingest.pipeline import items_from_target, store_items
from bot.ingest.prepare import analyse
from bot.ingest.read import IncomingArticle, Item, Unreadable, expand_paths
from bot.ingest.upkeep import rebuild_stories
from bot.store import Store, StoredArticle, open_store, recent_stories, story_articles
from bot.topics import load_topics
from summaries.story_summary import StoryArticle, summarize_story

_SINCE = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.I)
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def stories(
    files: Annotated[list[str] | None, typer.Argument(help="Files or folders to group without the store (same readers as ingest).")] = None,
    since: Annotated[str, typer.Option("--since", help="Stories with an article this recent: 24h, 7d, 2w or a date (2026-11-30).")] = "7d",
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON line per story, every article listed.")] = False,
    one_story: Annotated[bool, typer.Option("--one-story", help="Treat all the files as one story and print its summary.")] = False,
    sentences: Annotated[int, typer.Option("--sentences", "-n", min=1, help="Summary sentences with --one-story.")] = 3,
    words: Annotated[int | None, typer.Option("--words", min=1, help="A word budget for the --one-story summary instead.")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Group every stored article into stories again.")] = False,
) -> None:
    """The stories of the store (or of files): headline, summary from all their articles, outlets, articles."""
    if rebuild:
        with opened() as (store, _):
            count = rebuild_stories(store)
        console.print(f"regrouped the stored articles into {count} stories")
        return
    if one_story:
        if not files:
            errors.print("--one-story needs files to read.")
            raise typer.Exit(2)
        print(json.dumps(one_story_line(_read(files), sentences, words), ensure_ascii=False))
        return
    if files:
        lines = grouped_lines(_read(files))
    else:
        start = parse_since(since)
        with opened() as (store, _):
            lines = story_lines(store, start)
    if jsonl:
        for line in lines:
            print(json.dumps(line, ensure_ascii=False))
    else:
        _print_table(lines)


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """24h, 7d, 2w (back from now) or an ISO date; a clear error otherwise."""
    now = now or datetime.now(UTC)
    match = _SINCE.match(text)
    if match:
        return now - int(match.group(1)) * _UNITS[match.group(2).lower()]
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r}: give 24h, 7d, 2w or a date such as 2026-11-30") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def story_lines(store: Store, since: datetime) -> list[dict[str, Any]]:
    """Each story with an article since `since`, newest first, as `--jsonl` prints it."""
    lines = []
    for story in recent_stories(store, since, limit=100_000):
        articles = story_articles(store, story.id)
        if not articles:
            continue
        summary = [str(sentence["text"]) for sentence in story.summary] or list(_own_report(articles).summary)
        lines.append(
            {
                "story": story.id,
                "headline": story.title,
                "summary": summary,
                "outlets": _outlets(articles),
                "articles": [
                    {"id": article.id, "url": article.url, "title": article.title, "source": article.source} for article in articles
                ],
            }
        )
    return lines


def grouped_lines(items: list[Item]) -> list[dict[str, Any]]:
    """Articles read from files, grouped into stories by the store's own rules in a throwaway store."""
    with tempfile.TemporaryDirectory(prefix="newsbrief-stories-") as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'stories.sqlite3'}")
        try:
            store_items(store, load_topics(), items)
            return story_lines(store, datetime.min.replace(tzinfo=UTC))
        finally:
            store.close()


def one_story_line(items: list[Item], sentences: int, words: int | None) -> dict[str, Any]:
    """All the articles as one story: its summary from all of them, its outlets and articles."""
    read = [item for item in items if isinstance(item, IncomingArticle)]
    now = datetime.now(UTC)
    articles = []
    for number, item in enumerate(read, 1):
        analysed = analyse(item, now)
        articles.append(
            StoryArticle(
                number, item.title, analysed.analysis.cleaned.text, item.source or item.origin, item.published_at or now,
                tuple(sentence.text for sentence in analysed.analysis.summary),
            )
        )
    summary = summarize_story(articles, sentences, words=words) if articles else []
    newest = max(articles, key=lambda article: (article.published_at, article.id)) if articles else None
    return {
        "story": 1,
        "headline": newest.title if newest else "",
        "summary": [sentence.text for sentence in summary],
        "outlets": list(dict.fromkeys(article.outlet for article in articles)),
        "articles": [{"id": number, "url": item.url, "title": item.title, "source": item.source} for number, item in enumerate(read, 1)],
    }


def _read(files: list[str]) -> list[Item]:
    items: list[Item] = []
    for target in expand_paths(files):
        for item in items_from_target(target):
            if isinstance(item, Unreadable):
                errors.print(f"[red]skipped[/red] {item.origin}: {item.reason}")
            else:
                items.append(item)
    return items


def _own_report(articles: list[StoredArticle]) -> StoredArticle:
    """The newest article that is an outlet's own report (the story's summary when it has only one)."""
    own = [article for article in articles if article.copy_of is None] or articles
    return max(own, key=lambda article: (article.published_at, article.id))


def _outlets(articles: list[StoredArticle]) -> list[str]:
    seen: dict[str, str] = {}
    for article in articles:
        name = article.source or "unknown"
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _print_table(lines: list[dict[str, Any]]) -> None:
    if not lines:
        console.print("No stories in that time. Widen it with --since 30d, or ingest articles first.")
        return
    table = Table(title=f"Stories ({len(lines)})", title_justify="left")
    for column, justify in (("#", "right"), ("articles", "right"), ("outlets", "right"), ("headline", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for line in lines:
        table.add_row(str(line["story"]), str(len(line["articles"])), str(len(line["outlets"])), line["headline"])
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `stories` to the `newsbrief` app."""
    app.command()(stories)

