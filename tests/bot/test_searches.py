from __future__ import annotations

from bot.searches import MAX_CHARS, MAX_TERMS, MIN_SAMPLE, matches_too_much, parse_search, topic_typo
from bot.topics import Topics


def test_a_search_key_is_the_normalised_query_and_its_label_the_words_as_typed() -> None:
    assert parse_search("Grain,  EXPORTS grain").key == "exports grain"
    assert parse_search("Grain,  EXPORTS grain").label == "Grain, EXPORTS grain"
    assert parse_search("exports grain").key == parse_search("grain exports").key == "exports grain"
    assert parse_search('"grain exports"').key == '"grain exports"'
    assert parse_search('"exports grain"').key == '"exports grain"'  # a phrase keeps its order
    assert parse_search('"grain exports"').label == '"grain exports"'
    assert parse_search("Russia-Ukraine talks").key == 'talks "russia ukraine"'  # a hyphen inside a word is no minus
    assert parse_search("grain −wheat").key == "grain -wheat"
    assert parse_search('«Black Sea» grain -„red sea“').key == 'grain "black sea" -"red sea"'
    assert parse_search("зерно ЭКСПОРТ").key == "зерно экспорт"
    assert parse_search("🌾 wheat").key == "wheat"


def why(text: str) -> str:
    """The reason the words are refused, its placeholders filled as the handler fills them."""
    request = parse_search(text)
    return request.refusal.format(chars=MAX_CHARS, terms=MAX_TERMS, count=request.query.size)


def test_what_would_match_nothing_or_nearly_everything_is_refused_with_the_reason() -> None:
    assert parse_search("🌾🌾").refusal == "has no letters or digits to search for"
    assert parse_search("of THE").refusal == "is only common words, which nearly every story has"
    assert parse_search('"of the" -wheat').refusal == "is only common words, which nearly every story has"
    assert parse_search("-football").refusal.startswith("has only words to leave out (with a minus) and nothing to find")
    assert parse_search('-football −"premier league"').refusal.startswith("has only words to leave out")
    assert parse_search("grain -wheat").refusal == ""
    assert why(" ".join(f"w{n}" for n in range(9))) == "has 9 words: a saved search is at most 8"
    assert why('w1 w2 w3 "w4 w5 w6" -"w7 w8 w9"') == "has 9 words: a saved search is at most 8"
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
