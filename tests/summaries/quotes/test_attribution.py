"""Who said it: the attribution patterns of news prose, on short invented reports (invented people only)."""

from __future__ import annotations

from summaries.quotes import Quote, extract_quotes


def quotes(*paragraphs: str) -> list[Quote]:
    return extract_quotes("\n\n".join(paragraphs))


def said(*paragraphs: str) -> list[tuple[str, str | None, str | None]]:
    """(text, speaker, cue) of each quotation."""
    return [(quote.text, quote.speaker, quote.cue) for quote in quotes(*paragraphs)]


def test_speaker_after_the_quotation():
    assert said("“The bridge will reopen in May,” Marsh said.") == [("The bridge will reopen in May", "Marsh", "said")]


def test_speaker_after_the_verb():
    assert said("“The bridge will reopen in May,” said Elena Marsh, the town's mayor.") == [
        ("The bridge will reopen in May", "Elena Marsh", "said")
    ]


def test_speaker_before_the_verb_and_a_colon():
    assert said("Marsh said: “The bridge will reopen in May.”") == [("The bridge will reopen in May.", "Marsh", "said")]


def test_speaker_tells_a_listener():
    assert said("“We are ready,” Okafor told reporters on Monday.") == [("We are ready", "Okafor", "told reporters")]


def test_according_to_a_source():
    found = quotes("The repair is “long overdue and badly planned,” according to a council engineer.")
    assert [(quote.text, quote.speaker, quote.speaker_name, quote.cue, quote.kind) for quote in found] == [
        ("long overdue and badly planned", "a council engineer", None, "according to", "partial")
    ]


def test_full_name_and_role_come_from_the_first_mention():
    found = quotes(
        "Harbour Minister Jana Kovac visited the site on Tuesday.",
        "“Nobody will be left waiting on the quay,” Kovac said.",
    )
    assert [(quote.speaker, quote.speaker_full, quote.speaker_name, quote.role) for quote in found] == [
        ("Kovac", "Harbour Minister Jana Kovac", "Jana Kovac", "Harbour Minister")
    ]


def test_a_lower_case_role_before_the_name_is_the_role():
    found = quotes("“We will publish the figures,” council press secretary Ida Brenner said.")
    assert [(quote.speaker_full, quote.speaker_name, quote.role) for quote in found] == [
        ("council press secretary Ida Brenner", "Ida Brenner", "council press secretary")
    ]


def test_a_pronoun_stands_for_the_person_just_quoted():
    found = quotes(
        "“The ferry will run twice an hour,” Mayor Elena Marsh said on Friday.",
        "“If the weather holds, we will add a night service,” she said.",
    )
    assert [(quote.speaker, quote.speaker_full, quote.mention) for quote in found] == [
        ("Elena Marsh", "Mayor Elena Marsh", "Mayor Elena Marsh"),
        ("Marsh", "Mayor Elena Marsh", "she"),
    ]


def test_a_pronoun_skips_a_person_of_the_other_gender():
    found = quotes(
        "Councillor Tom Okafor met Mayor Elena Marsh on Monday. Mrs. Marsh wants a ferry, Mr. Okafor a bridge.",
        "“A ferry is a stopgap, not a plan,” he said.",
    )
    assert [(quote.speaker, quote.speaker_full) for quote in found] == [("Okafor", "Councillor Tom Okafor")]


def test_a_pronoun_follows_the_subject_not_a_name_in_passing():
    found = quotes(
        "Greta Lund, who chairs the harbour board, spoke after the vote. She said the board had no choice but to agree with Nora Vidal.",
        "“We did what the engineers told us to do,” she said.",
    )
    assert [quote.speaker_name for quote in found] == ["Greta Lund"]


def test_a_quotation_the_attribution_interrupts_is_one_quotation():
    found = quotes("“We have the money,” Okafor said, “and we have the plans.”")
    assert [(quote.text, quote.speaker, len(quote.pieces)) for quote in found] == [
        ("We have the money, and we have the plans.", "Okafor", 2)
    ]


