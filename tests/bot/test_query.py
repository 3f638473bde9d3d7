from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.query import Query, parse_query


def test_plain_words_are_casefolded_sorted_and_kept_once() -> None:
    assert parse_query("Grain  EXPORTS, grain") == Query(words=("exports", "grain"))
    assert parse_query("grain exports").key == parse_query("exports grain").key == "exports grain"


def test_a_quoted_phrase_keeps_its_words_in_order() -> None:
    assert parse_query('"grain exports" Ukraine') == Query(words=("ukraine",), phrases=(("grain", "exports"),))
    assert parse_query('"exports grain"').key == '"exports grain"'
    assert parse_query('"new new york"') == Query(phrases=(("new", "new", "york"),))


def test_every_kind_of_quote_makes_a_phrase() -> None:
    expected = Query(phrases=(("black", "sea"),))
    for text in ('"Black Sea"', "«Black Sea»", "„Black Sea“", "“Black Sea”", "”Black Sea”", "»Black Sea«"):
        assert parse_query(text) == expected, text


def test_an_unbalanced_quote_is_closed_at_the_end() -> None:
    assert parse_query('grain "black sea') == Query(words=("grain",), phrases=(("black", "sea"),))
    assert parse_query('grain -"black sea') == Query(words=("grain",), excluded_phrases=(("black", "sea"),))
    assert parse_query('"') == Query()


def test_a_quoted_single_word_is_that_word() -> None:
    assert parse_query('"sprot"') == Query(words=("sprot",))
    assert parse_query('-"wheat"') == Query(excluded_words=("wheat",))


def test_a_minus_before_a_word_or_a_quote_excludes() -> None:
    assert parse_query('grain -wheat −maize –"red sea"') == Query(
        words=("grain",), excluded_words=("maize", "wheat"), excluded_phrases=(("red", "sea"),)
    )
    assert parse_query("grain --wheat") == Query(words=("grain",), excluded_words=("wheat",))
    assert parse_query('grain -wheat -"red sea"').key == 'grain -wheat -"red sea"'


def test_a_lone_minus_or_one_inside_a_word_or_phrase_is_no_exclusion() -> None:
    assert parse_query("grain - wheat -") == Query(words=("grain", "wheat"))
    assert parse_query('"grain -wheat"') == Query(phrases=(("grain", "wheat"),))
    assert parse_query("-!wheat") == Query(words=("wheat",))


def test_words_joined_by_a_hyphen_full_stop_apostrophe_or_slash_are_a_phrase() -> None:
    assert parse_query("Russia-Ukraine talks") == Query(words=("talks",), phrases=(("russia", "ukraine"),))
    assert parse_query("U.S. tariffs") == Query(words=("tariffs",), phrases=(("u", "s"),))
    assert parse_query("don't -AC/DC") == Query(phrases=(("don", "t"),), excluded_phrases=(("ac", "dc"),))


def test_search_operators_are_words_or_separators() -> None:
    assert parse_query("NEAR(truce manbij) OR truce* AND NOT ^x y:z") == Query(
        words=("and", "manbij", "near", "not", "or", "truce", "x", "y", "z")
    )
    assert parse_query("🌾 * ( ) ^ :") == Query()


def test_text_is_nfkc_normalised() -> None:
    assert parse_query("ＧＲＡＩＮ ＂black sea＂") == Query(words=("grain",), phrases=(("black", "sea"),))
    assert parse_query("Straße") == Query(words=("strasse",))


def test_what_a_query_finds_and_how_big_it_is() -> None:
    query = parse_query('grain "black sea" -wheat -"red sea"')
    assert query.found_terms == ("grain", "black", "sea")
    assert query.size == 6
    assert query.positive is True
    assert parse_query("-wheat").positive is False
    assert (query.excludes, parse_query("grain").excludes) == (True, False)
    assert parse_query("b a c").clipped(2) == Query(words=("a", "b"))


@settings(max_examples=400)
@given(st.text(alphabet=st.one_of(st.sampled_from(' "«»„“”-−–*^:()\'./'), st.characters()), max_size=60))
def test_any_text_parses_and_its_key_parses_back_to_the_same_query(text: str) -> None:
    query = parse_query(text)
    assert parse_query(query.key) == query
    assert parse_query(query.key).key == query.key
    assert all(len(phrase) > 1 for phrase in query.phrases + query.excluded_phrases)
