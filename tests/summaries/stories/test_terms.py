from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from summaries.stories.terms import article_terms, index_terms, is_name, is_number, merge_terms


def test_the_headline_counts_three_times_the_lede_and_the_lede_twice_the_body():
    terms = article_terms("Flood", "Rivers rose. Roads closed. Farms flooded.")
    total = 3 + 2 * 4 + 1 * 2
    assert terms == {
        "flood": (3 + 1) / total,
        "river": 2 / total,
        "rose": 2 / total,
        "road": 2 / total,
        "clos": 2 / total,
        "farm": 1 / total,
    }


def test_names_weigh_double_and_adjacent_names_make_a_pair_term():
    terms = article_terms("", "Crews reached Port Arlen.")
    total = 2 + 2 + 4 + 4 + 4
    assert terms == {"crew": 2 / total, "reach": 2 / total, "port": 4 / total, "arlen": 4 / total, "port_arlen": 4 / total}
    assert is_name("port_arlen") and not is_name("port")


def test_a_capitalised_first_word_alone_is_not_a_name():
    assert article_terms("", "Rescuers arrived.") == {"rescuer": 0.5, "arriv": 0.5}


def test_a_title_case_headline_takes_its_names_from_the_body():
    terms = article_terms("Storm Hits Port Arlen", "A storm hit Port Arlen.")
    assert terms["port_arlen"] > terms["storm"]
    assert "storm_hit" not in terms and "hit_port" not in terms


def test_numbers_are_kept_as_written_and_stop_words_dropped():
    terms = article_terms("", "The 6.2 quake hit 12 towns and it was over.")
    assert set(terms) == {"6.2", "quake", "hit", "12", "town"}
    assert is_number("6.2") and not is_number("quake")


def test_no_words_no_terms():
    assert article_terms("", "") == {}
    assert article_terms("The", "and of the, it was.") == {}


def test_merge_sums_and_keeps_the_heaviest_terms_ties_by_term():
    assert merge_terms({"a": 1.0, "b": 0.5}, {"b": 0.6, "c": 0.1}) == {"a": 1.0, "b": 1.1, "c": 0.1}
    assert merge_terms({"a": 1.0, "b": 0.5}, {"b": 0.6, "c": 0.1}, keep=2) == {"b": 1.1, "a": 1.0}
    assert merge_terms({"z": 0.5, "y": 0.5}, {"x": 0.5}, keep=2) == {"x": 0.5, "y": 0.5}


def test_index_terms_are_the_heaviest_by_weight_times_idf():
    idf = {"common": 1.0, "rare": 5.0, "middle": 2.0}.__getitem__
    assert index_terms({"common": 0.6, "rare": 0.2, "middle": 0.2}, idf, count=2) == ["rare", "common"]


@given(st.text(), st.text())
def test_article_terms_never_crash_and_are_frequencies(title, text):
    terms = article_terms(title, text)
    assert all(weight > 0 for weight in terms.values())
    assert not terms or math.isclose(sum(terms.values()), 1.0)
