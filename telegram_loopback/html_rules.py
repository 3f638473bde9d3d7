"""Telegram's HTML parse mode, step for step as tdlib's ``parse_html`` (td/telegram/MessageEntity.cpp).

Errors carry tdlib's wording and UTF-8 byte offsets, e.g. ``Unsupported start tag "script" at byte
offset 0``. With ``strict=True`` (the loopback server's default) a few things Telegram lets pass
silently are errors too, because they are bugs in a bot: an ``<a>`` without a usable ``href``
(Telegram links the text or drops the link), a named entity other than ``&lt; &gt; &amp; &quot;``
(Telegram shows it as typed) and a bare ``&`` (an escaping bug waiting for a ``<``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

from telegram_loopback.entities import Entity, sort_entities

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
}
_SPACE = frozenset(" \t\r\n\0\v\f")
_SPECIAL = re.compile("[<&]")
_ENTITY = re.compile("&(?:#(x[0-9a-fA-F]*|[0-9]*)|([A-Za-z]*))")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_USER_LINK = re.compile(r"(?i)tg:(?://)?user\?id=(\d+)")
_HOST_LABEL = re.compile(r"(?i)[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?|xn--[a-z0-9-]+")
_URL = re.compile(
    r"(?s)(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<userinfo>[^@/?#]*@)?"
    r"(?P<host>\[[0-9A-Fa-f:.]*\]|[^:/?#\[\]@]*)(?::(?P<port>[^/?#]*))?(?P<rest>[/?#].*)?"
)

UserLookup = Callable[[int], "dict[str, Any] | None"]


class HtmlError(Exception):
    """Text after ``Bad Request: can't parse entities: ``."""


class LinkError(Exception):
    """Why a URL is not a link Telegram accepts (``Wrong HTTP URL``, ``Unsupported URL protocol``...)."""


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    out_index: int
    source_index: int


