"""Who said what, right every time: one person, one name, never "it" (invented people and bodies only)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summaries.quotes import extract_quotes, key_quotes
from summaries.quotes.lexicon import SUBJECT_PRONOUNS


def speakers(*paragraphs: str) -> list[tuple[str, str | None]]:
    return [(quote.text, quote.speaker_full) for quote in extract_quotes("\n\n".join(paragraphs))]


def test_he_after_a_meeting_hosted_by_someone_is_not_the_host():
    found = speakers(
        "Arun Velaskar, the harbour board's finance chief, argued that the levy must change.",
        "Mr Velaskar is attending the summit as a guest of the port authority.",
        "At a dinner hosted by port director Gordon Pell on Friday, he said that fees should float.",
        "“A flexible fee is one more way to absorb bad seasons,” he told the dinner.",
    )
    assert found == [("A flexible fee is one more way to absorb bad seasons", "Arun Velaskar")]


def test_he_after_the_subject_that_opens_his_sentence_is_that_subject_not_the_last_speaker():
    found = speakers(
        "“The fees will float from May,” said finance chief Arun Velaskar.",
        "Port director Gordon Pell condemned what he called a “reckless sale” of the town’s pier.",
        "“I count on the council to stop it,” he told reporters.",
    )
    assert [speaker for _, speaker in found] == ["finance chief Arun Velaskar", "Port director Gordon Pell", "Port director Gordon Pell"]


def test_a_title_with_of_before_a_name_is_that_persons_role():
    found = speakers(
        "Secretary of Harbours Ingrid Halvorsen said the quay would reopen, calling it “a fresh start.”",
        "“We will pay the crews for the lost weeks,” she said.",
        "A spokesman for Mayor Tom Okafor said the council had “no comment.”",
        "Mayor Grace Lindqvist of Port Silver said: “The ferry will run all winter.”",
    )
    assert found == [
        ("a fresh start", "Secretary of Harbours Ingrid Halvorsen"),
        ("We will pay the crews for the lost weeks", "Secretary of Harbours Ingrid Halvorsen"),
        ("no comment", "A spokesman for Mayor Tom Okafor"),
        ("The ferry will run all winter.", "Mayor Grace Lindqvist"),
    ]


def test_an_unnamed_source_or_relative_after_a_party_or_date_word_is_the_speaker():
    found = speakers(
        "“The vote will slip to March,” said one Republican source on the harbour board.",
        "“He never came home,” said his 9-year-old son.",
        "“We are sick of waiting,” said a Harbourside resident.",
    )
    assert found == [
        ("The vote will slip to March", "one Republican source"),
        ("He never came home", "his 9-year-old son"),
        ("We are sick of waiting", "a Harbourside resident"),
    ]


def test_him_after_a_name_is_someone_else_and_does_not_make_her_a_he():
    found = speakers(
        "Harbour Commissioner Claire Okafor scolded him: “The quay is not yours to sell,” she said.",
    )
    assert found == [("The quay is not yours to sell", "Harbour Commissioner Claire Okafor")]


def test_as_someone_put_it_reports_their_words():
    found = speakers(
        "As Ida Brenner, a lawyer at the harbour board, recently put it, “Nobody reads the small print.”",
        "As Tom Okafor puts it: “The pier pays for itself.”",
        "He put it on the table, “finally”, after a week.",
    )
    assert found == [
        ("Nobody reads the small print.", "Ida Brenner, a lawyer at the harbour board"),
        ("The pier pays for itself.", "Tom Okafor"),
        ("finally", None),
    ]


def test_two_named_speakers_are_both_and_a_body_with_and_is_whole():
    found = speakers(
        "Ida Brenner and Tom Okafor said: “The pier must stay.”",
        "The Harbours and Fisheries Authority said: “The quota will not change.”",
        "Guests included Ida Brenner, Wilma Prandt and Tom Okafor, who joked: “I came for the cake.”",
    )
    assert found == [
        ("The pier must stay.", "Ida Brenner and Tom Okafor"),
        ("The quota will not change.", "The Harbours and Fisheries Authority"),
        ("I came for the cake.", "Tom Okafor"),
    ]
    assert [quote.person_key for quote in extract_quotes("Ida Brenner and Tom Okafor said: “The pier must stay.”")] == [None]


def test_it_is_the_organisation_named_before_or_nobody():
    found = speakers(
        "Corvane said it would replace the faulty chargers.",
        "In a statement, it added: “No customer was hurt by the chargers we sold.”",
        "“We will not stop until every pier is safe,” it said.",
    )
    assert [speaker for _, speaker in found] == ["Corvane", "Corvane"]
    lone = extract_quotes("“The pier is closed until further notice and nobody may fish there,” it said.")
    assert [(quote.speaker, quote.speaker_full, quote.key) for quote in key_quotes(lone)] == []
    assert [quote.speaker for quote in lone] == [None]


def test_one_person_one_display_name_and_key():
    found = extract_quotes(
        "\n\n".join(
            (
                "“The nets are empty this year,” Halvorsen said.",
                "Harbour Minister Ingrid Halvorsen visited the quay on Tuesday.",
                "“We will pay the crews for the lost weeks,” Ms Halvorsen told reporters.",
            )
        )
    )
    assert [(quote.speaker_full, quote.person_key) for quote in found] == [
        ("Harbour Minister Ingrid Halvorsen", "ingrid halvorsen"),
        ("Harbour Minister Ingrid Halvorsen", "ingrid halvorsen"),
    ]


def test_roles_and_bodies_are_kept_whole():
    found = speakers(
        "The Trade and Fisheries Secretary Wilma Prandt opened the market.",
        "“We will extend the quota, from six months to nine,” Prandt said.",
        "There was a “deep shortage” of inspectors, the Assembly harbour and fisheries committee added.",
        "The Minister for the Coast, Theresa Lund, said: “These plans were announced a year ago and nothing has moved since.”",
    )
    assert [speaker for _, speaker in found] == [
        "Trade and Fisheries Secretary Wilma Prandt",
        "the Assembly harbour and fisheries committee",
        "Theresa Lund",
    ]


def test_roundup_entries_and_tweets_get_their_speaker():
    found = speakers(
        "What the columnists say.",
        "Ida Brennerova, Harbour Daily: “The council has lost the plot on the pier.”",
        "Tomas Okoro (@tomokoro): “Nobody asked the fishermen what they wanted.”",
        "Marta Lindqvist tweeted: “The new pier is a disgrace to the town.”",
    )
    assert [speaker for _, speaker in found] == ["Ida Brennerova", "Tomas Okoro", "Marta Lindqvist"]


def test_a_line_signed_with_a_dash_and_a_name_is_that_persons_quote():
    found = extract_quotes(
        "What readers told us.\n\n"
        "“The pier was the heart of the town and they sold it.”― Ines Caldera\n"
        "“Nobody asked the fishermen anything at all.” — Bram de Wit.\n"
        "“I will keep fishing from the rocks instead.” – Ole Brask, 71, a retired skipper\n"
    )
    assert [(quote.speaker, quote.kind) for quote in found] == [
        ("Ines Caldera", "full"),
        ("Bram de Wit", "full"),
        ("Ole Brask", "full"),
    ]


def test_a_dash_and_a_name_after_a_quotation_inside_prose_sign_nothing():
    found = speakers(
        "They watched “The Last Pier” - Harbour Daily",
        "Locals said the sale was “a quiet disgrace” — Ines Caldera",
    )
    assert found == [("The Last Pier", None), ("a quiet disgrace", "Locals")]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["“", "”", "\"", "'", "‘", "’", "«", "»", "„", "‚", ",", ".", ":", "\n\n", " he said", " it added", " they said",
             " she told", " Rose", " Bush", " Young", " Brown", " Pat Brown", " Kim Brown", " said", " Mr", " the", " firm",
             " We", " I", " You", " pier", " according to", " (@handle)", " - ", " and"]
        ),
        max_size=60,
    )
)
def test_never_crashes_and_never_gives_a_pronoun(pieces: list[str]):
    for quote in extract_quotes("".join(pieces)):
        assert (quote.speaker_full or "").lower() not in SUBJECT_PRONOUNS
        assert (quote.speaker or "").lower() not in SUBJECT_PRONOUNS


def test_a_pronoun_in_an_appositive_is_not_the_named_persons():
    found = extract_quotes(
        "Democratic nominee Ida Brenner spoke first. Tom Okafor, her Republican opponent, spoke next.\n\n“We will win,” he said."
    )
    assert [quote.speaker_full for quote in found] == ["Tom Okafor"]



def test_a_long_quotation_does_not_use_up_the_reach_of_she():
    found = speakers(
        "Rakel Vidal can be heard telling the officers that her husband was unarmed.",
        "“Don't shoot him,” she says. “Don't shoot him. He has no weapon. He has no weapon. Don't shoot him.”",
        "She then urges her husband to get out of the car. The camera is facing the ground now.",
        "“Did you shoot him? He better not be dead,” she yells while running along the street.",
        "When she gets nearer, four officers are seen around someone on the street. Two are kneeling over him.",
        "“He better live,” she said.",
    )
    assert [speaker for _, speaker in found] == ["Rakel Vidal"] * 3


def test_she_after_an_unnamed_woman_is_not_a_woman_named_further_back():
    found = speakers(
        "Reporter Ida Brenner spent a week in the town for the piece.",
        "The woman's enthusiasm for the candidate is recorded in detail:",
        "“Here he comes,” she said, clapping.",
    )
    assert found == [("Here he comes", None)]
