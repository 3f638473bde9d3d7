"""`newsbrief analyze`: clean, summarise and quote articles, printed as a reader would get them (no store)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.text import Text

from bot.cli.terminal import console, errors
from bot.ingest.read import Unreadable, read_file
from bot.samples import SAMPLES
from summaries.analysis import analyze as analyze_article
from summaries.article import Analysis, Article
from summaries.language import detect_language
from summaries.summarize import ALGORITHMS


def _sentence_count(value: str) -> int | str:
    if value.endswith("%"):
        number = value[:-1]
        if not number.isdigit() or not 0 < int(number) <= 100:
            raise typer.BadParameter("a percentage from 1% to 100%")
        return value
    if not value.isdigit() or int(value) < 1:
        raise typer.BadParameter("a whole number of sentences (1 or more) or a percentage such as 20%")
    return int(value)


def analyze(
    paths: Annotated[list[str] | None, typer.Argument(help="Article files (.txt .md .html .json .jsonl) or - for stdin.")] = None,
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
    read = failed = 0
    for path in paths:
        for item in read_file(path):
            if isinstance(item, Unreadable):
                reason = "empty, nothing to analyze" if item.empty else item.reason
                errors.print(f"[red]skipped[/red] {item.origin}: {reason}")
                failed += 1
                continue
            read += 1
            language = item.language or detect_language(item.text)
            analysis = analyze_article(Article(text=item.text, title=item.title, language=language), count, algorithm)
            if as_json:
                print(json.dumps({"path": item.origin, **analysis_json(analysis)}, ensure_ascii=False))
            else:
                _print_analysis(item.origin, analysis)
    raise typer.Exit(1 if failed and not read else 0)


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


def register(app: typer.Typer) -> None:
    """Add `analyze` to the `newsbrief` app."""
    app.command()(analyze)
