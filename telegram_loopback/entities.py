"""Message entities as Telegram keeps them: UTF-16 offsets, cleaning and trimming, auto-detected links.

Follows tdlib's ``fix_formatted_text`` (td/telegram/MessageEntity.cpp): control characters become
spaces, ``\\r`` and a few invisible characters go, leading and trailing spaces and newlines are
trimmed, same-type formatting that touches is merged and formatting inside ``code``/``pre`` dropped.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

Entity = dict[str, Any]

SPLITTABLE = ("bold", "italic", "underline", "strikethrough", "spoiler")
PRE_LIKE = frozenset({"code", "pre"})
# Types a bot may set itself; the rest Telegram finds in the text on its own.
USER_TYPES = frozenset(
    {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
        "blockquote",
        "expandable_blockquote",
        "date_time",
    }
)
DETECTED_TYPES = frozenset({"mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number"})
ALL_TYPES = USER_TYPES | DETECTED_TYPES
# tdlib's MessageEntity::get_type_priority: the order of entities sharing offset and length.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
_REMOVED = frozenset("\r\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u0333\u033f\u030a")
_DIRTY = re.compile("[\x00-\x09\x0b-\x1f\u2028-\u202e\u0333\u033f\u030a]")


class TextError(Exception):
    """A tdlib text error, worded as tdlib words it (the Bot API lowercases its first letter)."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_slice(text: str, offset: int, length: int) -> str:
    """The piece of ``text`` an entity covers."""
    encoded = text.encode("utf-16-le", "surrogatepass")
    return encoded[2 * offset : 2 * (offset + length)].decode("utf-16-le", "surrogatepass")


