"""Reply markup checks beyond the spec's types: what Telegram rejects in an inline keyboard."""

from __future__ import annotations

from typing import Any

from telegram_loopback.errors import ApiError, bad_request
from telegram_loopback.html_rules import LinkError, check_link

ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100
_BUTTON = "can't parse inline keyboard button: "


def check_reply_markup(markup: dict[str, Any] | None, *, strict: bool = True, allow_paid: bool = False) -> None:
    """Raise the 400 Telegram answers for a keyboard it will not show."""
    if not markup or "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" must be of type Array')
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            check_inline_button(button, strict=strict, allow_paid=allow_paid)


def check_inline_button(button: Any, *, strict: bool = True, allow_paid: bool = False) -> None:
    if not isinstance(button, dict):
        raise bad_request(_BUTTON + "InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise bad_request(_BUTTON + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise bad_request(_BUTTON + 'Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    used = [name for name in ACTIONS if name in button and not (name == "callback_data" and button[name] == "")]
    if not used:
        raise bad_request(_BUTTON + "Text buttons are unallowed in the inline keyboard")
    if len(used) > 1 and strict:
        raise ApiError(
            400,
            f"Bad Request: {_BUTTON}Exactly one of the fields {', '.join(used)} must be used "
            "[strict: Telegram would silently use only the first]",
        )
    action = used[0]
    value = button[action]
    if action == "callback_data":
        if not isinstance(value, str) or len(value.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif action == "url":
        try:
            checked = check_link(str(value))
        except LinkError as exc:
            raise bad_request(f"inline keyboard button URL '{value}' is invalid: {exc}") from exc
        if not checked.startswith(("http://", "https://", "tg://")):
            raise bad_request(f"inline keyboard button URL '{value}' is invalid: Unsupported URL protocol")
    elif action == "web_app":
        url = value.get("url", "") if isinstance(value, dict) else ""
        if not str(url).lower().startswith("https://"):
            raise bad_request(f"inline keyboard button Web App URL '{url}' is invalid: Only HTTPS links are allowed")
    elif action == "copy_text":
        text = value.get("text", "") if isinstance(value, dict) else ""
        if not text or len(text) > 256:
            raise bad_request("BUTTON_COPY_TEXT_INVALID")
    elif action in ("pay", "callback_game") and not allow_paid:
        raise bad_request("BUTTON_TYPE_INVALID")


def buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Inline buttons row by row, flattened."""
    if not markup or not isinstance(markup.get("inline_keyboard"), list):
        return []
    return [button for row in markup["inline_keyboard"] if isinstance(row, list) for button in row if isinstance(button, dict)]
