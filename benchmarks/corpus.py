"""Loaders for ../shared/corpus, the data the benchmarks measure against (never copied here)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
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
