"""Multi-document story summaries: newsbrief's StorySummarizer beside single-article and multi-document baselines.

ROUGE-1/2 recall (rouge-score, Porter stemming, mean over the three human
summaries) on TAC 2011 MultiLing pilot English: 10 stories of 10 WikiNews
articles each. Every system gets the same cleaned text and the same sentence
splitter, and every summary is cut to 250 words (TAC's length).

Rows:
  newsbrief StorySummarizer   words=250 (a strict budget: it never goes over, so it may stop short of 250)
  newest article's summary    summaries.analysis.analyze, "news" algorithm, more sentences until 250 words
  newest article's lead       its first sentences until 250 words
  LexRank, all sentences      sumy's LexRankSummarizer over every sentence of every article, best first
  centroid                    cosine with the tf-idf centroid of all sentences, greedy, redundancy cut at 0.5

The newest article is the one with the latest `published` date; two articles lack
the field and take the first date written in their text (a WikiNews dateline).
The own summary an article has at ingest (3 sentences) is given to
StorySummarizer as StoryArticle.summary and is not part of its timing.
A last row times a synthetic story of 500 articles (the corpus articles reused
under 50 outlets, an hour apart) to show the work is bounded.

--single-article adds a second check on human-refs (single-document news with
human summaries): StorySummarizer given one article (no own summary, so it
ranks the article itself) beside the article summariser it would otherwise keep.

Run: python -m benchmarks.story_summary   (needs the `bench` extra and ../shared/corpus)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
from rich.console import Console
from rich.table import Table
from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer

from benchmarks.corpus import CORPUS, human_refs
from summaries.analysis import analyze
from summaries.article import Article
from summaries.cleaning import clean
from summaries.language import stop_words
from summaries.sentences import split_sentences
from summaries.story_summary import StoryArticle, StorySummarizer
from summaries.text import stem, words
from summaries.tokenizer import NewsTokenizer

TAC = CORPUS / "stories" / "tac2011-multiling-en.jsonl"
LENGTH = 250
_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})"
)
_MONTHS = {name: number for number, name in enumerate(_DATE.pattern.split("(")[1].split(")")[0].split("|"), start=1)}


@dataclass(frozen=True)
class Story:
    """One TAC story: its articles (cleaned, dated, with their own ingest summary) and the human summaries."""

    id: str
    articles: tuple[StoryArticle, ...]
    references: tuple[str, ...]
    dated_from_text: int


def _date(text: str | None) -> datetime | None:
    match = _DATE.search(text or "")
    if not match:
        return None
    return datetime(int(match.group(3)), _MONTHS[match.group(1)], int(match.group(2)), tzinfo=timezone.utc)


def load_stories() -> list[Story]:
    """The TAC stories, or exit with the reason when the corpus is absent."""
    if not TAC.exists():
        sys.exit(f"skipped: {TAC} is absent (the corpus lives in ../shared beside the project)")
    stories = []
    for line in TAC.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        articles, from_text = [], 0
        for number, item in enumerate(row["articles"]):
            published = _date(item.get("published"))
            if published is None:
                published = _date(item["text"])
                from_text += 1
            if published is None:
                raise SystemExit(f"{item['id']}: no date in the record or its text")
            text = clean(item["text"]).text
            own = analyze(Article(text=text, title=item["title"]), 3, quotes=False).summary
            articles.append(
                StoryArticle(
                    id=number,
                    title=item["title"],
                    text=text,
                    outlet="WikiNews",
                    published_at=published,
                    summary=tuple(sentence.text for sentence in own),
                )
            )
        stories.append(Story(row["id"], tuple(articles), tuple(row["references"]), from_text))
    return stories


def truncate(texts: Sequence[str], length: int = LENGTH) -> str:
    """Sentences joined and cut to `length` whitespace words."""
    return " ".join(" ".join(texts).split()[:length])


def _until_length(texts: Sequence[str], length: int = LENGTH) -> list[str]:
    taken, used = [], 0
    for text in texts:
        if used >= length:
            break
        taken.append(text)
        used += len(text.split())
    return taken


def _newest(story: Story) -> StoryArticle:
    return max(story.articles, key=lambda article: (article.published_at, article.id))


def ours(story: Story) -> list[str]:
    return [sentence.text for sentence in StorySummarizer()(story.articles, words=LENGTH)]


def newest_own_summary(story: Story) -> list[str]:
    article = _newest(story)
    total = len(split_sentences(article.text))
    count = 3
    while True:
        summary = [s.text for s in analyze(Article(text=article.text, title=article.title), count, quotes=False).summary]
        if len(" ".join(summary).split()) >= LENGTH or count >= total:
            return summary
        count += 1


def newest_lead(story: Story) -> list[str]:
    return _until_length([sentence.text for sentence in split_sentences(_newest(story).text)])


class _RankedLexRank(LexRankSummarizer):
    """sumy's LexRank, returning every sentence best first (sumy's own returns the top N in document order)."""

    @staticmethod
    def _get_best_sentences(sentences, count, rating, *args, **kwargs):  # type: ignore[no-untyped-def]
        return sorted(sentences, key=lambda sentence: -rating[sentence])


def lexrank(story: Story) -> list[str]:
    tokenizer = NewsTokenizer("english")
    paragraphs = []
    for article in story.articles:
        for sentence_block in _paragraphs(article.text):
            paragraphs.append(Paragraph([SumySentence(text, tokenizer) for text in sentence_block]))
    summarizer = _RankedLexRank(Stemmer("english"))
    summarizer.stop_words = stop_words("english")
    ranked = summarizer(ObjectDocumentModel(paragraphs), 1)
    return _until_length([str(sentence) for sentence in ranked])


def _paragraphs(text: str) -> list[list[str]]:
    blocks: dict[int, list[str]] = {}
    for sentence in split_sentences(text):
        blocks.setdefault(sentence.paragraph, []).append(sentence.text)
    return [blocks[key] for key in sorted(blocks)]


def centroid(story: Story, redundancy: float = 0.5) -> list[str]:
    texts = [sentence.text for article in story.articles for sentence in split_sentences(article.text)]
    stops = stop_words("english")
    bags = [[stem(token) for token in words(text) if token.lower() not in stops] for text in texts]
    vocabulary = {term: index for index, term in enumerate(sorted({term for bag in bags for term in bag}))}
    matrix = np.zeros((len(texts), max(1, len(vocabulary))))
    for row, bag in enumerate(bags):
        for term in bag:
            matrix[row, vocabulary[term]] += 1
    documents = np.count_nonzero(matrix, axis=0)
    matrix *= np.log(len(texts) / np.maximum(documents, 1)) + 1
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    center = matrix.mean(axis=0)
    center /= np.linalg.norm(center) or 1.0
    chosen: list[int] = []
    used = 0
    for index in np.argsort(-(matrix @ center), kind="stable"):
        if used >= LENGTH:
            break
        if any(float(matrix[index] @ matrix[other]) > redundancy for other in chosen):
            continue
        chosen.append(int(index))
        used += len(texts[index].split())
    return [texts[index] for index in chosen]


SYSTEMS: tuple[tuple[str, Callable[[Story], list[str]]], ...] = (
    ("newsbrief StorySummarizer", ours),
    ("newest article's own summary", newest_own_summary),
    ("newest article's lead", newest_lead),
    ("LexRank, all sentences", lexrank),
    ("centroid, all sentences", centroid),
)


def evaluate(stories: Sequence[Story]) -> dict[str, tuple[float, float, float]]:
    """Mean ROUGE-1 and ROUGE-2 recall x100 and mean seconds a story, per system."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    results = {}
    for name, system in SYSTEMS:
        first, second, seconds = [], [], []
        for story in stories:
            start = time.perf_counter()
            summary = truncate(system(story))
            seconds.append(time.perf_counter() - start)
            scores = [scorer.score(reference, summary) for reference in story.references]
            first.append(statistics.mean(score["rouge1"].recall for score in scores))
            second.append(statistics.mean(score["rouge2"].recall for score in scores))
        results[name] = (100 * statistics.mean(first), 100 * statistics.mean(second), statistics.mean(seconds))
    return results


