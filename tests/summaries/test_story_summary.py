from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summaries.story_summary import StoryArticle, StorySentence, StorySummarizer, new_since, summarize_story

# A fictional event: a ferry on a fictional lake, told by three fictional outlets over a day.
SUNDAY = datetime(2031, 5, 4, 9, 0, tzinfo=timezone.utc)


def article(id: int, outlet: str, hours: float, *paragraphs: str, title: str = "", summary: tuple[str, ...] = ()) -> StoryArticle:
    return StoryArticle(
        id=id,
        title=title,
        text="\n\n".join(paragraphs),
        outlet=outlet,
        published_at=SUNDAY + timedelta(hours=hours),
        summary=summary,
    )


COURIER = article(
    1,
    "Northern Courier",
    0,
    "A passenger ferry capsized on Lake Varno on Sunday morning, killing at least 12 people, officials in Kestrel Bay said.",
    "The ferry was carrying about 80 passengers when it overturned in strong winds.",
    "Rescue boats from three nearby villages joined the search.",
    "The operator, Varno Lines, suspended all crossings until further notice.",
    title="Ferry capsizes on Lake Varno",
)
POST = article(
    2,
    "Valley Post",
    2,
    "At least 12 people died when a ferry capsized on Lake Varno on Sunday, officials in Kestrel Bay said.",
    "The vessel had about 80 passengers on board when strong winds struck the lake.",
    "Divers were expected to reach the wreck by the afternoon, a harbour official said.",
    title="Twelve dead as ferry overturns",
)
RADIO = article(
    3,
    "Harbour Radio",
    20,
    "The death toll from Sunday's ferry capsizing on Lake Varno has risen to 19, officials in Kestrel Bay said.",
    "Divers recovered seven more bodies from the wreck overnight.",
    "The regional governor ordered an inquiry into why the ferry sailed despite a storm warning.",
    title="Ferry death toll rises",
)
STORY = [COURIER, POST, RADIO]


def texts(summary: list[StorySentence]) -> list[str]:
    return [sentence.text for sentence in summary]


def test_three_outlets_give_each_fact_once_the_newest_figure_first():
    summary = summarize_story(STORY, 4)
    assert [(sentence.outlet, sentence.text) for sentence in summary] == [
        ("Harbour Radio", "The death toll from Sunday's ferry capsizing on Lake Varno has risen to 19, officials in Kestrel Bay said."),
        # Two outlets word the 80 passengers; the newer report's wording is kept.
        ("Valley Post", "The vessel had about 80 passengers on board when strong winds struck the lake."),
        ("Harbour Radio", "Divers recovered seven more bodies from the wreck overnight."),
        ("Valley Post", "Divers were expected to reach the wreck by the afternoon, a harbour official said."),
    ]
    # The two reports of the older toll are superseded; the 80 passengers are told once though worded twice.
    assert not any("12 people" in text for text in texts(summary))
    assert sum("80 passengers" in text for text in texts(summary)) == 1


def test_each_sentence_carries_its_article_outlet_and_time():
    by_id = {story_article.id: story_article for story_article in STORY}
    for sentence in summarize_story(STORY, 4):
        source = by_id[sentence.article_id]
        assert sentence.outlet == source.outlet
        assert sentence.published_at == source.published_at
        assert sentence.text in source.text


def test_the_order_of_the_articles_given_does_not_matter():
    assert summarize_story(list(reversed(STORY)), 4) == summarize_story(STORY, 4)


def test_the_older_figure_is_superseded_even_when_it_is_the_only_other_report():
    summary = summarize_story([COURIER, RADIO], 2)
    assert texts(summary) == [
        "The death toll from Sunday's ferry capsizing on Lake Varno has risen to 19, officials in Kestrel Bay said.",
        "The ferry was carrying about 80 passengers when it overturned in strong winds.",
    ]


def test_without_an_update_the_fact_all_outlets_report_leads():
    summary = summarize_story([COURIER, POST], 3)
    # Both leads tell the same 12 deaths: one is kept, and of two wordings the newer report's.
    assert [(sentence.outlet, sentence.text) for sentence in summary] == [
        ("Valley Post", "At least 12 people died when a ferry capsized on Lake Varno on Sunday, officials in Kestrel Bay said."),
        ("Valley Post", "The vessel had about 80 passengers on board when strong winds struck the lake."),
        ("Valley Post", "Divers were expected to reach the wreck by the afternoon, a harbour official said."),
    ]


def test_a_word_budget_is_never_exceeded():
    summary = summarize_story(STORY, words=30)
    # 19 words, then the 13-word passengers sentence would overflow, so the next best that fits (8 words).
    assert texts(summary) == [
        "The death toll from Sunday's ferry capsizing on Lake Varno has risen to 19, officials in Kestrel Bay said.",
        "Divers recovered seven more bodies from the wreck overnight.",
    ]
    assert sum(len(text.split()) for text in texts(summary)) <= 30
    assert summarize_story(STORY, words=3) == []


