from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summaries.analysis import analyze
from summaries.article import Article
from summaries.cleaning import clean, is_chrome_sentence, split_title
from summaries.text import normalize

SEED = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seed" / "000_9134b0a1518428ef.txt"

REPORT = (
    "The council voted 7-2 on Tuesday to repair the old bridge, officials said.\n\n"
    "Work will begin in January and take about eight months, the mayor's office said."
)


def page(*parts: str) -> str:
    """A saved page: the given paragraphs around two paragraphs of real reporting."""
    return "\n\n".join([REPORT, *parts])


def removed(text: str) -> list[tuple[str, str]]:
    return [(removal.reason, removal.text) for removal in clean(text).removed]


def test_reporting_alone_is_kept_whole():
    result = clean(REPORT)
    assert result.text == REPORT
    assert result.removed == ()


@pytest.mark.parametrize(
    ("chrome", "reason"),
    [
        ("Read more", "read-more-link"),
        ("Share this article", "share-link"),
        ("Facebook Twitter Email", "share-link"),
        ("Related stories", "related-links"),
        ("Advertisement", "advertisement"),
        ("Photo: Jane Doe / Reuters", "photo-credit"),
        ("John Moore/Getty Images.", "photo-credit"),
        ("Sign up for our morning newsletter and get the news in your inbox.", "newsletter"),
        ("We use cookies to improve your experience. By continuing you accept our cookie policy.", "cookie-notice"),
        ("(Reporting by Jane Roe; Editing by John Doe)", "reporting-credit"),
        ("Islamic State is a terrorist organization banned in Russia.", "legal-note"),
        ("© 2026 Example Media. All rights reserved.", "legal-note"),
        ("[Editor's note: this story was updated with the final vote.]", "editor-note"),
        ("Not ready to support today?\nRemind me later.", "appeal"),
    ],
)
def test_each_kind_of_chrome_is_removed_with_its_reason(chrome, reason):
    result = clean(page(chrome))
    assert result.text == REPORT
    assert [removal.reason for removal in result.removed] == [reason]


def test_a_fundraising_appeal_at_the_end_runs_to_the_end_of_the_page():
    appeal = (
        "… we have a small favor to ask. As you may have heard, we are an independent news source.",
        "We, the journalists, refuse to be silenced. But we need your help to continue our mission.",
        "Your support, no matter how small, makes a world of difference. Please support us monthly from just $2.",
        "paiment methods",
    )
    result = clean(page(*appeal))
    assert result.text == REPORT
    assert [removal.reason for removal in result.removed] == ["appeal"] * 4


@pytest.mark.parametrize(
    "reporting",
    [
        "Support for the bill grew among Democrats after the hearing, officials said on Monday.",
        "More than two dozen other candidates received donations that appear questionable.",
        "More bombing.",
        "Close call.",
        "According to the results, the senator increased her lead in a match-up with Bloomberg.",
        "Donations to the campaign rose by a third in March, its filings show, as small donors gave more.",
        '"We need your help to find him," the sheriff told reporters on Sunday.',
        "Russia banned the group in 2003, and its members were later tried in absentia.",
    ],
)
def test_reporting_that_looks_like_chrome_is_kept(reporting):
    assert clean(page(reporting)).text == page(reporting)


def test_a_legal_note_in_parentheses_is_taken_out_of_the_sentence():
    text = "Meta (recognized as extremist and banned in Russia) said on Monday it would appeal the fine."
    result = clean(text)
    assert result.text == "Meta said on Monday it would appeal the fine."
    assert [(r.reason, r.text) for r in result.removed] == [("legal-note", "(recognized as extremist and banned in Russia)")]


def test_furniture_sentences_inside_a_paragraph_are_taken_out():
    text = "The minister resigned on Friday. Click here for all the latest news. Her deputy takes over."
    assert clean(text).text == "The minister resigned on Friday. Her deputy takes over."


def test_html_in_a_text_file_becomes_text_and_scripts_go():
    result = clean("<p>The vote passed.</p><script>alert('x')</script><p>Shares rose &amp; fell.</p>")
    assert result.text == "The vote passed.\n\nShares rose & fell."


def test_a_page_of_nothing_but_chrome_is_kept_rather_than_emptied():
    assert clean("Read more").text == "Read more"


