from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from summaries.briefing import compose_briefing, told_to_chat

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Said:
    text: str
    speaker: str
    speaker_full: str = ""
    speaker_name: str = ""
    kind: str = "full"
    score: float = 0.5
    key: bool = False
    role: str = ""


@dataclass(frozen=True)
class Piece:
    id: int
    title: str
    story_id: int | None
    hours_old: float = 1.0
    source: str = "Harbour Herald"
    score: float = 0.5
    summary: tuple[str, ...] = ()
    quotes: tuple[Said, ...] = ()
    url: str | None = None
    story_outlets: int = 1
    story_summary: tuple[dict[str, object], ...] = ()
    published_at: datetime = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "published_at", NOW - timedelta(hours=self.hours_old))
        if not self.summary:
            object.__setattr__(self, "summary", (f"{self.title}.",))


def compose(*articles: Piece, **options: object):
    return compose_briefing(articles, title="Harbour", now=NOW, since=NOW - timedelta(hours=24), **options)


def test_articles_of_one_story_become_one_item_with_its_other_sources():
    briefing = compose(
        Piece(1, "Council approves bridge repair", 10, source="Harbour Herald", score=0.9, url="https://herald.example/1"),
        Piece(2, "Bridge repair approved by council vote", 10, source="Coast Wire", score=0.6, url="https://wire.example/2"),
        Piece(3, "Ferry fares rise in spring", 11, source="Coast Wire"),
    )
    assert [story.headline for story in briefing.stories] == ["Council approves bridge repair", "Ferry fares rise in spring"]
    bridge = briefing.stories[0]
    assert [(source.name, source.url) for source in bridge.sources] == [
        ("Harbour Herald", "https://herald.example/1"),
        ("Coast Wire", "https://wire.example/2"),
    ]
    assert bridge.article_count == 2


def test_updates_under_new_headlines_join_their_story():
    briefing = compose(
        Piece(1, "Storm closes harbour bridge overnight", 20, summary=("A storm closed the harbour bridge overnight.",)),
        Piece(2, "Harbour bridge stays closed after storm damage", 21, summary=("The harbour bridge stays closed after the storm.",)),
        Piece(3, "School term starts early", 22),
    )
    assert [story.story_ids for story in briefing.stories] == [(20, 21), (22,)]


def test_stories_rank_by_relevance_recency_and_how_many_carry_them():
    briefing = compose(
        Piece(1, "Old but central market story", 1, hours_old=20, score=0.9),
        Piece(2, "Fresh school closure news", 2, hours_old=1, score=0.9),
        Piece(3, "Fresh but barely relevant fair", 3, hours_old=1, score=0.1),
        Piece(4, "Wire story everyone carries", 4, hours_old=6, score=0.6, source="A"),
        Piece(5, "Wire story everyone carries today", 4, hours_old=6, score=0.6, source="B"),
        Piece(6, "Wire story everyone carries now", 4, hours_old=6, score=0.6, source="C"),
    )
    assert [story.key for story in briefing.stories] == [2, 4, 1, 3]


def test_each_story_shows_its_best_quote_and_the_digest_repeats_none():
    bridge = Piece(
        1,
        "Council approves bridge repair",
        10,
        quotes=(
            Said("This bridge is how half of the east side gets to work", "Mayor Elena Marsh", key=True),
            Said("We are spending millions to keep a museum piece turning", "Councillor Tom Okafor", score=0.7),
            Said("incorrect", "the council", kind="scare"),
        ),
    )
    copy = Piece(
        2,
        "Bridge repair approved",
        10,
        source="Coast Wire",
        quotes=(Said("This bridge is how half of the east side gets to work,", "Marsh"),),
    )
    briefing = compose(bridge, copy)
    story = briefing.stories[0]
    assert story.quote is not None
    assert (story.quote.text, story.quote.speaker) == ("This bridge is how half of the east side gets to work", "Mayor Elena Marsh")
    assert [quote.text for quote in story.quotes] == [
        "This bridge is how half of the east side gets to work",
        "We are spending millions to keep a museum piece turning",
    ]
    assert [quote.speaker for quote in briefing.quotes] == ["Councillor Tom Okafor"]


def test_since_last_briefing_new_first_updated_marked_unchanged_left_out():
    articles = (
        Piece(1, "Bridge repair approved", 10, score=0.9),
        Piece(2, "Ferry fares rise", 11, score=0.8),
        Piece(3, "Market reopens", 12, score=0.2),
    )
    briefing = compose(*articles, seen={10: 1, 11: 1}, story_sizes={10: 1, 11: 2, 12: 1})
    assert [(story.key, story.status) for story in briefing.stories] == [(12, "new"), (11, "updated")]
    assert briefing.unchanged == 1
    assert briefing.personal


def test_a_chat_with_no_history_gets_everything_unmarked():
    briefing = compose(Piece(1, "Bridge repair approved", 10))
    assert [(story.key, story.status) for story in briefing.stories] == [(10, "")]
    assert not briefing.personal


def test_empty_window_gives_an_empty_briefing():
    briefing = compose()
    assert briefing.empty and briefing.stories == () and briefing.quotes == ()


def test_an_article_without_a_story_is_its_own_story_keyed_by_minus_its_id():
    briefing = compose(Piece(7, "Lone item", None))
    assert [story.key for story in briefing.stories] == [-7]


