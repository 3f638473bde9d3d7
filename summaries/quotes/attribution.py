"""Who said a quotation: the speech cue near it and the speaker's noun phrase.

The rules read the author's words around a quotation (quotations themselves
masked out) the way a sub-editor does: "…," X said / said X / X said: "…" /
according to X / X said that "…" / X …, saying "…". A noun phrase is taken
up to the cue, never across a clause boundary, with an appositive
("Pat Smith, a pollster,") or a parenthesis ("(D-N.C.)") set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summaries.quotes.lexicon import (
    ADVERBS,
    DETERMINERS,
    DOCUMENT_NOUNS,
    FEMALE_NAMES,
    MALE_NAMES,
    FUNCTION_WORDS,
    HONORIFICS,
    INVERTIBLE,
    LISTENER_VERBS,
    NAME_PARTICLES,
    NOUN_CUES,
    ORGANISATION_HEADS,
    PARTICIPLE_CUES,
    QUANTIFIERS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    SENTENCE_OPENERS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    WEAK_CUES,
)
from summaries.quotes.tokens import STATE_ABBREVIATIONS, Token

_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tonight morning
    afternoon evening night week weekend month year january february march april may june july
    august september october november december earlier later recently""".split()
)
_TIME_PREPOSITIONS = frozenset("on last this late early earlier in at".split())
_PREPOSITION_LINKS = frozenset("of for at from with".split())
_AFTER_SPEAKER = frozenset("in on at during after before from when while who to involved familiar close speaking".split())
_CLAUSE_ENDS = frozenset(".!?;")
ROLE_WORDS = ROLE_HEADS | ROLE_MODIFIERS
_DASHES = frozenset("—–-")
_MAX_NP = 12
_APPOSITIVE_REACH = 30
_AFFILIATION = re.compile(r"^[RDI]-[A-Z]")
_POST_REACH = 14


@dataclass(frozen=True)
class Attribution:
    """A speech cue and the tokens of its speaker's noun phrase."""

    speaker: tuple[Token, ...]
    cue: str
    how: str
    cue_at: int = -1
    appositive: tuple[Token, ...] = ()
    ends_at: int = 0
    cue_start: int = -1  # offset of the cue word in the text

    @property
    def text(self) -> str:
        return join(self.speaker)


def join(tokens: tuple[Token, ...] | list[Token]) -> str:
    """The tokens as written, one space where the text had white space."""
    out: list[str] = []
    previous: Token | None = None
    for token in tokens:
        if previous is not None and token.start > previous.end:
            out.append(" ")
        out.append(token.text)
        previous = token
    return "".join(out)


def is_cue(tokens: list[Token], index: int) -> bool:
    """True when the token at index reports speech (a verb, not the noun "report")."""
    token = tokens[index]
    lower = token.lower
    if lower == "according":
        return index + 1 < len(tokens) and tokens[index + 1].lower == "to"
    if lower in ("put", "puts"):
        # "As Rosenthal put it, "…"", "as she puts it": the idiom reports words.
        return index + 1 < len(tokens) and tokens[index + 1].lower == "it" and (index + 2 >= len(tokens) or tokens[index + 2].text in (",", ":"))
    if lower in _PHRASAL_CUES and token.text.islower() and index + 1 < len(tokens) and tokens[index + 1].lower == _PHRASAL_CUES[lower]:
        return True  # "Rubel pointed out", "she went on"
    if lower not in SPEECH_VERBS or not (token.text.islower() or index == 0):
        return False
    if index > 0:
        previous = tokens[index - 1]
        if previous.lower in DETERMINERS or previous.text.endswith(("’s", "'s")):
            return False  # "the report", "the campaign's statement"
        if lower in NOUN_CUES and index > 1 and tokens[index - 2].lower in DETERMINERS and _modifier(previous):
            return False  # "a snappy retort", "the caustic chant"
    if lower in ("read", "reads") and index > 0 and tokens[index - 1].lower in DOCUMENT_NOUNS:
        return True  # "the letter reads"
    if lower in WEAK_CUES:
        return index + 1 < len(tokens) and tokens[index + 1].text in (":", ",")
    if lower in ("called", "calling"):
        # "called the plan "a shambles"": a cue only with the quotation right after its object.
        following = tokens[index + 1 : index + 5]
        return any(token.is_quote for token in following) or (len(following) < 4 and index + 1 < len(tokens))
    return True


_PHRASAL_CUES = {"pointed": "out", "points": "out", "went": "on", "goes": "on", "shot": "back", "fired": "back", "hit": "back"}


def _modifier(token: Token) -> bool:
    """A lower-case word that can stand between a determiner and a noun ("snappy", "three-year")."""
    return token.is_word and token.text.islower() and token.lower not in FUNCTION_WORDS and token.lower not in ADVERBS and not token.lower.endswith("s")