def test_the_title_line_skips_a_masthead():
    raw = "Support The Moscow Times!\n\nRussia, Turkey Have 'Decisive' Syria Peace Role\n\n\nBody text here."
    assert split_title(raw) == ("Russia, Turkey Have 'Decisive' Syria Peace Role", "Support The Moscow Times!\n\nBody text here.")


def test_no_title_when_the_first_line_runs_into_the_body():
    assert split_title("First line\nsecond line.\n\nMore.") == ("", "First line\nsecond line.\n\nMore.")


@pytest.mark.parametrize(
    ("sentence", "chrome"),
    [
        ("CLICK HERE for all the latest Real Madrid news .", True),
        ("Scroll down for video", True),
        ("Follow him on Twitter at @someone.", True),
        ("The club said it would follow the league's rules.", False),
    ],
)
def test_chrome_sentences(sentence, chrome):
    assert is_chrome_sentence(sentence) is chrome


def test_the_seed_page_loses_its_chrome_and_keeps_its_article():
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent: the corpus lives in ../shared beside the project")
    title, body = split_title(SEED.read_text(encoding="utf-8"))
    result = clean(body)
    reasons = [removal.reason for removal in result.removed]
    assert title == "Russia, Turkey Have 'Decisive' Syria Peace Role, Putin Says"
    assert "Support The Moscow Times!" not in result.text
    assert "favor to ask" not in result.text and "Remind me later" not in result.text and "Read more" not in result.text
    assert "banned in Russia" not in result.text
    assert "legal-note" in reasons and "appeal" in reasons
    assert result.text.startswith("Russia and Turkey have a crucial role to play")
    assert result.text.endswith("“then there won’t be anything left for us to do,” he said.")
    summary = analyze(Article(text=body, title=title)).summary
    assert all("Moscow Times" not in s.text and "banned in Russia" not in s.text for s in summary)


@given(st.text(max_size=600))
@settings(max_examples=200, deadline=None)
def test_cleaning_never_crashes_and_only_removes(text):
    result = clean(text)
    normalized = normalize(text)
    for paragraph in result.text.split("\n\n"):
        if paragraph and not result.removed:
            assert paragraph in normalized


@given(st.lists(st.sampled_from([REPORT, "Read more", "Share", "Support us today!", "“", "\u00a0", "<b>x</b>", "…"]), max_size=12))
@settings(max_examples=200, deadline=None)
def test_reporting_survives_any_chrome_around_it(parts):
    text = "\n\n".join([REPORT, *parts])
    assert clean(text).text.startswith(REPORT)


@pytest.mark.parametrize(
    ("sentence", "chrome"),
    [
        ("Pictured: The mayor and her deputy", True),
        ("Image: " + " ".join(["word"] * 12) + ".", True),
        ("Pictured: " + " ".join(["word"] * 13) + ".", False),  # more than a caption: reporting
        ("Pictured:", False),
        ("Published on: 3 May 2031", True),
        ("Updated   at :  09:14 GMT", True),
    ],
)
def test_captions_and_stamps_are_told_from_prose(sentence, chrome):
    assert is_chrome_sentence(sentence) is chrome


# The guard words of the patterns that search a whole text only skip a search that could not match:
# each pattern is checked alone against texts made of its own words in any case, the letters
# IGNORECASE matches to ASCII (ı ſ İ K), and prose around them.
_PIECES = st.sampled_from(
    ["Sign up", "SIGNUP", "newsletter", "inbox", "get our latest", "follow us", "cookies", "we use cookie", "accept",
     "policy", "payment methods", "Monthly", "one-off", "annual", "©", "(c)", "Copyright", "all rights reserved",
     "may not be published", "Reuters", "AP Photo", "Getty Images", "/", "via", "Kremlin.ru", "ſign up", "ſubſcribe",
     "İnbox", "joın us on", "Kremlın.ru", "EPA-EFE", "the minister said", "on Tuesday", ".", "!", ",", "John Smith",
     "support us", "donate", "help us", "just $5", "every dollar", "chip in", "ſupport", "İndependent journalism"]
)
_GUARDED_TEXTS = st.lists(_PIECES, min_size=1, max_size=8).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_GUARDED_TEXTS)
def test_a_guarded_furniture_pattern_is_skipped_only_when_it_could_not_match(text):
    from summaries.cleaning import _FURNITURE, _folded

    folded = _folded(text)
    for _, pattern, needs in _FURNITURE:
        if needs and pattern.match(text):
            assert any(word in folded for word in needs), (pattern.pattern, text)


