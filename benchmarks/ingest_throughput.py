"""Ingest throughput: articles per second and peak memory, analysis alone against ingest into SQLite and PostgreSQL.

    .venv/bin/python -m benchmarks.ingest_throughput [--articles 2000] [--repeat 3] [--sizes 0,10000,100000]

Corpus articles (PolNeAR, bbc-100, human-refs from ../shared/corpus) are reused
with new ids to reach the count and written as .txt files (a front-matter URL,
a title line, the text) to a temporary folder; the copies of one corpus article
differ only in a first line, so they also exercise near-duplicate story
linking. Every row reads that folder the way `newsbrief ingest FOLDER` does:
the baseline reads and analyses each file (summaries.analyze), the store rows
run bot.ingest.pipeline.ingest, the command's own code path, into a store grown
first (not timed) to each of --sizes articles by the query_latency bulk loader:
corpus articles with their near-copy signatures and story bands, published over
the year before the ingest, so the ingested articles meet stored copies of
themselves old and recent, as a long-running store does.
Each row runs in a process of its own so its peak memory (max RSS) is its own;
the rows take turns, --repeat rounds of them, and each shows its quickest round
(the one least disturbed by whatever else the machine ran) and its highest peak.
Targets: storage and indexing add less than 30% to analysis alone on SQLite (into an
empty store); the rate into the largest store is within 1.5x of the rate into an empty one.

--before REV[,REV...] adds rows for the same ingest (same folder, same rounds, empty stores) by the code
of earlier revisions, each exported with `git archive` and run in a process of its own: issue 10's target is
that ingest with stories across outlets runs within 20% of the rate before them (805aa93 is the last
revision without them).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

PHASES = ("analysis", "prepare", "sqlite", "postgres")
LABELS = {
    "analysis": "analysis alone (summaries.analyze)",
    "prepare": "analysis + topics + signature",
    "sqlite": "ingest into SQLite, store of {size:,}",
    "postgres": "ingest into PostgreSQL, store of {size:,}",
    "sqlite-before": "ingest into SQLite, code of {before}",
    "postgres-before": "ingest into PostgreSQL, code of {before}",
}
# Run in the exported tree of an earlier revision: its own ingest over the same folder into an empty store.
_BEFORE = """
import json, resource, sys, time, uuid
from datetime import UTC, datetime
from bot.ingest.pipeline import ingest
from bot.store import open_store
from bot.topics import load_topics
folder, url, schema = sys.argv[1], sys.argv[2], sys.argv[3] or None
store = open_store(url, schema=schema) if schema else open_store(url)
topics = load_topics()
started = time.perf_counter()
report = ingest(store, topics, [folder], progress=lambda _: None, now=datetime.now(UTC))
elapsed = time.perf_counter() - started
store.close()
print(json.dumps({"seconds": elapsed, "added": report.added + report.duplicates,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
POSTGRES_URL = os.environ.get("NEWSBRIEF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def write_articles(folder: Path, count: int) -> None:
    """`count` corpus articles as .txt files in `folder`, as a person would hand them to `newsbrief ingest`."""
    from benchmarks.corpus import news_articles_with_new_ids

    for number, (identifier, title, text) in enumerate(news_articles_with_new_ids(count)):
        url = f"https://corpus.example/{identifier.replace('#', '/')}"
        (folder / f"{number:06d}.txt").write_text(f"---\nurl: {url}\n---\n{title}\n\n{text}\n", encoding="utf-8")


def run_phase(phase: str, folder: Path, count: int, size: int = 0) -> dict[str, float]:
    """Run one phase over the files in `folder` in this process (a store grown to `size` first) and return its figures."""
    from bot.ingest.pipeline import STORE_BATCH, ingest, items_from_target
    from bot.ingest.prepare import Analysed, analyse, new_article
    from bot.ingest.read import IncomingArticle, expand_paths
    from bot.topics import load_topics

    topics = load_topics()
    now = datetime.now(UTC)
    schema = None
    started = time.perf_counter()
    if phase in ("analysis", "prepare"):
        batch: list[Analysed] = []
        for target in expand_paths([str(folder)]):
            for item in items_from_target(target):
                assert isinstance(item, IncomingArticle), item
                # analyse() is all ingest does with an article before topics, signature and storage.
                analysed = analyse(item, now)
                if phase == "prepare":
                    # Held, then given topics and signatures a batch at a time, as ingest does.
                    batch.append(analysed)
                    if len(batch) >= STORE_BATCH:
                        for held in batch:
                            new_article(held, topics)
                        batch = []
        for held in batch:
            new_article(held, topics)
    else:
        from bot.store import open_store

        if phase == "sqlite":
            store = open_store(f"sqlite:///{folder.parent}/bench.sqlite3")
        else:
            import psycopg

            schema = f"nbbench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as connection:
                connection.execute(f'CREATE SCHEMA "{schema}"')
            store = open_store(POSTGRES_URL, schema=schema)
        if size:
            from benchmarks.query_latency import bulk_load

            bulk_load(store, size, until=now, bands=True)
        done: list[str] = []
        started = time.perf_counter()
        report = ingest(store, topics, [str(folder)], progress=done.append, now=now)
        # The corpus holds a few articles twice (the same story in two sets): those count as duplicates.
        assert not report.failed and report.added + report.duplicates == count, report.line()
        assert len(done) == count
        store.close()
    elapsed = time.perf_counter() - started
    if schema:
        import psycopg

        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": elapsed, "rate": count / elapsed, "peak_mb": peak}


def _postgres_reachable() -> str | None:
    try:
        import psycopg

        psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), connect_timeout=3).close()
    except Exception as error:  # any failure to connect means: skip that row, saying why
        return str(error).strip().splitlines()[0]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every row; the quickest of each is shown")
    parser.add_argument("--sizes", default="0,10000,100000", help="store sizes ingested into, comma-separated")
    parser.add_argument("--before", metavar="REV[,REV]", default="",
                        help="also ingest with the code of these git revisions, comma-separated (e.g. 805aa93)")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.folder, args.articles, args.size)))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = [("analysis", 0), ("prepare", 0)] + [(phase, size) for phase in ("sqlite", "postgres") for size in sizes]
    revisions = [revision.strip() for revision in args.before.split(",") if revision.strip()]
    # A before row's second field is the index of its revision.
    rows += [(phase, index) for index in range(len(revisions)) for phase in ("sqlite-before", "postgres-before")]
    from benchmarks.corpus import CORPUS, require

    require(CORPUS)
    results: dict[tuple[str, int], dict[str, float] | str] = {}
    unreachable = _postgres_reachable()
    work = Path(tempfile.mkdtemp(prefix="nb-bench-"))
    try:
        folder = work / "articles"
        folder.mkdir()
        write_articles(folder, args.articles)
        trees = [_export(revision, work / f"before-{index}") for index, revision in enumerate(revisions)]
        for _ in range(max(args.repeat, 1)):
            for row in rows:
                phase, size = row
                if phase.startswith("postgres") and unreachable:
                    results[row] = f"skipped: PostgreSQL unreachable ({unreachable})"
                    continue
                for stale in work.glob("bench.sqlite3*"):
                    stale.unlink()
                if phase.endswith("-before"):
                    figures = _run_before(trees[size], phase, folder, work, args.articles)
                    _keep_quickest(results, row, figures)
                    continue
                output = subprocess.run(
                    [sys.executable, "-m", "benchmarks.ingest_throughput", "--phase", phase, "--size", str(size),
                     "--articles", str(args.articles), "--folder", str(folder)],
                    check=True, capture_output=True, text=True,
                ).stdout
                _keep_quickest(results, row, json.loads(output.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = results[("analysis", 0)]
    assert isinstance(base, dict)
    rounds = f"quickest of {args.repeat} rounds" if args.repeat > 1 else "one round"
    print(f"Ingest throughput, {args.articles} corpus articles from .txt files (one process per row, {rounds})\n")
    print(f"{'phase':<44} {'seconds':>8} {'articles/s':>11} {'peak RSS MB':>12} {'vs analysis':>12} {'vs empty':>9}")
    for phase, size in rows:
        row = results[(phase, size)]
        label = LABELS[phase].format(size=size, before=revisions[size] if phase.endswith("-before") else "")
        if isinstance(row, str):
            print(f"{label:<44} {row}")
            continue
        extra = row["seconds"] / base["seconds"] - 1
        empty = results.get((phase, sizes[0])) if phase in ("sqlite", "postgres") else None
        slower = f"{row['seconds'] / empty['seconds']:>8.2f}x" if isinstance(empty, dict) else ""
        print(f"{label:<44} {row['seconds']:>8.1f} {row['rate']:>11.1f} {row['peak_mb']:>12.0f} {extra:>+11.0%} {slower:>9}")
    sqlite = results.get(("sqlite", sizes[0]))
    if isinstance(sqlite, dict):
        extra = sqlite["seconds"] / base["seconds"] - 1
        verdict = "met" if extra < 0.30 else "NOT met"
        print(f"\ntarget: storage + indexing add < 30% on SQLite -> {extra:+.0%}, {verdict}")
    for phase in ("sqlite", "postgres"):
        first, last = results.get((phase, sizes[0])), results.get((phase, sizes[-1]))
        if isinstance(first, dict) and isinstance(last, dict):
            ratio = last["seconds"] / first["seconds"]
            verdict = "met" if ratio <= 1.5 else "NOT met"
            print(f"target: {phase} into {sizes[-1]:,} within 1.5x of into {sizes[0]:,} -> {ratio:.2f}x, {verdict}")
    for index, revision in enumerate(revisions):
        for phase in ("sqlite", "postgres"):
            now, then = results.get((phase, sizes[0])), results.get((f"{phase}-before", index))
            if isinstance(now, dict) and isinstance(then, dict):
                # Issue 10's target holds against the last code without stories (805aa93): 80% or more.
                print(f"{phase}: the rate now is {now['rate'] / then['rate']:.0%} of {revision}'s")


def _keep_quickest(results: dict[tuple[str, int], dict[str, float] | str], row: tuple[str, int], figures: dict[str, float]) -> None:
    """The row's quickest round so far, with the highest peak of all its rounds."""
    best = results.get(row)
    if isinstance(best, dict):
        figures["peak_mb"] = max(figures["peak_mb"], best["peak_mb"])
        if best["seconds"] < figures["seconds"]:
            figures.update(seconds=best["seconds"], rate=best["rate"])
    results[row] = figures


def _export(revision: str, target: Path) -> Path:
    """The tree of an earlier revision of this repository, exported to `target` (git archive)."""
    target.mkdir()
    root = Path(__file__).resolve().parent.parent
    archive = subprocess.run(["git", "-C", str(root), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def _run_before(tree: Path, phase: str, folder: Path, work: Path, count: int) -> dict[str, float]:
    """One round of an earlier revision's ingest over `folder` into an empty store, in a process of its own."""
    schema = ""
    if phase == "sqlite-before":
        url = f"sqlite:///{work}/bench.sqlite3"
    else:
        import psycopg

        url, schema = POSTGRES_URL, f"nbbefore_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        output = subprocess.run(
            [sys.executable, "-c", _BEFORE, str(folder), url, schema], check=True, capture_output=True, text=True,
            cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
        ).stdout
    finally:
        if schema:
            import psycopg

            with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
    figures = json.loads(output.strip().splitlines()[-1])
    assert figures.pop("added") == count, figures
    return {**figures, "rate": count / figures["seconds"]}


if __name__ == "__main__":
    main()
