"""From an article's cleaned text to its quotations, each with who said it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from summaries.article import Sentence
from summaries.quotes.attribution import (
    ROLE_WORDS,
    Attribution,
    after_quote,
    before_quote,
    clause_subject,
    colon_subject,
    is_cue,
    join,
    later_in_sentence,
    byline_after,
    roundup_before,
    speaker_at,
)
from summaries.quotes.kinds import classify
from summaries.quotes.lexicon import (
    DETERMINERS,
    GENDER_PRONOUNS,
    NOT_PERSON,
    ORGANISATION_HEADS,
    QUANTIFIERS,
    ROLE_HEADS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
)
from summaries.quotes.marks import QuotedSpan, find_quoted_spans
from summaries.quotes.model import Quote
from summaries.quotes.people import People, Person, looks_like_person, split_name
from summaries.quotes.tokens import MASK, Token, tokenize
from summaries.sentences import split_sentences

_WINDOW = 200
# An attribution that runs on for more than this many words after the speaker is a new clause.
_ATTRIBUTION_TAIL = 8
_CONTEXT_SENTENCES = 3
_DESCRIPTION_WORDS = 12


@dataclass
class _Draft:
    span: QuotedSpan
    sentence: int
    last_sentence: int
    before: list[Token]
    after: list[Token]
    attribution: Attribution | None
    kind: str
    merged: list[QuotedSpan] = field(default_factory=list)
    joins: bool = False
    host: int = -1  # the draft whose quotation this one continues, when it joins
    person: Person | None = None
    speaker: str | None = None
    speaker_full: str | None = None
    speaker_name: str | None = None
    role: str | None = None


def extract_quotes(text: str, sentences: Sequence[Sentence] | None = None) -> list[Quote]:
    """All quoted spans of a text in document order, attributed; scare quotes and titles marked as such.

    sentences, when given, must be the sentences of this same text (offsets into it).
    """
    spans = find_quoted_spans(text)
    if not spans:
        return []
    if sentences is None:
        sentences = split_sentences(text)
    if not sentences:
        sentences = [Sentence(text, 0, len(text))]
    masked = _mask(text, spans)
    starts = [sentence.start for sentence in sentences]
    prose = _Prose(masked, sentences)
    drafts = [_draft(text, prose, span, sentences, starts) for span in spans]
    _attribute_from_context(drafts, prose, sentences)
    return _resolve(text, drafts, starts, sentences, prose)


class _Prose:
    """The tokens of the author's sentences (quotations masked), each sentence tokenised once."""

    def __init__(self, masked: str, sentences: Sequence[Sentence]) -> None:
        self.masked = masked
        self.sentences = sentences
        self._tokens: dict[int, tuple[list[Token], list[int]]] = {}

    def sentence(self, index: int) -> list[Token]:
        """All tokens of a sentence."""
        return self._of(index)[0]

    def window(self, index: int, start: int, end: int) -> list[Token]:
        """The tokens of a sentence that lie within [start, end)."""
        tokens, token_starts = self._of(index)
        first = bisect_left(token_starts, start)
        last = bisect_left(token_starts, end, first)
        while last > first and tokens[last - 1].end > end:
            last -= 1
        return tokens[first:last]

    def _of(self, index: int) -> tuple[list[Token], list[int]]:
        if index not in self._tokens:
            sentence = self.sentences[index]
            tokens = tokenize(self.masked, sentence.start, sentence.end)
            self._tokens[index] = (tokens, [token.start for token in tokens])
        return self._tokens[index]


def _mask(text: str, spans: list[QuotedSpan]) -> str:
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(text[position : span.open_mark])
        parts.append(MASK * (span.close_mark + 1 - span.open_mark))
        position = span.close_mark + 1
    parts.append(text[position:])
    return "".join(parts)


def _sentence_at(starts: list[int], position: int) -> int:
    return max(0, bisect_right(starts, position) - 1)


