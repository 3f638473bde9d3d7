"""Everything that turns a file, a page or a feed into stored articles.

read (every file format and page) -> prepare (analysis, topics, signature) -> pipeline (store, feed polling, demo);
fetch is HTTP with deadlines, size caps and the address guard (addresses); feeds parses RSS, Atom and OPML; upkeep redoes stored analyses.
"""
