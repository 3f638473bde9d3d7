"""Mutes: the literal words and phrases (and the stories) a chat leaves out of its briefings.

A mute is never a pattern: `/mute grain "Premier League"` is the word "grain"
and the phrase "Premier League", each matched as whole words, in any case, in a
story's headline, summary or key quote. Words are letters and digits (inner
apostrophes kept, a possessive 's dropped); a hyphen or any other sign
separates words, so "Ukraine" matches "Russia-Ukraine" and "Erdogan" matches
"Erdogan's", while "art" never matches "article". Matching is a set look-up
for a word and a substring test over space-separated words for a phrase:
linear in the text whatever the chat typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bot.wording import N_
from summaries.briefing import Briefing, Story
from summaries.language import stop_words

MAX_MUTES = 50
MAX_WORDS = 8
# Why a part of /mute is refused (English; handlers translate them).
NO_LETTERS = N_("has no letters or digits to match")
COMMON_WORDS = N_("is only common words, which nearly every story has")
TOO_LONG = N_("is too long: a mute is at most {words} words")
MAX_KEY_CHARS = 100
# A story hidden with its button has this key: no word starts with it.
STORY_KEY = "#"

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A "quoted phrase" (an unclosed quote runs to the end), or a word.
_PART = re.compile(r"[\"“”«»„]([^\"“”«»„]*)[\"“”«»„]?|([^\s\"“”«»„]+)")
_STOPS = stop_words("english")


def mute_words(text: str) -> list[str]:
    """The words of a text as mutes match them: lower case, possessive 's off."""
    found = []
    for token in _TOKEN.findall(unicodedata.normalize("NFKC", text)):
        token = token.casefold().replace("’", "'")
        if token.endswith("'s") and len(token) > 2:
            token = token[:-2]
        found.append(token)
    return found


@dataclass(frozen=True)
class MuteRequest:
    """What `/mute ...` asks for: the mutes to add (label as typed, key as matched) and the parts refused, with why."""

    accepted: tuple[tuple[str, str], ...] = ()
    refused: tuple[tuple[str, str], ...] = ()


def parse_mutes(text: str) -> MuteRequest:
    """Split `/mute` arguments into mutes: each "quoted phrase" one mute, each other word one mute."""
    parts = [match.group(1) if match.group(1) is not None else match.group(2) for match in _PART.finditer(text)]
    accepted: list[tuple[str, str]] = []
    refused: list[tuple[str, str]] = []
    for part in parts:
        label = " ".join(part.split())
        if not label:
            continue
        found = mute_words(label)
        if not found:
            refused.append((label, NO_LETTERS))
        elif all(word in _STOPS for word in found):
            refused.append((label, COMMON_WORDS))
        elif len(found) > MAX_WORDS or len(" ".join(found)) > MAX_KEY_CHARS:
            refused.append((label, TOO_LONG.format(words=MAX_WORDS)))
        elif all(key != " ".join(found) for _, key in accepted):
            accepted.append((label, " ".join(found)))
    return MuteRequest(tuple(accepted), tuple(refused))


def story_key(story_id: int) -> str:
    """The mute key of a story hidden with its button."""
    return f"{STORY_KEY}{story_id}"


@dataclass(frozen=True)
class StoryWords:
    """A story's headline, summary and key quote as mutes read them."""

    words: frozenset[str]
    # ' word word \n word ... ': a phrase matches as ' its words ', never across two fields.
    text: str

    @classmethod
    def of(cls, story: Story) -> StoryWords:
        fields = [story.headline, *story.summary, story.quote.text if story.quote is not None else ""]
        tokens = [mute_words(text) for text in fields]
        return cls(frozenset(word for field in tokens for word in field), " " + " \n ".join(" ".join(field) for field in tokens) + " ")


@dataclass
class Mutes:
    """One chat's mutes, ready to test stories against."""

    words: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, str], ...] = ()  # (first word, ' the phrase ')
    story_ids: frozenset[int] = frozenset()
    # A story's words, made once per story object (the push shares its stories between chats).
    cache: dict[int, tuple[Story, StoryWords]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, keys: Iterable[str], cache: dict[int, tuple[Story, StoryWords]] | None = None) -> Mutes:
        """From stored mute keys (words, phrases and '#<story id>')."""
        words: set[str] = set()
        phrases: list[tuple[str, str]] = []
        stories: set[int] = set()
        for key in keys:
            if key.startswith(STORY_KEY):
                if key[1:].isdigit():
                    stories.add(int(key[1:]))
            elif " " in key:
                phrases.append((key.split(" ", 1)[0], f" {key} "))
            elif key:
                words.add(key)
        return cls(frozenset(words), tuple(phrases), frozenset(stories), cache if cache is not None else {})

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases or self.story_ids)

    def hides(self, story: Story) -> bool:
        """True when the story was hidden, or its headline, summary or key quote has a muted word or phrase."""
        if self.story_ids and (story.key in self.story_ids or not self.story_ids.isdisjoint(story.story_ids)):
            return True
        if not self.words and not self.phrases:
            return False
        cached = self.cache.get(id(story))
        if cached is None:
            cached = self.cache[id(story)] = (story, StoryWords.of(story))
        found = cached[1]
        if not self.words.isdisjoint(found.words):
            return True
        return any(first in found.words and phrase in found.text for first, phrase in self.phrases)

    def leave_out(self, briefing: Briefing) -> Briefing:
        """The briefing without the stories these mutes hide (and without their quotes in the digest)."""
        if not self:
            return briefing
        kept = tuple(story for story in briefing.stories if not self.hides(story))
        if len(kept) == len(briefing.stories):
            return briefing
        keys = {story.key for story in kept}
        return replace(briefing, stories=kept, quotes=tuple(quote for quote in briefing.quotes if quote.story_key in keys))