def synthetic_story(stories: Sequence[Story], count: int = 500) -> list[StoryArticle]:
    """`count` articles reusing the corpus ones under 50 outlets, an hour apart."""
    pool = [article for story in stories for article in story.articles]
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    return [
        StoryArticle(
            id=number,
            title=pool[number % len(pool)].title,
            text=pool[number % len(pool)].text,
            outlet=f"Outlet {number % 50}",
            published_at=start + timedelta(hours=number),
            summary=pool[number % len(pool)].summary,
        )
        for number in range(count)
    ]


def single_article_check() -> None:
    """ROUGE-1/2 F1 x100 at 3 sentences on human-refs: one-article stories beside the article summariser."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    table = Table(title="Single-article check: 3 sentences, ROUGE F1 x100 (stemmed, best reference), human-refs")
    table.add_column("system")
    sets = ("realsumm-cnndm-100", "newsroom-60")
    for name in sets:
        table.add_column(f"{name} R-1 / R-2", justify="right")
    rows: dict[str, list[str]] = {"StorySummarizer, one article": [], "article summariser (news, default)": []}
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    for name in sets:
        totals: dict[str, list[tuple[float, float]]] = {label: [] for label in rows}
        for reference in human_refs(name):
            text = clean(reference.text).text
            story = [StoryArticle(id=0, title="", text=text, outlet="", published_at=when)]
            outputs = {
                "StorySummarizer, one article": [s.text for s in StorySummarizer()(story, 3)],
                "article summariser (news, default)": [s.text for s in analyze(Article(text=text), 3, quotes=False).summary],
            }
            for label, sentences in outputs.items():
                summary = "\n".join(sentences)
                best = max((scorer.score(target, summary) for target in reference.references), key=lambda s: s["rouge2"].fmeasure)
                totals[label].append((best["rouge1"].fmeasure, best["rouge2"].fmeasure))
        for label, values in totals.items():
            rows[label].append(" / ".join(f"{100 * statistics.mean(v[i] for v in values):.1f}" for i in (0, 1)))
    for label, cells in rows.items():
        table.add_row(label, *cells)
    Console(width=150).print(table)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="Reads ../shared/corpus/stories/tac2011-multiling-en.jsonl.")
    parser.add_argument("--large", type=int, default=500, help="articles in the synthetic story timed last (default 500)")
    parser.add_argument("--single-article", action="store_true", help="also compare one-article stories with the article summariser on human-refs")
    arguments = parser.parse_args(argv)
    stories = load_stories()
    results = evaluate(stories)
    lexrank_seconds = results["LexRank, all sentences"][2]
    table = Table(title=f"Story summaries on TAC 2011 MultiLing English ({len(stories)} stories x 10 articles), {LENGTH} words, ROUGE recall x100 (stemmed, mean of 3 references)")
    table.add_column("system")
    table.add_column("R-1", justify="right")
    table.add_column("R-2", justify="right")
    table.add_column("s / story", justify="right")
    table.add_column("x LexRank", justify="right")
    for name, (first, second, seconds) in results.items():
        table.add_row(name, f"{first:.1f}", f"{second:.1f}", f"{seconds:.3f}", f"{seconds / lexrank_seconds:.2f}")
    large = synthetic_story(stories, arguments.large)
    start = time.perf_counter()
    summary = StorySummarizer()(large, words=LENGTH)
    elapsed = time.perf_counter() - start
    table.add_row(f"newsbrief, synthetic {len(large)}-article story", "-", "-", f"{elapsed:.3f}", f"{elapsed / lexrank_seconds:.2f}")
    Console(width=150).print(table)
    dated = sum(story.dated_from_text for story in stories)
    print(f"newest article by `published`; {dated} article(s) without it dated from their text's dateline")
    print(f"synthetic story summary: {len(summary)} sentences, {sum(len(s.text.split()) for s in summary)} words"
          f" (x LexRank: against LexRank's mean 10-article story; LexRank itself is not run on {len(large)} articles)")
    ours_r2 = results["newsbrief StorySummarizer"][1]
    beats = all(ours_r2 > results[name][1] for name in ("LexRank, all sentences", "centroid, all sentences"))
    print("StorySummarizer ROUGE-2 above LexRank and centroid:", "yes" if beats else "NO")
    if arguments.single_article:
        single_article_check()


if __name__ == "__main__":
    main()
