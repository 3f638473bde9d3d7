"""Key-quote digests: direct quotations in news text, who said them, and which matter most.

    quotes = extract_quotes(cleaned_text, sentences)   # every quoted span, attributed, in order
    digest = key_quotes(quotes_of_a_story, topic_terms=("syria",), limit=5)

Modules: marks (pairing quotation marks), kinds (full, partial, scare, title),
tokens, lexicon (cues, roles, names), people (names, roles, pronouns),
attribution (cue and speaker), extract (the pipeline), ranking (key quotes).
"""

from __future__ import annotations

from summaries.quotes.extract import extract_quotes
from summaries.quotes.model import KINDS, Quote
from summaries.quotes.ranking import key_quotes, rank_article_quotes, same_words, score_quote

__all__ = ["KINDS", "Quote", "extract_quotes", "key_quotes", "rank_article_quotes", "same_words", "score_quote"]