def after_quote(tokens: list[Token]) -> Attribution | None:
    """An attribution right after the closing mark: '…," X said' or '…," said X'."""
    index = 0
    while index < len(tokens) and tokens[index].text in (",", ";", ":") or index < len(tokens) and tokens[index].text in _DASHES:
        index += 1
    if index >= len(tokens) or tokens[index].text in _CLAUSE_ENDS or tokens[index].is_quote:
        return None
    if is_cue(tokens, index):
        found = _inverted(tokens, index, "after")
        if found is not None:
            return found
    reach = _POST_REACH
    if tokens[index].capitalised and any(token.text == "," for token in tokens[index + 1 : index + 5]):
        reach = _APPOSITIVE_REACH  # "Cecelia Purner, 67, a retired representative in Allentown, Pa., said"
    limit = min(len(tokens), index + reach)
    depth = 0
    for cue in range(index + 1, limit):
        token = tokens[cue]
        depth += (token.text == "(") - (token.text == ")")
        if depth > 0 or token.is_quote:
            continue  # "(R-Fla.)", or a title quoted inside the attribution
        if token.text in _CLAUSE_ENDS:
            return None
        if is_cue(tokens, cue):
            found = _subject(tokens, cue, "after")
            if found is not None and found.speaker and found.speaker[0].start <= tokens[index].start + 1:
                return found
            return None
    return None


def before_quote(tokens: list[Token], sentence_start: bool = True) -> Attribution | None:
    """An attribution before the opening mark: 'X said: "…' or 'X said that "…' or 'according to X, "…'.

    `sentence_start`: the tokens begin where their sentence does (not a window cut inside it).
    """
    for cue in range(len(tokens) - 1, -1, -1):
        token = tokens[cue]
        if token.is_quote and cue < len(tokens) - 3:
            continue
        if not is_cue(tokens, cue):
            continue
        if token.lower == "according":
            return _inverted(tokens, cue, "before")
        if token.lower.endswith("ing") and cue > 0 and (
            tokens[cue - 1].text == "," and token.lower in PARTICIPLE_CUES or tokens[cue - 1].lower in ("by", "before", "after", "while")
        ):
            # "The army …, saying"; "Obama ended his list by saying "…"", "… before asking her, "…"": the clause's subject speaks.
            found = _clause_subject(tokens, cue)
            if found is not None:
                return found
        found = _subject(tokens, cue, "before")
        if found is None and _coordinated(tokens, cue):
            # "Clinton supports …, opposes … and recalled the freeze: "…"": a second verb of the clause's subject
            # (read only when the tokens start where the sentence does).
            return _clause_subject(tokens, cue) if sentence_start else None
        if found is None and token.lower in INVERTIBLE:
            found = _inverted(tokens, cue, "before")
        if found is not None:
            return found
    return None


def colon_subject(tokens: list[Token]) -> Attribution | None:
    """'Sanders delivered a snappy retort: "…"': a named subject whose sentence introduces the quotation with a colon."""
    if len(tokens) < 3 or tokens[-1].text != ":" or any(token.is_quote for token in tokens):
        return None
    subject = clause_subject(tokens[:-1])
    if subject is None or not any(token.capitalised and token.lower not in DETERMINERS and token.text not in SENTENCE_OPENERS for token in subject):
        return None
    if subject[0].lower in SUBJECT_PRONOUNS:
        return None
    return Attribution(subject, "", "colon", -1, (), tokens[-1].end, -1)


def speaker_at(tokens: list[Token], cue: int) -> Attribution | None:
    """The speaker of the cue at index: written before it ("Microsoft said") or after it ("said the magazine")."""
    found = _subject(tokens, cue, "later")
    if found is None and tokens[cue].lower in INVERTIBLE and not _coordinated(tokens, cue):
        found = _inverted(tokens, cue, "later")
    return found


_LABELS = frozenset(
    """update note editor editors correction photo photos source sources read watch related caption video
    transcript summary background headline q a""".split()
)


