"""Loaders for ../shared/corpus, the data the benchmarks measure against (never copied here)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Reference:
    """An article with human-written reference summaries."""

    id: str
    text: str
    references: tuple[str, ...]


def require(path: Path) -> Path:
    """The corpus path, or exit with the reason when ../shared is absent."""
    if not path.exists():
        sys.exit(f"skipped: {path} is absent (the corpus lives in ../shared beside the project)")
    return path


def human_refs(name: str) -> list[Reference]:
    """One of the human-refs sets: realsumm-cnndm-100 or newsroom-60."""
    path = require(CORPUS / "human-refs" / f"{name}.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Reference(str(row["id"]), row["article"], tuple(row["references"])) for row in rows]


def bbc_articles() -> Iterator[tuple[str, str]]:
    """(name, text) of the bbc-100 articles: one sentence a line, paragraphs split by blank lines."""
    root = require(CORPUS / "bbc-100" / "article")
    for path in sorted(root.glob("*/*.txt")):
        yield f"{path.parent.name}/{path.name}", path.read_text(encoding="utf-8", errors="replace")


def medium_articles(limit: int = 120, low: int = 700, high: int = 1100) -> list[str]:
    """Articles of `low`..`high` words in their original typography (PolNeAR and bbc-100 text)."""
    root = require(CORPUS / "polnear")
    texts: list[str] = []
    for path in sorted(root.glob("*/text/*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if low <= len(text.split()) <= high:
            texts.append(text)
        if len(texts) >= limit:
            break
    return texts


@dataclass(frozen=True)
class Attribution:
    """One PolNeAR attribution relation: content, source and cue as text and (start, end) pieces."""

    content: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class AttributedArticle:
    """A PolNeAR article with the attributions of one annotator."""

    name: str
    text: str
    attributions: tuple[Attribution, ...]

    def span_text(self, pieces: tuple[tuple[int, int], ...]) -> str:
        """The text of a (possibly discontinuous) span, pieces joined by a space."""
        return " ".join(self.text[start:end] for start, end in pieces)


_BRAT_SPAN = re.compile(r"^(T\d+)\t([\w-]+) ([\d ;]+)(?:\t|$)")
_BRAT_RELATION = re.compile(r"^(E\d+)\t(.*)$")


def polnear(split: str) -> list[AttributedArticle]:
    """PolNeAR articles of a split (train or dev), one annotation each (the first annotator's file by name)."""
    root = require(CORPUS / "polnear" / split)
    chosen: dict[str, Path] = {}
    for path in sorted((root / "attributions").glob("*.ann")):
        chosen.setdefault(path.stem.rsplit("_", 1)[0], path)
    articles = []
    for name, path in sorted(chosen.items()):
        text_path = root / "text" / f"{name}.txt"
        if text_path.exists():
            text = text_path.read_text(encoding="utf-8")
            articles.append(AttributedArticle(name, text, tuple(_brat_attributions(path.read_text(encoding="utf-8")))))
    return articles


def _brat_attributions(annotation: str) -> Iterator[Attribution]:
    spans: dict[str, tuple[tuple[int, int], ...]] = {}
    relations: list[dict[str, str]] = []
    for line in annotation.splitlines():
        if match := _BRAT_SPAN.match(line):
            pieces = tuple(
                (int(start), int(end)) for start, end in (piece.split() for piece in match.group(3).split(";") if piece.strip())
            )
            spans[match.group(1)] = pieces
        elif match := _BRAT_RELATION.match(line):
            relations.append(dict(part.split(":", 1) for part in match.group(2).split() if ":" in part))
    for relation in relations:
        content = spans.get(relation.get("Content", ""), ())
        if content:
            yield Attribution(content, spans.get(relation.get("Source", ""), ()), spans.get(relation.get("Cue", ""), ()))


def news_articles() -> list[tuple[str, str, str]]:
    """(id, title, text) of every corpus news article: PolNeAR train and dev, bbc-100, human-refs."""
    found: list[tuple[str, str, str]] = []
    root = require(CORPUS / "polnear")
    for path in sorted(root.glob("*/text/*.txt")):
        title, _, text = path.read_text(encoding="utf-8", errors="replace").partition("\n")
        found.append((f"polnear/{path.stem}", title.strip(), text.strip()))
    for name, text in bbc_articles():
        title, _, rest = text.partition("\n")
        found.append((f"bbc/{name}", title.strip(), rest.strip()))
    for set_name in ("realsumm-cnndm-100", "newsroom-60"):
        for reference in human_refs(set_name):
            found.append((f"{set_name}/{reference.id}", "", reference.text))
    return [item for item in found if len(item[2].split()) >= 50]


def news_articles_with_new_ids(count: int) -> Iterator[tuple[str, str, str]]:
    """`count` articles reusing the corpus ones, each copy made unique by a numbered first line."""
    base = news_articles()
    for number in range(count):
        identifier, title, text = base[number % len(base)]
        copy = number // len(base)
        if copy:
            text = f"Update {copy} to this story, filed as item {number}.\n\n{text}"
        yield f"{identifier}#{number}", title, text


def boundary_counts(split: Callable[[str], Iterable[int]]) -> tuple[int, int, int]:
    """(found, expected, correct) inner sentence boundaries on bbc-100.

    Each paragraph's lines (one sentence a line) are re-joined with a space and
    split again; a boundary is the offset where a sentence's text ends.
    """
    found = correct = expected = 0
    for _, text in bbc_articles():
        for block in text.split("\n\n"):
            lines = [line.strip() for line in block.split("\n") if line.strip()]
            if not lines:
                continue
            joined = " ".join(lines)
            gold, position = set(), 0
            for line in lines[:-1]:
                position += len(line)
                gold.add(position)
                position += 1
            predicted = {_trimmed(joined, end) for end in split(joined)} - {len(joined)}
            found += len(predicted)
            expected += len(gold)
            correct += len(predicted & gold)
    return found, expected, correct


def _trimmed(text: str, end: int) -> int:
    # Some splitters' spans include trailing white space; a boundary is where the text stops.
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end
