"""The `newsbrief` command."""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from bot.ingest import UnreadableArticle, read_article_file
from summaries.analysis import analyze as analyze_article
from summaries.article import Analysis, Article
from summaries.language import detect_language
from summaries.summarize import ALGORITHMS

app = typer.Typer(no_args_is_help=True, add_completion=False, help="newsbrief: news briefings with who-said-what.")
console = Console()
errors = Console(stderr=True, soft_wrap=True)

SAMPLES = Path(__file__).resolve().parent / "samples"


@app.callback()
def _root() -> None:
    """newsbrief: news briefings with who-said-what."""


def _sentence_count(value: str) -> int | str:
    if value.endswith("%"):
        number = value[:-1]
        if not number.isdigit() or not 0 < int(number) <= 100:
            raise typer.BadParameter("a percentage from 1% to 100%")
        return value
    if not value.isdigit() or int(value) < 1:
        raise typer.BadParameter("a whole number of sentences (1 or more) or a percentage such as 20%")
    return int(value)


@app.command()
def analyze(
    paths: Annotated[list[str] | None, typer.Argument(help="Article files (.txt, .md, .html) or - for stdin.")] = None,
    sentences: Annotated[str, typer.Option("--sentences", "-n", help="Summary length: N sentences or N%.")] = "3",
    algorithm: Annotated[str, typer.Option("--algorithm", "-a", help=f"One of: {', '.join(ALGORITHMS)}.")] = "news",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per article.")] = False,
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help="Analyze a JSONL file of {id, text, title?}; '-' for stdin.")] = None,
) -> None:
    """Clean, summarise and quote articles; prints what a reader would get."""
    count = _sentence_count(sentences)
    if algorithm not in ALGORITHMS:
        raise typer.BadParameter(f"unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}")
    if jsonl is not None:
        raise typer.Exit(_analyze_jsonl(jsonl, count, algorithm))
    if not paths:
        paths = [str(SAMPLES / "harbour-bridge.txt")]
        errors.print(f"[dim]No file given: analysing the bundled fictional sample {paths[0]}[/dim]")
    failed = 0
    for path in paths:
        try:
            article = read_article_file(path)
        except UnreadableArticle as error:
            errors.print(f"[red]skipped[/red] {error}")
            failed += 1
            continue
        analysis = analyze_article(article, count, algorithm)
        if as_json:
            print(json.dumps({"path": path, **analysis_json(analysis)}, ensure_ascii=False))
        else:
            _print_analysis(path, analysis)
    raise typer.Exit(1 if failed and failed == len(paths) else 0)


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    """The analysis as the JSON the CLI prints."""
    return {
        "title": analysis.title,
        "language": analysis.language,
        "summary": [sentence.text for sentence in analysis.summary],
        "removed": [{"text": removal.text, "reason": removal.reason} for removal in analysis.cleaned.removed],
        "sentences": len(analysis.sentences),
        "quotes": [_quote_json(quote) for quote in analysis.quotes],
    }


def _quote_json(quote: Any) -> dict[str, Any]:
    to_dict = getattr(quote, "to_dict", None)
    return to_dict() if callable(to_dict) else dict(vars(quote))


def _analyze_jsonl(source: Path, count: int | str, algorithm: str) -> int:
    stream = sys.stdin if str(source) == "-" else source.open(encoding="utf-8", errors="replace")
    failed = 0
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                    raise ValueError('each line must be an object with a "text" string')
            except ValueError as error:
                failed += 1
                print(json.dumps({"id": None, "line": number, "error": f"line {number}: {error}"}))
                continue
            identifier = row.get("id", number)
            text = row["text"]
            if not text.strip():
                print(json.dumps({"id": identifier, "error": "empty text, nothing to analyze"}))
                failed += 1
                continue
            title = row.get("title") if isinstance(row.get("title"), str) else ""
            article = Article(text=text, title=title, language=detect_language(text))
            print(json.dumps({"id": identifier, **analysis_json(analyze_article(article, count, algorithm))}, ensure_ascii=False))
    return 0 if not failed else 1


def _print_analysis(path: str, analysis: Analysis) -> None:
    body = Text()
    for sentence in analysis.summary:
        body.append("• ", style="bold")
        body.append(sentence.text + "\n")
    title = analysis.title or Path(path).name
    console.print(Panel(body, title=Text(title, style="bold"), subtitle=f"{path} · {analysis.language}", expand=True))
    _print_key_quotes(analysis)
    if analysis.cleaned.removed:
        reasons: dict[str, int] = {}
        for removal in analysis.cleaned.removed:
            reasons[removal.reason] = reasons.get(removal.reason, 0) + 1
        listed = ", ".join(f"{reason} ×{count}" for reason, count in sorted(reasons.items()))
        console.print(f"[dim]Removed as page chrome: {listed} (see --json for the text)[/dim]")


