"""Quotation marks paired into quoted spans, in one linear pass over the text.

A mark is judged by where it stands (after a space it opens, before one it
closes) more than by its glyph, so straight, curly, „German“, «French» and
»Danish« quotes all pair, and a wrong-way curly mark still closes. Single marks
are read as quotes only outside double-quoted text and never inside a word
(don't, O’Neill). A quotation running over several paragraphs leaves each
paragraph open and reopens the next with a mark; an opening mark that is
neither closed nor continued is dropped, and the quotes nested in it then
count as quotes of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

DOUBLE_MARKS = "\"“”„‟«»＂〝〞"
SINGLE_MARKS = "'‘’‚‛‹›"
ALL_MARKS = DOUBLE_MARKS + SINGLE_MARKS
# Marks whose glyph tells which way they face.
_OPENERS = frozenset("“„‟«‘‚‛‹〝")
_CLOSERS = frozenset("”»’›〞")
_AFTER_CLOSE = frozenset(",.;:!?…)]}>—–-/")
_BEFORE_OPEN = frozenset("([{<—–-/")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_MAX_DEPTH = 3
# Two apostrophes stand for a double mark in some wire and archive text: ''Yes,'' he said.
_DOUBLE = re.compile("[" + re.escape(DOUBLE_MARKS) + "]")
_SINGLE = re.compile("[" + re.escape(SINGLE_MARKS) + "]")
_DOUBLE_OR_TWO_APOSTROPHES = re.compile("''|[" + re.escape(DOUBLE_MARKS) + "]")
_SINGLE_NOT_TWO = re.compile("(?<!')[" + re.escape(SINGLE_MARKS) + "](?!')")


@dataclass(frozen=True)
class QuotedSpan:
    """The words between a pair of quotation marks; pieces are (start, end) of the words, marks excluded.

    open_mark is the first character of the opening mark, close_mark the last of the closing one.
    """

    open_mark: int
    close_mark: int
    pieces: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


@dataclass
class _Frame:
    mark: int
    glyph: str
    piece_start: int
    pieces: list[tuple[int, int]] = field(default_factory=list)
    nested: list[QuotedSpan] = field(default_factory=list)


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Outermost quoted spans in document order: double marks, then single marks outside them."""
    breaks = [(match.start(), match.end()) for match in _PARAGRAPH_BREAK.finditer(text)]
    two_apostrophes = "''" in text
    doubles = _Pairing(text, breaks, single=False).run(_DOUBLE_OR_TWO_APOSTROPHES if two_apostrophes else _DOUBLE, ())
    singles = _Pairing(text, breaks, single=True).run(_SINGLE_NOT_TWO if two_apostrophes else _SINGLE, doubles)
    return sorted(doubles + singles, key=lambda span: span.open_mark)


class _Pairing:
    """One family of marks (double or single) paired over a whole text."""

    def __init__(self, text: str, breaks: list[tuple[int, int]], single: bool) -> None:
        self.text = text
        self.breaks = breaks
        self.single = single
        self.stack: list[_Frame] = []
        self.found: list[QuotedSpan] = []

    def run(self, marks: re.Pattern[str], outside: Sequence[QuotedSpan]) -> list[QuotedSpan]:
        text = self.text
        next_break = 0
        skip = 0
        consumed = -1
        for match in marks.finditer(text):
            position = match.start()
            while skip < len(outside) and outside[skip].close_mark < position:
                skip += 1
            if skip < len(outside) and outside[skip].open_mark <= position:
                continue
            while next_break < len(self.breaks) and self.breaks[next_break][0] < position:
                consumed = self._paragraph_end(*self.breaks[next_break])
                next_break += 1
            if position == consumed:
                continue
            self._mark(position, match.end(), match.group())
        while self.stack:
            self._drop()
        return sorted(self.found, key=lambda span: span.open_mark)

    def _paragraph_end(self, end: int, next_start: int) -> int:
        """Close the paragraph; return the position of the mark that continues an open quote, else -1."""
        if not self.stack:
            return -1
        text = self.text
        reopened = next_start < len(text) and (text[next_start] in DOUBLE_MARKS or text.startswith("''", next_start))
        if self.single or not reopened:
            while self.stack:
                self._drop()
            return -1
        while len(self.stack) > 1:
            self._drop()
        outer = self.stack[0]
        outer.pieces.append((outer.piece_start, end))
        outer.piece_start = next_start + (2 if text.startswith("''", next_start) else 1)
        return next_start

    def _mark(self, position: int, end: int, glyph: str) -> None:
        text = self.text
        before = text[position - 1] if position else " "
        after = text[end] if end < len(text) else " "
        if before == "=" or (self.single and _is_apostrophe(before, after, glyph)):
            return  # an HTML attribute value, or an apostrophe
        stack = self.stack
        can_open = (before.isspace() or before in _BEFORE_OPEN or before in ALL_MARKS) and not after.isspace()
        can_close = not before.isspace() and (after.isspace() or after in _AFTER_CLOSE or after in ALL_MARKS)
        if glyph in "«»‹›":
            # French marks allow a space inside; the glyph decides, and »Danish« turns them round.
            can_open = glyph in "«‹" or (not stack and not before.isalnum())
            can_close = bool(stack) and (glyph in "»›" or stack[-1].glyph in "»›")
        elif glyph in _OPENERS and not can_close:
            can_open = True
        elif glyph in _CLOSERS and not can_open and not before.isspace():
            can_close = True
        if stack and can_close and (not can_open or _closes(glyph, stack[-1].glyph)):
            self._close(position, end)
        elif can_open:
            if len(stack) < _MAX_DEPTH:
                stack.append(_Frame(position, glyph, end))
        elif stack and glyph not in _OPENERS:
            self._close(position, end)  # glued on both sides ("x"y) while a quote is open

    def _close(self, position: int, end: int) -> None:
        frame = self.stack.pop()
        pieces = [piece for piece in (self._trim(*piece) for piece in [*frame.pieces, (frame.piece_start, position)]) if piece]
        if not pieces:
            return
        span = QuotedSpan(frame.mark, end - 1, tuple(pieces))
        (self.stack[-1].nested if self.stack else self.found).append(span)

    def _drop(self) -> None:
        """An opening mark never closed: it quotes nothing, what was nested in it stands alone."""
        frame = self.stack.pop()
        (self.stack[-1].nested if self.stack else self.found).extend(frame.nested)

    def _trim(self, start: int, end: int) -> tuple[int, int] | None:
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end or not any(char.isalnum() for char in text[start:end]):
            return None
        return start, end


def _closes(glyph: str, opener: str) -> bool:
    """True when a mark that could also open closes the quote opened by opener."""
    if (opener in "„‚" and glyph in "“‘") or (opener in "»›" and glyph in "«‹"):
        return True  # German „…“, Danish »…«
    return glyph not in _OPENERS


def _is_apostrophe(before: str, after: str, glyph: str) -> bool:
    if glyph in "‹›‚‛‘":
        return False
    if before.isalnum() and after.isalnum():
        return True  # don't, O’Neill
    return before.isspace() and after.isdigit()  # ’90s
