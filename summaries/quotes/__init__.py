"""Key-quote digests: direct quotations in news text, who said them, and which matter most."""

from __future__ import annotations

from summaries.quotes.extract import extract_quotes
from summaries.quotes.model import KINDS, Quote

__all__ = ["KINDS", "Quote", "extract_quotes"]
