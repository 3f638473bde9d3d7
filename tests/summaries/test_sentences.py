from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.corpus import boundary_counts
from summaries.sentences import split_sentences

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


def test_plain_sentences():
    assert texts("The vote passed. Shares rose! Is it over? Nobody knows.") == [
        "The vote passed.",
        "Shares rose!",
        "Is it over?",
        "Nobody knows.",
    ]


def test_abbreviations_titles_and_dates_do_not_end_sentences():
    text = "Mr. Smith met Dr. Jones on Dec. 19 in the U.S. capital. They talked until 9 p.m. on Friday."
    assert texts(text) == [
        "Mr. Smith met Dr. Jones on Dec. 19 in the U.S. capital.",
        "They talked until 9 p.m. on Friday.",
    ]


def test_acronym_at_the_end_of_a_sentence():
    assert texts("Troops will leave the U.S. The decision came on Friday.") == [
        "Troops will leave the U.S.",
        "The decision came on Friday.",
    ]


def test_initials_and_money():
    text = "John F. Kennedy spoke. Profits rose 76% to $1.13bn (£600m). J.K. Rowling wrote back."
    assert texts(text) == ["John F. Kennedy spoke.", "Profits rose 76% to $1.13bn (£600m).", "J.K. Rowling wrote back."]


def test_quotation_closing_after_the_full_stop():
    text = "He said: “We reached an agreement.” The talks ended. “It is over,” she said."
    assert texts(text) == ["He said: “We reached an agreement.”", "The talks ended.", "“It is over,” she said."]


def test_question_inside_a_quotation_followed_by_the_speaker():
    assert texts('"Is it over?" he asked. "It was a recovery..." Hailey later recalled.') == [
        '"Is it over?" he asked.',
        '"It was a recovery..." Hailey later recalled.',
    ]


def test_a_quotation_over_two_sentences_is_split_like_news_gold():
    text = '"Some countries tried fixed rates. I do not wish to judge," Mr Chidambaram said.'
    assert texts(text) == ["\"Some countries tried fixed rates.", 'I do not wish to judge," Mr Chidambaram said.']


def test_headline_lines_without_a_full_stop_are_sentences():
    text = "Assad Message\nThe meeting came at a delicate time."
    assert texts(text) == ["Assad Message", "The meeting came at a delicate time."]


def test_hard_wrapped_lines_are_joined():
    text = (
        "The council voted on Tuesday night to spend four million repairing the\n"
        "old swing bridge, which has been closed since a storm in March. Work\n"
        "starts in January."
    )
    assert [sentence.text.replace("\n", " ") for sentence in split_sentences(text)] == [
        "The council voted on Tuesday night to spend four million repairing the old swing bridge, which has been closed since a storm in March.",
        "Work starts in January.",
    ]


def test_sentence_glued_to_the_next_by_a_saved_page():
    assert texts("inside its own borders.Russia and Turkey have been maneuvering.") == [
        "inside its own borders.",
        "Russia and Turkey have been maneuvering.",
    ]


def test_tokenised_text_with_detached_full_stops():
    assert texts("police say they have no objections . With plenty at stake , fans wait .") == [
        "police say they have no objections .",
        "With plenty at stake , fans wait .",
    ]


def test_ellipsis_before_lower_case_continues_the_sentence():
    assert texts("It was a recovery... much patchier than thought. Then it ended.") == [
        "It was a recovery... much patchier than thought.",
        "Then it ended.",
    ]


def test_paragraphs_are_numbered_and_offsets_point_into_the_text():
    text = "First one. Second one.\n\nThird one."
    sentences = split_sentences(text)
    assert [(s.paragraph, s.index) for s in sentences] == [(0, 0), (0, 1), (1, 2)]
    assert [text[s.start : s.end] for s in sentences] == ["First one.", "Second one.", "Third one."]


def test_a_paragraph_without_punctuation_is_cut_into_bounded_pieces():
    text = " ".join(["word"] * 100_000)
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert max(len(s.text) for s in sentences) <= 2000
    assert sum(len(s.text.split()) for s in sentences) == 100_000


def test_empty_and_blank_text():
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t ") == []


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
@settings(max_examples=300, deadline=None)
def test_sentences_cover_the_text_in_order(text):
    sentences = split_sentences(text)
    position = 0
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= position
        assert sentence.text == sentence.text.strip() and sentence.text
        assert text[position : sentence.start].strip() == ""
        position = sentence.end
    assert text[position:].strip() == ""


@given(st.text(alphabet='.!?…"“”«»\'() \nAa1', max_size=300))
@settings(max_examples=300, deadline=None)
def test_punctuation_storms_never_break_the_splitter(text):
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_bbc_boundaries_reach_the_target():
    root = CORPUS / "bbc-100" / "article"
    if not root.exists():
        pytest.skip(f"{root} is absent: the corpus lives in ../shared beside the project")
    found, expected, correct = boundary_counts(lambda paragraph: [s.end for s in split_sentences(paragraph)])
    precision, recall = correct / found, correct / expected
    assert 2 * precision * recall / (precision + recall) >= 0.99
