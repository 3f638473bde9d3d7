"""Peak memory against input size: `newsbrief ingest FILE` beside a baseline, each in a fresh process.

    .venv/bin/python -m benchmarks.memory [--sizes 1,5,10,50] [--page-mb 10] [--raised-cap 100000000]

Inputs are synthetic news text (varied sentences: officials saying things, quotes, numbers,
paragraphs of three to six sentences) written as .txt files of 1, 5, 10 and 50 MB, and a
10 MB .html page made the way large news pages are: one article of about 60,000 characters
inside navigation, inline script data, related-story lists and reader comments. Each row runs
in a process of its own on a fresh SQLite store, and its peak is that process's maximum
resident set (getrusage RUSAGE_CHILDREN of a process that starts only it):

- baseline: a Python that imports what `newsbrief ingest` imports (bot.cli.store) and reads the file
  (bytes, decoded); for the page also trafilatura.bare_extraction: the floor under ingest.
- ingest: `newsbrief ingest FILE` with the default ARTICLE_MAX_CHARS (1,000,000): larger
  texts are refused, a .txt over 4 bytes a character of the cap without being read.
- ingest, cap raised: the same with ARTICLE_MAX_CHARS=--raised-cap, so every text is analysed.

MB per input MB is the raised-cap peak over the file size. Target: a 10 MB page under 200 MB.

--articles N (default 10,000; 0 skips it) adds a table for many ordinary articles: N corpus
articles (../shared/corpus, reused with new ids as benchmarks.ingest_throughput writes them) as
.txt files in one folder, `newsbrief ingest FOLDER` into a fresh SQLite store beside the floor
(the same imports and every file read). Target: 10,000 articles under 250 MB.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
PAGE_TARGET_MB = 200.0
ARTICLES_TARGET_MB = 250.0
_SUBJECTS = (
    "The minister", "A spokesman for the ministry", "Local officials", "The central bank", "Rescue workers",
    "The opposition leader", "Analysts in Brussels", "The company", "Residents of the town", "The prime minister",
    "Police", "A senior diplomat",
)
_VERBS = ("said on Tuesday that", "warned that", "told reporters that", "announced that", "confirmed that",
          "denied reports that", "insisted that", "argued that")
_CLAIMS = (
    "the talks would resume next week", "inflation had eased to 2.4 percent", "the convoy reached the city before dawn",
    "the bridge would reopen in March", "more than 300 families had been evacuated", "exports of grain rose for a third month",
    "the plan would cost about 1.2 billion euros", "the ceasefire was holding in the north",
    "the vote had been postponed until autumn", "new rules on data would take effect in January",
)
_ENDINGS = (".", " despite heavy rain.", " according to a statement.", " after a meeting in the capital.", " amid growing criticism.")
_QUOTES = ('"We will not stop until every family is safe," {} said.', '"This is a difficult day for all of us," said {}.',
           '"The numbers speak for themselves," {} told the agency.')


def news_text(chars: int, seed: int = 1) -> str:
    """About `chars` characters of news-like text: paragraphs of varied sentences, some of them quotes."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    sentences: list[str] = []
    size = 0
    while size < chars:
        if rng.random() < 0.08:
            sentence = rng.choice(_QUOTES).format(rng.choice(_SUBJECTS).lower())
        else:
            sentence = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_CLAIMS)}{rng.choice(_ENDINGS)}"
        sentences.append(sentence)
        size += len(sentence) + 1
        if len(sentences) >= rng.randint(3, 6):
            paragraphs.append(" ".join(sentences))
            sentences = []
            size += 1
    if sentences:
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def news_page(size: int, article_chars: int = 60_000) -> str:
    """A news page of about `size` characters: one article amid navigation, script data, related links and comments."""
    rng = random.Random(2)
    paragraphs = "".join(f"<p>{paragraph}</p>\n" for paragraph in news_text(article_chars, 2).split("\n\n"))
    parts = [
        "<!doctype html><html><head><title>Flood barrier holds | The Paper</title>"
        "<meta property='article:published_time' content='2024-05-01T08:00:00Z'><meta name='author' content='Ann Reporter'>"
        "</head><body><nav>" + "".join(f"<a href='/section/{n}'>Section {n}</a>" for n in range(300)) + "</nav>"
        f"<article><h1>Flood barrier holds</h1>{paragraphs}</article>"
    ]
    total = len(parts[0])
    block = 0
    while total < size:
        if block % 3 == 0:
            chunk = "<script>window.__DATA__={" + ",".join(f'"k{n}":"{rng.random():.12f}"' for n in range(2000)) + "};</script>\n"
        elif block % 3 == 1:
            links = "".join(f"<li><a href='/news/{block}-{n}'>{news_text(80, block * 100 + n)}</a></li>" for n in range(50))
            chunk = f"<aside class='related'><ul>{links}</ul></aside>\n"
        else:
            comments = "".join(
                f"<div class='comment'><span>reader{n}</span><p>{news_text(200, block * 1000 + n)}</p></div>" for n in range(30)
            )
            chunk = f"<div class='comments'>{comments}</div>\n"
        parts.append(chunk)
        total += len(chunk)
        block += 1
    parts.append("<footer>(c) The Paper</footer></body></html>")
    return "".join(parts)


