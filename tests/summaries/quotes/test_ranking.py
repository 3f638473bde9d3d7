"""Key quotes across one or several articles (invented people, invented words)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from summaries.analysis import analyze
from summaries.article import Article
from summaries.quotes import Quote, extract_quotes, key_quotes, rank_article_quotes, same_words, score_quote


def quote(
    text: str,
    speaker: str | None = "Marsh",
    speaker_name: str | None = "Elena Marsh",
    role: str | None = "Mayor",
    kind: str = "full",
    source: str | None = None,
) -> Quote:
    """A quotation as extract_quotes makes them."""
    full = f"{role} {speaker_name}" if role and speaker_name else speaker_name or speaker
    return Quote(text, speaker, full, speaker_name, role, "said" if speaker else None, 0, len(text), kind, source=source)


BRIDGE = "The bridge will reopen in May, and the ferry will keep running until it does."
FERRY = "The ferry has carried more people this winter than the bridge did in a whole year."


def test_scare_quotes_titles_fragments_and_unattributed_words_are_never_key():
    candidates = [
        quote("incorrect", kind="scare"),
        quote("Bridges of the East Side", kind="title"),
        quote("a duty", kind="partial"),
        quote(BRIDGE, speaker=None, speaker_name=None, role=None),
    ]
    assert key_quotes(candidates) == []
    assert [score_quote(candidate) for candidate in candidates] == [0.0, 0.0, 0.0, 0.0]


def test_a_named_titled_speaker_outranks_an_anonymous_source():
    anonymous = quote(FERRY, speaker="a council official", speaker_name=None, role=None)
    named = quote(BRIDGE)
    chosen = key_quotes([anonymous, named], limit=1)
    assert [(chosen_quote.text, chosen_quote.key) for chosen_quote in chosen] == [(BRIDGE, True)]
    assert score_quote(named) > score_quote(anonymous) > 0


def test_a_speaker_inferred_without_a_cue_counts_for_less():
    inferred = replace(quote(BRIDGE), cue=None)
    assert score_quote(quote(BRIDGE)) > score_quote(inferred) > 0


def test_a_full_sentence_outranks_a_fragment_of_the_same_speaker():
    fragment = quote("keep running until the bridge reopens", kind="partial")
    full = quote(BRIDGE)
    assert [chosen.text for chosen in key_quotes([fragment, full], limit=1)] == [BRIDGE]


def test_the_same_words_from_several_outlets_count_once():
    first = quote(BRIDGE, source="harbour-gazette")
    shorter = quote("The bridge will reopen in May", source="east-side-news")
    again = quote(BRIDGE.replace("and the", "and, yes, the"), source="evening-post")
    other = quote(FERRY, speaker="Okafor", speaker_name="Tom Okafor", role="Councillor", source="east-side-news")
    chosen = key_quotes([first, shorter, again, other], limit=5)
    assert [(chosen_quote.text, chosen_quote.source) for chosen_quote in chosen] == [
        (BRIDGE, "harbour-gazette"),
        (FERRY, "east-side-news"),
    ]


def test_same_words_tells_a_cut_or_a_retelling_from_a_different_quotation():
    assert same_words(BRIDGE, "The bridge will reopen in May")
    assert same_words(BRIDGE, BRIDGE.upper())
    assert not same_words(BRIDGE, FERRY)


def test_the_topic_asked_for_lifts_a_quotation_about_it():
    ferry = quote(FERRY)
    budget = quote("The budget for next year leaves nothing for the parks or the libraries.")
    assert [chosen.text for chosen in key_quotes([budget, ferry], topic_terms=["ferry"], limit=1)] == [FERRY]
    assert [chosen.text for chosen in key_quotes([ferry, budget], topic_terms=["budget"], limit=1)] == [budget.text]


def test_a_second_quotation_of_the_same_speaker_makes_way_for_another_voice():
    marsh_again = quote("We will not let the east side wait another winter for a crossing it was promised.")
    okafor = quote(FERRY, speaker="Okafor", speaker_name="Tom Okafor", role="Councillor")
    chosen = key_quotes([quote(BRIDGE), marsh_again, okafor], limit=2)
    assert [chosen_quote.speaker_name for chosen_quote in chosen] == ["Elena Marsh", "Tom Okafor"]


def test_limit_caps_the_digest():
    many = [
        quote(BRIDGE),
        quote(FERRY, speaker="Okafor", speaker_name="Tom Okafor", role="Councillor"),
        quote("Nobody on the east side should have to take a boat to reach the hospital.", speaker="Lund", speaker_name="Greta Lund", role=None),
    ]
    assert [chosen.speaker_name for chosen in key_quotes(many, limit=2)] == ["Elena Marsh", "Tom Okafor"]
    assert key_quotes(many, limit=0) == []


def test_rank_article_quotes_puts_key_quotes_first_then_the_rest_in_document_order():
    text = (
        "Mayor Elena Marsh said the council had “no choice.”\n\n"
        "“The bridge will reopen in May, and the ferry will keep running until it does,” Marsh said.\n\n"
        "Councillor Tom Okafor called the plan “a shambles.”\n\n"
        "“The ferry has carried more people this winter than the bridge did in a whole year,” Okafor told reporters."
    )
    ranked = rank_article_quotes(extract_quotes(text), story_terms="bridge ferry reopen", limit=2)
    assert [(ranked_quote.text[:20], ranked_quote.key) for ranked_quote in ranked] == [
        ("The bridge will reop", True),
        ("The ferry has carrie", True),
        ("no choice", False),
        ("a shambles", False),
    ]


def test_analyze_fills_the_quotes_of_an_article_key_ones_first():
    text = (
        "The harbour bridge will reopen in May, the council said on Tuesday.\n\n"
        "“The bridge will reopen in May, and the ferry will keep running until it does,” Mayor Elena Marsh said.\n\n"
        "Councillor Tom Okafor called the repair “overdue.”"
    )
    analysis = analyze(Article(text, title="Harbour bridge to reopen in May"))
    assert [(found.text[:20], found.kind, found.key, found.speaker_full) for found in analysis.quotes] == [
        ("The bridge will reop", "full", True, "Mayor Elena Marsh"),
        ("overdue", "scare", False, "Councillor Tom Okafor"),  # "called": a label, never a key quote
    ]


def test_to_dict_lists_the_shared_keys_first_and_is_plain_json():
    found = replace(quote(BRIDGE), score=0.5, key=True)
    data = found.to_dict()
    assert list(data)[:7] == ["text", "speaker", "speaker_full", "cue", "start", "end", "kind"]
    assert data["speaker_name"] == "Elena Marsh" and data["key"] is True and data["score"] == 0.5


def test_any_dataclass_with_the_quote_fields_can_be_ranked():
    @dataclass(frozen=True)
    class StoredQuotation:
        text: str
        speaker: str
        speaker_full: str
        speaker_name: str
        role: str
        cue: str
        kind: str
        score: float = 0.0
        key: bool = False

    rows = [
        StoredQuotation(BRIDGE, "Marsh", "Mayor Elena Marsh", "Elena Marsh", "Mayor", "said", "full"),
        StoredQuotation("overdue", "Okafor", "Councillor Tom Okafor", "Tom Okafor", "Councillor", "called", "scare"),
    ]
    assert [(row.text, row.key) for row in key_quotes(rows)] == [(BRIDGE, True)]