def roundup_before(tokens: list[Token]) -> Attribution | None:
    """A round-up entry or a quoted tweet: 'Pat Lowe, Harbour Daily: "…"', 'Pat Lowe (@patlowe): "…"'.

    The name (an outlet after a comma, a handle in brackets) stands alone before a colon at the start
    of the sentence, or after a dash that ends a round-up's heading; no verb at all.
    """
    if len(tokens) < 2 or tokens[-1].text != ":":
        return None
    end = len(tokens) - 1
    if tokens[end - 1].text == ")":
        opening = next((at for at in range(end - 2, max(-1, end - 8), -1) if tokens[at].text == "("), None)
        if opening is None:
            return None
        end = opening
    start = end
    while start > 0 and tokens[start - 1].text not in _DASHES and tokens[start - 1].text not in (":", ";") and end - start < 10:
        start -= 1
    if start > 0 and tokens[start - 1].text not in _DASHES:
        return None
    segment = tokens[start:end]
    if segment and segment[0].lower == "more" and len(segment) > 2 and segment[1].lower == "from":
        segment = segment[2:]  # "More from Jones:"
    comma = next((at for at, token in enumerate(segment) if token.text == ","), len(segment))
    name = segment[:comma]
    outlet = segment[comma + 1 :]
    words = [token for token in name if token.is_word]
    if not words or len(words) > 6 or len(words) != len(name):
        return None
    if not all(token.capitalised or token.lower in ("and", "de", "van", "von", "al", "bin") for token in words):
        return None
    if words[0].text in SENTENCE_OPENERS or words[0].lower in _LABELS or all(token.text.isupper() for token in words):
        return None
    if outlet and not all(token.capitalised or not token.is_word or token.lower in ("of", "the", "and") for token in outlet):
        return None
    return Attribution(tuple(name), "", "roundup", -1, tuple(outlet), tokens[-1].end, -1)


_BYLINE_DASHES = frozenset("—–―-")


def byline_after(tokens: list[Token], line_end: int) -> Attribution | None:
    """A quotation signed at the end of its line, as round-ups of readers or pundits print them: '"…" ― Pat Lowe'.

    After the dash the line holds only the name, perhaps with a full stop, or the name then a
    comma and a description ("― Pat Lowe, 34, a nurse in Leeds"); no verb at all.
    """
    if not tokens or tokens[0].text not in _BYLINE_DASHES:
        return None
    line = [token for token in tokens if token.start < line_end]
    index = 0
    while index < len(line) and line[index].text in _BYLINE_DASHES:
        index += 1
    end = next((at for at in range(index, len(line)) if line[at].text == ","), len(line))
    name = line[index:end]
    if end == len(line) and name and name[-1].text == ".":
        name = name[:-1]
    if not name or len(name) > 5 or not all(token.is_word for token in name):
        return None
    if not name[0].capitalised or not all(token.capitalised or token.lower in NAME_PARTICLES for token in name):
        return None
    if name[0].text in SENTENCE_OPENERS or name[0].lower in _LABELS or all(token.text.isupper() for token in name):
        return None
    if any(token.lower in SPEECH_VERBS or token.lower in SUBJECT_PRONOUNS for token in name):
        return None
    description = tuple(line[end + 1 :])
    if any(token.is_quote for token in description):
        return None
    return Attribution(tuple(name), "", "byline", -1, description, line[-1].end, -1)


def later_in_sentence(tokens: list[Token]) -> Attribution | None:
    """A cue further on in the author's sentence: '… "…" to Syria, Putin said.'"""
    for cue in range(len(tokens)):
        if tokens[cue].is_quote:
            continue
        if is_cue(tokens, cue):
            found = _subject(tokens, cue, "later")
            if found is None and tokens[cue].lower in INVERTIBLE and not _coordinated(tokens, cue):
                found = _inverted(tokens, cue, "later")
            if found is not None:
                return found
    return None


def _coordinated(tokens: list[Token], cue: int) -> bool:
    """True for a verb after "and" or "but": its subject came before, what follows it is its object."""
    return cue > 0 and tokens[cue - 1].lower in ("and", "but")


def _cue_text(tokens: list[Token], cue: int) -> tuple[str, int]:
    """The cue as a reader would quote it: "said", "told reporters", "according to"."""
    token = tokens[cue]
    if token.lower == "according":
        return "according to", cue + 2
    if token.lower in LISTENER_VERBS and cue + 1 < len(tokens):
        listener: list[Token] = []
        index = cue + 1
        while index < len(tokens) and len(listener) < 3:
            candidate = tokens[index]
            if not candidate.is_word or candidate.lower in FUNCTION_WORDS and candidate.lower not in ("him", "her", "them", "us", "me"):
                break
            listener.append(candidate)
            index += 1
            if candidate.lower in ("reporters", "journalists", "him", "her", "them", "us", "me"):
                break
        if listener and (index >= len(tokens) or not tokens[index].is_word or tokens[index].lower in FUNCTION_WORDS):
            return token.text + " " + join(listener), index
    return token.text, cue + 1


def _subject(tokens: list[Token], cue: int, how: str) -> Attribution | None:
    """The speaker written before the cue: "Lavrov told", "a spokeswoman said", "he said"."""
    index = cue - 1
    while index >= 0 and _passable(tokens, index):
        index -= 1
    if index < 0:
        return None
    token = tokens[index]
    if token.lower in SUBJECT_PRONOUNS:
        return _found((token,), tokens, cue, how)
    if token.lower == "who" and index >= 2 and tokens[index - 1].text == ",":
        phrase = _noun_phrase_back(tokens, index - 2)
        return _found(phrase, tokens, cue, how) if phrase else None
    if token.text == ",":
        return _subject_before_comma(tokens, index, cue, how)
    if token.text in _DASHES:
        return _subject_before_dashes(tokens, index, cue, how)
    index = _skip_affiliation(tokens, index)
    if index < 0:
        return None
    phrase = _noun_phrase_back(tokens, index)
    if phrase and _after_preposition(tokens, phrase):
        return None  # "the falsehood of a comment suggesting": the object of "of" is no one's subject
    return _found(phrase, tokens, cue, how) if phrase else None


