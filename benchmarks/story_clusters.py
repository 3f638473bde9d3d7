"""One event is one story: B-cubed and pairwise scores of story clustering, beside baselines, and its cost at scale.

Run: python -m benchmarks.story_clusters [--seeds 5] [--scale 10000,100000]   (needs ../shared/corpus)

ecbplus-dev: the articles of 30 words or more (446 of 462, 40 stories; each ECB+ topic holds two
different real events of one kind). The corpus has no usable times, so each article gets its own
within one 36-hour news day, spread evenly in order of arrival: first in file order (which groups
each topic's articles together), then in five fixed shuffles (random.Random(seed), seeds 0..4),
because an online clusterer's result depends on the order articles arrive in.

tac2011: 10 WikiNews stories of 10 articles, all clustered together (the same 36-hour spread):
about 10 clusters should come out. bbc-100: 100 BBC articles, nearly all different stories: every
cluster of two or more is (almost surely) a wrong merge.

Scale: synthetic articles (a vocabulary of common words, each story its own names and numbers,
twenty minutes apart), to show that the stories examined per insert stay flat as the store grows.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import log, sqrt

from rich.console import Console
from rich.table import Table

from benchmarks.corpus import CORPUS, bbc_articles
from bot.signatures import NEAR_DUPLICATE, signature
from bot.store.adding import STORY_WINDOW
from summaries.stories import StoryClusterer
from summaries.text import words

MIN_WORDS = 30
NEWS_DAY = timedelta(hours=36)
START = datetime(2024, 3, 4, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Report:
    """An article to cluster, with its true story."""

    id: str
    story: str
    title: str
    text: str


Clusterer = Callable[[Sequence[Report], Sequence[datetime]], list[int]]


def ecbplus() -> list[Report] | None:
    """The ecbplus-dev articles of MIN_WORDS words or more, None when the file is absent."""
    path = CORPUS / "stories" / "ecbplus-dev.jsonl"
    if not path.exists():
        return None
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        Report(row["id"], row["story"], row.get("title") or "", row["text"])
        for row in rows
        if len(row["text"].split()) >= MIN_WORDS
    ]


def tac() -> list[Report] | None:
    """The 100 TAC 2011 MultiLing English articles, story = the topic they were gathered for."""
    path = CORPUS / "stories" / "tac2011-multiling-en.jsonl"
    if not path.exists():
        return None
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        Report(f"{row['id']}/{article['id']}", row["id"], article.get("title") or "", article["text"])
        for row in rows
        for article in row["articles"]
    ]


def bbc() -> list[Report] | None:
    """The bbc-100 articles, each its own story (first line the headline)."""
    if not (CORPUS / "bbc-100" / "article").exists():
        return None
    reports = []
    for name, text in bbc_articles():
        title, _, body = text.partition("\n")
        reports.append(Report(name, name, title.strip(), body.strip()))
    return reports


def spread(count: int) -> list[datetime]:
    """`count` times spread evenly over one news day, in order of arrival."""
    step = NEWS_DAY / max(count - 1, 1)
    return [START + step * position for position in range(count)]


def b_cubed(found: Sequence[Hashable], truth: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against the true one (labels per item)."""
    clusters: dict[Hashable, set[int]] = defaultdict(set)
    classes: dict[Hashable, set[int]] = defaultdict(set)
    for item, (cluster, label) in enumerate(zip(found, truth)):
        clusters[cluster].add(item)
        classes[label].add(item)
    precision = recall = 0.0
    for item in range(len(found)):
        cluster, label = clusters[found[item]], classes[truth[item]]
        same = len(cluster & label)
        precision += same / len(cluster)
        recall += same / len(label)
    precision, recall = precision / len(found), recall / len(found)
    return precision, recall, _f1(precision, recall)


def pairwise_f1(found: Sequence[Hashable], truth: Sequence[Hashable]) -> float:
    """F1 over pairs of items put in one cluster."""
    found_pairs = true_pairs = both = 0
    for first in range(len(found)):
        for second in range(first + 1, len(found)):
            in_cluster, in_class = found[first] == found[second], truth[first] == truth[second]
            found_pairs += in_cluster
            true_pairs += in_class
            both += in_cluster and in_class
    precision = both / found_pairs if found_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# The clusterers: each maps the reports, in order of arrival with their times, to a story label each.


def alone(reports: Sequence[Report], times: Sequence[datetime]) -> list[int]:
    """Each article its own story."""
    return list(range(len(reports)))


