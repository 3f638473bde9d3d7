from __future__ import annotations

from dataclasses import dataclass

from summaries.speakers import group_by_speaker, person_key


@dataclass(frozen=True)
class Said:
    text: str
    speaker: str
    speaker_full: str = ""
    speaker_name: str = ""


def test_forms_of_one_name_are_one_person_shown_by_the_fullest():
    quotes = [
        Said("a", "Marsh", "Marsh", "Marsh"),
        Said("b", "Elena Marsh", "Mayor Elena Marsh", "Elena Marsh"),
        Said("c", "Elena Marsh", "Elena Marsh", "Elena Marsh"),
    ]
    (speaker,) = group_by_speaker(quotes)
    assert (speaker.key, speaker.display, [quote.text for quote in speaker.quotes]) == ("elena marsh", "Mayor Elena Marsh", ["a", "b", "c"])


def test_two_people_with_one_title_or_surname_stay_two_and_a_shared_bare_surname_goes_to_neither():
    quotes = [
        Said("a", "Elena Marsh", "Mayor Elena Marsh", "Elena Marsh"),
        Said("b", "Grace Lindqvist", "Mayor Grace Lindqvist", "Grace Lindqvist"),
        Said("c", "Tom Lindqvist", "Tom Lindqvist", "Tom Lindqvist"),
        Said("d", "Lindqvist", "Lindqvist", "Lindqvist"),
    ]
    assert [(speaker.display, len(speaker.quotes)) for speaker in group_by_speaker(quotes)] == [
        ("Mayor Elena Marsh", 1), ("Mayor Grace Lindqvist", 1), ("Tom Lindqvist", 1), ("Lindqvist", 1)
    ]


def test_a_quote_without_a_speaker_belongs_to_no_one():
    assert group_by_speaker([Said("a", "")]) == []
    assert person_key(Said("a", "", "", "")) == ""
