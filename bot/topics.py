"""Topics: named saved searches from topics.toml, and how strongly an article belongs to each."""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping
from itertools import repeat
from dataclasses import dataclass, field
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "topics.toml"
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
# Short all-capital keywords ("US", "EU", "AI") would match common words in lower case.
_ACRONYM = re.compile(r"^[A-Z0-9.]{1,5}$")
# Words, digits and dotted abbreviations (U.S); hyphens and apostrophes split ("Kurdish-led", "Assad's").
_TOKEN = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")
# A topic keeps an article with one mention in the title, three in the body, or one in the lead and two in all.
MIN_BODY_HITS = 3
LEAD_CHARACTERS = 600
# Part of the topics digest: changing how scores are computed rescores stored articles too.
SCORING_VERSION = "2"
# Prefix keywords ("Syrian*") are looked up by their first characters among a text's tokens.
PREFIX_KEY = 3


class TopicsError(ValueError):
    """A topics file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Keyword:
    """A keyword as tokens: matched case-folded, or exactly for short capitals; the last token may be a prefix."""

    tokens: tuple[str, ...]
    exact: bool = False
    prefix: bool = False


def _keyword(word: str) -> Keyword | None:
    word = word.strip()
    prefix = word.endswith("*")
    bare = word.rstrip("*")
    exact = bool(_ACRONYM.match(bare))
    tokens = tuple(_TOKEN.findall(bare if exact else bare.casefold()))
    return Keyword(tokens, exact, prefix) if tokens else None


class TokenizedText:
    """A text as word tokens and their counts, so every topic is counted over one tokenisation."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.exact = _TOKEN.findall(text)
        self.folded = list(map(str.casefold, self.exact))
        self.counts = Counter(self.folded)
        self._exact_counts: Counter[str] | None = None
        self._buckets: dict[str, list[str]] | None = None

    def count(self, token: str, exact: bool = False) -> int:
        """How often a token occurs (case-folded, or exactly)."""
        if not exact:
            return self.counts.get(token, 0)
        if self._exact_counts is None:
            self._exact_counts = Counter(self.exact)
        return self._exact_counts.get(token, 0)

    def positions(self, token: str, exact: bool = False) -> list[int]:
        """Where a token occurs."""
        tokens = self.exact if exact else self.folded
        found: list[int] = []
        # list.index scans in C: far quicker than comparing every token in Python.
        index = -1
        try:
            while True:
                index = tokens.index(token, index + 1)
                found.append(index)
        except ValueError:
            return found

    @property
    def buckets(self) -> dict[str, list[str]]:
        """The distinct case-folded tokens by their first three characters."""
        if self._buckets is None:
            self._buckets = {}
            for token in self.counts:
                self._buckets.setdefault(token[:PREFIX_KEY], []).append(token)
        return self._buckets

    def starting(self, prefix: str) -> list[str]:
        """The distinct tokens that begin with a prefix."""
        if len(prefix) < PREFIX_KEY:
            return [token for token in self.counts if token.startswith(prefix)]
        return [token for token in self.buckets.get(prefix[:PREFIX_KEY], ()) if token.startswith(prefix)]

    def matches(self, keyword: Keyword, *, positions: bool = False) -> list[tuple[int, str]]:
        """(start position, matched text) of each occurrence of a keyword; positions are -1 unless asked for."""
        first, rest = keyword.tokens[0], keyword.tokens[1:]
        if not rest:
            if keyword.prefix:
                forms = [(token, self.counts[token]) for token in self.starting(first)]
            else:
                forms = [(first, self.count(first, keyword.exact))]
            if not positions:
                return [(-1, form) for form, times in forms for _ in range(times)]
            return [(index, form) for form, times in forms if times for index in self.positions(form, keyword.exact)]
        if not self.count(first, keyword.exact):
            return []
        tokens = self.exact if keyword.exact else self.folded
        found = []
        for position in self.positions(first, keyword.exact):
            tail = tokens[position + 1 : position + 1 + len(rest)]
            if len(tail) < len(rest) or tail[:-1] != list(rest[:-1]):
                continue
            last = tail[-1]
            if not (last.startswith(rest[-1]) if keyword.prefix else last == rest[-1]):
                continue
            found.append((position, " ".join((first, *tail))))
        return found


