"""A sentence splitter for news text, linear in the length of the text.

Each candidate boundary (terminal punctuation followed by white space, or a
full stop glued to the next sentence) is judged from a bounded window around
it, so the whole pass costs O(n) however long a paragraph is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from summaries.article import Sentence

# Words that end in a full stop without ending a sentence when a name or a
# number follows (the comparison is on the lower-cased word without its dot).
TITLES = frozenset(
    """mr mrs ms messrs mme mlle dr prof gen lt col maj capt cmdr adm sgt cpl pvt
    sen rep gov pres supt insp det rev fr hon st atty amb brig lieut gens""".split()
)
MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
BEFORE_NUMBER = frozenset("no nos vol vols pp p art fig figs sec ch tel ref ed op para".split())
# Abbreviations that can also close a sentence: they do when a word that
# usually starts a sentence comes next.
AMBIGUOUS = frozenset("inc ltd co corp bros etc jr sr plc llc llp ave rd blvd mt ft pty".split())
NEVER_END = frozenset("vs v e.g i.e cf approx ca viz al".split())

# Words that often start a sentence: after an ambiguous abbreviation ("U.S.",
# "a.m.", "Inc.") a boundary is taken only when one of these follows.
STARTERS = frozenset(
    """the a an he she it they we i you this that these those there here but and
    or so yet in on at as if when while after before however his her its their
    our my your some many most other others one two three for also still now then
    meanwhile last earlier later what why how who where despite according under
    with without from by to since although though because both each every no not
    such mr mrs ms dr officials police analysts critics nevertheless moreover
    instead thus indeed asked speaking""".split()
)

_TERMINAL = ".!?…"
_CLOSERS = "\"”’'»)]}"
_OPENERS = "\"“‘'«([{"
_BULLET = re.compile(r"^\s*(?:[-–—•*·▪►]|\d{1,3}[.)])\s+")

# A run of terminal marks, the closing quotes or brackets glued to it, then
# white space; or a full stop glued between a lower-case word and a
# capitalised one ("borders.Russia"), which saved pages often produce.
_CANDIDATE = re.compile(
    r"(?P<punct>[.!?…]+)(?P<close>[\"”’'»)\]}]*)(?P<space>\s+)"
    r"|(?<=[a-z]{2})(?P<glued>\.)(?=[A-Z][a-z]{2})"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_CLAUSE_END = re.compile(r"[.!?,;:\"“”]")
_SPACE = re.compile(r"\s")
_WORD_CHARS = re.compile(r"[\w'’.-]*")
_LOOKBACK = 40
_MAX_SENTENCE = 2000


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences with offsets; blank lines separate paragraphs."""
    sentences: list[Sentence] = []
    paragraph = 0
    for block_start, block_end in _paragraph_spans(text):
        for start, end in _block_sentences(text, block_start, block_end):
            for piece_start, piece_end in _cap_length(text, start, end):
                sentences.append(
                    Sentence(
                        text=text[piece_start:piece_end],
                        start=piece_start,
                        end=piece_end,
                        paragraph=paragraph,
                        index=len(sentences),
                    )
                )
        paragraph += 1
    return sentences


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans of the non-empty paragraphs (blank-line separated) of text."""
    return list(_paragraph_spans(text))


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        span = _strip_span(text, position, match.start())
        if span:
            yield span
        position = match.end()
    span = _strip_span(text, position, len(text))
    if span:
        yield span


def _strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _block_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of one paragraph: first its lines are judged, then each line run."""
    for run_start, run_end in _line_runs(text, start, end):
        sentence_start = run_start
        for match in _CANDIDATE.finditer(text, run_start, run_end):
            boundary = _boundary_at(text, match, run_end)
            if boundary is None:
                continue
            span = _strip_span(text, sentence_start, boundary)
            if span:
                yield span
            sentence_start = boundary
        span = _strip_span(text, sentence_start, run_end)
        if span:
            yield span