def _draft(text: str, prose: _Prose, span: QuotedSpan, sentences: Sequence[Sentence], starts: list[int]) -> _Draft:
    first = _sentence_at(starts, span.open_mark)
    last = _sentence_at(starts, span.close_mark)
    before = prose.window(first, span.open_mark - _WINDOW, span.open_mark)
    after = prose.window(last, span.close_mark + 1, span.close_mark + 1 + _WINDOW)
    attribution = after_quote(after)
    if attribution is not None and _introduces_next(text, span, after, attribution):
        attribution = None
    signed = attribution is None and (attribution := _signed_line(text, prose, span)) is not None
    if attribution is None and not any(token.is_word for token in after):
        attribution = _next_sentence_attribution(text, prose, span, sentences, last)
    attributed_after = attribution is not None
    whole = bool(before) and before[0].start == prose.sentence(first)[0].start
    if attribution is None:
        attribution = before_quote(before, whole)
    if attribution is None:
        attribution = roundup_before(before)
    if attribution is None:
        attribution = later_in_sentence(after)
    if attribution is None and whole:
        attribution = colon_subject(before)
    quoted = " ".join(text[start:end] for start, end in span.pieces)
    kind = classify(quoted, [] if signed else before, after, attributed_after)  # a signed line opens with its quotation
    return _Draft(span, first, last, before, after, attribution, kind)


def _introduces_next(text: str, span: QuotedSpan, after: list[Token], attribution: Attribution) -> bool:
    """'“… not ordinary.” He added, “…”': after a quotation that ends its sentence, a cue with a quotation of its own is that one's."""
    if text[span.close_mark - 1 : span.close_mark] != "." or not attribution.speaker or not attribution.speaker[0].capitalised:
        return False
    rest = [token for token in after if token.start >= attribution.ends_at]
    return len(rest) >= 2 and rest[0].text in (",", ":") and rest[1].is_quote


def _signed_line(text: str, prose: _Prose, span: QuotedSpan) -> Attribution | None:
    """A line that is one quotation and its signature ('"…" ― Pat Lowe'), read on the line whatever the sentences."""
    line_start = text.rfind("\n", 0, span.open_mark) + 1
    if text[line_start : span.open_mark].strip(" \t•*-"):
        return None
    line_end = text.find("\n", span.close_mark)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - span.close_mark > _WINDOW:
        return None
    if not text[span.close_mark + 1 : line_end].strip(" \t.") and line_end < len(text):
        # A fact-check's claim on a line of its own, signed on the next: '"…"' then '- Bernie Sanders.'
        next_start = line_end
        while next_start < len(text) and text[next_start] in "\n \t":
            next_start += 1
        next_end = text.find("\n", next_start)
        next_end = len(text) if next_end < 0 else next_end
        if next_start < len(text) and text[next_start] in _SIGNATURE_DASHES and next_end - next_start < 60:
            return byline_after(tokenize(prose.masked, next_start, next_end), next_end)
        return None
    return byline_after(tokenize(prose.masked, span.close_mark + 1, line_end), line_end)


_SIGNATURE_DASHES = frozenset("—–―-")


def _next_sentence_attribution(
    text: str, prose: _Prose, span: QuotedSpan, sentences: Sequence[Sentence], last: int
) -> Attribution | None:
    """'"…?" Lichtman said about …': the splitter cut the attribution off after a ? or !."""
    if last + 1 >= len(sentences) or sentences[last + 1].paragraph != sentences[last].paragraph:
        return None
    tokens = prose.sentence(last + 1)
    if not tokens:
        return None
    found = after_quote(tokens)
    if found is None or not found.speaker or found.speaker[0].start != tokens[0].start:
        return None
    rest = [token for token in tokens if token.start >= found.ends_at]
    if len(rest) >= 2 and rest[0].text in (",", ":") and rest[1].is_quote:
        return None  # 'Miller added, "…"': the cue introduces a quotation of its own
    tail = [token for token in tokens if token.start >= found.ends_at and token.is_word]
    ending = text[span.close_mark - 2 : span.close_mark].rstrip("'\"”’»")
    if len(tail) > _ATTRIBUTION_TAIL and not ending.endswith(("?", "!")):
        return None
    return found