def test_the_digest_leaves_out_short_fragments():
    said = (
        Said("This bridge is how half of the east side gets to work", "Mayor Elena Marsh", key=True),
        Said(
            "as long as the other side does", "Colonel Tom Okafor", speaker_name="Tom Okafor", role="Colonel", kind="partial"
        ),
        Said("We are spending millions to keep a museum piece turning, and it will never pay", "Councillor Ada Lind", score=0.6),
    )
    briefing = compose(Piece(1, "Council approves bridge repair", 10, quotes=said))
    assert briefing.stories[0].quote.speaker == "Councillor Ada Lind"
    assert "Colonel Tom Okafor" in [quote.speaker for quote in briefing.stories[0].quotes]
    assert [quote.speaker for quote in briefing.quotes] == ["Mayor Elena Marsh"]


FERRY_TOLD = (
    {"text": "The ferry Skerry Star ran aground off Brannock Point on Monday with 80 passengers aboard.", "outlet": "Harbour Herald"},
    {"text": "All 80 passengers were taken off by lifeboat, the coastguard said.", "outlet": "Coast Wire"},
    {"text": "Salvage crews will try to refloat the ferry at high tide on Wednesday.", "outlet": "Coast Wire"},
)


def test_a_story_told_by_several_outlets_shows_its_summary_from_all_and_how_many_reported_it():
    briefing = compose(
        Piece(1, "Ferry aground off Brannock Point", 30, story_outlets=3, story_summary=FERRY_TOLD),
        Piece(2, "Skerry Star passengers rescued", 30, source="Coast Wire", story_outlets=3, story_summary=FERRY_TOLD),
    )
    (story,) = briefing.stories
    assert story.summary == tuple(item["text"] for item in FERRY_TOLD)
    assert story.summary_outlets == ("Harbour Herald", "Coast Wire", "Coast Wire")
    assert story.outlet_count == 3


def test_an_updated_story_tells_a_chat_only_what_it_was_not_shown():
    article = Piece(1, "Ferry aground off Brannock Point", 30, story_summary=FERRY_TOLD)
    shown = {30: [FERRY_TOLD[0]["text"], FERRY_TOLD[1]["text"]]}
    briefing = compose(article, seen={30: 1}, shown=shown, story_sizes={30: 3})
    (story,) = briefing.stories
    assert (story.status, story.news_only) == ("updated", True)
    assert story.summary == (FERRY_TOLD[2]["text"],)


def test_a_grown_story_with_nothing_new_for_the_chat_is_left_out():
    article = Piece(1, "Ferry aground off Brannock Point", 30, story_summary=FERRY_TOLD)
    shown = {30: [item["text"] for item in FERRY_TOLD]}
    briefing = compose(article, seen={30: 1}, shown=shown, story_sizes={30: 3})
    assert (briefing.stories, briefing.unchanged) == ((), 1)


def test_what_a_chat_was_told_of_a_story_adds_this_summary_to_what_it_had():
    article = Piece(1, "Ferry aground off Brannock Point", 30, story_summary=FERRY_TOLD)
    (story,) = compose(article).stories
    assert told_to_chat(story, ["Earlier: the ferry left Kessa at dawn."]) == (
        "Earlier: the ferry left Kessa at dawn.", *(item["text"] for item in FERRY_TOLD)
    )


def test_the_story_quote_is_not_a_sentence_its_summary_already_shows():
    said = "This bridge is how half of the east side gets to work"
    other = "We are spending millions to keep a museum piece turning"
    article = Piece(
        1, "Bridge repair approved", 40,
        summary=(f"“{said},” said Councillor Tom Okafor.", "The council voted 7-2."),
        quotes=(Said(said, "Councillor Tom Okafor", key=True), Said(other, "Mayor Elena Marsh", score=0.7)),
    )
    (story,) = compose(article).stories
    assert story.quote is not None and story.quote.text == other


def test_no_story_quote_repeats_a_sentence_of_the_whole_summary_its_details_show():
    said = "The crew did everything right and nobody panicked"
    other = "We will refloat her on Wednesday if the weather holds"
    told = (*FERRY_TOLD, {"text": f"“{said},” said harbour master Nora Vidal.", "outlet": "Coast Wire"})
    article = Piece(
        1, "Ferry aground off Brannock Point", 30, story_summary=told,
        quotes=(
            Said(said, "Vidal", "harbour master Nora Vidal", "Nora Vidal", key=True, score=0.9),
            Said(other, "Okafor", "Tom Okafor", "Tom Okafor", score=0.7),
        ),
    )
    (story,) = compose(article).stories
    assert story.summary == tuple(item["text"] for item in FERRY_TOLD)
    assert [quote.text for quote in story.quotes] == [other]


def test_words_quoted_by_several_outlets_are_one_quote_given_to_the_speaker_most_of_them_name():
    said = "This bridge is how half of the east side gets to work"
    briefing = compose(
        Piece(1, "Council approves bridge repair", 50, source="Harbour Herald",
              quotes=(Said(said, "Councillor Tom Okafor", "Councillor Tom Okafor", "Tom Okafor", key=True),)),
        Piece(2, "Bridge repair approved", 50, source="Coast Wire", quotes=(Said(said + ",", "Mayor Elena Marsh", "Mayor Elena Marsh", "Elena Marsh"),)),
        Piece(3, "Bridge vote passes", 50, source="Bay Times", quotes=(Said(said, "Marsh", "Marsh", "Elena Marsh"),)),
    )
    (story,) = briefing.stories
    assert [(quote.speaker, quote.outlets) for quote in story.quotes] == [("Mayor Elena Marsh", 3)]