@dataclass(frozen=True)
class Topic:
    """A named saved search: what a /command briefs on."""

    name: str
    command: str
    title: str
    keywords: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    _keywords: tuple[Keyword, ...] = field(default=(), repr=False, compare=False)
    _exclusions: tuple[Keyword, ...] = field(default=(), repr=False, compare=False)

    def text_hits(self, text: str | TokenizedText) -> list[str]:
        """The keyword mentions in a text, mentions inside an exclusion phrase left out."""
        tokenized = text if isinstance(text, TokenizedText) else TokenizedText(text)
        excluded: set[int] = set()
        for exclusion in self._exclusions:
            if tokenized.count(exclusion.tokens[0]):
                for position, _ in tokenized.matches(exclusion, positions=True):
                    excluded.update(range(position, position + len(exclusion.tokens)))
        hits: list[str] = []
        for keyword in self._keywords:
            found = tokenized.matches(keyword, positions=bool(excluded))
            hits.extend(text for position, text in found if position not in excluded)
        return hits

    def score(
        self, title: str | TokenizedText, text: str | TokenizedText, lead: str | TokenizedText | None = None
    ) -> float:
        """0 when the article is not about the topic, else up to 1 by how much it is."""
        if lead is None:
            lead = text[:LEAD_CHARACTERS] if isinstance(text, str) else ""
        in_title = len(self.text_hits(title))
        in_body = self.text_hits(text)
        if not in_title and len(in_body) < 2:
            return 0.0
        return _score(in_title, in_body, len(self.text_hits(lead)))


def _score(in_title: int, in_body: list[str], in_lead: int) -> float:
    """The score from mentions in the title, the body and its lead; 0 when too few."""
    if not (in_title or len(in_body) >= MIN_BODY_HITS or (in_lead and len(in_body) >= 2)):
        return 0.0
    distinct = len({hit.casefold() for hit in in_body})
    raw = 3 * min(in_title, 2) + 2 * min(in_lead, 3) + min(len(in_body), 10) + min(distinct, 5)
    return round(min(1.0, raw / 25), 3)


def make_topic(name: str, spec: Mapping[str, object], origin: str = "topics") -> Topic:
    """A Topic from one table of a topics file, checked."""
    def strings(key: str) -> tuple[str, ...]:
        value = spec.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise TopicsError(f"{origin}: [{name}] {key} must be a list of strings")
        return tuple(item for item in value if item.strip())

    command = str(spec.get("command") or name.replace("-", "_")).lower()
    if not _COMMAND.match(command):
        raise TopicsError(
            f"{origin}: [{name}] command {command!r} is not a Telegram command (lowercase letters, digits, _; 1-32)"
        )
    keywords = strings("keywords")
    if not keywords:
        raise TopicsError(f"{origin}: [{name}] has no keywords")
    exclude = strings("exclude")
    return Topic(
        name=name,
        command=command,
        title=str(spec.get("title") or name.replace("-", " ").title()),
        keywords=keywords,
        aliases=tuple(alias.lower() for alias in strings("aliases")),
        exclude=exclude,
        _keywords=tuple(keyword for keyword in map(_keyword, keywords) if keyword),
        _exclusions=tuple(
            Keyword(keyword.tokens, False, keyword.prefix)
            for keyword in map(_keyword, [word.casefold() for word in exclude])
            if keyword
        ),
    )


