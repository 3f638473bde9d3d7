"""Which language an article is in, from its function words (sumy's stop-word lists)."""

from __future__ import annotations

import pkgutil
import re
from collections import Counter
from functools import lru_cache

from summaries.text import words

# Languages with a sumy stop-word list that separate words with spaces.
SPACED = ("english", "german", "french", "spanish", "portuguese", "italian", "czech", "slovak",
          "polish", "swedish", "ukrainian", "greek")
_SCRIPTS = (
    ("chinese", re.compile(r"[\u4e00-\u9fff]")),
    ("japanese", re.compile(r"[\u3040-\u30ff]")),
    ("korean", re.compile(r"[\uac00-\ud7af]")),
    ("arabic", re.compile(r"[\u0600-\u06ff]")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("thai", re.compile(r"[\u0e00-\u0e7f]")),
)
_SCRIPTS_NAMES = frozenset(language for language, _ in _SCRIPTS)
# Any letter of those scripts: most text has none, and one search tells so instead of six.
_ANY_SCRIPT = re.compile("|".join(script.pattern for _, script in _SCRIPTS))


@lru_cache(maxsize=None)
def stop_words(language: str) -> frozenset[str]:
    """The stop words of a language, empty when sumy has none for it."""
    if language in SPACED or language in _SCRIPTS_NAMES:
        # sumy's own list read as sumy reads it, without importing sumy.utils (requests, pycountry: 0.1 s).
        data = pkgutil.get_data("sumy", f"data/stopwords/{language}.txt") or b""
        return frozenset(word.rstrip() for word in data.decode("utf-8").splitlines() if word)
    from sumy.utils import get_stop_words  # other names and codes ("en"), as sumy resolves them

    try:
        return frozenset(get_stop_words(language))
    except LookupError:
        return frozenset()


def detect_language(text: str, default: str = "english") -> str:
    """The most likely language of text, or the default when there is too little to tell."""
    sample = text[:5000]
    for language, script in _SCRIPTS if _ANY_SCRIPT.search(sample) else ():
        # Japanese kana outrank shared Han characters.
        if language == "chinese" and _SCRIPTS[1][1].search(sample):
            continue
        if len(script.findall(sample)) > len(sample) * 0.2:
            return language
    tokens = words(sample)
    if len(tokens) < 5:
        return default
    # The distinct words met with each list (a set intersection), weighted by their counts: the same
    # hits as testing every token against every list, in a fraction of the time.
    counts = Counter(map(str.lower, tokens))
    distinct = set(counts)
    best, best_hits = default, 0
    for language in SPACED:
        hits = sum(map(counts.__getitem__, distinct & stop_words(language)))
        if hits > best_hits * 1.1 or (language == default and hits >= best_hits):
            best, best_hits = language, hits
    return best if best_hits >= max(2, len(tokens) * 0.05) else default