def test_a_quotation_continued_in_the_next_sentence_is_one_quotation():
    found = quotes("“We have the money,” Okafor said. “We have the plans. What we lack is time.”")
    assert [(quote.text, quote.speaker) for quote in found] == [
        ("We have the money. We have the plans. What we lack is time.", "Okafor")
    ]


def test_a_new_paragraph_of_quotation_keeps_the_speaker():
    found = quotes(
        "“We have the money,” Okafor said.",
        "“We have the plans, too. What we lack is time.”",
    )
    assert [(quote.text, quote.speaker, quote.cue) for quote in found] == [
        ("We have the money", "Okafor", "said"),
        ("We have the plans, too. What we lack is time.", "Okafor", "said"),
    ]


def test_a_speaker_named_in_the_sentence_before():
    found = quotes("Nora Vidal, the harbour engineer, put it plainly in a statement. “The pier cannot take another winter.”")
    assert [(quote.text, quote.speaker) for quote in found] == [("The pier cannot take another winter.", "Nora Vidal")]


def test_an_organisation_or_a_statement_speaks():
    found = quotes(
        "The Harbour Board issued a statement on Friday:",
        "“Repairs will start as soon as the tender closes.”",
    )
    assert [(quote.speaker, quote.speaker_name) for quote in found] == [("Harbour Board", "Harbour Board")]


def test_an_anonymous_source_and_its_later_mention():
    found = quotes(
        "The plan is “the cheapest of three bad options,” a council spokeswoman said.",
        "“We would rather have had a fourth,” the spokeswoman said.",
    )
    assert [(quote.speaker, quote.speaker_full, quote.speaker_name) for quote in found] == [
        ("a council spokeswoman", "a council spokeswoman", None),
        ("the spokeswoman", "a council spokeswoman", None),
    ]


def test_a_statement_of_an_organisation():
    found = quotes(
        "The Harbour Board issued a statement on Friday, calling the repair “a matter of public safety for the east side.”"
    )
    assert [(quote.speaker, quote.speaker_name, quote.cue, quote.kind) for quote in found] == [
        ("Harbour Board", "Harbour Board", "calling", "partial")
    ]


def test_participle_cue_takes_the_subject_of_the_sentence():
    found = quotes("On Tuesday, Okafor walked out of the meeting, saying “this council has stopped listening.”")
    assert [(quote.speaker, quote.cue) for quote in found] == [("Okafor", "saying")]


def test_a_partial_quotation_woven_into_the_authors_sentence():
    found = quotes("Marsh said the town had “a duty to every family on the east side.”")
    assert [(quote.text, quote.kind, quote.speaker) for quote in found] == [
        ("a duty to every family on the east side", "partial", "Marsh")
    ]


def test_said_that_makes_a_partial_quotation():
    found = quotes("Marsh said that “the east side has waited long enough.”")
    assert [(quote.kind, quote.speaker) for quote in found] == [("partial", "Marsh")]


def test_scare_quotes_and_titles_are_marked_as_such():
    found = quotes(
        "The board denied what it called “incorrect” reports of a “harbour crisis.”",
        "Okafor, who wrote the book “Bridges of the East Side,” disagreed.",
    )
    assert [(quote.text, quote.kind) for quote in found] == [
        ("incorrect", "scare"),
        ("harbour crisis", "scare"),
        ("Bridges of the East Side", "title"),
    ]


def test_offsets_point_at_the_quoted_words():
    text = "“The bridge will reopen in May,” Marsh said."
    [quote] = extract_quotes(text)
    assert text[quote.start : quote.end] == quote.text == "The bridge will reopen in May"
    assert quote.pieces == ((quote.start, quote.end),)


def test_a_quotation_without_anyone_to_say_it_has_no_speaker():
    found = quotes("The sign on the door read “closed for repairs until further notice.”")
    assert [(quote.speaker, quote.cue) for quote in found] == [(None, None)]


def test_a_legislators_party_and_state_tag_is_set_aside():
    found = quotes("“The vote will pass,” Senate Majority Leader Ida Brenner, R-Ky., said Tuesday.")
    assert [(quote.speaker, quote.speaker_full) for quote in found] == [("Ida Brenner", "Senate Majority Leader Ida Brenner")]


