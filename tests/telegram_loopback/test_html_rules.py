from __future__ import annotations

import pytest

from telegram_loopback.html_rules import HtmlError, LinkError, check_link, parse_html


def parsed(source: str, *, strict: bool = True) -> tuple[str, list[dict]]:
    return parse_html(source, strict=strict)


def error(source: str, *, strict: bool = True) -> str:
    with pytest.raises(HtmlError) as caught:
        parse_html(source, strict=strict)
    return str(caught.value)


def test_every_tag_telegram_accepts():
    source = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>"
        '<span class="tg-spoiler">p</span><tg-spoiler>q</tg-spoiler><code>c</code><pre>r</pre>'
        '<blockquote>q</blockquote><blockquote expandable>x</blockquote><a href="https://t.me/">a</a>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    text, entities = parsed(source)
    assert text == "bsieunskdpqcrqxa👍"
    kinds = ["bold"] * 2 + ["italic"] * 2 + ["underline"] * 2 + ["strikethrough"] * 3 + ["spoiler"] * 2
    kinds += ["code", "pre", "blockquote", "expandable_blockquote", "text_link"]
    assert [(e["type"], e["offset"], e["length"]) for e in entities] == [
        *[(kind, offset, 1) for offset, kind in enumerate(kinds)],
        ("custom_emoji", 16, 2),
    ]
    assert entities[15]["url"] == "https://t.me/"
    assert entities[16]["custom_emoji_id"] == "5368324170671202286"


def test_only_four_named_entities_and_numeric_ones_are_decoded():
    assert parsed("a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &#39;s &#x1F600; &lt")[0] == "a < b && c > d \"q\" 's 😀 <"


def test_offsets_count_utf16_code_units():
    text, entities = parsed("😀 <b>é👍</b>")
    assert text == "😀 é👍"
    assert entities == [{"type": "bold", "offset": 3, "length": 3}]


def test_pre_with_a_language_comes_from_an_inner_code_class():
    assert parsed('<pre><code class="language-python">print(1)</code></pre>') == (
        "print(1)",
        [{"type": "pre", "offset": 0, "length": 8, "language": "python"}],
    )
    assert parsed('<code class="language-python">x</code>')[1] == [{"type": "code", "offset": 0, "length": 1}]


def test_links_are_stored_the_way_telegram_normalises_them():
    assert parsed('<a href="HTTPS://Example.COM">x</a>')[1][0]["url"] == "https://example.com/"
    assert parsed('<a href="example.com/path?q=1&amp;r=2">x</a>')[1][0]["url"] == "http://example.com/path?q=1&r=2"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("Résumé <br> next", 'Unsupported start tag "br" at byte offset 9'),
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>test</b></i>", 'Unmatched end tag at byte offset 10, expected "</i>", found "</b>"'),
        ("text</b>", "Unexpected end tag at byte offset 4"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>s</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href=https://x.com>x</a>", "Unexpected end of name token at byte offset 8"),
        ('<b ="x">y</b>', 'Empty attribute name in the tag "b" at byte offset 0'),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
        (
            "&#xD83D;",
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units",
        ),
    ],
)
def test_telegrams_parse_errors(source: str, message: str):
    assert error(source, strict=False) == message
    assert error(source, strict=True) == message


def test_what_telegram_lets_through_silently_passes_when_not_strict():
    assert parsed("AT&T &nbsp;", strict=False) == ("AT&T &nbsp;", [])
    assert parsed("<a>https://example.com</a>", strict=False) == (
        "https://example.com",
        [{"type": "text_link", "offset": 0, "length": 19, "url": "https://example.com/"}],
    )
    assert parsed('<a href="not a url">x</a>', strict=False) == ("x", [])


def test_strict_mode_names_escaping_and_link_bugs():
    assert error("AT&T").startswith('Unescaped "&" at byte offset 2')
    assert error("a&nbsp;b").startswith('Unsupported HTML entity "&nbsp;" at byte offset 1')
    assert error("<a>https://example.com</a>").startswith('Tag "a" must have an href attribute at byte offset 0')
    assert error('x <a href="javascript:alert(1)">y</a>').startswith(
        'Invalid URL "javascript:alert(1)" in the tag "a" at byte offset 2 (Wrong HTTP URL)'
    )


def test_tags_and_attributes_are_case_insensitive_and_unknown_attributes_ignored():
    assert parsed('<B title="x">y</B >') == ("y", [{"type": "bold", "offset": 0, "length": 1}])
    assert parsed("<b>y</>") == ("y", [{"type": "bold", "offset": 0, "length": 1}])


def test_empty_tags_make_no_entity():
    assert parsed("<b></b>x") == ("x", [])


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("not-a-url", "Wrong HTTP URL"),
        ("ftp://example.com", "Unsupported URL protocol"),
        ("", "URL host is empty"),
        ("https://example.com:99999/", "Wrong port number specified in the URL"),
    ],
)
def test_links_telegram_refuses(url: str, reason: str):
    with pytest.raises(LinkError, match=reason):
        check_link(url)


def test_links_telegram_accepts():
    assert check_link("tg://resolve?domain=newsbrief_bot") == "tg://resolve?domain=newsbrief_bot"
    assert check_link("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080/x"
    assert check_link("https://пример.рф") == "https://пример.рф/"