def _line_runs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Join the lines of a paragraph that belong together (hard-wrapped prose).

    A line ends a sentence when it ends in terminal punctuation, when the next
    line is a list item, or when it is a short line without punctuation
    (a headline, a dateline); a line of a wrapped paragraph does not.
    """
    if "\n" not in text[start:end]:
        yield start, end
        return
    lines: list[tuple[int, int]] = []
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        line_end = end if newline == -1 else newline
        span = _strip_span(text, position, line_end)
        if span:
            lines.append(span)
        position = line_end + 1
    if not lines:
        return
    widest = max(line_end - line_start for line_start, line_end in lines)
    run_start = lines[0][0]
    for (line_start, line_end), (next_start, _) in zip(lines, lines[1:]):
        if _line_ends_sentence(text, line_start, line_end, next_start, widest):
            yield run_start, line_end
            run_start = next_start
    yield run_start, lines[-1][1]


def _line_ends_sentence(text: str, start: int, end: int, next_start: int, widest: int) -> bool:
    last = text[end - 1]
    tail = text[max(start, end - 4) : end].rstrip(_CLOSERS)
    if tail and tail[-1] in _TERMINAL:
        return True
    if _BULLET.match(text, next_start):
        return True
    following = _first_letter(text, next_start)
    if following is not None and following.islower():
        return False
    if last in ",;(-–—/&" or last.isdigit() and text[end - 2 : end - 1] == ",":
        return False
    # A wrapped paragraph fills its lines; a headline or a list line is shorter.
    return not (widest >= 50 and end - start >= 0.8 * widest)


def _first_letter(text: str, position: int) -> str | None:
    for char in text[position : position + 8]:
        if char.isalpha() or char.isdigit():
            return char
    return None


def _boundary_at(text: str, match: re.Match[str], limit: int) -> int | None:
    """Where the sentence ends if this candidate is a boundary, else None."""
    if match.group("glued"):
        return match.end("glued") if _glued_is_boundary(text, match.start("glued")) else None
    punct = match.group("punct")
    after = match.end()
    if after >= limit:
        return None
    boundary = match.end("close")
    following = text[after : after + 40]
    word = _next_word(following)
    first = _first_significant(following)
    if first is None:
        return None
    if match.group("close") and _attribution_follows(following):
        # '"... nine years..." Hailey later recalled.' is one sentence.
        return None
    if first.islower() and not _is_camel(word):
        return None
    if punct[-1] in "!?" or "…" in punct or punct.endswith(".."):
        if first.isupper() or first.isdigit() or following[0] in _OPENERS:
            # "?" glued to a following lower-case clause was handled above.
            return boundary
        return None
    # punct is a single full stop (possibly after other marks).
    if len(punct) > 1 and not punct.endswith("."):
        return boundary
    previous = _previous_token(text, match.start("punct"))
    key = previous.lower().rstrip(".").lstrip(_OPENERS)
    if match.group("close"):
        # 'He said it was "over."' - the quotation or bracket closes first.
        return boundary
    if not previous:
        # Tokenised text: "trafford . With" - the dot stands alone.
        return boundary
    if key in NEVER_END:
        return None
    starts_sentence = word.lower().strip(_OPENERS) in STARTERS
    if first.isdigit():
        if key in BEFORE_NUMBER or key in MONTHS or key in TITLES:
            return None
        return boundary
    if key in TITLES:
        return None
    if key in MONTHS and len(key) > 2:
        # "Dec. 19" is handled above; "in Dec. The" ends the sentence.
        return boundary if starts_sentence else None
    if key in AMBIGUOUS:
        return boundary if starts_sentence else None
    if _is_initial(previous):
        return boundary if starts_sentence else None
    if _is_dotted_acronym(previous):
        return boundary if starts_sentence else None
    return boundary


_SPEECH_VERBS = frozenset(
    """said says say told tells asked asks added adds recalled recalls explained
    explains wrote writes replied replies insisted insists argued argues noted notes
    continued continues warned warns declared declares admitted admits""".split()
)


def _attribution_follows(following: str) -> bool:
    """True when a short speech-verb clause follows a closing quotation mark."""
    clause = _CLAUSE_END.split(following, maxsplit=1)[0]
    words = clause.split()
    if not words or len(words) > 5 or not following[len(clause) : len(clause) + 1] in ".,;":
        return False
    return any(word.lower() in _SPEECH_VERBS for word in words)


def _glued_is_boundary(text: str, dot: int) -> bool:
    # "borders.Russia" but not "example.Com" in a web address or "e.g.The".
    left = text[max(0, dot - _LOOKBACK) : dot]
    token = _SPACE.split(left)[-1]
    if "/" in token or "@" in token or "." in token or token.lower() in NEVER_END:
        return False
    return len(token) >= 3 and token.isalpha()


def _previous_token(text: str, position: int) -> str:
    start = position
    floor = max(0, position - _LOOKBACK)
    while start > floor and not text[start - 1].isspace():
        start -= 1
    return text[start:position]


def _next_word(following: str) -> str:
    stripped = following.lstrip(_OPENERS + " \t\n")
    match = _WORD_CHARS.match(stripped)
    return match.group(0).rstrip(".") if match else ""


def _first_significant(following: str) -> str | None:
    for char in following:
        if char.isalnum():
            return char
        if char in _OPENERS or char.isspace() or char in "-–—•*":
            continue
        return char
    return None


def _is_camel(word: str) -> bool:
    # "iPhone", "eBay": lower-case first letter, yet a name.
    return len(word) > 1 and word[0].islower() and any(c.isupper() for c in word[1:3])


def _is_initial(token: str) -> bool:
    token = token.lstrip(_OPENERS)
    return len(token) == 1 and token.isalpha() and token.isupper()


def _is_dotted_acronym(token: str) -> bool:
    # "U.S", "a.m", "Ph.D", "U.N" (the final dot is the candidate itself).
    token = token.lstrip(_OPENERS)
    parts = token.split(".")
    return len(parts) > 1 and all(0 < len(part) <= 2 and part.isalpha() for part in parts)


def _cap_length(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Break a run-on 'sentence' (no punctuation for pages) at spaces."""
    while end - start > _MAX_SENTENCE:
        cut = text.rfind(" ", start + _MAX_SENTENCE // 2, start + _MAX_SENTENCE)
        if cut == -1:
            cut = start + _MAX_SENTENCE
        span = _strip_span(text, start, cut)
        if span:
            yield span
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        yield start, end
