from __future__ import annotations

from bot.searches import MAX_CHARS, MAX_TERMS, MIN_SAMPLE, SearchRequest, matches_too_much, parse_search, topic_typo
from bot.topics import Topics


def test_a_search_is_its_terms_in_the_order_typed_each_once() -> None:
    assert parse_search("Grain,  EXPORTS grain") == SearchRequest("grain exports", "Grain, EXPORTS grain")
    assert parse_search('"grain exports"') == SearchRequest("grain exports", "grain exports")
    assert parse_search("Russia-Ukraine talks").key == "russia ukraine talks"  # a hyphen inside a word is no minus
    assert parse_search("зерно ЭКСПОРТ").key == "зерно экспорт"
    assert parse_search("🌾 wheat").key == "wheat"


def why(text: str) -> str:
    """The reason the words are refused, its placeholders filled as the handler fills them."""
    request = parse_search(text)
    return request.refusal.format(chars=MAX_CHARS, terms=MAX_TERMS, count=request.size)


def test_what_would_match_nothing_or_nearly_everything_is_refused_with_the_reason() -> None:
    assert parse_search("🌾🌾").refusal == "has no letters or digits to search for"
    assert parse_search("of THE").refusal == "is only common words, which nearly every story has"
    assert parse_search("-football").refusal.startswith("has a word with a minus")
    assert parse_search("wheat −football").refusal.startswith("has a word with a minus")
    assert why(" ".join(f"w{n}" for n in range(9))) == "has 9 words: a saved search is at most 8"
    assert why("w" * 201) == "is too long: a saved search is at most 200 characters"
    assert why(" ".join(["word"] * 500)) == "is too long: a saved search is at most 200 characters"


def test_nearly_everything_is_more_than_half_of_enough_recent_articles() -> None:
    assert matches_too_much(26, 50) is True
    assert matches_too_much(25, 50) is False
    assert matches_too_much(MIN_SAMPLE - 1, MIN_SAMPLE - 1) is False  # too few stored to tell
    assert matches_too_much(0, 0) is False


def test_only_one_unquoted_word_can_be_a_topic_typo(topics: Topics) -> None:
    assert [topic.name for topic in topic_typo("sprot", topics)] == ["sport"]
    assert topic_typo('"sprot"', topics) == []
    assert topic_typo("sprot news", topics) == []