def test_one_article_gives_its_own_lead_in_its_own_order():
    assert texts(summarize_story([COURIER], 2)) == [
        "A passenger ferry capsized on Lake Varno on Sunday morning, killing at least 12 people, officials in Kestrel Bay said.",
        "The ferry was carrying about 80 passengers when it overturned in strong winds.",
    ]


def test_one_article_with_its_own_summary_keeps_that_summary():
    own = ("The operator, Varno Lines, suspended all crossings until further notice.",)
    summary = summarize_story([article(9, "Valley Post", 1, *COURIER.text.split("\n\n"), summary=own)], 3)
    assert summary == [StorySentence(own[0], 9, "Valley Post", SUNDAY + timedelta(hours=1))]


def test_own_summaries_are_candidates_beyond_the_lead():
    late = "Varno Lines said its other ferries would be inspected before crossings resumed on the lake."
    long_report = article(
        4,
        "Lakeside Daily",
        3,
        *(f"Paragraph {number} of background about the villages around the lake." for number in range(1, 12)),
        late,
        summary=(late,),
    )
    summarizer = StorySummarizer()
    summarizer.lead_sentences = 2
    assert late in texts(summarizer([COURIER, long_report], 4))


def test_new_since_keeps_only_what_the_chat_was_not_shown():
    summary = summarize_story(STORY, 4)
    shown = [
        # The same words, a paraphrase with the same figure, and the older toll.
        "Divers recovered seven more bodies from the wreck overnight.",
        "About 80 passengers were on the ferry when it overturned in strong winds, the Courier said.",
        "A passenger ferry capsized on Lake Varno on Sunday morning, killing at least 12 people, officials in Kestrel Bay said.",
    ]
    assert texts(new_since(summary, shown)) == [
        # The risen toll is a new figure, so it is news though most of its words were shown.
        "The death toll from Sunday's ferry capsizing on Lake Varno has risen to 19, officials in Kestrel Bay said.",
        "Divers were expected to reach the wreck by the afternoon, a harbour official said.",
    ]
    assert new_since(summary, []) == summary
    assert new_since([], shown) == []


def test_no_articles_or_no_length_give_nothing():
    assert summarize_story([], 3) == []
    assert summarize_story(STORY, 0) == []
    assert summarize_story([article(5, "Valley Post", 0, "")], 3) == []


def test_a_story_of_500_articles_finishes():
    towns = ["Kestrel Bay", "Orrin", "Marlow Cross", "Tenby Hythe", "Asker Vale"]
    articles = [
        article(
            number,
            f"Outlet {number % 40}",
            number / 4,
            f"The death toll from the ferry capsizing on Lake Varno has risen to {12 + number // 25}, officials in {towns[number % 5]} said.",
            f"Report {number}: divers searched the {['north', 'south', 'east', 'west'][number % 4]} shore for a {number}th hour.",
            *(f"Background paragraph {line} of report {number} about the crossings and the weather on the lake." for line in range(30)),
        )
        for number in range(500)
    ]
    start = time.perf_counter()
    summary = summarize_story(articles, words=250)
    # A hang detector, not a timing benchmark (benchmarks/story_summary.py times it).
    assert time.perf_counter() - start < 20
    # The newest toll (the last 25 reports say 31) comes first, and the toll only once.
    assert summary[0].text.startswith("The death toll from the ferry capsizing on Lake Varno has risen to 31,")
    assert summary[0].article_id >= 475
    assert sum("death toll" in sentence.text for sentence in summary) == 1


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400) | st.lists(
    st.sampled_from(["The toll rose to 19.", "Ferry sank.", "“Help,” he said?", "12,000 fled", "\n\n", "A", "Mr. X. Y.", " "]),
    max_size=12,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            _TEXT,
            st.text(max_size=12),
            st.datetimes(timezones=st.none() | st.just(timezone.utc)),
            st.lists(_TEXT, max_size=3),
        ),
        max_size=6,
    ),
    st.integers(min_value=-1, max_value=6),
    st.none() | st.integers(min_value=-1, max_value=80),
)
def test_summarize_story_never_crashes(items, sentences, budget):
    articles = [
        StoryArticle(id=number, title="", text=text, outlet=outlet, published_at=published, summary=tuple(summary))
        for number, (text, outlet, published, summary) in enumerate(items)
    ]
    summary = summarize_story(articles, sentences, words=budget)
    ids = {story_article.id for story_article in articles}
    assert all(sentence.article_id in ids and sentence.text.strip() for sentence in summary)
    if budget is None:
        assert len(summary) <= max(0, sentences)
    else:
        assert sum(len(sentence.text.split()) for sentence in summary) <= max(0, budget)
    assert new_since(summary, [sentence.text for sentence in summary]) == []
