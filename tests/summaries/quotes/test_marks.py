from __future__ import annotations

from summaries.quotes.marks import find_quoted_spans


def quoted(text: str) -> list[list[str]]:
    """The pieces of each quoted span, as text."""
    return [[text[start:end] for start, end in span.pieces] for span in find_quoted_spans(text)]


def test_straight_and_curly_double_marks_pair():
    assert quoted('He said "we will build it" and "soon".') == [["we will build it"], ["soon"]]
    assert quoted("She said “we will build it,” and left.") == [["we will build it,"]]


def test_german_french_danish_and_guillemet_quotes_pair():
    assert quoted("„Wir schaffen das“, sagte sie.") == [["Wir schaffen das"]]
    assert quoted("« Nous allons gagner », a-t-il dit.") == [["Nous allons gagner"]]
    assert quoted("»Vi vinder«, sagde han.") == [["Vi vinder"]]
    assert quoted("‹ oui › dit-elle") == [["oui"]]


def test_single_marks_quote_outside_double_ones_but_apostrophes_do_not():
    assert quoted("Voters don't like ‘surprises’ on the council’s agenda.") == [["surprises"]]
    assert quoted("She told him 'we are ready' on Monday.") == [["we are ready"]]


def test_a_quote_nested_in_another_belongs_to_it():
    assert quoted("He said: “They told us ‘wait’ and we waited.”") == [["They told us ‘wait’ and we waited."]]


def test_a_quotation_running_over_paragraphs_reopens_each_one():
    text = "“The first part ends here.\n\n“The second part ends the quotation.”"
    assert quoted(text) == [["The first part ends here.", "The second part ends the quotation."]]


def test_an_opening_mark_never_closed_quotes_nothing_but_what_it_held_stands():
    text = "“An opening mark that is never closed, with “a quote” inside.\n\nThe next paragraph."
    assert quoted(text) == [["a quote"]]


def test_two_apostrophes_stand_for_a_double_mark():
    assert quoted("''We are not done,'' she said.") == [["We are not done,"]]


def test_html_attribute_values_are_not_quotations():
    assert quoted('<tweet author="@someone">“Look at this”</tweet>') == [["Look at this"]]


def test_marks_around_nothing_quote_nothing():
    assert quoted('"" and “ ” and "..."') == []