_OBJECT_PREPOSITIONS = frozenset("of for with to from by about against between among toward towards via upon".split())


def _after_preposition(tokens: list[Token], phrase: tuple[Token, ...]) -> bool:
    """True when a phrase is the object of a preposition ("of a comment"), "according to" aside."""
    at = next((index for index, token in enumerate(tokens) if token.start == phrase[0].start), 0)
    if at == 0 or tokens[at - 1].lower not in _OBJECT_PREPOSITIONS:
        return False
    return not (at > 1 and tokens[at - 2].lower == "according")


def _subject_before_dashes(tokens: list[Token], dash: int, cue: int, how: str) -> Attribution | None:
    """'John Dickey, chief executive of Ora Media -- the company that owns it -- told me': the dashes set an aside apart.

    Read as if the aside were not there and a comma stood in its place.
    """
    close = dash
    while close > 0 and tokens[close - 1].text in _DASHES:
        close -= 1
    opening = None
    for back in range(close - 1, max(-1, close - _APPOSITIVE_REACH), -1):
        if tokens[back].is_quote or tokens[back].text in _CLAUSE_ENDS:
            return None
        if tokens[back].text in _DASHES and not (tokens[back - 1].end == tokens[back].start and tokens[back].end == tokens[back + 1].start):
            opening = back
            break
    if opening is None:
        return None
    while opening > 0 and tokens[opening - 1].text in _DASHES:
        opening -= 1
    if opening == 0 or not tokens[opening - 1].is_word:
        return None
    comma = Token(",", tokens[opening].start, tokens[opening].start + 1, ",")
    for stand_in in ([comma], []):  # "X, a role -- aside -- said", else "The mayor -- aside -- said"
        reread = [*tokens[:opening], *stand_in, *tokens[dash + 1 :]]
        moved = cue - (dash + 1) + opening + len(stand_in)
        found = _subject(reread, moved, how)
        if found is not None and found.cue_at == moved:
            return Attribution(found.speaker, found.cue, found.how, cue, found.appositive, found.ends_at, found.cue_start)
    return None


def _skip_affiliation(tokens: list[Token], index: int) -> int:
    """Step left over "(D-N.C.)" or "R-Ill." after a name."""
    if index >= 0 and tokens[index].text == ")":
        while index >= 0 and tokens[index].text != "(":
            index -= 1
        index -= 1
    elif index >= 0 and _AFFILIATION.match(tokens[index].text):
        index -= 1
        if index >= 0 and tokens[index].text == ",":
            index -= 1
    return index


def _subject_before_comma(tokens: list[Token], comma: int, cue: int, how: str) -> Attribution | None:
    """'Pat Smith, a pollster, said' (the name before the appositive) or 'Gov. Kasich (R-OH), said'."""
    if how == "after":
        opening = _name_opening_attribution(tokens, comma)
        if opening is not None:
            return _found(opening[0], tokens, cue, how, tuple(tokens[opening[1] + 1 : comma]))
    late_end = _skip_affiliation(tokens, comma - 1)
    opening = _previous_comma(tokens, comma)
    late = _noun_phrase_back(tokens, late_end) if late_end >= 0 else ()
    if opening is not None:
        early = _noun_phrase_back(tokens, _skip_affiliation(tokens, opening - 1))
        if early and _after_link(tokens, early):
            early = ()  # "the Secretary of State for the Family, Theresa May, said": "the Family" is a fragment
        named = _name_before_appositive(tokens, early)
        if named is not None:
            # "Scott Pruitt, the attorney general of Oklahoma, one of the states suing, said": two appositives.
            return _found(named[0], tokens, cue, how, tuple(tokens[named[1] + 1 : comma]))
        if early and early[-1].capitalised and early[-1].text not in SENTENCE_OPENERS and (not late or not _is_name_end(late, tokens, late_end)):
            return _found(early, tokens, cue, how, tuple(tokens[opening + 1 : comma]))
    if late and _has_name(late) and late_end != comma - 1:
        return _found(late, tokens, cue, how)
    if late and _has_name(late) and (late[0].start == tokens[0].start or _starts_clause(tokens, late)):
        return _found(late, tokens, cue, how)
    return None