def _attribute_from_context(drafts: list[_Draft], prose: _Prose, sentences: Sequence[Sentence]) -> None:
    """Quotations without a cue of their own: continuations, a colon before them, the speaker just quoted."""
    previous: _Draft | None = None
    previous_at = -1
    for index, draft in enumerate(drafts):
        if draft.attribution is not None and previous is not None and _same_cue(previous, draft):
            draft.joins, draft.host = True, previous_at
        elif draft.attribution is None and draft.kind == "full" and previous is not None:
            near = draft.sentence - previous.last_sentence
            same_paragraph = sentences[draft.sentence].paragraph == sentences[previous.last_sentence].paragraph
            if near == 1 and same_paragraph and _only_attribution_after(previous):
                draft.joins, draft.host = True, previous_at
                draft.attribution = previous.attribution
            elif 0 < near <= _CONTEXT_SENTENCES and sentences[draft.sentence].paragraph - sentences[previous.last_sentence].paragraph <= 1:
                draft.attribution = _continued(previous.attribution)
        if draft.attribution is None and draft.kind == "full" and draft.sentence > 0 and not draft.before:
            draft.attribution = _colon_before(prose, draft.sentence - 1)
            if draft.attribution is None and sentences[draft.sentence - 1].paragraph == sentences[draft.sentence].paragraph:
                draft.attribution = _subject_before(prose, draft.sentence - 1)
        if draft.attribution is not None and draft.kind in ("full", "partial"):
            previous, previous_at = draft, index


def _continued(attribution: Attribution | None) -> Attribution | None:
    if attribution is None:
        return None
    return Attribution(attribution.speaker, attribution.cue, "continued", attribution.cue_at, attribution.appositive)


def _same_cue(previous: _Draft, draft: _Draft) -> bool:
    """'"A," he said, "B."': the second half shares the first half's cue."""
    first, second = previous.attribution, draft.attribution
    if first is None or second is None or first.how != "after" or second.how != "before":
        return False
    if previous.last_sentence != draft.sentence or not first.speaker or not second.speaker:
        return False
    if first.cue_start != second.cue_start:
        return False  # '"A," he said, adding: "B."' is two attributions
    return previous.kind == "full" and draft.kind == "full"


def _only_attribution_after(previous: _Draft) -> bool:
    attribution = previous.attribution
    if attribution is None or attribution.how != "after" or previous.kind != "full":
        return False
    rest = [token for token in previous.after if token.start >= attribution.ends_at]
    for at, token in enumerate(rest):
        if token.is_quote and (at == 0 or rest[at - 1].lower in ("that", ",", ":") or is_cue(rest, at - 1)):
            return False  # ", adding that …" opens an attribution of its own; 'on Fox News's "Fox and Friends"' does not
    return True


def _colon_before(prose: _Prose, index: int) -> Attribution | None:
    """The sentence before a quotation introduces it: 'Trump issued a statement:' or 'X said in a statement.'"""
    ending = prose.sentences[index].text.rstrip()
    tokens = prose.sentence(index)
    if not tokens or any(token.is_quote for token in tokens):
        return None
    if ending.endswith(":"):
        found = before_quote(tokens)
        if found is not None:
            return Attribution(found.speaker, found.cue, "colon", found.cue_at, found.appositive)
        subject = clause_subject(tokens)
        if subject is None or not _names_someone(subject) or _labels(tokens, subject):
            return None  # "The bias begins to show …:", "Partial transcript as follows:" are no one's
        verb_at = next((at for at, token in enumerate(tokens) if token.start >= subject[-1].end), None)
        verb = tokens[verb_at].text if verb_at is not None and tokens[verb_at].is_word else ""
        return Attribution(subject, verb, "colon")
    if ending.endswith("."):
        found = before_quote(tokens[:-1])
        if found is None or found.cue_at < 0:
            return None
        rest = [token for token in tokens[found.cue_at + 1 : -1] if token.is_word]
        if len(rest) <= 5 and (not rest or rest[0].lower in ("in", "on", "via", "to", "at", "during", "after")):
            return Attribution(found.speaker, found.cue, "colon", found.cue_at, found.appositive)
    return None


def _labels(tokens: list[Token], subject: tuple[Token, ...]) -> bool:
    """True when the word after a subject makes it a label: "Partial transcript", "Full statement"."""
    at = next((index for index, token in enumerate(tokens) if token.start == subject[-1].start), len(tokens)) + 1
    return at < len(tokens) and tokens[at].lower in _LABEL_NOUNS