class Topics(Mapping[str, Topic]):
    """The topics in force, by name, with look-ups by command or alias."""

    def __init__(self, topics: list[Topic], digest: str) -> None:
        self._by_name = {topic.name: topic for topic in topics}
        self.digest = digest
        # Keywords by first token, so a text is matched only against keywords whose first word it has.
        # Single plain words (most keywords) are counted straight from the token counts.
        self._words: dict[str, list[str]] = {}
        # Short capitals ("US") by their case-folded form: only a text with "us" in any case is counted exactly.
        self._exact_words: dict[str, list[tuple[str, str]]] = {}
        self._folded_index: dict[str, list[tuple[str, Keyword]]] = {}
        self._exact_index: dict[str, list[tuple[str, Keyword]]] = {}
        self._prefixes: dict[str, list[tuple[str, str]]] = {}
        self._short_prefixes: list[tuple[str, Keyword]] = []
        self._exclusion_firsts: dict[str, list[Topic]] = {}
        for topic in topics:
            for keyword in topic._keywords:
                first = keyword.tokens[0]
                if keyword.prefix and len(keyword.tokens) == 1:
                    if len(first) < PREFIX_KEY:
                        self._short_prefixes.append((topic.name, keyword))
                    else:
                        self._prefixes.setdefault(first[:PREFIX_KEY], []).append((topic.name, first))
                elif len(keyword.tokens) == 1 and not keyword.prefix:
                    if keyword.exact:
                        self._exact_words.setdefault(first.casefold(), []).append((topic.name, first))
                    else:
                        self._words.setdefault(first, []).append(topic.name)
                else:
                    index = self._exact_index if keyword.exact else self._folded_index
                    index.setdefault(first, []).append((topic.name, keyword))
            for exclusion in topic._exclusions:
                listed = self._exclusion_firsts.setdefault(exclusion.tokens[0], [])
                if topic not in listed:
                    listed.append(topic)
        self._lookup: dict[str, Topic] = {}
        for topic in topics:
            for key in (*topic.aliases, topic.name, topic.command, topic.title.lower()):
                self._lookup[_key(key)] = topic

    def __getitem__(self, name: str) -> Topic:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def find(self, name: str) -> Topic | None:
        """The topic a user means by a name, command or alias (case and '/' ignored)."""
        return self._lookup.get(_key(name))

    def by_command(self, command: str) -> Topic | None:
        """The topic whose Telegram command this is (without '/' or '@BotName')."""
        command = command.lstrip("/").split("@", 1)[0].lower()
        for topic in self._by_name.values():
            if topic.command == command:
                return topic
        return None

    def closest(self, name: str, count: int = 3, cutoff: float = 0.5) -> list[Topic]:
        """The topics whose names look most like an unknown one (difflib's ratio at least `cutoff`), best first."""
        matches = difflib.get_close_matches(_key(name), list(self._lookup), n=count * 3, cutoff=cutoff)
        found: list[Topic] = []
        for match in matches:
            topic = self._lookup[match]
            if topic not in found:
                found.append(topic)
        return found[:count]

    def misspelt(self, name: str, count: int = 3) -> list[Topic]:
        """The topics one word looks like a typo of, fewest edits first (none for a word that is a topic).

        A typo is one edit from a topic's name, command, alias or title of 3 letters or more (a letter
        added, dropped or changed, or two neighbours swapped), or two edits from one with the same
        letters ("sirya"), or both of 7 letters or more ("turkish").
        """
        word = _key(name)
        if not word or word in self._lookup:
            return []
        found: list[tuple[int, str, Topic]] = []
        for key, topic in self._lookup.items():
            if len(key) < 3 or abs(len(key) - len(word)) > 2:
                continue
            edits = _edits(word, key)
            if edits == 1 or (edits == 2 and (sorted(word) == sorted(key) or min(len(word), len(key)) >= 7)):
                found.append((edits, key, topic))
        ordered: list[Topic] = []
        for _, _, topic in sorted(found, key=lambda hit: (hit[0], hit[1])):
            if topic not in ordered:
                ordered.append(topic)
        return ordered[:count]

    def scores(self, title: str, text: str | TokenizedText) -> dict[str, float]:
        """The topics an article belongs to, with their scores (topics scoring 0 left out)."""
        body_tokens = text if isinstance(text, TokenizedText) else TokenizedText(text)
        in_title = self._hits(TokenizedText(title))
        in_body = self._hits(body_tokens)
        in_lead: dict[str, list[str]] | None = None
        result = {}
        for name in self._by_name:
            title_count, body = len(in_title.get(name, ())), in_body.get(name, [])
            if not title_count and len(body) < 2:
                continue
            if in_lead is None:
                in_lead = self._hits(TokenizedText(body_tokens.text[:LEAD_CHARACTERS]))
            score = _score(title_count, body, len(in_lead.get(name, ())))
            if score > 0:
                result[name] = score
        return result

    def _hits(self, tokenized: TokenizedText) -> dict[str, list[str]]:
        """Every topic's keyword mentions in a text (what Topic.text_hits gives, for all topics at once)."""
        hits: dict[str, list[str]] = {}
        counts = tokenized.counts
        for word in counts.keys() & self._words.keys():
            for name in self._words[word]:
                hits.setdefault(name, []).extend(repeat(word, counts[word]))
        for first in counts.keys() & self._folded_index.keys():
            for name, keyword in self._folded_index[first]:
                hits.setdefault(name, []).extend(text for _, text in tokenized.matches(keyword))
        for folded in counts.keys() & self._exact_words.keys():
            for name, word in self._exact_words[folded]:
                times = tokenized.exact.count(word)
                if times:
                    hits.setdefault(name, []).extend(repeat(word, times))
        if self._exact_index:
            for first in set(tokenized.exact) & self._exact_index.keys():
                for name, keyword in self._exact_index[first]:
                    hits.setdefault(name, []).extend(text for _, text in tokenized.matches(keyword))
        prefixes = self._prefixes
        for token in [token for token in counts if token[:PREFIX_KEY] in prefixes]:
            for name, prefix in prefixes[token[:PREFIX_KEY]]:
                if token.startswith(prefix):
                    hits.setdefault(name, []).extend(repeat(token, counts[token]))
        for name, keyword in self._short_prefixes:
            found = tokenized.matches(keyword)
            if found:
                hits.setdefault(name, []).extend(text for _, text in found)
        excluding = {
            topic.name: topic for first in counts.keys() & self._exclusion_firsts.keys() for topic in self._exclusion_firsts[first]
        }
        for name, topic in excluding.items():
            # Counted again, mentions inside the phrases left out, only where an exclusion phrase occurs.
            if any(tokenized.matches(exclusion) for exclusion in topic._exclusions if counts.get(exclusion.tokens[0])):
                hits[name] = topic.text_hits(tokenized)
        return hits