def _name_opening_attribution(tokens: list[Token], comma: int) -> tuple[tuple[Token, ...], int] | None:
    """'…," Mr. Daniloff, now 81 and retired in Cambridge, Mass., said': the name right after the quotation, however many commas follow it."""
    first = 0
    while first < len(tokens) and not tokens[first].is_word:
        first += 1
    if first >= comma:
        return None
    for at in range(first + 1, comma):
        token = tokens[at]
        if token.is_quote or token.text in _CLAUSE_ENDS:
            return None
        if token.text != ",":
            continue
        name = _noun_phrase_back(tokens, _skip_affiliation(tokens, at - 1))
        if not name or name[0].start != tokens[first].start:
            return None
        words = [token for token in name if token.is_word]
        if all(token.capitalised for token in words) and len(words) >= 2 and words[-1].text not in SENTENCE_OPENERS and at < comma:
            return name, at
        return None
    return None


def _name_before_appositive(tokens: list[Token], phrase: tuple[Token, ...]) -> tuple[tuple[Token, ...], int] | None:
    """The bare name before a comma that opens an appositive phrase, and that comma's index, if there is one."""
    if not phrase or not (phrase[0].lower in DETERMINERS or phrase[0].text.islower()):
        return None
    at = next((index for index, token in enumerate(tokens) if token.start == phrase[0].start), 0)
    if at < 2 or tokens[at - 1].text != ",":
        return None
    name = _noun_phrase_back(tokens, _skip_affiliation(tokens, at - 2))
    if not name or not all(token.capitalised for token in name if token.is_word) or name[-1].text in SENTENCE_OPENERS:
        return None
    if not _starts_clause(tokens, name) or len([token for token in name if token.is_word]) < 2:
        return None
    return name, at - 1


def _after_link(tokens: list[Token], phrase: tuple[Token, ...]) -> bool:
    """True when a phrase is the object of a preposition, the tail of a longer phrase ("… of the Family")."""
    at = next((index for index, token in enumerate(tokens) if token.start == phrase[0].start), 0)
    if at > 0 and tokens[at - 1].lower == "as" and (at == 1 or tokens[at - 2].text in (",", ";", ":")):
        return False  # "As Rosenthal, a tax lawyer, put it": "as" opens the clause, it links nothing
    return at > 0 and tokens[at - 1].lower in FUNCTION_WORDS and tokens[at - 1].lower not in ("and", "but", "or", "so", "yet", "while", "when")


def _is_name_end(phrase: tuple[Token, ...], tokens: list[Token], end: int) -> bool:
    """True when a phrase before a comma is a bare name standing as the subject (not an appositive)."""
    return all(token.capitalised for token in phrase if token.is_word) and _starts_clause(tokens, phrase)


def _starts_clause(tokens: list[Token], phrase: tuple[Token, ...]) -> bool:
    at = next((index for index, token in enumerate(tokens) if token.start == phrase[0].start), 0)
    return at == 0 or tokens[at - 1].text in (",", ";", ":") or tokens[at - 1].is_quote or tokens[at - 1].text in _DASHES


def _passable(tokens: list[Token], index: int) -> bool:
    """Words between a speaker and the verb: "later", "has", "on Friday"."""
    token = tokens[index]
    lower = token.lower
    if not token.is_word:
        return False
    if lower in ADVERBS or (token.text.islower() and lower.endswith("ly") and len(lower) > 4):
        return True
    if lower in _TIME_WORDS and index > 0 and tokens[index - 1].lower in _TIME_PREPOSITIONS:
        return True
    if lower == "quoted" or (lower == "as" and index > 0 and tokens[index - 1].lower == "quoted"):
        return True  # "is quoted as saying"
    if lower == "and" and index > 0 and tokens[index - 1].text.islower() and tokens[index - 1].lower.endswith(("ed", "s")):
        return True  # "smiled and said"
    if index + 1 < len(tokens) and tokens[index + 1].lower == "and" and token.text.islower() and lower.endswith(("ed", "s")) and lower not in FUNCTION_WORDS:
        return index > 0 and (tokens[index - 1].is_word and (tokens[index - 1].capitalised or tokens[index - 1].lower in SUBJECT_PRONOUNS))
    return lower in _TIME_PREPOSITIONS and index + 1 < len(tokens) and tokens[index + 1].lower in _TIME_WORDS


def _previous_comma(tokens: list[Token], index: int) -> int | None:
    for back in range(index - 1, max(-1, index - _APPOSITIVE_REACH), -1):
        token = tokens[back]
        if token.text == ",":
            return back
        if token.is_quote or token.text in _CLAUSE_ENDS:
            return None
    return None