def _print_key_quotes(analysis: Analysis) -> None:
    """The key-quote digest: each quotation with who said it, as a newspaper names them."""
    key = [quote for quote in analysis.quotes if getattr(quote, "key", False)]
    if not key:
        return
    digest = Text()
    for quote in key:
        digest.append("“" + quote.text + "”", style="italic")
        digest.append(" — ")
        digest.append(quote.speaker_full or quote.speaker or "unattributed", style="bold")
        if quote.cue:
            digest.append(f" ({quote.cue})", style="dim")
        digest.append("\n")
    digest.rstrip()
    others = len(analysis.quotes) - len(key)
    subtitle = f"{others} more quoted passage{'s' if others != 1 else ''} in --json" if others else None
    console.print(Panel(digest, title=Text("Key quotes", style="bold"), subtitle=subtitle, expand=True))


# Store commands: ingest, topics, reanalyze, feeds ..., db ... (bodies in bot/store_commands.py).
from bot.store_commands import register as _register_store_commands  # noqa: E402

_register_store_commands(app)


# Bot commands: run, chat, brief (their bodies are in bot/app.py).
NO_TOKEN = """No TELEGRAM_BOT_TOKEN is set.

To run the bot on Telegram:
  1. In Telegram, talk to @BotFather (https://t.me/BotFather), send /newbot and follow its questions.
  2. Put the token it gives you in .env as TELEGRAM_BOT_TOKEN=... (see .env.example), or export it.
  3. Run `newsbrief run` again.

To try the bot without Telegram, run `newsbrief chat`: you type /syria and see the bot's answers,
through the same bot over a local stand-in for Telegram."""


@app.command()
def run(
    webhook: Annotated[str | None, typer.Option("--webhook", help="Public HTTPS URL Telegram posts updates to (default: WEBHOOK_URL, else long polling).")] = None,
    listen: Annotated[str | None, typer.Option(help="Address the webhook server listens on (default: WEBHOOK_LISTEN).")] = None,
    port: Annotated[int | None, typer.Option(help="Port the webhook server listens on (default: WEBHOOK_PORT).")] = None,
    secret: Annotated[str | None, typer.Option(help="Secret token Telegram sends with every update (default: WEBHOOK_SECRET).")] = None,
) -> None:
    """Run the bot on Telegram (long polling, or a webhook with --webhook URL)."""
    from bot.app import build_application, run_bot
    from bot.config import get_settings

    settings = get_settings()
    if not settings.telegram_bot_token:
        errors.print(NO_TOKEN)
        raise typer.Exit(2)
    url = webhook or settings.webhook_url
    token = secret or settings.webhook_secret
    if url and not (token and re.fullmatch(r"[A-Za-z0-9_-]{1,256}", token)):
        errors.print("A webhook needs a secret token of 1-256 characters A-Z a-z 0-9 _ -: pass --secret or set WEBHOOK_SECRET.")
        raise typer.Exit(2)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Every request would be logged at INFO by the HTTP libraries; the bot's own log says what matters.
    for noisy in ("httpx", "aiohttp.access", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    run_bot(
        build_application(settings),
        webhook=url,
        listen=listen or settings.webhook_listen,
        port=port or settings.webhook_port,
        secret=token,
    )


@app.command()
def chat(
    script: Annotated[list[str] | None, typer.Argument(help="Messages to send in turn, e.g. /start /syria (default: type them).")] = None,
    demo: Annotated[bool, typer.Option("--demo/--no-demo", help="Load the bundled fictional sample articles when the store is empty.")] = True,
) -> None:
    """Try the bot in this terminal, without Telegram: type /syria, press buttons by number."""
    from bot.app import chat_session
    from bot.config import get_settings

    raise typer.Exit(chat_session(get_settings(), script, demo=demo, console=console))


@app.command()
def brief(
    words: Annotated[list[str], typer.Argument(help="A topic (syria) or any words (grain exports).")],
) -> None:
    """Print the briefing that /syria (or /brief words) would send, as the chat would show it."""
    from bot.app import print_briefing
    from bot.config import get_settings

    raise typer.Exit(print_briefing(get_settings(), " ".join(words), console=console))


@app.command()
def push(
    now: Annotated[bool, typer.Option("--now", help="Send today's briefing now instead of at each subscriber's time.")] = False,
    chat_id: Annotated[int | None, typer.Option("--chat", help="Only this chat.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be sent; send nothing.")] = False,
) -> None:
    """Run the morning push once: what is due now, or everything with --now (each chat at most once a day)."""
    from bot.app import push_once
    from bot.config import get_settings

    settings = get_settings()
    if not settings.telegram_bot_token and not dry_run:
        errors.print(NO_TOKEN)
        raise typer.Exit(2)
    raise typer.Exit(push_once(settings, now=now, chat_id=chat_id, dry_run=dry_run, console=console))


def main() -> None:
    """Entry point of the `newsbrief` console script."""
    app()


if __name__ == "__main__":
    main()