def test_a_speaker_with_two_appositives_is_the_name_before_them():
    found = quotes(
        "“It is an overreach,” Tom Okafor, the attorney general of Harbour State, one of the states suing the agency, said on Monday."
    )
    assert [quote.speaker for quote in found] == ["Tom Okafor"]


def test_a_role_that_opens_with_a_number_is_kept():
    found = quotes("“They are wrong,” said 9/11 widow Nora Vidal.")
    assert [(quote.speaker, quote.role) for quote in found] == [("Nora Vidal", "9/11 widow")]


def test_an_aside_between_dashes_does_not_hide_the_speaker():
    found = quotes(
        "Pat Lowe, chief executive of Harbour Media -- the company that owns the station -- told me, “We sell what people want.”",
        "The mayor — silent for weeks — said: “We will rebuild.”",
    )
    assert [quote.speaker for quote in found] == ["Pat Lowe", "The mayor"]


def test_a_named_subject_that_introduces_a_quotation_with_a_colon_said_it():
    found = quotes("Brenner delivered a snappy retort: “No one is tearing this up.”")
    assert [(quote.text, quote.speaker) for quote in found] == [("No one is tearing this up.", "Brenner")]


def test_a_second_verb_of_the_subject_does_not_make_its_object_the_speaker():
    found = quotes("Brenner backs the levy and recalled the three-year freeze on pay: “I saw how hard it was.”")
    assert [(quote.text, quote.speaker) for quote in found] == [("I saw how hard it was.", "Brenner")]


def test_an_unnamed_subject_before_a_colon_gives_no_speaker():
    found = quotes("The bias shows in how the site rated this statement on June 11:", "“Look at what is going on.”")
    assert [(quote.text, quote.speaker) for quote in found] == [("Look at what is going on.", None)]


def test_the_next_sentence_quotation_continues_after_a_long_attribution_and_a_show_title():
    found = quotes(
        "“He is right,” Okafor, a top adviser, said on Thursday morning on Harbour News’s “Morning Show.” “I mean, there is a lot of frustration.”"
    )
    assert [(quote.text, quote.speaker) for quote in found] == [
        ("He is right. I mean, there is a lot of frustration.", "Okafor"),
        ("Morning Show", None),
    ]


def test_a_cue_that_opens_the_next_sentence_with_its_own_quotation_is_not_the_one_before():
    found = quotes("Ida Brenner said the plan was sound.\n“It works,” she said. “People like it.”\nTom Okafor added, “It does not.”")
    assert [(quote.text, quote.speaker_full) for quote in found] == [("It works. People like it.", "Ida Brenner"), ("It does not.", "Tom Okafor")]


def test_an_acronym_opens_a_role():
    found = quotes("“We are proud!” US Senator Tom Okafor said as he opened the vote.")
    assert [(quote.speaker, quote.speaker_full, quote.kind) for quote in found] == [("Tom Okafor", "US Senator Tom Okafor", "full")]


def test_any_noun_before_a_full_name_after_the_verb_is_a_role():
    found = quotes("“This is a scripted show,” said Harbour delegate Nora Vidal, angered that the leaders ignored them.")
    assert [(quote.speaker, quote.role) for quote in found] == [("Nora Vidal", "Harbour delegate")]


def test_by_saying_gives_the_clause_subject():
    assert said("Brenner ended her list by saying “Too many.”") == [("Too many.", "Brenner", "saying")]


def test_a_quotation_in_brackets_or_dashes_with_its_attribution_is_full():
    found = quotes(
        "The unions drew blowback (“I want my dues back,” wrote Tom Okafor, a technician) from members.",
        "Brenner said the plan was weak - “Again, we need the details,” she said - and left.",
    )
    assert [(quote.text, quote.kind, quote.speaker) for quote in found] == [
        ("I want my dues back", "full", "Tom Okafor"),
        ("Again, we need the details", "full", "Brenner"),
    ]