def _noun_phrase_back(tokens: list[Token], index: int) -> tuple[Token, ...]:
    """The noun phrase ending at index, read leftwards: "a spokesman for the State Department"."""
    taken: list[Token] = []
    while index >= 0 and len(taken) < _MAX_NP:
        token = tokens[index]
        lower = token.lower
        if token.is_quote:
            break
        if token.is_word:
            if lower in DETERMINERS:
                if taken and not (token.capitalised and lower == "that"):
                    taken.append(token)
                    if index >= 2 and tokens[index - 1].lower in _PREPOSITION_LINKS and (
                        tokens[index - 2].capitalised and tokens[index - 2].is_word or tokens[index - 2].lower in ROLE_HEADS
                    ):
                        # "Mr. Morgan of the Sierra Club", "a spokesman for the State Department": one phrase
                        taken.append(tokens[index - 1])
                        index -= 2
                        continue
                break
            if token.capitalised:
                if token.text in SENTENCE_OPENERS and lower.rstrip(".") not in HONORIFICS and not _inside_name(tokens, index) and not _surname_after_first_name(tokens, index, taken):
                    break
                taken.append(token)
            elif lower in _PREPOSITION_LINKS and taken and index > 0 and _joins_noun(tokens[index - 1]):
                taken.append(token)
            elif lower in FUNCTION_WORDS or lower in ADVERBS or lower in SPEECH_VERBS and not (index > 0 and tokens[index - 1].lower == "of"):
                break  # "secretary of state": a noun after "of", not the verb
            else:
                taken.append(token)
        elif token.text in _DASHES and taken and token.end == taken[-1].start and index > 0 and tokens[index - 1].end == token.start:
            taken.append(token)  # U.S.-led
        elif token.text == "&" and taken:
            taken.append(token)
        else:
            break
        index -= 1
    taken.reverse()
    if taken and index >= 1 and tokens[index].lower in ("and", "&") and taken[0].text.islower() and tokens[index - 1].is_word:
        # "chairman and chief executive Richard Parsons", "the former secretary of state and current … nominee": one role.
        more = _noun_phrase_back(tokens, index - 1)
        lower = [token for token in more if token.is_word and token.lower not in DETERMINERS]
        if lower and all(token.text.islower() for token in lower) and any(token.lower in ROLE_HEADS for token in lower):
            return (*more, tokens[index], *taken)
    first = index if taken and tokens[index].start == taken[0].start else index + 1
    if taken and first >= 2 and tokens[first - 1].lower == "of" and tokens[first - 2].lower in QUANTIFIERS:
        # "one of her male colleagues called …": the one, not all of them
        more = [tokens[first - 2]]
        if first >= 3 and tokens[first - 3].lower in DETERMINERS and tokens[first - 3].lower != tokens[first - 2].lower:
            more.insert(0, tokens[first - 3])
        return (*more, tokens[first - 1], *taken)
    if taken and index >= 1 and tokens[index].lower in ("and", "&") and _joins_noun(tokens[index - 1]) and not tokens[index - 1].is_quote:
        # "the Commons science and technology committee": "and" between two modifiers of one head.
        head = taken[-1].lower
        if (head in ORGANISATION_HEADS or head in ROLE_HEADS) and len(taken) <= 3 and tokens[index - 1].lower not in SUBJECT_PRONOUNS:
            more = _noun_phrase_back(tokens, index - 1)
            if more and (more[0].lower in DETERMINERS or more[0].capitalised or len(more) == 1):
                return (*more, tokens[index], *taken)
        if all(token.capitalised for token in taken) and tokens[index - 1].capitalised:
            # "Ida Brenner and Tom Okafor said": two named speakers, not the second alone.
            more = _noun_phrase_back(tokens, index - 1)
            at = next((position for position, token in enumerate(tokens) if more and token.start == more[0].start), 0)
            listed = at > 0 and tokens[at - 1].text == ","  # "…, Patti LaBelle and Stevie Wonder, who joked": a list's last one
            if more and not listed and all(token.capitalised for token in more if token.is_word) and more[-1].text not in SENTENCE_OPENERS:
                return (*more, tokens[index], *taken)
    while taken and ((taken[0].lower in FUNCTION_WORDS and not _acronym(taken[0])) or not taken[0].is_word):
        taken.pop(0)  # "in", "as", but not "US" of "US Senator Jeff Sessions"
    return tuple(taken)


def _acronym(token: Token) -> bool:
    return len(token.text) > 1 and token.text.isupper()


def _surname_after_first_name(tokens: list[Token], index: int, taken: list[Token]) -> bool:
    """A surname that is also a common word ("Theresa May", "Ann Will"): after a first name it is a name."""
    if taken or index == 0:
        return False
    before = tokens[index - 1]
    return before.is_word and before.capitalised and (before.lower in FEMALE_NAMES or before.lower in MALE_NAMES)


def _inside_name(tokens: list[Token], index: int) -> bool:
    """True for an opener word between capitalised words: "CBS This Morning"."""
    if index == 0 or index + 1 >= len(tokens):
        return False
    before, after = tokens[index - 1], tokens[index + 1]
    return before.is_word and before.capitalised and before.text not in SENTENCE_OPENERS and after.is_word and after.capitalised


