"""No quotation under a pronoun or no one: every briefing, /quotes and /who answer of the demo and bbc-100 stores."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from benchmarks.quotes_polnear import is_fragment
from bot.ingest.pipeline import load_demo, store_items
from bot.ingest.read import read_file
from bot.store import Store, iter_article_sources, quotes_for_topic
from bot.topics import Topics, load_topics
from handlers import briefings
from summaries.speakers import group_by_speaker
from telegram_loopback import Message
from tests.handlers.harness import NOW, LiveBot, live_bot

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
# Words that stand for a speaker without naming one: a quote must never be shown under them.
UNNAMED = {"he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "this", "that", ""}


@pytest.fixture(scope="module")
def topics() -> Topics:
    return load_topics()


def unnamed(speaker: str) -> bool:
    return speaker.strip().casefold() in UNNAMED


def shown_speakers(store: Store, topics: Topics) -> list[str]:
    """Every speaker a topic briefing, its quote digest, /quotes or /who would show."""
    speakers: list[str] = []
    for topic in topics.values():
        briefing = briefings.topic_briefing(store, topic, NOW)
        speakers += [quote.speaker for story in briefing.stories for quote in story.quotes]
        speakers += [quote.speaker for quote in briefing.quotes]
        quoted = quotes_for_topic(store, topic.name, NOW - timedelta(days=3650), limit=200)
        people = group_by_speaker([quote for quote in quoted if quote.kind in ("full", "partial")])
        speakers += [person.display for person in people]
        for person in people[:5]:
            speakers += [found.display for found in briefings.people_quoted(store, person.key, NOW, exact=True)]
    return speakers


def test_the_demo_store_shows_every_quote_under_a_name(store: Store, topics: Topics) -> None:
    load_demo(store, topics, now=NOW)
    speakers = shown_speakers(store, topics)
    assert speakers
    assert [speaker for speaker in speakers if unnamed(speaker)] == []


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "bbc-100").is_dir(), reason=f"{CORPUS / 'bbc-100'} is absent (../shared/corpus beside the repo)")
def test_the_bbc_100_store_shows_every_quote_under_a_name(sqlite_store: Store, topics: Topics) -> None:
    items = [item for path in sorted((CORPUS / "bbc-100" / "article").glob("*/*.txt")) for item in read_file(path)]
    dated = [item.__class__(**{**item.__dict__, "published_at": NOW - timedelta(hours=1)}) for item in items if hasattr(item, "text")]
    store_items(sqlite_store, topics, dated, now=NOW)
    speakers = shown_speakers(sqlite_store, topics)
    assert len(speakers) > 20
    assert [speaker for speaker in speakers if unnamed(speaker)] == []


# Through the real bot: the Application and its handlers over the loopback Bot API server, answering a user.


def bold(message: Message) -> list[tuple[int, str]]:
    """The bold spans of a message as (offset in the text, text): Telegram's offsets count UTF-16 units."""
    utf16 = (message.text or "").encode("utf-16-le")
    spans = []
    for entity in message.entities:
        if entity["type"] == "bold":
            before = utf16[: 2 * entity["offset"]].decode("utf-16-le")
            spans.append((len(before), utf16[2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])].decode("utf-16-le")))
    return spans


def quoted_speakers(messages: list[Message]) -> list[str]:
    """Who each quotation line ('“…” — Speaker') of the messages is given to; "" for a line with no one after its dash."""
    speakers = []
    for message in messages:
        text = message.text or ""
        named = {offset: span for offset, span in bold(message)}
        at = text.find("” — ")
        while at >= 0:
            speakers.append(named.get(at + len("” — "), ""))
            at = text.find("” — ", at + 1)
    return speakers


def section_speakers(messages: list[Message], mark: str) -> list[str]:
    """The bold headings of a /quotes ('💬' is its title) or /who ('🗣 Name') answer: one per person."""
    spans = [span for message in messages for _, span in bold(message)]
    if mark == "🗣":
        return [span.removeprefix("🗣 ") for span in spans if span.startswith("🗣 ")]
    return [span for span in spans if not span.startswith("💬")]


def wrong_speakers(speakers: list[str], texts: str) -> list[str]:
    """Speakers that are a pronoun, no one, or a fragment of a longer name or role in the stored articles."""
    return [speaker for speaker in speakers if unnamed(speaker) or is_fragment(speaker, texts)]


async def shown_by_the_bot(bot: LiveBot, topics: Topics) -> tuple[list[str], list[str], list[str]]:
    """Speakers of every topic's briefing (and its first story's quotes), of /quotes, and of /who for the people /quotes names.

    Each few commands come from a new user: the bot's flood throttle silences a chat after 8 updates in 10 seconds.
    """
    briefed: list[str] = []
    grouped: list[str] = []
    for topic in topics.values():
        chat = bot.chat()
        briefing = await chat.command(topic.command)
        briefed += quoted_speakers(briefing)
        if "1 ›" in briefing[0].button_texts:
            detail = await chat.press(briefing[0], "1 ›")
            briefed += quoted_speakers(detail)
            if "💬 Quotes" in detail[0].button_texts:
                briefed += quoted_speakers(await chat.press(detail[0], "💬 Quotes"))
        grouped += section_speakers(await chat.command("quotes", topic.name), "💬")
    people: list[str] = []
    for name in dict.fromkeys(grouped):
        chat = bot.chat()
        answer = await chat.command("who", name.split()[-1])
        if answer[0].button_texts and answer[0].text.startswith("Several people"):
            for button in answer[0].button_texts[:6]:
                people += section_speakers(await chat.press(answer[0], button), "🗣")
        else:
            people += section_speakers(answer, "🗣")
    return briefed, grouped, people


async def test_the_bot_answers_every_quote_of_the_demo_store_under_a_name(tmp_path: Path, topics: Topics) -> None:
    async with live_bot(tmp_path) as bot:
        texts = "\n\n".join(f"{source.title}\n\n{source.cleaned_text or source.text}" for source in iter_article_sources(bot.store))
        briefed, grouped, people = await shown_by_the_bot(bot, topics)
    assert len(briefed) > 5 and len(grouped) > 5 and len(people) > 5
    assert wrong_speakers(briefed + grouped + people, texts) == []


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "bbc-100").is_dir(), reason=f"{CORPUS / 'bbc-100'} is absent (../shared/corpus beside the repo)")
async def test_the_bot_answers_every_quote_of_the_bbc_100_store_under_a_name(tmp_path: Path, sqlite_store: Store, topics: Topics) -> None:
    items = [item for path in sorted((CORPUS / "bbc-100" / "article").glob("*/*.txt")) for item in read_file(path)]
    dated = [item.__class__(**{**item.__dict__, "published_at": NOW - timedelta(hours=1)}) for item in items if hasattr(item, "text")]
    store_items(sqlite_store, topics, dated, now=NOW)
    texts = "\n\n".join(f"{source.title}\n\n{source.cleaned_text or source.text}" for source in iter_article_sources(sqlite_store))
    async with live_bot(tmp_path, demo=False, store=sqlite_store) as bot:
        briefed, grouped, people = await shown_by_the_bot(bot, topics)
    assert len(briefed) > 20 and len(grouped) > 20 and len(people) > 10
    assert wrong_speakers(briefed + grouped + people, texts) == []
