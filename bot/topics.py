"""Topics: named saved searches from topics.toml, and how strongly an article belongs to each."""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "topics.toml"
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
# Short all-capital keywords ("US", "EU", "AI") would match common words in lower case.
_ACRONYM = re.compile(r"^[A-Z0-9.]{1,5}$")
# A topic keeps an article with one mention in the title, three in the body, or one in the lead and two in all.
MIN_BODY_HITS = 3
LEAD_CHARACTERS = 600
# Part of the topics digest: changing how scores are computed rescores stored articles too.
SCORING_VERSION = "1"


class TopicsError(ValueError):
    """A topics file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Topic:
    """A named saved search: what a /command briefs on."""

    name: str
    command: str
    title: str
    keywords: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    _patterns: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)
    _exclusion: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def text_hits(self, text: str) -> list[str]:
        """The keyword mentions in a text, exclusions taken out first."""
        if self._exclusion is not None:
            text = self._exclusion.sub(" ", text)
        hits: list[str] = []
        for pattern in self._patterns:
            hits.extend(match.group(0) for match in pattern.finditer(text))
        return hits

    def score(self, title: str, text: str) -> float:
        """0 when the article is not about the topic, else up to 1 by how much it is."""
        in_title = len(self.text_hits(title))
        in_body = self.text_hits(text)
        in_lead = len(self.text_hits(text[:LEAD_CHARACTERS]))
        if not (in_title or len(in_body) >= MIN_BODY_HITS or (in_lead and len(in_body) >= 2)):
            return 0.0
        distinct = len({hit.casefold() for hit in in_body})
        raw = 3 * min(in_title, 2) + 2 * min(in_lead, 3) + min(len(in_body), 10) + min(distinct, 5)
        return round(min(1.0, raw / 25), 3)


def _compile(name: str, words: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    folded: list[str] = []
    exact: list[str] = []
    for word in words:
        word = word.strip()
        if not word:
            continue
        prefix = word.endswith("*")
        body = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+")
        piece = body + (r"[\w'’-]*" if prefix else "")
        (exact if _ACRONYM.match(word.rstrip("*")) else folded).append(piece)
    patterns = []
    for pieces, flags in ((folded, re.IGNORECASE), (exact, 0)):
        if pieces:
            # Longest first, so "Middle East" wins over "East" inside one alternation.
            pieces.sort(key=len, reverse=True)
            patterns.append(re.compile(r"(?<![\w])(?:" + "|".join(pieces) + r")(?![\w])", flags))
    return tuple(patterns)


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
    exclusion = None
    if exclude:
        exclusion = re.compile(
            r"(?<![\w])(?:" + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in exclude) + r")(?![\w])",
            re.IGNORECASE,
        )
    return Topic(
        name=name,
        command=command,
        title=str(spec.get("title") or name.replace("-", " ").title()),
        keywords=keywords,
        aliases=tuple(alias.lower() for alias in strings("aliases")),
        exclude=exclude,
        _patterns=_compile(name, keywords),
        _exclusion=exclusion,
    )


class Topics(Mapping[str, Topic]):
    """The topics in force, by name, with look-ups by command or alias."""

    def __init__(self, topics: list[Topic], digest: str) -> None:
        self._by_name = {topic.name: topic for topic in topics}
        self.digest = digest
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

    def closest(self, name: str, count: int = 3) -> list[Topic]:
        """The topics whose names look most like an unknown one, best first."""
        matches = difflib.get_close_matches(_key(name), list(self._lookup), n=count * 3, cutoff=0.5)
        found: list[Topic] = []
        for match in matches:
            topic = self._lookup[match]
            if topic not in found:
                found.append(topic)
        return found[:count]

    def scores(self, title: str, text: str) -> dict[str, float]:
        """The topics an article belongs to, with their scores (topics scoring 0 left out)."""
        result = {}
        for topic in self._by_name.values():
            score = topic.score(title, text)
            if score > 0:
                result[topic.name] = score
        return result


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