def _joins_noun(token: Token) -> bool:
    lower = token.lower
    return token.is_word and lower not in FUNCTION_WORDS and lower not in DETERMINERS and lower not in SPEECH_VERBS


def _inverted(tokens: list[Token], cue: int, how: str) -> Attribution | None:
    """The speaker written after the cue: "said Caddell", "according to a spokeswoman"."""
    cue_text, index = _cue_text(tokens, cue)
    if tokens[cue].lower != "according":
        index = cue + 1
    while index < len(tokens) and tokens[index].text == ",":
        index += 1
    taken: list[Token] = []
    linked = False
    while index < len(tokens) and len(taken) < _MAX_NP:
        token = tokens[index]
        lower = token.lower
        if not token.is_word:
            if token.text in _DASHES and taken and token.start == taken[-1].end:
                taken.append(token)
                index += 1
                continue
            break
        if lower in DETERMINERS:
            if taken and not linked:
                break
            taken.append(token)
        elif lower in _PREPOSITION_LINKS and taken and not linked:
            linked = True
            taken.append(token)
        elif lower == "of" and linked and taken[-1].capitalised and index + 1 < len(tokens) and tokens[index + 1].capitalised:
            taken.append(token)  # "of the University of Texas School of Law"
        elif token.capitalised:
            if token.text in SENTENCE_OPENERS and lower.rstrip(".") not in HONORIFICS and lower not in DETERMINERS:
                break
            taken.append(token)
        elif lower in FUNCTION_WORDS or lower in SPEECH_VERBS:
            break
        elif taken and taken[-1].capitalised and not linked and lower not in ROLE_WORDS and not _description_goes_on(tokens, index, taken):
            break  # "said Democratic pollster Stan Greenberg" is fine, "said Trump would" is not
        else:
            taken.append(token)
        index += 1
    while taken and (taken[-1].lower in _PREPOSITION_LINKS or taken[-1].lower in DETERMINERS):
        taken.pop()
        index -= 1
    if not taken or taken[-1].lower in DETERMINERS:
        return None
    if index < len(tokens):
        following = tokens[index]
        if following.is_word and following.lower not in _AFTER_SPEAKER:
            return None
    if not _has_name(tuple(taken)) and taken[0].lower not in DETERMINERS and taken[0].lower not in SUBJECT_PRONOUNS:
        return None
    appositive: tuple[Token, ...] = ()
    if index < len(tokens) and tokens[index].text == "(":
        while index < len(tokens) and tokens[index].text != ")":
            index += 1
        index += 1
    if index + 1 < len(tokens) and tokens[index].text == ",":
        start = index + 1
        end = start
        while end < len(tokens) and tokens[end].text not in (",", ".", ";", "!", "?") and not tokens[end].is_quote:
            end += 1
        phrase = tokens[start:end]
        if phrase and (phrase[0].text.islower() or phrase[0].lower in DETERMINERS) and phrase[0].lower not in ("who", "which", "that") and not phrase[0].lower.endswith("ing"):
            appositive = tuple(phrase)
    return Attribution(tuple(taken), cue_text, how, cue, appositive, tokens[index - 1].end if index > 0 else 0, tokens[cue].start)


_PARTICLES = frozenset("de van von der den da di du del la le bin ibn al el".split())


def _description_goes_on(tokens: list[Token], index: int, taken: list[Token]) -> bool:
    """Lower-case words after a capitalised one that still describe the speaker.

    "said Pierre de Vos" (a particle), "said Idaho supplement executive Frank Vance" (a role
    before a name), "said a Trump supporter who …", "said one former GOP leadership aide."
    """
    token = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if token.lower in _PARTICLES:
        return following is not None and following.is_word and following.capitalised
    run = index
    while run < len(tokens) and run - index < 3 and tokens[run].is_word and tokens[run].text.islower() and tokens[run].lower not in FUNCTION_WORDS and tokens[run].lower not in SPEECH_VERBS and not tokens[run].lower.endswith(("ed", "ing")):
        run += 1
    if run == index:
        return False
    last = tokens[run - 1].lower
    after = tokens[run] if run < len(tokens) else None
    if after is not None and after.is_word and after.capitalised and after.text not in SENTENCE_OPENERS and (
        last in ROLE_HEADS or run - index <= 2 and _named_after(tokens, run)
    ):
        return True  # a role, then the name: "said Virginia delegate Beau Correll"
    described = taken[0].lower in DETERMINERS and (last in ROLE_HEADS or last in _PLURAL_SOURCES or last in _PEOPLE_NOUNS)
    return described and (after is None or not after.is_word or after.lower in _AFTER_SPEAKER or after.lower in ("who", "of", "for", "with"))


