"""The people an article names and their genders (invented people only)."""

from __future__ import annotations

from summaries.quotes.people import People


def genders(text: str) -> dict[str, str]:
    """The gender of each person of two names or more."""
    return {person.name: person.gender for person in People(text, [0]).persons if " " in person.name}


def test_two_people_with_one_surname_keep_their_own_genders():
    text = (
        "Police shot Tom Vidal, 43, in his car. Rakel Vidal can be heard telling the officers that her husband was unarmed. "
        "Officers said Vidal had a gun and that he refused to drop it. Vidal kept his hands down. Vidal, they said, lifted his arm."
    )
    assert genders(text) == {"Tom Vidal": "m", "Rakel Vidal": "f"}


def test_the_possessive_of_an_appositive_is_someone_elses():
    text = "Ida Brenner spoke first. Kit Okafor, her Republican opponent, spoke next. Okafor, her rival, left."
    assert genders(text)["Kit Okafor"] == ""


def test_a_whole_pronoun_votes_and_a_word_that_starts_like_one_does_not():
    text = "Kit Okafor shelved the hearing. Kit Okafor said herself that the shelter would open."
    assert genders(text) == {"Kit Okafor": "f"}


def test_him_after_a_name_does_not_vote():
    assert genders("Kit Okafor thanked him. Later Kit Okafor left.") == {"Kit Okafor": ""}
