"""The people and organisations an article names: full names, roles, gender, and who a pronoun stands for."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from dataclasses import dataclass, field

from summaries.quotes.lexicon import (
    FEMALE_NAMES,
    FEMALE_ROLES,
    HONORIFICS,
    MALE_NAMES,
    MALE_ROLES,
    NAME_PARTICLES,
    NOT_PERSON,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    ROLE_TITLES,
    SENTENCE_OPENERS,
    SPEECH_VERBS,
    SUFFIXES,
    TITLES,
)

# Capitalised words in a row, short lower-case words allowed between them (cut again below
# unless they are name particles: "Bashar al Assad" stays whole, "Bank of America" does not).
_RUN = re.compile(r"[A-Z][\w’'.\-]*(?: (?:[a-z]{2,4} )?[A-Z][\w’'.\-]*)*")
_ABBREVIATED = frozenset("mr mrs ms dr sen rep gov lt gen col maj capt sgt adm rev prof jr sr st".split())
# The lower-case word after a name: "Lavrov told", "Trump later said".
_WORD_AFTER = re.compile(r" (?:(?:also|later|then|has|had|once|again) )?([a-z]+)\b")
_CUES_BEFORE_NAME = ("said ", "says ", "writes ", "wrote ", "added ", "asked ")
_POSSESSIVE = re.compile(r"[’']s?$")
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:an|ian|ish|ese|i|ch|ic)$")
_PRONOUN_WINDOW = 3000
_PRONOUN_SENTENCES = 8
_VOTE_REACH = 150
# Someone unnamed: "the woman", "his wife", "a mother of three".
_UNNAMED_PERSON = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Oo]ur)\s+(?:[a-z\-]+\s+)?([a-z]+)\b")
_FEMALE_NOUNS = frozenset("woman wife mother daughter sister girl grandmother widow lady aunt niece girlfriend".split())
_MALE_NOUNS = frozenset("man husband father son brother boy grandfather widower gentleman uncle nephew boyfriend".split())
# What is left of a sentence inside a quotation once the quotation is masked: the mask, space, a quote mark.
_QUOTED_ONLY = "\x01 \t\n\"'“”‘’«»„.,"
# He, his, himself, she, her, hers, herself as whole words ("him" is left out: see _learn_gender); the set
# decides. The pattern opens with a character class so the scan skips to an h or an s, and the lookbehind
# then asks for the word's start (a leading \b would make the engine try every position).
_GENDERED = re.compile(r"[HhSs](?<!\w.)(?:e|is|imself|er|ers|erself|he)\b")
_PRONOUN_FORMS = {"he": False, "his": False, "himself": False, "she": True, "her": True, "hers": True, "herself": True}
_PRONOUN_GENDER = {"he": "m", "she": "f"}
_GENDERED_ROLES = FEMALE_ROLES | MALE_ROLES
_LEADING_PRONOUN = re.compile(r"[\W\x01]*(?:(?:[A-Z][\w’']*\s+){0,6}[\w’']*,\s+)?(he|she|He|She)\b")
_WORDS = re.compile(r"[^\W\d_][\w’'\-]*")
# The pronoun of an appositive right after a name: "Donald Trump, her Republican opponent".
_APPOSITIVE_POSSESSIVE = re.compile(r"[’']?s?,\s+(?:his|her)\b", re.IGNORECASE)
# A name after one of these words is an object ("a meeting hosted by X", "talks with X"), not who the
# sentence is about: a "he said" in or after that sentence is not X.
_OBLIQUE_WORDS = frozenset(
    "by with to for from against of about than met meets thanked criticised criticized attacked praised visited like".split()
)
# "Trade and Industry Secretary …", "Secretary of State for Health …": the role's first words, before the run.
_ROLE_JOINED = re.compile(r"(?:^|(?<=[\s(]))((?:[A-Z][\w’'\-]*\s+)+(?:and|of|for|&)\s+)$")


@dataclass(eq=False)
class Person:
    """Someone (or some body) the article names."""

    name: str
    role: str | None = None
    gender: str = ""
    person: bool = True
    words: frozenset[str] = field(default_factory=frozenset)
    sure: bool = False  # gender from a title or honorific, not guessed from a first name
    description: str | None = None  # an appositive: "a pollster at Harbour Research"

    @property
    def full(self) -> str:
        """The name as a newspaper gives it at first mention: "Russian Foreign Minister Sergei Lavrov",
        or with the description after it: "Pat Smith, a pollster at Harbour Research"."""
        if self.role:
            return f"{self.role} {self.name}"
        return f"{self.name}, {self.description}" if self.description else self.name

    @property
    def key(self) -> str:
        """One identity across articles: the full name lower-cased, without honorifics and suffixes ("sergei lavrov")."""
        words = [word for word in self.name.split() if word not in SUFFIXES and word.lower() not in HONORIFICS]
        return " ".join(words or self.name.split()).lower().strip(".")

    @property
    def short(self) -> str:
        parts = [part for part in self.name.split() if part not in SUFFIXES]
        return parts[-1] if parts else self.name


@dataclass(frozen=True)
class NameParts:
    """A capitalised run split into role and name ("Russian Foreign Minister" + "Sergei Lavrov")."""

    role: tuple[str, ...]
    name: tuple[str, ...]
    gender: str = ""
    sure: bool = False  # the gender comes from an honorific or a title


def split_name(words: Sequence[str]) -> NameParts:
    """Separate leading titles and honorifics from a name."""
    return _split_name(tuple(words))


@lru_cache(maxsize=4096)
def _split_name(given: tuple[str, ...]) -> NameParts:
    words = [*given[:-1], _without_possessive(given[-1])] if given else []
    while words and words[0] in SENTENCE_OPENERS and words[0].lower().rstrip(".") not in HONORIFICS:
        words = words[1:]
    gender = ""
    role: list[str] = []
    index = 0
    while index < len(words) - 1:
        word = words[index]
        lower = word.lower()
        if lower in HONORIFICS:
            gender = HONORIFICS[lower] or gender
            index += 1
            continue
        following = words[index + 1].lower()
        if lower in TITLES or (_NATIONALITY.match(word) and (following in TITLES or following in ROLE_HEADS)):
            role.append(word)
            index += 1
            continue
        break
    # "Harbour Minister Jana Kovac": a title further on ends the role there, if a name follows it.
    for later in range(len(words) - 2, index - 1, -1):
        if words[later].lower() in ROLE_TITLES and not any(word.lower() in TITLES for word in words[later + 1 :]):
            role = [word for word in words[:later + 1] if word.lower() not in HONORIFICS]
            index = later + 1
            break
    name = tuple(word for word in words[index:] if word)
    if name and name[-1].lower() in TITLES and len(name) == 1:
        return NameParts(tuple(role) + name, (), gender, bool(gender))
    role_lower = {word.lower() for word in role}
    if not gender:
        gender = "f" if role_lower & FEMALE_ROLES else "m" if role_lower & MALE_ROLES else ""
    sure = bool(gender)
    if not gender and name:
        first = name[0].lower()
        gender = "m" if first in MALE_NAMES else "f" if first in FEMALE_NAMES else ""
    return NameParts(tuple(role), name, gender, sure)


def _without_possessive(word: str) -> str:
    """Trump’s, Trump' → Trump."""
    if word.endswith(("’s", "'s")):
        return word[:-2]
    return word[:-1] if word.endswith(("’", "'")) else word