def near_copies(reports: Sequence[Report], times: Sequence[datetime]) -> list[int]:
    """The store's near-duplicate rule (bot/store/adding.py): the story of the most similar earlier article
    sharing a MinHash band, when its estimated Jaccard similarity is NEAR_DUPLICATE or more within STORY_WINDOW."""
    signatures = [signature(report.text) for report in reports]
    by_band: dict[int, list[int]] = defaultdict(list)
    labels: list[int] = []
    for position, mine in enumerate(signatures):
        best: tuple[float, int] | None = None
        if mine is not None:
            # Oldest first: of equally similar articles, the one stored first gives the story.
            for earlier in sorted({before for band in set(mine.band_keys) for before in by_band[band]}):
                theirs = signatures[earlier]
                if theirs is None or abs(times[earlier] - times[position]) > STORY_WINDOW:
                    continue
                similarity = mine.similarity(theirs)
                if similarity >= NEAR_DUPLICATE and (best is None or similarity > best[0]):
                    best = (similarity, labels[earlier])
            for band in set(mine.band_keys):
                by_band[band].append(position)
        labels.append(best[1] if best else position)
    return labels


def tfidf_centroid(reports: Sequence[Report], times: Sequence[datetime], threshold: float = 0.2) -> list[int]:
    """The plain baseline: lower-cased words, the 30 heaviest tf-idf terms per story, one pass, cosine >= 0.2."""
    df: dict[str, int] = defaultdict(int)
    centroids: list[dict[str, float]] = []
    labels: list[int] = []
    for position, report in enumerate(reports):
        counts: dict[str, float] = defaultdict(float)
        for word in words(f"{report.title} {report.text}".lower()):
            counts[word] += 1
        for word in counts:
            df[word] += 1

        def weigh(vector: Mapping[str, float]) -> dict[str, float]:
            return {word: weight * log((position + 2) / (df[word] + 1)) for word, weight in vector.items()}

        vector = weigh(counts)
        norm = sqrt(sum(value * value for value in vector.values())) or 1.0
        best, best_score = None, threshold
        for story, centroid in enumerate(centroids):
            score = sum(value * centroid.get(word, 0.0) for word, value in vector.items()) / norm
            if score >= best_score:
                best, best_score = story, score
        if best is None:
            best = len(centroids)
            centroids.append({})
        summed = defaultdict(float, centroids[best])
        for word, value in vector.items():
            summed[word] += value / norm
        top = dict(sorted(summed.items(), key=lambda item: -item[1])[:30])
        top_norm = sqrt(sum(value * value for value in top.values())) or 1.0
        centroids[best] = {word: value / top_norm for word, value in top.items()}
        labels.append(best)
    return labels


def newsbrief(reports: Sequence[Report], times: Sequence[datetime]) -> list[int]:
    """summaries.stories.StoryClusterer."""
    clusterer = StoryClusterer()
    return [clusterer.add(position, report.title, report.text, time) for position, (report, time) in enumerate(zip(reports, times))]


CLUSTERERS: dict[str, Clusterer] = {
    "each article alone": alone,
    "MinHash near-copies (store rule)": near_copies,
    "TF-IDF centroid, top 30, 0.2": tfidf_centroid,
    "newsbrief StoryClusterer": newsbrief,
}


def orders(reports: Sequence[Report], seeds: int) -> list[tuple[str, list[Report]]]:
    """File order, then `seeds` fixed shuffles."""
    found = [("file order", list(reports))]
    for seed in range(seeds):
        shuffled = list(reports)
        random.Random(seed).shuffle(shuffled)
        found.append((f"shuffle {seed}", shuffled))
    return found


def scores(clusterer: Clusterer, reports: Sequence[Report]) -> tuple[float, float, float, float, int]:
    """B-cubed P, R, F1, pairwise F1 and the number of clusters."""
    found = clusterer(reports, spread(len(reports)))
    truth = [report.story for report in reports]
    return (*b_cubed(found, truth), pairwise_f1(found, truth), len(set(found)))