_LABEL_NOUNS = frozenset("transcript text statement excerpt excerpts summary version".split())


def _names_someone(subject: tuple[Token, ...]) -> bool:
    """True when a subject has a capitalised word besides its determiner: "Carson", "The Harbour Trust", "She"."""
    return any(token.capitalised and token.lower not in DETERMINERS for token in subject)


def _subject_before(prose: _Prose, index: int) -> Attribution | None:
    """'Nora Vidal put it plainly. "The pier …"': a quotation after a sentence about someone is theirs."""
    tokens = prose.sentence(index)
    if not tokens or any(token.is_quote for token in tokens):
        return None
    subject = clause_subject(tokens)
    if subject is None or not _names_someone(subject):
        return None
    return Attribution(subject, "", "context")


def _resolve(text: str, drafts: list[_Draft], starts: list[int], sentences: Sequence[Sentence], prose: _Prose) -> list[Quote]:
    quotes: list[Quote] = []
    descriptions: dict[str, str] = {}
    last_person: _Draft | None = None
    # The article's index of names, built once, and only when a quotation has someone to name.
    people: People | None = None
    for index, draft in enumerate(drafts):
        if draft.attribution is not None and draft.kind in ("full", "partial", "scare"):
            if people is None:
                people = People(prose.masked, starts)
            _name_speaker(draft, people, descriptions, last_person, sentences, prose)
            if draft.person is not None and draft.person.person:
                last_person = draft
    owner: dict[int, int] = {}
    for index, draft in enumerate(drafts):
        if draft.joins and draft.host >= 0:
            host = owner.get(draft.host, draft.host)
            if drafts[host].speaker == draft.speaker:
                owner[index] = host
                drafts[host].merged.append(draft.span)
    for index, draft in enumerate(drafts):
        if index in owner:
            continue
        pieces = list(draft.span.pieces)
        for span in draft.merged:
            pieces.extend(span.pieces)
        quoted, pieces = _quoted_text(text, pieces, draft.kind)
        if not quoted:
            continue
        attribution = draft.attribution
        person = people.identity(draft.person) if people is not None and draft.speaker and draft.person is not None else None
        if person is not None:
            # One person, one identity: the fullest name and role the article gives, whichever quote comes first.
            draft.speaker_full, draft.speaker_name, draft.role = person.full, person.name, person.role or person.description
        quotes.append(
            Quote(
                text=quoted,
                speaker=draft.speaker,
                speaker_full=draft.speaker_full,
                speaker_name=draft.speaker_name,
                role=draft.role,
                person_key=person.key if person is not None else None,
                cue=(attribution.cue or None) if attribution is not None and draft.speaker else None,
                start=pieces[0][0],
                end=pieces[-1][1],
                kind=draft.kind,
                mention=attribution.text if attribution is not None and draft.speaker else None,
                pieces=tuple(pieces),
                sentence=draft.sentence,
                paragraph=sentences[draft.sentence].paragraph,
            )
        )
    return quotes


def _quoted_text(text: str, pieces: list[tuple[int, int]], kind: str) -> tuple[str, list[tuple[int, int]]]:
    """The quoted words, pieces joined; the comma (and, after a fragment, the full stop) the author's sentence owns left out."""
    kept: list[tuple[int, int]] = []
    for start, end in pieces:
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if end > start:
            kept.append((start, end))
    if not kept:
        return "", kept
    fragment = kind in ("scare", "title") or (kind == "partial" and not text[kept[0][0]].isupper())
    if fragment:
        start, end = kept[-1]
        if text[end - 1] == "." and text[end - 2 : end] != ".." and end - 1 > start:
            kept[-1] = (start, end - 1)  # 'a "harbour crisis."': the full stop is the author's
    parts: list[str] = []
    for number, (start, end) in enumerate(kept):
        part = " ".join(text[start:end].split())
        if parts:
            # '"We have the money," he said, "and the plans."' keeps its comma; before a capital it is a full stop.
            comma = text[kept[number - 1][1]] == "," if kept[number - 1][1] < len(text) else False
            if part[:1].isupper() and parts[-1][-1:].isalnum():
                parts[-1] += "."
            elif comma:
                parts[-1] += ","
        parts.append(part)
    return " ".join(parts), kept


