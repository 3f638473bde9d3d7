"""Speed of the whole analysis (clean + split + summarise + quotes) beside pysbd + sumy LexRank.

    python -m benchmarks.analysis_speed [--rounds 3] [--articles 120] [--cli-articles 1000]
    (needs the `bench` extra and ../shared/corpus)

In process: both sides process the same ~900-word PolNeAR articles in the same run, each
given the same rounds (the quickest shown). End to end: `newsbrief analyze --jsonl` of
--cli-articles CNN/DM articles (realsumm-cnndm-100 repeated, each line its own id) beside the
baseline as a command of its own (benchmarks.lexrank_baseline: the same lines in, a summary a
line out), each a fresh process, start-up included, the same rounds, wall and CPU seconds.
Figures are ratios, since absolute seconds on a shared machine are noise.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.corpus import human_refs, medium_articles
from benchmarks.lexrank_baseline import baseline
from summaries.analysis import analyze
from summaries.article import Article

ROOT = Path(__file__).resolve().parent.parent


def ours(text: str) -> list[str]:
    """newsbrief's analysis as issue 2 defines it: clean, split, summarise."""
    return [sentence.text for sentence in analyze(Article(text=text), quotes=False).summary]


def ours_with_quotes(text: str) -> list[str]:
    """The whole analysis done at ingest: clean, split, summarise, and quotes found, attributed and ranked."""
    return [sentence.text for sentence in analyze(Article(text=text)).summary]


def seconds_per_article(function: Callable[[str], object], texts: Sequence[str], rounds: int) -> float:
    """Best-of-rounds mean time per article."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        started = time.perf_counter()
        for text in texts:
            function(text)
        best = min(best, (time.perf_counter() - started) / len(texts))
    return best


def peak_memory(function: Callable[[str], object], texts: Sequence[str]) -> float:
    """Peak Python allocation in MB while processing the texts (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    for text in texts:
        function(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def command_seconds(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of a command in a fresh process, its output discarded."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def end_to_end(count: int, rounds: int) -> dict[str, tuple[float, float]]:
    """Quickest wall and CPU seconds of `newsbrief analyze --jsonl` and the baseline command on the same `count` lines."""
    references = human_refs("realsumm-cnndm-100")
    with tempfile.TemporaryDirectory(prefix="nb-analysis-") as folder:
        path = Path(folder) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for number in range(count):
                reference = references[number % len(references)]
                out.write(json.dumps({"id": f"{reference.id}#{number}", "text": reference.text}, ensure_ascii=False) + "\n")
        commands = {
            "newsbrief": [sys.executable, "-m", "bot.cli", "analyze", "--jsonl", str(path)],
            "baseline": [sys.executable, "-m", "benchmarks.lexrank_baseline", str(path)],
        }
        best = {name: (float("inf"), float("inf")) for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():  # the two take turns, so both see the same machine
                wall, cpu = command_seconds(command)
                best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
        return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every row, newsbrief and baseline alike; the quickest is shown (default 3)")
    parser.add_argument("--articles", type=int, default=120, help="PolNeAR articles of 700-1,100 words timed in process (default 120)")
    parser.add_argument("--cli-articles", type=int, default=1000, help="articles of the end-to-end rows (0: skip them; default 1000)")
    args = parser.parse_args(argv)
    rounds = max(1, args.rounds)
    texts = medium_articles(limit=args.articles)
    mean_words = statistics.mean(len(text.split()) for text in texts)
    long_texts = ["\n\n".join(texts[index : index + 10]) for index in range(0, min(60, len(texts)), 10)]
    short_texts = texts[:60]

    ours(texts[0]), ours_with_quotes(texts[0]), baseline(texts[0])  # warm caches and imports on all sides
    our_time = seconds_per_article(ours, texts, rounds)
    quoted_time = seconds_per_article(ours_with_quotes, texts, rounds)
    base_time = seconds_per_article(baseline, texts, rounds)
    our_long = seconds_per_article(ours, long_texts, rounds)
    base_long = seconds_per_article(baseline, long_texts, rounds)
    our_short = seconds_per_article(ours, short_texts, rounds)
    base_short = seconds_per_article(baseline, short_texts, rounds)

    table = Table(title=f"Analysis speed: {len(texts)} PolNeAR articles of {mean_words:.0f} words on average, quickest of {rounds} rounds each")
    table.add_column("")
    table.add_column("newsbrief clean+split+summary", justify="right")
    table.add_column("newsbrief + quotes", justify="right")
    table.add_column("pysbd + sumy LexRank", justify="right")
    table.add_row(
        "articles per second", f"{1 / our_time:.0f}", f"{1 / quoted_time:.0f}", f"{1 / base_time:.0f}"
    )
    table.add_row("ms per article", f"{our_time * 1e3:.2f}", f"{quoted_time * 1e3:.2f}", f"{base_time * 1e3:.2f}")
    table.add_row(
        "speed vs baseline (target >= 10x with quotes)", f"{base_time / our_time:.1f}x", f"{base_time / quoted_time:.1f}x", "1.0x"
    )
    table.add_row("quotes add (target <= 50%)", "", f"{(quoted_time / our_time - 1) * 100:.0f}%", "")
    table.add_row(
        "peak Python memory (MB)",
        f"{peak_memory(ours, texts[:30]):.1f}",
        f"{peak_memory(ours_with_quotes, texts[:30]):.1f}",
        f"{peak_memory(baseline, texts[:30]):.1f}",
    )
    table.add_row(
        "10x longer article: time / 10x shorter (target <= 12x)",
        f"{our_long / our_short:.1f}x",
        "",
        f"{base_long / base_short:.1f}x",
    )
    Console(width=150).print(table)
    if args.cli_articles:
        figures = end_to_end(args.cli_articles, rounds)
        ours_wall, ours_cpu = figures["newsbrief"]
        base_wall, base_cpu = figures["baseline"]
        command = Table(title=f"End to end: {args.cli_articles:,} CNN/DM articles, a fresh process each, start-up included, quickest of {rounds} rounds")
        for column in ("", "newsbrief analyze --jsonl", "pysbd + sumy LexRank (benchmarks.lexrank_baseline)"):
            command.add_column(column, justify="right" if column else "left")
        command.add_row("seconds (wall)", f"{ours_wall:.2f}", f"{base_wall:.2f}")
        command.add_row("CPU seconds (user + system)", f"{ours_cpu:.2f}", f"{base_cpu:.2f}")
        command.add_row("ms per article (wall)", f"{ours_wall / args.cli_articles * 1e3:.2f}", f"{base_wall / args.cli_articles * 1e3:.2f}")
        command.add_row("speed vs baseline, wall (target >= 8x)", f"{base_wall / ours_wall:.1f}x", "1.0x")
        command.add_row("speed vs baseline, CPU", f"{base_cpu / ours_cpu:.1f}x", "1.0x")
        Console(width=150).print(command)


if __name__ == "__main__":
    main()
