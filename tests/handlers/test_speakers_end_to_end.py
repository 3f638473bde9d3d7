"""No quotation under a pronoun or no one: every briefing, /quotes and /who answer of the demo and bbc-100 stores."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.ingest.pipeline import load_demo, store_items
from bot.ingest.read import read_file
from bot.store import Store, quotes_for_topic
from bot.topics import Topics, load_topics
from handlers import briefings
from summaries.speakers import group_by_speaker
from tests.handlers.harness import NOW

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