def _baseline(path: str) -> None:
    """The floor: what `newsbrief ingest` imports, the file read and decoded, a page's main text extracted."""
    importlib.import_module("bot.cli.store")  # the ingest command's module (imported when it runs) is part of its floor
    from bot.ingest.charsets import decode_text

    text = decode_text(Path(path).read_bytes())
    if path.endswith(".html"):
        import trafilatura

        trafilatura.bare_extraction(text, include_comments=False, with_metadata=True)


def _folder_baseline(folder: str) -> None:
    """The floor of a folder's ingest: what `newsbrief ingest` imports, and every file read and decoded."""
    importlib.import_module("bot.cli.store")  # the ingest command's module (imported when it runs) is part of its floor
    from bot.ingest.charsets import decode_text

    for path in sorted(Path(folder).iterdir()):
        decode_text(path.read_bytes())


def measure(command: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run a command in a process of its own (through a fresh parent) and return its peak RSS, time and output."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "started = time.perf_counter()\n"
        "done = subprocess.run(json.loads(sys.argv[1]), capture_output=True, text=True)\n"
        "print(json.dumps({'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,"
        " 'seconds': time.perf_counter() - started, 'code': done.returncode,"
        " 'out': (done.stdout.strip().splitlines() or [''])[-1], 'err': done.stderr[-400:]}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, json.dumps(command)], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def run_row(path: Path, folder: Path, cap: int | None, baseline: bool) -> dict[str, object]:
    """One measurement of one file: the baseline, or `newsbrief ingest` on a fresh SQLite store."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if baseline:
        return measure([sys.executable, "-m", "benchmarks.memory", "--baseline-of", str(path)], env)
    store = folder / f"store-{time.monotonic_ns()}.sqlite3"
    env["DATABASE_URL"] = f"sqlite:///{store}"
    if cap is not None:
        env["ARTICLE_MAX_CHARS"] = str(cap)
    else:
        env.pop("ARTICLE_MAX_CHARS", None)
    return measure([sys.executable, "-m", "bot.cli", "ingest", str(path)], env)


def _outcome(row: dict[str, object]) -> str:
    line = str(row["out"])
    if "too long" in line:
        return "refused (too long)"
    if line.startswith("added 1"):
        return "added"
    return line[:60] or str(row["err"]).strip().splitlines()[-1][:60]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--sizes", default="1,5,10,50", help="sizes in MB of the .txt files (default 1,5,10,50)")
    parser.add_argument("--page-mb", type=float, default=10.0, help="size in MB of the .html page (0: none; default 10)")
    parser.add_argument("--raised-cap", type=int, default=100_000_000, help="ARTICLE_MAX_CHARS of the cap-raised rows")
    parser.add_argument("--articles", type=int, default=10_000, help="corpus articles ingested from one folder (0: skip; default 10000)")
    parser.add_argument("--baseline-of", help=argparse.SUPPRESS)
    parser.add_argument("--folder-baseline-of", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_of:
        _baseline(args.baseline_of)
        return
    if args.folder_baseline_of:
        _folder_baseline(args.folder_baseline_of)
        return
    sizes = [float(size) for size in args.sizes.split(",") if size.strip()]
    with tempfile.TemporaryDirectory(prefix="newsbrief-memory-") as name:
        folder = Path(name)
        inputs: list[tuple[str, Path]] = []
        for size in sizes:
            path = folder / f"news-{size:g}mb.txt"
            # Exactly `size` MB (a 50 MB file is at the 50 MB limit of one file, not over it).
            article = "Harbour report\n\n" + news_text(int(size * MB))
            path.write_text(article[: int(size * MB) - 1] + "\n", encoding="utf-8")
            inputs.append((f".txt {size:g} MB", path))
        if args.page_mb:
            path = folder / f"page-{args.page_mb:g}mb.html"
            path.write_text(news_page(int(args.page_mb * MB)), encoding="utf-8")
            inputs.append((f".html page {args.page_mb:g} MB", path))
        header = ("input", "file MB", "baseline MB", "ingest MB", "outcome", "cap raised MB", "MB / input MB", "seconds")
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" if index == 0 else "--:" if index != 4 else "---" for index in range(len(header))) + "|")
        page_peak = None
        for label, path in inputs:
            size_mb = path.stat().st_size / MB
            floor = run_row(path, folder, None, baseline=True)
            capped = run_row(path, folder, None, baseline=False)
            raised = run_row(path, folder, args.raised_cap, baseline=False)
            if path.suffix == ".html":
                page_peak = capped["peak_mb"]
            print(
                f"| {label} | {size_mb:.1f} | {floor['peak_mb']:.0f} | {capped['peak_mb']:.0f} | {_outcome(capped)} "
                f"| {raised['peak_mb']:.0f} ({_outcome(raised)}) | {raised['peak_mb'] / size_mb:.0f} | {raised['seconds']:.1f} |",
                flush=True,
            )
        if page_peak is not None:
            verdict = "met" if page_peak < PAGE_TARGET_MB else "missed"
            print(f"\n{args.page_mb:g} MB page: {page_peak:.0f} MB peak against the {PAGE_TARGET_MB:.0f} MB target: {verdict}")
        if args.articles:
            many_articles(folder, args.articles)


def many_articles(work: Path, count: int) -> None:
    """Peak RSS of `newsbrief ingest FOLDER` of `count` corpus articles, beside the floor of reading them."""
    from benchmarks.ingest_throughput import write_articles

    folder = work / "articles"
    folder.mkdir()
    write_articles(folder, count)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    floor = measure([sys.executable, "-m", "benchmarks.memory", "--folder-baseline-of", str(folder)], env)
    env["DATABASE_URL"] = f"sqlite:///{work / 'articles.sqlite3'}"
    env.pop("ARTICLE_MAX_CHARS", None)
    ingest = measure([sys.executable, "-m", "bot.cli", "ingest", str(folder)], env)
    size_mb = sum(path.stat().st_size for path in folder.iterdir()) / MB
    print(f"\n| {count:,} corpus articles ({size_mb:.1f} MB of .txt) | peak RSS MB | seconds | outcome |")
    print("|---|--:|--:|---|")
    print(f"| baseline: imports + every file read | {floor['peak_mb']:.0f} | {floor['seconds']:.1f} | |")
    print(f"| newsbrief ingest FOLDER (SQLite) | {ingest['peak_mb']:.0f} | {ingest['seconds']:.1f} | {str(ingest['out'])[:70]} |")
    verdict = "met" if ingest["peak_mb"] < ARTICLES_TARGET_MB else "missed"
    print(f"\n{count:,} articles: {ingest['peak_mb']:.0f} MB peak against the {ARTICLES_TARGET_MB:.0f} MB target: {verdict}")


if __name__ == "__main__":
    main()