def _units(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def sort_entities(entities: list[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))


def fix_text(text: str, entities: list[Entity], *, allow_empty: bool = False) -> tuple[str, list[Entity]]:
    """Clean and trim a text with its entities the way Telegram stores a message."""
    for entity in entities:
        if not 0 <= entity["offset"] <= 1_000_000:
            raise TextError(f"Receive an entity with incorrect offset {entity['offset']}")
        if not 0 <= entity["length"] <= 1_000_000:
            raise TextError(f"Receive an entity with incorrect length {entity['length']}")
    entities = _normalize([dict(e) for e in entities if e["length"] > 0])
    text, entities = _clean(text, entities)
    last = _last_non_blank(text)
    if last is None:
        if allow_empty:
            return "", []
        raise TextError("Text must be non-empty")
    # rtrim: keep up to the last character that is not a space or a newline
    end_units = utf16_len(text[: last + 1])
    text = text[: last + 1]
    kept = []
    for entity in entities:
        if entity["offset"] >= end_units:
            continue
        entity["length"] = min(entity["length"], end_units - entity["offset"])
        kept.append(entity)
    # ltrim: only the blanks before the first entity
    first_entity = min((e["offset"] for e in kept), default=len(text))
    lead = 0
    while lead < len(text) and lead < first_entity and text[lead] in " \n":
        lead += 1
    if lead:
        text = text[lead:]
        for entity in kept:
            entity["offset"] -= lead
    return text, sort_entities(_normalize(kept))


def _last_non_blank(text: str) -> int | None:
    for index in range(len(text) - 1, -1, -1):
        if text[index] not in " \n":
            return index
    return None


def _clean(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    total = utf16_len(text)
    for entity in sorted(entities, key=lambda e: e["offset"]):
        if entity["offset"] > total:
            raise TextError(f"Entity begins after the end of the text at UTF-16 offset {entity['offset']}")
        end = entity["offset"] + entity["length"]
        if end > total:
            raise TextError(
                f"Entity beginning at UTF-16 offset {entity['offset']} ends after the end of the text "
                f"at UTF-16 offset {end}"
            )
    if not _DIRTY.search(text):
        return text, entities
    # new_offset[k]: where original UTF-16 offset k lands once removed characters are gone
    new_offset = [0] * (total + 1)
    out: list[str] = []
    old = new = 0
    for ch in text:
        width = _units(ch)
        for step in range(width):
            new_offset[old + step] = new
        old += width
        if ch in _REMOVED:
            continue
        if ord(ch) < 32 and ch != "\n":
            ch = " "
        out.append(ch)
        new += width
    new_offset[total] = new
    for entity in entities:
        start = new_offset[entity["offset"]]
        entity["length"] = new_offset[entity["offset"] + entity["length"]] - start
        entity["offset"] = start
    return "".join(out), [e for e in entities if e["length"] > 0]


def _normalize(entities: list[Entity]) -> list[Entity]:
    """Merge touching formatting of one type; formatting never reaches into code or pre."""
    others = [e for e in entities if e["type"] not in SPLITTABLE]
    blocked = sorted((e["offset"], e["offset"] + e["length"]) for e in others if e["type"] in PRE_LIKE)
    result = list(others)
    for kind in SPLITTABLE:
        spans = sorted((e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] == kind)
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in merged:
            for piece_start, piece_end in _subtract(start, end, blocked):
                result.append({"type": kind, "offset": piece_start, "length": piece_end - piece_start})
    return sort_entities(result)


def _subtract(start: int, end: int, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces = []
    cursor = start
    for block_start, block_end in blocked:
        if block_end <= cursor or block_start >= end:
            continue
        if block_start > cursor:
            pieces.append((cursor, block_start))
        cursor = max(cursor, block_end)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


# --- entities Telegram finds by itself (tdlib's match_* functions, simplified where noted) ---

_WORD = re.compile(r"\w")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\[\]{}]+[^\s<>\"'()\[\]{}.,;:!?]")
_EMAIL = re.compile(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")


def _is_word(ch: str) -> bool:
    return ch == "_" or unicodedata.category(ch)[0] in "LN"


def find_entities(text: str) -> list[Entity]:
    """Mentions, hashtags, cashtags, bot commands, URLs and e-mail addresses in plain text.

    Mentions, hashtags, cashtags and bot commands follow tdlib's rules; URLs are found only with
    an explicit ``http(s)://`` or ``www.`` start (Telegram also links bare domains).
    """
    found: list[tuple[int, int, str]] = []  # character start, end, type
    found += _match_prefixed(text, "@", lambda body: 2 <= len(body) <= 32, "mention", r"[A-Za-z0-9_]")
    found += _match_bot_commands(text)
    found += _match_hashtags(text)
    found += _match_cashtags(text)
    for match in _URL.finditer(text):
        found.append((match.start(), match.end(), "url"))
    for match in _EMAIL.finditer(text):
        found.append((match.start(), match.end(), "email"))
    chosen: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(found):
        if chosen and start < chosen[-1][1]:
            continue  # the first match wins, as in tdlib's find_entities
        chosen.append((start, end, kind))
    return [
        {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])}
        for start, end, kind in chosen
    ]


def _positions(text: str, sign: str) -> list[int]:
    found = []
    index = text.find(sign)
    while index != -1:
        found.append(index)
        index = text.find(sign, index + 1)
    return found


def _match_prefixed(text: str, sign: str, size_ok: Any, kind: str, allowed: str) -> list[tuple[int, int, str]]:
    result = []
    char = re.compile(allowed)
    for index in _positions(text, sign):
        if index and _is_word(text[index - 1]):
            continue
        end = index + 1
        while end < len(text) and char.fullmatch(text[end]):
            end += 1
        if size_ok(text[index + 1 : end]) and not (end < len(text) and _is_word(text[end])):
            result.append((index, end, kind))
    return result


def _match_bot_commands(text: str) -> list[tuple[int, int, str]]:
    result = []
    name = re.compile(r"[A-Za-z0-9_]")
    for index in _positions(text, "/"):
        if index and (_is_word(text[index - 1]) or text[index - 1] in "/<>"):
            continue
        end = index + 1
        while end < len(text) and name.fullmatch(text[end]):
            end += 1
        if not 1 <= end - index - 1 <= 64:
            continue
        if end < len(text) and text[end] == "@":
            mention_end = end + 1
            while mention_end < len(text) and name.fullmatch(text[mention_end]):
                mention_end += 1
            if not 3 <= mention_end - end - 1 <= 32:
                continue
            end = mention_end
        if end < len(text) and (_is_word(text[end]) or text[end] in "/<>"):
            continue
        result.append((index, end, "bot_command"))
    return result


def _is_hashtag_letter(ch: str) -> bool:
    if ch in "_\u200c\u00b7" or "\u0d80" <= ch <= "\u0dff":
        return True
    return unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd")


def _match_hashtags(text: str) -> list[tuple[int, int, str]]:
    result = []
    for index in _positions(text, "#"):
        if index and _is_hashtag_letter(text[index - 1]):
            continue
        end = index + 1
        while end < len(text) and _is_hashtag_letter(text[end]):
            end += 1
        body = text[index + 1 : end]
        if not body or (end < len(text) and text[end] == "#"):
            continue
        if not any(unicodedata.category(c).startswith("L") for c in body):
            continue
        result.append((index, min(end, index + 1 + 256), "hashtag"))
    return result


def _match_cashtags(text: str) -> list[tuple[int, int, str]]:
    result = []
    for match in re.finditer(r"\$(1INCH|[A-Z]{1,8})", text):
        start, end = match.span()
        if start and (_is_hashtag_letter(text[start - 1]) or text[start - 1] == "$"):
            continue
        if end < len(text) and (_is_hashtag_letter(text[end]) or text[end] == "$"):
            continue
        result.append((start, end, "cashtag"))
    return result


def merge_detected(entities: list[Entity], detected: list[Entity]) -> list[Entity]:
    """Add auto-detected entities that do not overlap the message's own non-formatting entities."""
    occupied = [
        (e["offset"], e["offset"] + e["length"])
        for e in entities
        if e["type"] not in SPLITTABLE and e["type"] not in ("blockquote", "expandable_blockquote")
    ]
    added = [
        e
        for e in detected
        if not any(e["offset"] < end and start < e["offset"] + e["length"] for start, end in occupied)
    ]
    return sort_entities(entities + added)
