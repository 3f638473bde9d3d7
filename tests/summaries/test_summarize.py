from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summaries.article import Article
from summaries.summarize import ALGORITHMS, summarize

STORY = Article(
    title="Harbour council approves bridge repair",
    text=(
        "Support Local Journalism!\n\n"
        "The Harbour City council voted 7-2 on Tuesday to spend $4.2m repairing the Old Swing Bridge.\n\n"
        "“This bridge is how half of the east side gets to work,” said Mayor Elena Marsh.\n\n"
        "He added that it was overdue.\n\n"
        "Work on the bridge repair is expected to begin in January and take about eight months, the council said.\n\n"
        "Two councillors voted against the bridge plan, saying a new crossing upstream would be cheaper.\n\n"
        "The repair will be paid for from reserves and a regional transport grant of $1.5m.\n\n"
        "Photo: Harbour City Council"
    ),
)


def test_default_summary_is_in_document_order_and_free_of_chrome():
    summary = summarize(STORY, 3)
    # The lead, the mayor's named quotation, then the next self-standing sentence:
    # "He added that it was overdue." leans on a sentence that is not chosen.
    assert [sentence.text for sentence in summary] == [
        "The Harbour City council voted 7-2 on Tuesday to spend $4.2m repairing the Old Swing Bridge.",
        "“This bridge is how half of the east side gets to work,” said Mayor Elena Marsh.",
        "Work on the bridge repair is expected to begin in January and take about eight months, the council said.",
    ]
    assert [s.index for s in summary] == sorted(s.index for s in summary)


def test_a_percentage_of_the_sentences():
    # Six sentences are left once the masthead and the photo credit are out.
    assert len(summarize(STORY, "50%")) == 3
    assert len(summarize(STORY, "1%")) == 1


def test_one_and_two_sentence_articles_give_what_they_have():
    assert [s.text for s in summarize(Article(text="Only one sentence here."), 3)] == ["Only one sentence here."]
    two = Article(text="Shares fell. Traders sold.")
    assert [s.text for s in summarize(two, 3)] == ["Shares fell.", "Traders sold."]


def test_empty_article_gives_an_empty_summary():
    assert summarize(Article(text=""), 3) == []
    assert summarize(Article(text="   \n\n  "), 3) == []


def test_an_article_in_german_gets_a_german_summary():
    article = Article(
        language="german",
        text=(
            "Der Stadtrat hat am Dienstag die Reparatur der alten Drehbrücke beschlossen. "
            "Die Arbeiten sollen im Januar beginnen und etwa acht Monate dauern. "
            "Zwei Ratsmitglieder stimmten dagegen. "
            "Die Kosten trägt zum Teil das Land."
        ),
    )
    assert [s.text for s in summarize(article, 2)] == [
        "Der Stadtrat hat am Dienstag die Reparatur der alten Drehbrücke beschlossen.",
        "Die Arbeiten sollen im Januar beginnen und etwa acht Monate dauern.",
    ]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_runs_without_nltk_data(algorithm):
    summary = summarize(STORY, 2, algorithm)
    assert len(summary) == 2
    assert all("Support Local Journalism" not in s.text for s in summary)


def test_an_unknown_algorithm_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="unknown summarisation algorithm 'best'; choose one of news, lead"):
        summarize(STORY, 2, "best")


def test_near_duplicate_sentences_are_not_both_chosen():
    article = Article(
        text=(
            "Police said the man was arrested on Sunday night in the city centre. "
            "Police said the man was arrested on Sunday night in the city centre, officers confirmed. "
            "He is due in court on Monday morning to face the charges."
        )
    )
    texts = [s.text for s in summarize(article, 2)]
    assert texts == [
        "Police said the man was arrested on Sunday night in the city centre.",
        "He is due in court on Monday morning to face the charges.",
    ]


@given(st.text(max_size=800), st.integers(min_value=1, max_value=5))
@settings(max_examples=150, deadline=None)
def test_summaries_never_crash_and_stay_within_length(text, count):
    summary = summarize(Article(text=text), count)
    assert len(summary) <= count
    assert [s.index for s in summary] == sorted(s.index for s in summary)


def test_the_sumy_algorithm_names_known_without_importing_sumy_are_its_classes() -> None:
    from summaries.summarizers import SUMY_NAMES
    from summaries.summarizers.sumy_algorithms import SUMY_CLASSES

    assert SUMY_NAMES == tuple(SUMY_CLASSES)


def test_a_very_long_article_is_summarised_from_its_first_sentences() -> None:
    from summaries.summarize import RANKED_SENTENCES, summarize_sentences
    from summaries.article import Sentence

    texts = [f"Officials counted {number} ballots in the northern district on Tuesday evening." for number in range(2_500)]
    # The title's own words, but past the first RANKED_SENTENCES: ranking it would hold every sentence in memory.
    texts[2_400] = "The harbour council approves the bridge repair after a long debate."
    sentences, offset = [], 0
    for index, text in enumerate(texts):
        sentences.append(Sentence(text, offset, offset + len(text), index=index))
        offset += len(text) + 1

    summary = summarize_sentences(sentences, "Harbour council approves bridge repair", 3)

    assert [sentence.index for sentence in summary] == [0]  # the rest repeat it: one sentence says it
    assert RANKED_SENTENCES == 2_000