def parse_html(source: str, *, strict: bool = True, user_lookup: UserLookup | None = None) -> tuple[str, list[Entity]]:
    """Plain text and entities of an HTML-formatted message, or :class:`HtmlError`."""
    n = len(source)

    def at(index: int) -> str:
        return source[index] if index < n else "\0"

    def offset(index: int) -> int:
        return len(source[:index].encode("utf-8", "surrogatepass"))

    out: list[str] = []
    utf16 = 0
    entities: list[Entity] = []
    nested: list[_Open] = []
    i = 0
    while i < n:
        ch = source[i]
        if ch == "&":
            code, end = _decode_entity(source, i)
            if code:
                decoded = chr(code)
                out.append(decoded)
                utf16 += 2 if code > 0xFFFF else 1
                i = end
                continue
            if strict:
                raise HtmlError(_strict_ampersand(source, i, offset(i)))
        if ch != "<":
            # copy the run of plain text up to the next tag or entity in one go
            special = _SPECIAL.search(source, i + 1)
            end = special.start() if special else n
            chunk = source[i:end]
            out.append(chunk)
            utf16 += len(chunk.encode("utf-16-le", "surrogatepass")) // 2
            i = end
            continue

        begin = i
        i += 1
        if at(i) != "/":
            while at(i) not in _SPACE and at(i) != ">":
                i += 1
            if at(i) == "\0":
                raise HtmlError(f"Unclosed start tag at byte offset {offset(begin)}")
            tag = _ascii_lower(source[begin + 1 : i])
            if tag not in ALLOWED_TAGS:
                raise HtmlError(f'Unsupported start tag "{tag}" at byte offset {offset(begin)}')
            argument = ""
            while at(i) != ">":
                while at(i) != "\0" and at(i) in _SPACE:
                    i += 1
                if at(i) == ">":
                    break
                name_start = i
                while at(i) not in _SPACE and at(i) not in "=>/\"'":
                    i += 1
                attribute = source[name_start:i]
                if not attribute:
                    raise HtmlError(f'Empty attribute name in the tag "{tag}" at byte offset {offset(begin)}')
                while at(i) != "\0" and at(i) in _SPACE:
                    i += 1
                if at(i) != "=":
                    if at(i) == "\0":
                        raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {offset(begin)}')
                    if tag == "blockquote" and attribute == "expandable":
                        argument = "1"
                    continue
                i += 1
                while at(i) != "\0" and at(i) in _SPACE:
                    i += 1
                if at(i) == "\0":
                    raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {offset(begin)}')
                if at(i) not in "'\"":
                    token_start = i
                    while at(i).isascii() and (at(i).isalnum() or at(i) in ".-"):
                        i += 1
                    value = _ascii_lower(source[token_start:i])
                    if at(i) not in _SPACE and at(i) != ">":
                        raise HtmlError(f"Unexpected end of name token at byte offset {offset(token_start)}")
                else:
                    quote = at(i)
                    i += 1
                    pieces: list[str] = []
                    while at(i) != quote and at(i) != "\0":
                        if at(i) == "&":
                            code, end = _decode_entity(source, i)
                            if code:
                                pieces.append(chr(code))
                                i = end
                                continue
                            if strict:
                                raise HtmlError(_strict_ampersand(source, i, offset(i)))
                        pieces.append(at(i))
                        i += 1
                    if at(i) == quote:
                        i += 1
                    value = "".join(pieces)
                if at(i) == "\0":
                    raise HtmlError(f"Unclosed start tag at byte offset {offset(begin)}")
                if tag == "a" and attribute == "href":
                    argument = value
                elif tag == "code" and attribute == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and attribute == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and attribute == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attribute == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset(begin)}')
            nested.append(_Open(tag, argument, utf16, len(out), begin))
            i += 1  # past ">"
            continue

        # an end tag
        if not nested:
            raise HtmlError(f"Unexpected end tag at byte offset {offset(begin)}")
        while at(i) not in _SPACE and at(i) != ">":
            i += 1
        end_tag = _ascii_lower(source[begin + 2 : i])
        while at(i) != "\0" and at(i) in _SPACE:
            i += 1
        if at(i) != ">":
            raise HtmlError(f"Unclosed end tag at byte offset {offset(begin)}")
        opened = nested[-1]
        if end_tag and end_tag != opened.tag:
            raise HtmlError(
                f'Unmatched end tag at byte offset {offset(begin)}, expected "</{opened.tag}>", found "</{end_tag}>"'
            )
        if utf16 > opened.utf16_offset:
            inner = "".join(out[opened.out_index :])
            entity = _close(opened, utf16, inner, entities, strict, user_lookup, offset(opened.source_index))
            if entity is not None:
                entities.append(entity)
        nested.pop()
        i += 1  # past ">"

    if nested:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{nested[-1].tag}"')
    text = "".join(out)
    if _SURROGATE.search(text):
        raise HtmlError(
            "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched "
            "surrogate code units"
        )
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return text, sort_entities(entities)


def _close(
    opened: _Open,
    utf16: int,
    inner: str,
    entities: list[Entity],
    strict: bool,
    user_lookup: UserLookup | None,
    begin_offset: int,
) -> Entity | None:
    start = opened.utf16_offset
    length = utf16 - start
    tag = opened.tag
    if tag in _SIMPLE or tag == "span":
        return {"type": _SIMPLE.get(tag, "spoiler"), "offset": start, "length": length}
    if tag == "tg-emoji":
        number = opened.argument
        if not re.fullmatch(r"[+-]?\d{1,19}", number) or int(number) == 0 or abs(int(number)) >= 2**63:
            raise HtmlError("Invalid custom emoji identifier specified")
        return {"type": "custom_emoji", "offset": start, "length": length, "custom_emoji_id": str(int(opened.argument))}
    if tag == "a":
        url = opened.argument or inner
        if strict and not opened.argument:
            raise HtmlError(
                f'Tag "a" must have an href attribute at byte offset {begin_offset} '
                "[strict_html: Telegram would link the text itself]"
            )
        user = _USER_LINK.fullmatch(url)
        if user:
            found = user_lookup(int(user.group(1))) if user_lookup else None
            if found is None:
                return None  # Telegram cannot mention a user the bot has never seen
            return {"type": "text_mention", "offset": start, "length": length, "user": found}
        try:
            checked = check_link(url)
        except LinkError as exc:
            if strict:
                raise HtmlError(
                    f'Invalid URL "{url}" in the tag "a" at byte offset {begin_offset} ({exc}) '
                    "[strict_html: Telegram would drop the link]"
                ) from exc
            return None
        return {"type": "text_link", "offset": start, "length": length, "url": checked}
    if tag == "pre":
        last = entities[-1] if entities else None
        if last and last["type"] == "code" and last["offset"] == start and last["length"] == length and last.get("language"):
            last["type"] = "pre"
            return None
        return {"type": "pre", "offset": start, "length": length}
    if tag == "code":
        last = entities[-1] if entities else None
        if last and last["type"] == "pre" and last["offset"] == start and last["length"] == length and opened.argument:
            last["language"] = opened.argument
            return None
        entity: Entity = {"type": "code", "offset": start, "length": length}
        if opened.argument:
            entity["language"] = opened.argument  # kept until a surrounding <pre> closes
        return entity
    # blockquote
    kind = "expandable_blockquote" if opened.argument else "blockquote"
    return {"type": kind, "offset": start, "length": length}