_TRAILING = frozenset(",;:—–- \n\t")


def _name_speaker(
    draft: _Draft,
    people: People,
    descriptions: dict[str, str],
    last_person: _Draft | None,
    sentences: Sequence[Sentence],
    prose: _Prose,
    speaker: tuple[Token, ...] | None = None,
) -> None:
    attribution = draft.attribution
    assert attribution is not None
    tokens = [token for token in (speaker or attribution.speaker) if token.text not in "()"]
    if not tokens:
        return
    position = tokens[0].start
    written = join(tokens)
    first = tokens[0].lower
    if len(tokens) == 1 and first in SUBJECT_PRONOUNS:
        prefer, prefer_at = None, -1
        if last_person is not None and draft.sentence - last_person.last_sentence <= _CONTEXT_SENTENCES and abs(
            sentences[draft.sentence].paragraph - sentences[last_person.last_sentence].paragraph
        ) <= 1:
            prefer = last_person.person
            prefer_at = last_person.attribution.speaker[0].start if last_person.attribution else -1
        if first not in GENDER_PRONOUNS:
            body = _body_before(draft, prose, first, position)
            if body is not None:
                _name_speaker(draft, people, descriptions, None, sentences, prose, body)
            return  # "it", "they" with nothing they stand for, "we", "I", "you": no speaker rather than a pronoun
        person = people.resolve(first, position, prefer, prefer_at)
        if person is None:
            return  # a "he" nobody fits is left without a speaker, never kept as "he"
        people.note(position, person)
        _set_person(draft, person, person.short)
        return
    if len(tokens) > 2 and first in QUANTIFIERS and tokens[1].lower == "of":
        _describe(draft, written, descriptions)  # "One of the officials": someone of a group, not a name
        return
    if any(token.lower in ("and", "&") for token in tokens[1:-1]) and tokens[-1].capitalised and tokens[0].capitalised:
        _describe(draft, written, descriptions)  # "Ida Brenner and Tom Okafor": two people, no one person's words
        return
    name_at = len(tokens)
    while name_at > 0 and (tokens[name_at - 1].capitalised or (tokens[name_at - 1].text in ("al", "de", "van", "von", "bin") and name_at < len(tokens))):
        name_at -= 1
    link = next((at for at, token in enumerate(tokens) if token.lower in ("of", "for", "at", "from", "with")), None)
    titled = _name_after_title_with_of(tokens, link, name_at) if link is not None and link < name_at else None
    if titled is not None:
        name_at = titled
    elif link is not None and link < name_at:
        head = tokens[:link]
        head_at = len(head)
        while head_at > 0 and head[head_at - 1].capitalised:
            head_at -= 1
        if head_at == len(head):
            _describe(draft, written, descriptions)
            return
        tokens, name_at = head, head_at
    if name_at == len(tokens):
        _describe(draft, written, descriptions)
        return
    parts = split_name([token.text for token in tokens[name_at:]])
    if not parts.name:
        _describe(draft, written, descriptions)
        return
    lead = [token.text for token in tokens[:name_at] if token.lower not in DETERMINERS]
    role = " ".join(list(lead) + list(parts.role)) or None
    description = _description(attribution.appositive)
    person = people.speaker(parts.name, role, parts.gender, position, description)
    if role and person.role and len(role) > len(person.role) and role.endswith(person.role):
        person.role = role  # "council press secretary" says more than "press secretary"
    if not looks_like_person(parts.name, parts.role, parts.gender) and len(parts.name) > 1:
        person.person = person.person and bool(parts.role)
    _set_person(draft, person, " ".join(parts.name))


def _name_after_title_with_of(tokens: list[Token], link: int, name_at: int) -> int | None:
    """Where the name starts in 'Secretary of State John Kerry', 'Mayor of London Sadiq Khan': a capitalised title with its "of"."""
    head = [token for token in tokens[:link] if token.lower not in DETERMINERS]
    if tokens[link].lower != "of" or not head or not all(token.capitalised for token in head) or head[-1].lower not in ROLE_HEADS:
        return None
    for start in range(name_at, len(tokens) - 1):
        parts = split_name([token.text for token in tokens[start:]])
        if len(parts.name) >= 2 and looks_like_person(parts.name, parts.role, parts.gender):
            return start
    return None


