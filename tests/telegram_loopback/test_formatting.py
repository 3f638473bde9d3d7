from __future__ import annotations

import pytest

from telegram_loopback.entities import find_entities, utf16_len
from telegram_loopback.errors import ApiError
from telegram_loopback.formatting import format_text


def html(source: str) -> tuple[str, list[dict]]:
    return format_text(source, "HTML")


def rejected(text: str, parse_mode: str | None = "HTML", **kwargs) -> str:
    with pytest.raises(ApiError) as caught:
        format_text(text, parse_mode, **kwargs)
    assert caught.value.error_code == 400
    return caught.value.description


def test_utf16_length_counts_astral_characters_twice():
    assert utf16_len("a😀é") == 4


def test_touching_formatting_of_one_kind_is_merged():
    assert html("<b>Syr</b><b>ia</b> <i>x</i>") == (
        "Syria x",
        [{"type": "bold", "offset": 0, "length": 5}, {"type": "italic", "offset": 6, "length": 1}],
    )


def test_formatting_never_reaches_into_code():
    assert html("<b>a<code>b</code>c</b>") == (
        "abc",
        [
            {"type": "bold", "offset": 0, "length": 1},
            {"type": "code", "offset": 1, "length": 1},
            {"type": "bold", "offset": 2, "length": 1},
        ],
    )


def test_leading_and_trailing_blanks_are_trimmed_with_the_entities():
    assert html("\n\n  <b>Syria</b> today \n\n") == ("Syria today", [{"type": "bold", "offset": 0, "length": 5}])


def test_control_characters_become_spaces_and_carriage_returns_go():
    assert format_text("a\tb\r\nc\x07d") == ("a b\nc d", [])


def test_a_text_of_blanks_only_is_empty():
    assert rejected("   \n ") == "Bad Request: text must be non-empty"
    assert rejected("<b> </b>") == "Bad Request: text must be non-empty"


def test_4096_is_the_limit_after_entity_parsing():
    assert utf16_len(html("<b>" + "x" * 4096 + "</b>")[0]) == 4096
    assert rejected("&lt;" * 4097) == "Bad Request: message is too long"


def test_parse_modes():
    assert rejected("x", parse_mode="Markup") == "Bad Request: unsupported parse_mode"
    assert format_text("<b>x</b>", "html")[1] == [{"type": "bold", "offset": 0, "length": 1}]
    assert "not emulated" in rejected("*x*", parse_mode="MarkdownV2")


def test_explicit_entities_are_checked_like_telegram_does():
    assert rejected("hello", None, entities=[{"type": "bold", "offset": 100, "length": 1}]) == (
        "Bad Request: entity begins after the end of the text at UTF-16 offset 100"
    )
    assert rejected("hello", None, entities=[{"type": "bold", "offset": 0, "length": 100}]) == (
        "Bad Request: entity beginning at UTF-16 offset 0 ends after the end of the text at UTF-16 offset 100"
    )
    assert rejected("hello", None, entities=[{"type": "bold", "offset": -1, "length": 1}]) == (
        "Bad Request: receive an entity with incorrect offset -1"
    )
    assert rejected("hello", None, entities=[{"type": "shiny", "offset": 0, "length": 1}]) == (
        "Bad Request: can't parse MessageEntity: Unsupported type specified"
    )
    assert rejected("click", None, entities=[{"type": "text_link", "offset": 0, "length": 5, "url": "not-a-url"}]) == (
        "Bad Request: entity URL 'not-a-url' is invalid: Wrong HTTP URL"
    )
    assert format_text("hello", None, [{"type": "italic", "offset": 1, "length": 3}]) == (
        "hello",
        [{"type": "italic", "offset": 1, "length": 3}],
    )


def test_telegram_finds_commands_mentions_hashtags_and_links_itself():
    text = "/start@newsbrief_bot #syria @ada $USD https://example.com/a. mail me@example.org"
    found = [(e["type"], text[e["offset"] : e["offset"] + e["length"]]) for e in find_entities(text)]
    assert found == [
        ("bot_command", "/start@newsbrief_bot"),
        ("hashtag", "#syria"),
        ("mention", "@ada"),
        ("cashtag", "$USD"),
        ("url", "https://example.com/a"),
        ("email", "me@example.org"),
    ]


def test_found_links_do_not_overlap_the_bots_own_links():
    text, entities = html('<a href="https://example.com/">https://example.com/</a> and /help')
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 20, "url": "https://example.com/"},
        {"type": "bot_command", "offset": 25, "length": 5},
    ]
