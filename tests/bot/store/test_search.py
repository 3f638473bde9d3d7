"""The query language in the store's search, on SQLite (FTS5) and PostgreSQL: phrases, exclusions, operators as text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.store import Store, add_article, search, search_share
from tests.bot.helpers import NOW, body, hours_ago, new_article

ODESA = "Grain exports at Odesa"
SLOW = "Exports slow at Izmail"
VARNA = "Wheat at Varna"


def _port_news(store: Store) -> None:
    """Three reports: 'grain exports' adjacent (twice, once with wheat) and the two words apart, with wheat."""
    add_article(store, new_article(ODESA, body("Grain exports rose at Odesa as ships queued in the harbour on the Black Sea.", words=40), published=hours_ago(3)))
    add_article(store, new_article(SLOW, body("Exports of grain slowed at Izmail; wheat stocks piled up by the river.", words=40), published=hours_ago(2)))
    add_article(store, new_article(VARNA, body("Wheat prices fell at Varna while grain exports held steady all month.", words=40), published=hours_ago(1)))


def _titles(store: Store, query: str) -> list[str]:
    return sorted(article.title for article in search(store, query, now=NOW))


def test_a_phrase_matches_only_its_words_adjacent_and_in_order(store: Store) -> None:
    _port_news(store)

    assert _titles(store, "grain exports") == sorted([ODESA, SLOW, VARNA])
    assert _titles(store, '"grain exports"') == sorted([ODESA, VARNA])
    assert _titles(store, '"exports grain"') == []
    assert _titles(store, "«Black Sea» grain") == [ODESA]
    assert _titles(store, "Black-Sea") == [ODESA]  # joined by a hyphen: the phrase


def test_a_phrase_over_a_common_word_keeps_its_gap(store: Store) -> None:
    _port_news(store)

    # PostgreSQL drops "of" from the index and keeps its place; FTS5 indexes it.
    assert _titles(store, '"exports of grain"') == [SLOW]


def test_an_excluded_word_or_phrase_leaves_articles_out(store: Store) -> None:
    _port_news(store)

    assert _titles(store, "grain exports -wheat") == [ODESA]
    assert _titles(store, '"grain exports" −wheat') == [ODESA]
    assert _titles(store, 'grain -"black sea"') == sorted([SLOW, VARNA])
    assert _titles(store, 'grain -"sea black"') == sorted([ODESA, SLOW, VARNA])
    assert _titles(store, "grain -zeppelin") == sorted([ODESA, SLOW, VARNA])


def test_the_any_word_fallback_never_drops_a_phrase_or_an_exclusion(store: Store) -> None:
    _port_news(store)

    assert _titles(store, "zeppelin odesa varna") == sorted([ODESA, VARNA])  # no article has all: any of them
    assert _titles(store, "zeppelin odesa varna -wheat") == [ODESA]
    assert _titles(store, 'zeppelin izmail varna "grain exports"') == [VARNA]
    assert _titles(store, 'zeppelin izmail "exports grain"') == []


def test_only_exclusions_or_nothing_to_find_finds_nothing(store: Store) -> None:
    _port_news(store)

    assert search(store, "-wheat") == []
    assert search(store, '-"black sea" -zeppelin') == []
    assert search(store, "🌾 -wheat") == []
    assert search_share(store, "-wheat") == (0, 0)


def test_common_words_and_an_exclusion_never_match_everything_else(store: Store) -> None:
    _port_news(store)

    found = _titles(store, "the -wheat")

    # FTS5 indexes "the"; PostgreSQL drops it, and with nothing left to find, finds nothing (not "all but wheat").
    if store.engine.dialect.name == "postgresql":
        assert found == []
        assert search_share(store, "the -wheat") == (0, 3)
    else:
        assert found == [ODESA]
        assert search_share(store, "the -wheat") == (1, 3)


def test_search_share_counts_with_phrases_and_exclusions(store: Store) -> None:
    _port_news(store)

    assert search_share(store, '"grain exports"') == (2, 3)
    assert search_share(store, '"grain exports" -wheat') == (1, 3)
    assert search_share(store, "grain exports -wheat") == (1, 3)


_SYNTAX = ['"', "«", "»", "„", "-", "−", "*", "^", ":", "(", ")", "'", "NEAR", "AND", "OR", "NOT", "grain", "{", "}", "+", ",", "\\", "\x00"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(_SYNTAX), st.text(max_size=3)), max_size=12).map("".join))
def test_no_text_makes_the_search_raise(store: Store, text: str) -> None:
    if not search(store, "grain"):
        _port_news(store)

    found = search(store, text, now=NOW)
    matching, read = search_share(store, text)

    assert len(found) <= 3
    assert read in (0, 3) and matching <= read
