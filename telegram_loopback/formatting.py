"""From the parameters of a send or edit call to what the user sees: plain text plus entities."""

from __future__ import annotations

from typing import Any

from telegram_loopback.entities import (
    ALL_TYPES,
    DETECTED_TYPES,
    Entity,
    TextError,
    find_entities,
    fix_text,
    merge_detected,
    utf16_len,
)
from telegram_loopback.errors import ApiError, bad_request
from telegram_loopback.html_rules import HtmlError, LinkError, UserLookup, check_link, parse_html

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
_ENTITY = "can't parse MessageEntity: "


def format_text(
    text: str,
    parse_mode: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    *,
    strict: bool = True,
    user_lookup: UserLookup | None = None,
    caption: bool = False,
) -> tuple[str, list[Entity]]:
    """The message text and entities Telegram would store, or the 400 it would answer."""
    if entities:
        own = [_checked_entity(entity, user_lookup) for entity in entities]
        own = [entity for entity in own if entity["type"] not in DETECTED_TYPES]
        plain = text
    elif parse_mode:
        plain, own = _parse(text, parse_mode, strict, user_lookup)
    else:
        plain, own = text, []
    try:
        plain, own = fix_text(plain, own, allow_empty=caption)
    except TextError as exc:
        raise _td_error(exc) from exc
    limit = MAX_CAPTION_LENGTH if caption else MAX_MESSAGE_LENGTH
    if utf16_len(plain) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return plain, merge_detected(own, find_entities(plain))


def _parse(text: str, parse_mode: str, strict: bool, user_lookup: UserLookup | None) -> tuple[str, list[Entity]]:
    mode = parse_mode.lower()
    if mode == "html":
        try:
            return parse_html(text, strict=strict, user_lookup=user_lookup)
        except HtmlError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
    if mode in ("markdown", "markdownv2"):
        raise ApiError(
            400,
            f"Bad Request: can't parse entities: parse_mode {parse_mode} is not emulated by the loopback "
            "Bot API server; use HTML",
        )
    raise bad_request("unsupported parse_mode")


def _checked_entity(entity: dict[str, Any], user_lookup: UserLookup | None) -> Entity:
    kind = entity.get("type")
    if kind not in ALL_TYPES:
        raise bad_request(_ENTITY + "Unsupported type specified")
    checked: Entity = {"type": kind, "offset": entity["offset"], "length": entity["length"]}
    if kind == "text_link":
        if "url" not in entity:
            raise bad_request(_ENTITY + 'Can\'t find field "url"')
        try:
            checked["url"] = check_link(entity["url"])
        except LinkError as exc:
            raise bad_request(f"entity URL '{entity['url']}' is invalid: {exc}") from exc
    elif kind == "text_mention":
        if "user" not in entity:
            raise bad_request(_ENTITY + 'Can\'t find field "user"')
        user = user_lookup(int(entity["user"].get("id", 0))) if user_lookup else None
        if user is None:
            raise bad_request("user not found")
        checked["user"] = user
    elif kind == "custom_emoji":
        if "custom_emoji_id" not in entity:
            raise bad_request(_ENTITY + 'Can\'t find field "custom_emoji_id"')
        emoji_id = str(entity["custom_emoji_id"])
        if not emoji_id.lstrip("-").isdigit() or abs(int(emoji_id)) >= 2**63:
            raise bad_request(_ENTITY + 'Field "custom_emoji_id" must be a valid Number')
        checked["custom_emoji_id"] = emoji_id
    elif kind == "pre" and entity.get("language"):
        checked["language"] = entity["language"]
    return checked


def _td_error(exc: TextError) -> ApiError:
    message = str(exc)
    return bad_request(message[:1].lower() + message[1:])
