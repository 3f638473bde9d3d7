"""Every shared-corpus article analysed by one checkout's code, as JSON lines: diff two checkouts' dumps.

    python benchmarks/analysis_dump.py --code /work/main main.jsonl
    python benchmarks/analysis_dump.py --code . mine.jsonl && cmp main.jsonl mine.jsonl

The articles are PolNeAR train and dev, bbc-100 and human-refs (benchmarks.corpus.news_articles),
every article of stories/*.jsonl (ECB+, TAC 2011) and the seed page, read by this checkout's
loaders; the analysis (language detected, then summaries.analysis.analyze with quotes) and its
JSON (bot.cli.analyze.analysis_json: summary, removed chrome, sentence count, quotes) come from
--code. A line per article, keys sorted, so two dumps differ only where the analyses do.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def corpus_articles() -> list[tuple[str, str, str]]:
    """(id, title, text) of every corpus article the dump covers."""
    from benchmarks.corpus import CORPUS, news_articles, require

    found = news_articles()
    for path in sorted(require(CORPUS / "stories").glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                row = json.loads(line)
                for part, article in enumerate(row.get("articles") or [row]):
                    found.append((f"{path.name}#{number}.{part}", article.get("title") or "", article.get("text") or ""))
    for path in sorted(require(CORPUS / "seed").glob("*.txt")):
        found.append((f"seed/{path.name}", "", path.read_text(encoding="utf-8")))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--code", type=Path, default=HERE, help="the checkout whose summaries/ and bot/ analyse (default: this one)")
    parser.add_argument("out", type=Path, help="where to write the JSON lines")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    articles = corpus_articles()  # this checkout's loaders, before --code comes first on the path
    sys.path.insert(0, str(args.code.resolve()))
    from bot.cli.analyze import analysis_json
    from summaries.analysis import analyze
    from summaries.article import Article
    from summaries.language import detect_language

    with args.out.open("w", encoding="utf-8") as out:
        for identifier, title, text in articles:
            analysis = analyze(Article(text=text, title=title, language=detect_language(text)))
            out.write(json.dumps({"id": identifier, **analysis_json(analysis)}, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(articles)} articles analysed by {args.code.resolve()} into {args.out}")


if __name__ == "__main__":
    main()