def _runs(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """Runs of capitalised words as (start, end, words), cut at a sentence's full stop."""
    for match in _RUN.finditer(text):
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "’'-."):
            continue  # the middle of a word: "iPhone", "al-Assad"
        run = match.group()
        if " " not in run and not run.endswith("."):
            yield start, match.end(), [run]
            continue
        words: list[str] = []
        position = start
        for word in run.split(" "):
            after = position + len(word) + 1
            if word[0].islower() and word not in NAME_PARTICLES:
                if words:
                    yield start, position - 1, words
                words, start = [], after
            elif word.endswith(".") and len(word) > 2 and word[-3] != "." and word[:-1].lower() not in _ABBREVIATED:
                words.append(word[:-1])  # "Trump." ends a sentence
                yield start, after - 2, words
                words, start = [], after
            else:
                words.append(word)
            position = after
        if words:
            yield start, match.end(), words


def _is_opener(word: str) -> bool:
    return word in SENTENCE_OPENERS and word.lower() not in HONORIFICS


def _in_headline(text: str, position: int, seen: dict[int, bool]) -> bool:
    """True inside a Title Case line (a headline, a section head), whose capitals say nothing of names."""
    start = text.rfind("\n", 0, position) + 1
    if start not in seen:
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        verdict = False
        if end - start < 250:
            long_words = [word for word in _WORDS.findall(text, start, end) if len(word) > 3]
            verdict = len(long_words) >= 3 and sum(word[0].isupper() for word in long_words) >= 0.9 * len(long_words)
        seen[start] = verdict
    return seen[start]