def _named_after(tokens: list[Token], start: int) -> bool:
    """True when a person's name of two capitalised words or more starts at start and ends the phrase."""
    end = start
    while end < len(tokens) and tokens[end].is_word and tokens[end].capitalised and tokens[end].text not in SENTENCE_OPENERS:
        end += 1
    following = tokens[end] if end < len(tokens) else None
    return end - start >= 2 and (following is None or not following.is_word or following.lower in _AFTER_SPEAKER)


_PEOPLE_NOUNS = frozenset("supporter voter resident member aide official worker student teacher parent owner fan critic donor".split())


def _clause_subject(tokens: list[Token], cue: int) -> Attribution | None:
    """The subject of the clause a participle hangs from: "The army …, saying"; "On Sunday, Carson …, writing"."""
    found = clause_subject(tokens[:cue])
    if found is None:
        return None
    cue_text, _ = _cue_text(tokens, cue)
    return Attribution(found, cue_text, "before", cue, (), tokens[cue].end, tokens[cue].start)


def clause_subject(tokens: list[Token]) -> tuple[Token, ...] | None:
    """The noun phrase a sentence's main clause opens with, intro phrases ("On Friday,") passed over."""
    segment_start = 0
    while segment_start < len(tokens):
        segment_end = next((at for at in range(segment_start, len(tokens)) if tokens[at].text in (",", ":", ";")), len(tokens))
        phrase, after = _leading_phrase(tokens, segment_start, segment_end)
        if phrase and after < segment_end:
            return phrase
        if phrase and segment_start == 0 and segment_end < len(tokens) and tokens[segment_end].text == ",":
            if all(token.capitalised for token in phrase) and phrase[0].lower not in DETERMINERS:
                return phrase  # "Nora Vidal, the harbour engineer, said …"
        segment_start = segment_end + 1
    return None


def _leading_phrase(tokens: list[Token], start: int, end: int) -> tuple[tuple[Token, ...], int]:
    """The noun phrase at the start of a comma-separated segment, and where it stops."""
    index = start
    taken: list[Token] = []
    while index < end and len(taken) < _MAX_NP:
        token = tokens[index]
        lower = token.lower
        if token.is_quote or not token.is_word:
            break
        if lower in SUBJECT_PRONOUNS:
            if not taken:
                taken.append(token)
                index += 1
            break
        if (
            lower == "of" and taken and all(word.capitalised for word in taken) and taken[-1].lower in ROLE_HEADS
            and index + 1 < end and tokens[index + 1].capitalised
        ):
            taken.append(token)  # "Secretary of State John Kerry", "Mayor of Port Silver Grace Lindqvist"
            index += 1
            continue
        if lower in FUNCTION_WORDS or lower in ADVERBS or lower in SPEECH_VERBS:
            break
        if token.capitalised and token.text in SENTENCE_OPENERS and lower not in DETERMINERS and not taken:
            break
        if token.text.islower() and lower not in DETERMINERS:
            if taken and taken[-1].capitalised and taken[0].lower not in DETERMINERS and lower not in ROLE_WORDS:
                break  # "Carson shared": the verb after a name
            if lower.endswith("ed") and taken:
                break
        taken.append(token)
        index += 1
    if not taken or (len(taken) == 1 and taken[0].lower in DETERMINERS):
        return (), start
    if not any(token.capitalised or token.lower in SUBJECT_PRONOUNS for token in taken) and taken[0].lower not in DETERMINERS:
        return (), start
    return tuple(taken), index


def _found(phrase: tuple[Token, ...], tokens: list[Token], cue: int, how: str, appositive: tuple[Token, ...] = ()) -> Attribution | None:
    if not phrase or len(phrase) == 1 and phrase[0].lower.rstrip(".") in STATE_ABBREVIATIONS and phrase[0].text.endswith("."):
        return None  # "…, of Alexandria, Va., said": a state is where the speaker lives, not who spoke
    if len(phrase) == 1 and phrase[0].text.islower() and phrase[0].lower not in SUBJECT_PRONOUNS and phrase[0].lower not in _PLURAL_SOURCES:
        return None  # "officials said" yes; "policy said" no
    cue_text, end = _cue_text(tokens, cue)
    return Attribution(phrase, cue_text, how, cue, appositive, tokens[end - 1].end, tokens[cue].start)


_PLURAL_SOURCES = frozenset(
    """officials sources aides advisers advisors analysts experts critics supporters voters residents
    witnesses police authorities prosecutors investigators lawyers attorneys observers diplomats
    protesters demonstrators organizers organisers officers doctors economists democrats republicans
    spokesman spokeswoman spokesperson officials leaders members people""".split()
)


def _has_name(phrase: tuple[Token, ...]) -> bool:
    return any(token.capitalised and token.text not in SENTENCE_OPENERS for token in phrase)