def test_a_cue_after_a_quotation_that_ends_its_sentence_belongs_to_the_next_quotation():
    found = quotes("Lowe said, “The zeal of this case is unusual.” He added, “Things happened that are not ordinary.”")
    assert [(quote.text, quote.speaker) for quote in found] == [
        ("The zeal of this case is unusual.", "Lowe"),
        ("Things happened that are not ordinary.", "Lowe"),
    ]


def test_a_name_right_after_the_quotation_speaks_however_long_its_description():
    found = quotes(
        "“I just don't think she has been truthful,” Nora Vidal, 67, a retired customer service representative in Allentown, Pa., "
        "said in an interview."
    )
    assert [(quote.speaker, quote.kind) for quote in found] == [("Nora Vidal", "full")]


def test_a_state_after_a_town_is_never_the_speaker():
    found = quotes("“We made major contributions,” Kit Vidal, an Army veteran from Alexandria, Va., said of the exhibit.")
    assert [quote.speaker for quote in found] == ["Kit Vidal"]


def test_more_verbs_of_speech():
    assert said(
        "“The stock has not done well,” Mr. Rubel pointed out.",
        "“It is Jeff,” Ms. Lowe answered.",
        "“We see hope in these schools,” the letter reads.",
    ) == [
        ("The stock has not done well", "Rubel", "pointed"),
        ("It is Jeff", "Lowe", "answered"),
        ("We see hope in these schools", "the letter", "reads"),
    ]


def test_an_organisation_name_with_two_ofs_after_the_verb():
    found = quotes("“It would have been a long shot,” said Ida Brenner of the University of Harbour School of Law.")
    assert [quote.speaker for quote in found] == ["Ida Brenner"]


def test_a_fact_checks_claim_signed_on_the_next_line():
    found = quotes("“Boeing and other multinationals pay zero taxes.”", "- Nora Vidal.", "This is a complex issue.")
    assert [(quote.text, quote.speaker, quote.kind) for quote in found] == [
        ("Boeing and other multinationals pay zero taxes.", "Nora Vidal", "full")
    ]


def test_barked_and_shot_back_report_speech():
    assert said("“Go back to your seat,” Okafor barked.", "Brenner shot back, “I chose my profession.”") == [
        ("Go back to your seat", "Okafor", "barked"),
        ("I chose my profession.", "Brenner", "shot"),
    ]


def test_a_role_with_and_is_kept_whole():
    found = quotes("“We are more flexible,” chairman and chief executive Tom Okafor said.")
    assert [(quote.speaker, quote.speaker_full) for quote in found] == [("Tom Okafor", "chairman and chief executive Tom Okafor")]


def test_one_of_a_group_is_an_unnamed_speaker_not_the_group_or_a_name():
    found = quotes("One of the officials said: “We will go.”", "Brenner recalled how one of her colleagues called all women “Betty” at work.")
    assert [(quote.speaker, quote.speaker_name) for quote in found] == [("One of the officials", None), ("one of her colleagues", None)]


def test_the_object_of_a_preposition_is_not_a_speaker():
    found = quotes("The leaflet is fair, apart from the falsehood of a comment suggesting he wants fewer “nurses and doctors” in wards.")
    assert [quote.speaker for quote in found] == [None]


def test_a_speaker_of_an_organisation():
    assert said("“It was the least bad outcome,” Mr. Vidal of the Harbour Trust said.") == [("It was the least bad outcome", "Vidal", "said")]


def test_a_transcripts_label_before_a_colon_is_no_speaker():
    found = quotes("Partial transcript as follows:", "“WALLACE: Let us start with the news.”")
    assert [quote.speaker for quote in found] == [None]


def test_a_second_verb_far_from_the_sentence_start_gives_no_speaker_rather_than_its_object():
    found = quotes(
        "Brenner, the former harbour master of the eastern district and a long-serving member of the council, stressed "
        "her support of the new pier during a forum sponsored by the port authority and said she has the quality the job needs: "
        "“Steadiness, and mixed with strength.”"
    )
    assert [quote.speaker for quote in found] == [None]