def looks_like_person(name: tuple[str, ...], role: tuple[str, ...] = (), gender: str = "") -> bool:
    """True when a name reads as a person's rather than a place's or an organisation's."""
    if not name or any(word in NOT_PERSON for word in name):
        return False
    if gender or role:
        return True
    first = name[0].lower()
    return len(name) >= 2 and (first in MALE_NAMES or first in FEMALE_NAMES or all(_namelike(word) for word in name))


def _namelike(word: str) -> bool:
    # Jim, McGurk, O’Neill, G.K.; not U.S. or NATO.
    return word[0].isupper() and (any(char.islower() for char in word) or (len(word) == 2 and word.endswith(".")))


def _only_a_role(text: str) -> bool:
    """True for what may stand before a name that opens its sentence: nothing, or its role ("Port director", "The")."""
    return all(word[0].isupper() or word.lower() in ROLE_HEADS or word.lower() in ROLE_MODIFIERS for word in text.split())


class People:
    """The named people of one article, their mentions in order, and who a pronoun stands for."""

    def __init__(self, text: str, sentence_starts: list[int] | None = None) -> None:
        self.text = text
        self.persons: list[Person] = []
        self._starts = sentence_starts or [0]
        self._by_word: dict[str, list[Person]] = {}
        self._positions: list[int] = []
        self._mentioned: list[Person] = []
        self._last_seen: dict[int, int] = {}
        self._subjects: dict[int, tuple[int, Person]] = {}
        self._ends: dict[int, int] = {}
        self._obliques: set[int] = set()
        # A lone sentence opener ("The", "But", "He") is never a name: split_name would leave nothing of it.
        runs = [run for run in _runs(text) if len(run[2]) > 1 or not _is_opener(run[2][0])]
        # Names seen speaking ("Lavrov told", "said Lavrov"): a lone surname of theirs is a person.
        self._speaker_words: set[str] = set()
        for start, end, run in runs:
            following = _WORD_AFTER.match(text, end)
            if following and following.group(1) in SPEECH_VERBS or text.endswith(_CUES_BEFORE_NAME, max(0, start - 7), start):
                last = run[-1]
                if last not in SENTENCE_OPENERS:
                    self._speaker_words.add(_without_possessive(last).lower())
        headlines: dict[int, bool] = {}
        for start, end, run in runs:
            if len(run) > 1 and _in_headline(text, start, headlines):
                continue
            if len(run) == 1:
                # One word: only a name already known (or seen speaking) is a mention.
                word = _without_possessive(run[0]).lower()
                if word not in self._by_word and word not in self._speaker_words:
                    continue
            self._read_run(start, end, run)
        self._learn_gender()
        self._pronoun_led: dict[int, str] = {}

    def _read_run(self, position: int, end: int, words: list[str]) -> None:
        parts = split_name(words)
        name = parts.name
        if not name:
            return
        role = " ".join(parts.role) or self._role_before(position) if parts.role or len(name) >= 2 else None
        if parts.role and role:
            joined = _ROLE_JOINED.search(self.text, max(0, position - 60), position)
            lead = joined.group(1).split() if joined else []
            while lead and lead[0] in SENTENCE_OPENERS:
                lead.pop(0)  # "The Trade and …"
            if len(lead) >= 2:
                role = " ".join(lead) + " " + role  # "Trade and" + "Industry Secretary"
        if len(name) >= 2 and looks_like_person(name, parts.role, parts.gender):
            person = self._find(name, position)
            if person is None or len(person.name.split()) < len(name):
                person = self.add(name, role or None, parts.gender, existing=person)
            elif role and not person.role:
                person.role = role
            if parts.sure and not person.sure:
                person.gender, person.sure = parts.gender, True
            self._mention(position, person, end)
            return
        person = self._find(name, position)
        titled = bool(parts.role or parts.gender)  # "President Obama", "Mr. Trump": a title makes a surname a person
        if person is None and len(name) == 1 and (titled or name[0].lower() in self._speaker_words) and name[0] not in NOT_PERSON:
            person = self.add(name, role or None, parts.gender)
        if person is not None:
            if parts.sure and not person.sure:
                person.gender, person.sure = parts.gender, True
            elif parts.gender and not person.gender:
                person.gender = parts.gender
            self._mention(position, person, end)

    def _role_before(self, position: int) -> str | None:
        """A lower-case role right before a name: "White House press secretary" Josh Earnest."""
        window = self.text[max(0, position - 80) : position]
        words = window.split()
        if not words or words[-1].lower() not in ROLE_HEADS:
            return None
        taken: list[str] = []
        for word in reversed(words[-5:]):
            lower = word.lower()
            if not word[:1].isalpha() or word[-1] in ",.;:" or word in SENTENCE_OPENERS:
                break
            if word[0].islower() and lower not in ROLE_HEADS and lower not in TITLES and lower not in ROLE_MODIFIERS:
                break
            taken.append(word)
        return " ".join(reversed(taken)) or None

    def _learn_gender(self) -> None:
        """He or she: the first pronoun after a name, before any other name, votes for its gender."""
        # "him" is an object, most often someone else's ("Smith scolded him"): it does not vote.
        pronouns = [
            (match.start(), _PRONOUN_FORMS[form])
            for match in _GENDERED.finditer(self.text)
            if (form := match.group().lower()) in _PRONOUN_FORMS
        ]
        if not pronouns:
            return
        at = [position for position, _ in pronouns]
        votes: dict[int, list[int]] = {}
        shared = self._shared_surnames()
        for index, (position, person) in enumerate(zip(self._positions, self._mentioned)):
            if person.sure:
                continue
            end = self._ends.get(position, position)
            if shared and " " not in self.text[position:end] and _without_possessive(self.text[position:end]).lower() in shared:
                continue  # a lone "Scott" when the article names two Scotts: whose pronoun it is says nothing
            limit = self._positions[index + 1] if index + 1 < len(self._positions) else len(self.text)
            found = bisect_left(at, end)
            if found < len(at) and at[found] < min(limit, position + _VOTE_REACH):
                if _APPOSITIVE_POSSESSIVE.match(self.text, end, at[found] + 4):
                    continue  # "Donald Trump, her opponent": the pronoun is someone else's
                votes.setdefault(id(person), [0, 0])[pronouns[found][1]] += 1
        for person in self.persons:
            male, female = votes.get(id(person), (0, 0))
            if person.sure or male + female == 0:
                continue
            if male >= 2 * female + 1:
                person.gender = "m"
            elif female >= 2 * male + 1:
                person.gender = "f"

    def _shared_surnames(self) -> set[str]:
        """The name words that more than one person of two names or more has ("scott" of Keith and Rakeyia Scott)."""
        counts: dict[str, int] = {}
        for person in self.persons:
            if " " in person.name:
                for word in person.words:
                    counts[word] = counts.get(word, 0) + 1
        return {word for word, count in counts.items() if count > 1}

    def _led_by(self, sentence: int) -> str:
        """The gender of a "he" or "she" that opens the sentence ("He added …", "On Friday, she …"), else ""."""
        if sentence not in self._pronoun_led:
            match = _LEADING_PRONOUN.match(self.text, self._starts[sentence])
            self._pronoun_led[sentence] = ("f" if match.group(1).lower() == "she" else "m") if match else ""
        return self._pronoun_led[sentence]

    def add(self, name: tuple[str, ...], role: str | None, gender: str, existing: Person | None = None) -> Person:
        """Register a person (or widen a shorter name already known to the full one)."""
        if existing is not None:
            existing.name = " ".join(name)
            existing.role = existing.role or role
            if gender and not existing.sure:
                existing.gender = gender
            existing.words = frozenset(word.lower() for word in name if word not in SUFFIXES)
            person = existing
        else:
            person = Person(
                " ".join(name),
                role,
                gender,
                person=looks_like_person(name, (role,) if role else (), gender) or len(name) == 1,
                words=frozenset(word.lower() for word in name if word not in SUFFIXES),
            )
            self.persons.append(person)
        if role and any(word.lower() in _GENDERED_ROLES for word in role.split()):
            person.sure = True
        for word in person.words:
            if word.rstrip(".") and word not in NAME_PARTICLES:
                bucket = self._by_word.setdefault(word, [])
                if person not in bucket:
                    bucket.append(person)
        return person

    def _sentence(self, position: int) -> int:
        return max(0, bisect_right(self._starts, position) - 1)

    def _mention(self, position: int, person: Person, end: int | None = None) -> None:
        if self._positions and position < self._positions[-1]:
            index = bisect_left(self._positions, position)
            self._positions.insert(index, position)
            self._mentioned.insert(index, person)
        else:
            self._positions.append(position)
            self._mentioned.append(person)
        if end is not None:
            self._ends[position] = end
        self._last_seen[id(person)] = max(position, self._last_seen.get(id(person), -1))
        sentence = self._sentence(position)
        if self._oblique(position, sentence):
            self._obliques.add(position)
            return
        subject = self._subjects.get(sentence)
        if subject is None or position < subject[0]:
            self._subjects[sentence] = (position, person)

    def _oblique(self, position: int, sentence: int) -> bool:
        """True for a name after a preposition or an object's verb in its sentence: "hosted by X", "met X"."""
        start = max(self._starts[sentence], position - 80)
        words = self.text[start:position].split()
        # Over the role before the name: "hosted by UK finance minister Gordon Brown".
        while words and len(words) > 1 and (
            words[-1][:1].isupper() or words[-1].lower() in ROLE_HEADS or words[-1].lower() in ROLE_MODIFIERS or words[-1].lower() in TITLES
        ) and not words[-1].endswith((",", ".", ";", ":")):
            popped = words.pop()
            if popped.lower() in ROLE_HEADS:
                # "port director": the lower-case words of the role too
                for _ in range(2):
                    if len(words) > 1 and words[-1].islower() and words[-1].lower() not in _OBLIQUE_WORDS and words[-1] not in ("the", "a", "an"):
                        words.pop()
        if not words:
            return False
        last = words[-1].lower()
        if last in ("the", "a", "an", "his", "her", "their") and len(words) > 1:
            last = words[-2].lower()
        return last in _OBLIQUE_WORDS

    def _find(self, name: tuple[str, ...], position: int) -> Person | None:
        words = [word.lower() for word in name if word not in SUFFIXES and word.lower() not in NAME_PARTICLES]
        if not words:
            return None
        candidates = [person for person in self._by_word.get(words[-1], ()) if all(word in person.words for word in words)]
        if not candidates and len(words) == 1:
            candidates = list(self._by_word.get(words[0], ()))
        if not candidates:
            return None
        before = [person for person in candidates if self._last_seen.get(id(person), 1 << 60) <= position]
        if before:
            return max(before, key=lambda person: self._last_seen[id(person)])
        return candidates[0]

    def lookup(self, name: tuple[str, ...], position: int) -> Person | None:
        """The person a written name stands for at this point of the article."""
        return self._find(name, position)

    def speaker(
        self, name: tuple[str, ...], role: str | None, gender: str, position: int, description: str | None = None
    ) -> Person:
        """The person a speaker's name stands for, registered as a speaker when new."""
        person = self.lookup(name, position)
        if person is None:
            person = self.add(name, role, gender)
        else:
            if role and not person.role:
                person.role = role
            if gender and not person.gender:
                person.gender = gender
            if len(name) > len(person.name.split()):
                self.add(name, role, gender, existing=person)
        person.person = person.person or looks_like_person(name, (role,) if role else (), gender)
        if description and not person.description:
            person.description = description
        self._mention(position, person)
        return person

    def resolve(self, pronoun: str, position: int, prefer: Person | None = None, prefer_at: int = -1) -> Person | None:
        """The person a "he" or "she" at position stands for.

        The subject of the sentences before wins over a name mentioned in passing, a
        sentence that opens with the same pronoun passes the reference further back,
        and the speaker just quoted (prefer, attributed at prefer_at) holds unless
        another fitting person became the subject since.
        """
        gender = _PRONOUN_GENDER.get(pronoun.lower())
        if gender is None:
            return None

        def fits(person: Person) -> bool:
            return person.person and (person.gender in ("", gender) or not person.sure and person is prefer)

        here = self._sentence(position)
        # 'Ban condemned what he called …': a pronoun is bound to the subject that opens its own sentence.
        own = self._subjects.get(here)
        if own is not None and own[0] < position and _only_a_role(self.text[self._starts[here] : own[0]]) and fits(own[1]):
            return own[1]
        fallback: Person | None = None
        floor = position - _PRONOUN_WINDOW
        prefer_sentence = self._sentence(prefer_at) if prefer is not None and prefer_at >= 0 else -1
        counted = 0
        for sentence in range(here - 1, -1, -1):
            if self._starts[sentence] < floor:
                break
            if self._quoted_only(sentence):
                continue  # a quotation's own sentences ('"Don't shoot him. He has no weapon."') are not the author's
            counted += 1
            if counted >= _PRONOUN_SENTENCES:
                break
            if prefer is not None and sentence <= prefer_sentence and fits(prefer):
                return prefer
            if self._led_by(sentence) == gender:
                continue  # "She said …": the same "she", further back
            subject = self._subjects.get(sentence)
            if subject is not None and fits(subject[1]):
                return subject[1]
            if fallback is None:
                fallback = self._latest_fitting(sentence, fits)
            if self._unnamed_of_gender(sentence, gender):
                # 'The woman's enthusiasm is recorded in detail: "…," she said': an unnamed woman is nearer
                # than any named one, so a name further back would be a guess.
                return fallback
        if prefer is not None and fits(prefer):
            return prefer
        if fallback is None:
            # 'Kovac, asked about the pier, was blunt: "…," she said': the subject of this very sentence.
            subject = self._subjects.get(here)
            if subject is not None and subject[0] < position and fits(subject[1]):
                return subject[1]
        return fallback

    def _unnamed_of_gender(self, sentence: int, gender: str) -> bool:
        """True when the sentence speaks of someone unnamed of this gender: "the woman", "his wife"."""
        end = self._starts[sentence + 1] if sentence + 1 < len(self._starts) else len(self.text)
        nouns = _FEMALE_NOUNS if gender == "f" else _MALE_NOUNS
        return any(match.group(1).lower() in nouns for match in _UNNAMED_PERSON.finditer(self.text, self._starts[sentence], end))

    def _quoted_only(self, sentence: int) -> bool:
        """True for a sentence wholly inside a quotation (the text People reads has quotations masked)."""
        end = self._starts[sentence + 1] if sentence + 1 < len(self._starts) else len(self.text)
        return not self.text[self._starts[sentence] : end].strip(_QUOTED_ONLY)

    def _latest_fitting(self, sentence: int, fits: Callable[[Person], bool]) -> Person | None:
        start = self._starts[sentence]
        end = self._starts[sentence + 1] if sentence + 1 < len(self._starts) else len(self.text)
        index = bisect_left(self._positions, end) - 1
        while index >= 0 and self._positions[index] >= start:
            if self._positions[index] not in self._obliques and fits(self._mentioned[index]):
                return self._mentioned[index]
            index -= 1
        return None

    def identity(self, person: Person) -> Person:
        """The one person a shorter name stands for in the whole article: "Hewitt" before "Patricia Hewitt" is named.

        Only when exactly one fuller name ends with it: two Browns leave a lone "Brown" as it is.
        """
        if len(person.name.split()) != 1:
            return person
        word = person.name.lower()
        fuller = [
            other
            for other in self._by_word.get(word, ())
            if other is not person and len(other.name.split()) > 1 and other.name.lower().split()[-1] == word
        ]
        return fuller[0] if len(fuller) == 1 else person

    def note(self, position: int, person: Person) -> None:
        """Record that a resolved pronoun at position refers to person."""
        self._mention(position, person)