def _edits(first: str, second: str) -> int:
    """Letters added, dropped or changed, or neighbours swapped, to make one word the other (optimal string alignment)."""
    before: list[int] = []
    previous = list(range(len(second) + 1))
    for i, letter in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, other in enumerate(second, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other))
            if i > 1 and j > 1 and letter == second[j - 2] and first[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[-1]


def _key(name: str) -> str:
    return name.strip().lstrip("/").split("@", 1)[0].casefold().replace(" ", "").replace("-", "").replace("_", "")


def load_topics(user_file: str | Path | None = None) -> Topics:
    """The shipped topics, overridden and extended by a user's topics file (TOPICS_FILE)."""
    sources = [SHIPPED] + ([Path(user_file)] if user_file else [])
    specs: dict[str, Mapping[str, object]] = {}
    origins: dict[str, str] = {}
    digest = hashlib.sha256(SCORING_VERSION.encode())
    for source in sources:
        try:
            data = source.read_bytes()
        except OSError as error:
            raise TopicsError(f"cannot read the topics file {source}: {error.strerror or error}") from error
        digest.update(data)
        try:
            parsed = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise TopicsError(f"{source}: not valid TOML ({error})") from error
        for name, spec in parsed.items():
            if not isinstance(spec, dict):
                raise TopicsError(f"{source}: {name} must be a table such as [{name}]")
            if spec.get("enabled", True) is False:
                specs.pop(name, None)
                continue
            specs[name] = spec
            origins[name] = str(source)
    topics = [make_topic(name, spec, origins[name]) for name, spec in specs.items()]
    seen: dict[str, str] = {}
    for topic in topics:
        if topic.command in seen:
            raise TopicsError(f"topics {seen[topic.command]!r} and {topic.name!r} share the command /{topic.command}")
        seen[topic.command] = topic.name
    return Topics(topics, digest.hexdigest()[:16])