@settings(max_examples=300, deadline=None)
@given(_GUARDED_TEXTS)
def test_the_appeal_words_are_found_wherever_the_appeal_terms_are(text):
    from summaries.cleaning import _APPEAL_TERMS, _APPEAL_WORDS, _folded

    if _APPEAL_TERMS.search(text):
        assert any(word in _folded(text) for word in _APPEAL_WORDS), text


def test_a_newsletter_line_spelt_with_a_long_s_is_still_chrome():
    # IGNORECASE matches ſ to s; lower() alone would not, and the guard would wrongly skip the pattern.
    assert removed(page("ſign up for our daily briefing")) == [("newsletter", "ſign up for our daily briefing")]


def _every_rule_in_turn(text):
    """The furniture rules as written: every pattern tried in order, no guards, no joined patterns."""
    from summaries.cleaning import _FURNITURE, _reads_as_reporting
    from summaries.text import words

    count = len(words(text))
    if count == 0:
        return "punctuation" if len(text) < 20 else None
    for reason, pattern, _ in _FURNITURE:
        if count > 40 and reason != "editor-note" or reason in ("newsletter", "cookie-notice") and count > 30:
            continue
        if pattern.match(text) and not _reads_as_reporting(text, reason):
            return reason
    return None


_LINE_PIECES = st.one_of(
    _PIECES,
    st.sampled_from(["Read more", "Share this", "Advertisement", "Photo:", "[Editor's note: corrected]", "By Jane Doe",
                     "Published 3 May 2024", "Related", "Continue reading", "Support us today!", "Editor's note:",
                     "\u2014", "(", ")", "Image caption", "Getty Images", "Reporting by Ann Lee", "word " * 12]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE_PIECES, min_size=1, max_size=12).map(" ".join))
def test_the_guarded_furniture_rules_find_what_every_rule_in_turn_finds(text):
    from summaries.cleaning import _furniture_reason

    assert _furniture_reason(text) == _every_rule_in_turn(text)


def test_a_long_paragraph_is_counted_only_as_far_as_the_rules_need():
    from summaries.cleaning import _word_count_to_41

    assert _word_count_to_41("word " * 300) == 41
    assert _word_count_to_41("word " * 35) == 35
    # Over 1,000 characters in few long words: counted whole.
    assert _word_count_to_41(" ".join(["a" * 60] * 30)) == 30


_PROSE_PIECES = st.sampled_from(
    ["The minister said on Tuesday that talks would resume.", "Click here to read more.", "Follow us on Twitter.",
     "Follow Anna on Facebook", "Share this story", "Share your photos!", "Image: Getty", "Pictured: the bridge at dawn.",
     "Photo: the mayor", "Updated: 3 May.", "Published :", "By . Ann Lee .", "Sign up for our newsletter.",
     "Subscribe to the briefing.", "Read more: the vote", "Watch the video.", "Scroll down for video", "click hereafter",
     "The group is banned in Russia.", "It was shared widely.", "She followed the news.", "\"We will go,\" he said.",
     "updated", "share", "follow", "published", "clicks", "and"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PROSE_PIECES, min_size=1, max_size=10).map(" ".join))
def test_a_paragraph_is_split_for_inline_chrome_only_when_a_sentence_could_be_chrome(paragraph):
    from summaries.cleaning import _CHROME_OPENING, _CHROME_SENTENCE
    from summaries.sentences import split_sentences

    if any(_CHROME_SENTENCE.search(sentence.text) for sentence in split_sentences(paragraph)):
        assert _CHROME_OPENING.search(paragraph), paragraph


_LEGAL_PIECES = st.sampled_from(
    ["Meta is banned in Russia.", "The group is recognised as extremist", "was designated a \"terrorist\" group",
     "(banned in the Russian Federation)", "(recognized as a foreign agent)", "performing the functions of a foreign agent",
     "foreign media acting as a foreign agent", "is listed as undesirable", "The RUSSIA office", "ıs banned ın Russıa",
     "was declared", "The minister said.", "listed", "labelled", "(the party)", "in Russia", "extremısts", "(", ")"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LEGAL_PIECES, min_size=1, max_size=8).map(" ".join))
def test_a_legal_status_is_looked_for_only_where_its_words_are(text):
    from summaries.cleaning import _LEGAL_PARENTHESIS, _LEGAL_SENTENCE, _states_legal_status

    if _LEGAL_SENTENCE.search(text) or _LEGAL_PARENTHESIS.search(text):
        assert _states_legal_status(text), text