_BODY_SENTENCES = 4
_PLURAL_PRONOUNS = frozenset(("they",))


def _body_before(draft: _Draft, prose: _Prose, pronoun: str, position: int) -> tuple[Token, ...] | None:
    """The organisation an "it" stands for, or the group a "they" does: the nearest such speaker before it.

    Reporters write "Microsoft said it would …" / "The magazine said …" and then '"…," it added':
    the "it" is the last organisation said to speak, in this sentence or the few before.
    """
    if pronoun != "it" and pronoun not in _PLURAL_PRONOUNS:
        return None
    for index in range(draft.sentence, max(-1, draft.sentence - _BODY_SENTENCES), -1):
        tokens = [token for token in prose.sentence(index) if token.end <= position]
        found: tuple[Token, ...] | None = None
        for cue in range(len(tokens)):
            if tokens[cue].is_quote or not is_cue(tokens, cue):
                continue
            attribution = speaker_at(tokens, cue)
            if attribution is None or not attribution.speaker:
                continue
            phrase = attribution.speaker
            if pronoun == "it" and _is_body(phrase, tokens, attribution.cue_at):
                found = phrase
            elif pronoun != "it" and _is_group(phrase):
                found = phrase
        if found is not None:
            return found
    return None


def _is_body(phrase: tuple[Token, ...], tokens: list[Token], cue: int) -> bool:
    """An organisation speaking: "the magazine", "Microsoft" (said it …), "NATO", "the Harbour Trust"."""
    words = [token for token in phrase if token.is_word]
    if not words or words[0].lower in SUBJECT_PRONOUNS:
        return False
    head = words[-1]
    if head.lower in ORGANISATION_HEADS and head.lower not in _PERSON_HEADS:
        return True
    if any(token.text in NOT_PERSON for token in words if token.capitalised):
        return True
    if len(words) == 1 and head.text.isupper() and len(head.text) > 1:
        return True  # NATO, IBM
    after = tokens[cue + 1] if 0 <= cue < len(tokens) - 1 else None
    return after is not None and after.lower in ("it", "its") and head.capitalised


_PERSON_HEADS = frozenset(("spokesman", "spokeswoman", "spokesperson"))


def _is_group(phrase: tuple[Token, ...]) -> bool:
    """People in the plural: "officials", "the two senators", "Lee and Park"."""
    words = [token for token in phrase if token.is_word]
    if not words or words[0].lower in SUBJECT_PRONOUNS:
        return False
    head = words[-1]
    return any(token.lower in ("and", "&") for token in words) or (head.text.islower() and head.lower.endswith("s") and not head.lower.endswith("ss"))


def _description(appositive: tuple[Token, ...]) -> str | None:
    """An appositive that says what someone is ("a pollster at …", "CNN's anchor"), not what they did."""
    if not appositive or len(appositive) > _DESCRIPTION_WORDS:
        return None
    first = appositive[0]
    if first.lower in DETERMINERS or first.lower in ROLE_WORDS or first.text.endswith(("’s", "'s")):
        words = [token for token in appositive if token.is_word]
        if words and not any(token.lower in SPEECH_VERBS or token.lower in ("who", "which") for token in words):
            return join(appositive)
    return None


def _set_person(draft: _Draft, person: Person, written: str) -> None:
    draft.person = person
    draft.speaker = written
    draft.speaker_name = person.name
    draft.role = person.role or person.description
    draft.speaker_full = person.full


def _describe(draft: _Draft, written: str, descriptions: dict[str, str]) -> None:
    """An anonymous or collective source: "a German government spokeswoman", later "the spokeswoman"."""
    words = written.split()
    head = words[-1].lower()
    if words[0].lower() == "the" and head in descriptions:
        full = descriptions[head]
    else:
        full = written
        descriptions.setdefault(head, written)
    draft.speaker = written
    draft.speaker_full = full
    draft.speaker_name = None
    draft.role = None