def _decode_entity(text: str, pos: int) -> tuple[int, int]:
    """tdlib's decode_html_entity: (code point, end) or (0, pos) when ``&`` starts no entity."""
    match = _ENTITY.match(text, pos)
    assert match is not None
    end = match.end()
    number = match.group(1)
    if number is not None:
        digits = number[1:] if number.startswith("x") else number
        code = int(digits, 16 if number.startswith("x") else 10) if digits and end - pos < 10 else 0
        if code == 0 or code >= 0x10FFFF:
            return 0, pos
    else:
        named = _NAMED.get(match.group(2))
        if named is None:
            return 0, pos
        code = ord(named)
    if end < len(text) and text[end] == ";":
        end += 1
    return code, end


def _strict_ampersand(source: str, index: int, byte_offset: int) -> str:
    word = re.match(r"&#?[A-Za-z0-9]+;", source[index:])
    if word:
        shown = word.group(0)
        return (
            f'Unsupported HTML entity "{shown}" at byte offset {byte_offset} '
            "[strict_html: only &lt; &gt; &amp; &quot; and numeric entities are decoded; Telegram shows the rest as typed]"
        )
    return f'Unescaped "&" at byte offset {byte_offset} [strict_html: escape it as &amp;]'


def _ascii_lower(text: str) -> str:
    return "".join(ch.lower() if ch.isascii() else ch for ch in text)


def check_link(url: str) -> str:
    """The URL as Telegram stores it (``https://example.com`` -> ``https://example.com/``), or LinkError."""
    url = url.strip()
    lowered = url.lower()
    for scheme in ("tg", "ton", "tonsite"):
        if lowered.startswith(scheme + ":"):
            rest = url[len(scheme) + 1 :]
            rest = rest[2:] if rest.startswith("//") else rest
            if not rest or not re.fullmatch(r"[A-Za-z0-9_\-./?=&%+~#:]+", rest):
                raise LinkError(f"Wrong {scheme} URL")
            return f"{scheme}://{rest}"
    match = _URL.fullmatch(url)
    if match is None:
        raise LinkError("Wrong HTTP URL")
    scheme = (match.group("scheme") or "http").lower()
    if scheme not in ("http", "https"):
        raise LinkError("Unsupported URL protocol")
    host = match.group("host").lower()
    if not host:
        raise LinkError("URL host is empty")
    if not _valid_host(host):
        raise LinkError("Wrong HTTP URL")
    port = match.group("port")
    if port is not None and (not port.isdigit() or not 0 < int(port) < 65536):
        raise LinkError("Wrong port number specified in the URL")
    if any(ch in " \t\n\r\0" for ch in url):
        raise LinkError("Wrong HTTP URL")
    rest = match.group("rest") or "/"
    if not rest.startswith("/"):
        rest = "/" + rest
    userinfo = match.group("userinfo") or ""
    return f"{scheme}://{userinfo}{host}{':' + port if port else ''}{rest}"


def _valid_host(host: str) -> bool:
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        pass
    else:
        return True
    labels = host.rstrip(".").split(".")
    if len(labels) < 2:
        return False
    for label in labels:
        if not label:
            return False
        if label.isascii() and not _HOST_LABEL.fullmatch(label):
            return False
    top = labels[-1]
    return top.startswith("xn--") or (not top.isascii()) or (top.isalpha() and len(top) >= 2)


def user_link_id(url: str) -> int | None:
    """The user id of a ``tg://user?id=`` link."""
    match = _USER_LINK.fullmatch(url.strip())
    return int(match.group(1)) if match else None