def quality(console: Console, seeds: int) -> None:
    reports = ecbplus()
    if reports is None:
        console.print(f"skipped ecbplus-dev: {CORPUS / 'stories' / 'ecbplus-dev.jsonl'} is absent (../shared/corpus)")
    else:
        table = Table(title=f"ecbplus-dev: {len(reports)} articles, {len({r.story for r in reports})} stories (B-cubed)")
        for column in ("clusterer", "order", "P", "R", "F1", "pairwise F1", "clusters"):
            table.add_column(column, justify="left" if column in ("clusterer", "order") else "right")
        for name, clusterer in CLUSTERERS.items():
            results = [(order, scores(clusterer, ordered)) for order, ordered in orders(reports, seeds)]
            first = results[0][1]
            table.add_row(name, "file order", *_figures(first))
            if seeds:
                shuffled = [result for _, result in results[1:]]
                mean = tuple(sum(values) / len(values) for values in zip(*shuffled))
                least = tuple(min(values) for values in zip(*shuffled))
                table.add_row("", f"{seeds} shuffles, mean", *_figures(mean))
                table.add_row("", f"{seeds} shuffles, min", *_figures(least))
        console.print(table)
    others = Table(title="Unseen sets: clusters found vs true (file order; B-cubed)")
    for column in ("set", "clusterer", "articles", "true stories", "clusters", "P", "R", "F1"):
        others.add_column(column, justify="left" if column in ("set", "clusterer") else "right")
    for set_name, loader in (("tac2011 (WikiNews)", tac), ("bbc-100", bbc)):
        loaded = loader()
        if loaded is None:
            console.print(f"skipped {set_name}: absent from {CORPUS}")
            continue
        for name, clusterer in CLUSTERERS.items():
            if clusterer is alone:
                continue
            precision, recall, f1, _, clusters = scores(clusterer, loaded)
            others.add_row(set_name, name, str(len(loaded)), str(len({r.story for r in loaded})), str(clusters),
                           f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}")
    console.print(others)


def _figures(values: Sequence[float]) -> list[str]:
    precision, recall, f1, pairwise, clusters = values
    return [f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}", f"{pairwise:.3f}", f"{clusters:.0f}"]


# Scale: synthetic news. Each story has its own names and a number; every article also draws common words.

_COMMON = [f"word{number}" for number in range(2000)]


def synthetic(count: int, seed: int = 7) -> list[tuple[str, str, datetime]]:
    """(title, text, published) of `count` articles, about five per story, twenty minutes apart."""
    rng = random.Random(seed)
    articles = []
    for position in range(count):
        story = position // 5 if rng.random() < 0.8 else rng.randrange(max(position // 5, 1))
        names = [f"Name{story}a Name{story}b", f"Place{story}"]
        common = " ".join(rng.choice(_COMMON) for _ in range(40))
        title = f"{names[0]} {rng.choice(_COMMON)} in {names[1]}"
        text = f"The {rng.choice(_COMMON)} of {names[0]} in {names[1]} on {story % 997 + 3} {common}. Later {common[:80]}."
        articles.append((title, text, START + timedelta(minutes=20 * position)))
    return articles


def scale(console: Console, sizes: Sequence[int]) -> None:
    table = Table(title="StoryClusterer at scale: synthetic articles (20 minutes apart, ~5 per story), in memory")
    for column in ("articles", "stories", "candidates / insert (mean)", "max", "µs / insert (last 10%)", "seconds"):
        table.add_column(column, justify="right")
    for size in sizes:
        articles = synthetic(size)
        clusterer = StoryClusterer()
        examined: list[int] = []
        tail = max(size // 10, 1)
        started = time.perf_counter()
        tail_started = started
        for position, (title, text, published) in enumerate(articles):
            if position == size - tail:
                tail_started = time.perf_counter()
            clusterer.add(position, title, text, published)
            examined.append(clusterer.last_candidates)
        ended = time.perf_counter()
        table.add_row(
            f"{size:,}", f"{len(clusterer.stories):,}", f"{sum(examined) / size:.2f}", str(max(examined)),
            f"{(ended - tail_started) / tail * 1e6:.0f}", f"{ended - started:.1f}",
        )
    console.print(table)
    console.print("1M articles is not run by default: at about 1 ms an insert (most of it article_terms: sentences, "
                  "language, tokens) it takes some 17 minutes; pass --scale 1000000 to run it.")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seeds", type=int, default=5, help="fixed shuffles of ecbplus-dev besides file order (default 5)")
    parser.add_argument("--scale", default="10000,100000", help="synthetic store sizes, comma-separated ('' to skip)")
    args = parser.parse_args(argv)
    console = Console(width=150)
    if not CORPUS.exists():
        console.print(f"skipped the quality section: {CORPUS} is absent (the corpus lives in ../shared beside the project)")
    else:
        quality(console, args.seeds)
    sizes = [int(size) for size in args.scale.split(",") if size.strip()]
    if sizes:
        scale(console, sizes)


if __name__ == "__main__":
    main(sys.argv[1:])
