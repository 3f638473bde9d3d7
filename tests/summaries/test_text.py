from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from summaries.text import looks_binary, normalize, strip_html, words


def test_normalize_unifies_newlines_spaces_and_drops_controls():
    assert normalize("A\r\nB\u00a0 C\x07\u200b\n\n\n\nD  ") == "A\nB C\n\nD"


def test_normalize_strips_html_only_when_there_is_markup():
    assert normalize("5 < 6 and 7 > 3") == "5 < 6 and 7 > 3"
    assert normalize("<h1>Title</h1><p>Body &amp; more</p>") == "Title\n\nBody & more"


def test_strip_html_drops_scripts_styles_and_comments():
    assert strip_html("<style>p{}</style><!-- x --><script>evil()</script>Text") == "Text"


def test_an_unclosed_script_swallows_the_rest_rather_than_leaking_code():
    assert normalize("Safe text.<script>evil()") == "Safe text."


def test_looks_binary():
    assert looks_binary(b"\x00\x01\x02PNG")
    assert looks_binary(bytes(range(32)) * 10)
    assert not looks_binary("Ordinary text, with “quotes” and ümlauts.\n".encode())
    assert not looks_binary(b"")


def test_words_keep_inner_apostrophes_and_hyphens():
    assert words("It's the U.S.-backed, 19th-century bridge — isn’t it?") == [
        "It's", "the", "U", "S", "backed", "19th-century", "bridge", "isn’t", "it",
    ]


@given(st.text())
def test_normalize_is_idempotent_and_never_crashes(text):
    once = normalize(text)
    assert normalize(once) == once


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_a_title_with_a_right_to_left_override_comes_out_without_it():
    # "Minister resigns" shown as "sngiser retsiniM" (and the rest of the message reversed) by U+202E
    assert normalize("Minister \u202eresigns\u202c today") == "Minister resigns today"


@given(st.text(alphabet=st.sampled_from(BIDI_CONTROLS + "ab سلام\n"), max_size=40))
def test_no_bidirectional_control_survives_normalisation(text):
    assert not set(normalize(text)) & set(BIDI_CONTROLS)



@given(st.text(alphabet=st.sampled_from(list("ab Z9_'’-.,\n\u00e9\u0416")), max_size=60))
def test_word_count_counts_what_words_finds(text):
    from summaries.text import word_count

    assert word_count(text) == len(words(text))


def test_word_count_of_a_sentence():
    from summaries.text import word_count

    assert word_count("The 2-year-old's toy, isn't it?") == 5  # The, 2-year-old's, toy, isn't, it
