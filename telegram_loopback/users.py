"""Playing the people on the other side: writing, pressing buttons, blocking, leaving, migrating groups."""

from __future__ import annotations

import copy
import secrets
import time
from typing import Any

from telegram_loopback.entities import find_entities, utf16_slice
from telegram_loopback.state import CallbackQuery, Chat, Event, InlineQuery, Message, TelegramState, User


def send_text(
    state: TelegramState, chat_id: int, text: str, *, user: User | None = None, reply_to: int | None = None
) -> Message:
    """A user writes ``text``; the bot gets a ``message`` update unless group privacy hides it."""
    with state.lock:
        chat = state.chat(chat_id)
        sender = _sender(state, chat, user)
        if chat.type == "private" and chat.blocked:
            # Writing to a bot you blocked means pressing "Restart" first, which unblocks it.
            _set_blocked(state, chat, False)
        if chat.deleted or chat.migrated_to is not None:
            raise ValueError(f"chat {chat_id} can no longer be written to (deleted or migrated)")
        if chat.type == "channel":
            raise ValueError(f"chat {chat_id} is a channel: its posts are channel_post updates, which this server does not play")
        reply = state.messages_of(chat).get(reply_to) if reply_to is not None else None
        message = state.new_message(
            chat,
            sender=sender,
            from_bot=False,
            text=text,
            entities=find_entities(text),
            source=text,
            reply_to_message_id=reply_to,
        )
        if _bot_sees(state, chat, message, reply):
            state.push_update("message", message.to_api(chat, reply))
        snapshot = copy.deepcopy(message)
    state.emit(Event("user_message", chat_id, snapshot))
    return snapshot


def send_command(
    state: TelegramState,
    chat_id: int,
    command: str,
    args: str = "",
    *,
    user: User | None = None,
    mention: bool = False,
) -> Message:
    """``/command args``, or ``/command@BotName args`` with ``mention=True``."""
    text = "/" + command.lstrip("/")
    if mention:
        text += f"@{state.bot.username}"
    if args:
        text += f" {args}"
    return send_text(state, chat_id, text, user=user)


def press_button(
    state: TelegramState, chat_id: int, message_id: int, button: str, *, user: User | None = None, check: bool = True
) -> str:
    """Press an inline button by its callback data or its text; returns the callback query id.

    With ``check=False`` ``button`` is sent as callback data even if no button carries it (an old
    keyboard a client still shows).
    """
    with state.lock:
        chat = state.chat(chat_id)
        sender = _sender(state, chat, user)
        message = state.messages_of(chat).get(message_id)
        if message is None or message.deleted:
            raise ValueError(f"no message {message_id} in chat {chat_id} to press a button on")
        data = _callback_data(message, button) if check else button
        query = CallbackQuery(str(secrets.randbits(63)), chat_id, message_id, data, sender, state.clock())
        state.callback_queries[query.id] = query
        payload: dict[str, Any] = {
            "id": query.id,
            "from": sender.to_api(),
            "message": message.to_api(chat),
            "chat_instance": chat.chat_instance,
            "data": data,
        }
        state.push_update("callback_query", payload)
        return query.id


# An inline query's text is at most this many characters (Telegram's clients cut it there).
MAX_INLINE_QUERY = 256
INLINE_CHAT_TYPES = frozenset({"sender", "private", "group", "supergroup", "channel"})


def send_inline_query(
    state: TelegramState, user: User, query: str, *, offset: str = "", chat_type: str | None = "sender"
) -> str:
    """``@bot query`` typed by ``user`` in a chat of ``chat_type``: an ``inline_query`` update; returns its id.

    Refused (ValueError) while the bot's inline mode is off, as Telegram's clients offer nothing then.
    """
    with state.lock:
        if state.inline_placeholder is None:
            raise ValueError("the bot's inline mode is off: @BotFather /setinline (server.enable_inline_mode())")
        if len(query) > MAX_INLINE_QUERY:
            raise ValueError(f"an inline query is at most {MAX_INLINE_QUERY} characters; this one has {len(query)}")
        if chat_type is not None and chat_type not in INLINE_CHAT_TYPES:
            raise ValueError(f"chat_type {chat_type!r} is not one Telegram sends ({sorted(INLINE_CHAT_TYPES)})")
        state.users.setdefault(user.id, user)
        inline = InlineQuery(str(secrets.randbits(63)), user, query, offset, chat_type, state.clock())
        state.inline_queries[inline.id] = inline
        payload: dict[str, Any] = {"id": inline.id, "from": user.to_api(), "query": query, "offset": offset}
        if chat_type is not None:
            payload["chat_type"] = chat_type
        state.push_update("inline_query", payload)
        return inline.id


def choose_inline_result(state: TelegramState, chat_id: int, query_id: str, result_id: str) -> Message:
    """The user taps one of the bot's answers: its message goes into ``chat_id`` from them, ``via_bot`` the bot.

    The bot gets the message as an update only where it would see the user's own message there
    (its private chat with them; a group as privacy mode allows). No ``chosen_inline_result`` update
    is sent (a bot asks for those with @BotFather /setinlinefeedback, which this server does not play).
    """
    with state.lock:
        inline = state.inline_queries.get(query_id)
        if inline is None or inline.answer is None:
            raise ValueError(f"inline query {query_id} has no answer to choose from")
        result = next((item for item in inline.answer.results if item["id"] == result_id), None)
        if result is None:
            raise ValueError(f"inline query {query_id} has no result {result_id!r}; it has {[r['id'] for r in inline.answer.results]}")
        content = result["input_message_content"]
        chat = state.chat(chat_id)
        if chat.deleted or chat.migrated_to is not None:
            raise ValueError(f"chat {chat_id} can no longer be written to (deleted or migrated)")
        sender = _sender(state, chat, inline.user)
        markup = result.get("reply_markup")
        message = state.new_message(
            chat,
            sender=sender,
            from_bot=False,
            text=content["text"],
            entities=copy.deepcopy(content["entities"]),
            source=content["message_text"],
            parse_mode=content.get("parse_mode"),
            reply_markup=copy.deepcopy(markup) if markup else None,
            link_preview_options=copy.deepcopy(content.get("link_preview_options")),
            via_bot=state.bot,
        )
        if _bot_sees(state, chat, message, None):
            state.push_update("message", message.to_api(chat))
        snapshot = copy.deepcopy(message)
    state.emit(Event("user_message", chat_id, snapshot))
    return snapshot


def _callback_data(message: Message, button: str) -> str:
    for candidate in message.buttons:
        if candidate.get("callback_data") == button:
            return button
    for candidate in message.buttons:
        if candidate.get("text") == button:
            if "callback_data" not in candidate:
                raise ValueError(f"button {button!r} has no callback_data (it is a {_action(candidate)} button)")
            return str(candidate["callback_data"])
    shown = [(b.get("text"), b.get("callback_data")) for b in message.buttons]
    raise ValueError(f"message {message.message_id} has no button {button!r}; it has {shown}")


def _action(button: dict[str, Any]) -> str:
    return next((key for key in button if key != "text"), "text")


def block(state: TelegramState, chat_id: int) -> None:
    """The user blocks the bot: sends answer 403 ``bot was blocked by the user``."""
    with state.lock:
        chat = _private(state, chat_id)
        _set_blocked(state, chat, True)


def unblock(state: TelegramState, chat_id: int) -> None:
    with state.lock:
        chat = _private(state, chat_id)
        _set_blocked(state, chat, False)


def delete_chat(state: TelegramState, chat_id: int) -> None:
    """The account is deleted (private chat) or the group is: sends answer 403."""
    with state.lock:
        chat = state.chat(chat_id)
        chat.deleted = True
        state.changed.notify_all()


def kick_bot(state: TelegramState, chat_id: int, *, by: User | None = None) -> None:
    """An admin removes the bot from a group or channel: sends answer 403 ``bot was kicked from the group chat``."""
    set_bot_member(state, chat_id, "kicked", by=by)


def set_bot_member(
    state: TelegramState, chat_id: int, status: str, *, can_post_messages: bool = True, by: User | None = None
) -> None:
    """An admin changes the bot's membership of a group or channel ("administrator", "member", "left", "kicked";
    in a channel, an administrator's right to post): the bot gets ``my_chat_member`` with both states."""
    if status not in ("administrator", "member", "left", "kicked"):
        raise ValueError(f"a bot's status is administrator, member, left or kicked, not {status!r}")
    with state.lock:
        chat = state.chat(chat_id)
        if chat.type == "private":
            raise ValueError("a bot is blocked in a private chat, not kicked; use block()")
        old = state.member(chat, state.bot.id)
        chat.bot_status, chat.bot_can_post = status, can_post_messages
        new = state.member(chat, state.bot.id)
        _member_change(state, chat, by or _any_member(chat), old, new)


def migrate_group(state: TelegramState, chat_id: int) -> int:
    """A group becomes a supergroup: returns the new chat id; sends to the old id answer 400 with it."""
    with state.lock:
        old = state.chat(chat_id)
        if old.type != "group":
            raise ValueError(f"only a basic group migrates; chat {chat_id} is a {old.type}")
        new = state.add_group(old.title or "", list(old.members.values()), supergroup=True)
        new.admins = set(old.admins)
        new.bot_status = old.bot_status
        new.migrated_from = old.id
        old.migrated_to = new.id
        actor = _any_member(old)
        service = {"sender": actor, "from_bot": False, "kind": "service"}
        moved_out = state.new_message(old, **service, service={"migrate_to_chat_id": new.id})
        state.push_update("message", moved_out.to_api(old))
        moved_in = state.new_message(new, **service, service={"migrate_from_chat_id": old.id})
        state.push_update("message", moved_in.to_api(new))
        return new.id


def _sender(state: TelegramState, chat: Chat, user: User | None) -> User:
    if chat.type == "private":
        if user is not None and chat.user is not None and user.id != chat.user.id:
            raise ValueError(f"user {user.id} cannot write in the private chat of user {chat.user.id}")
        assert chat.user is not None
        return chat.user
    if user is None:
        return _any_member(chat)
    if user.id not in chat.members:
        chat.members[user.id] = user
    state.users.setdefault(user.id, user)
    return user


def _any_member(chat: Chat) -> User:
    if chat.user is not None:
        return chat.user
    if not chat.members:
        raise ValueError(f"group {chat.id} has no members; pass user= or add members when creating it")
    return next(iter(chat.members.values()))


def _private(state: TelegramState, chat_id: int) -> Chat:
    chat = state.chat(chat_id)
    if chat.type != "private":
        raise ValueError(f"chat {chat_id} is a {chat.type}; only a private chat blocks a bot")
    return chat


def _set_blocked(state: TelegramState, chat: Chat, blocked: bool) -> None:
    if chat.blocked == blocked:
        return
    chat.blocked = blocked
    assert chat.user is not None
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    _member_update(state, chat, chat.user, old, new)


def _member_update(state: TelegramState, chat: Chat, actor: User, old: str, new: str) -> None:
    """Telegram's ``my_chat_member`` update of a private chat: the bot blocked or unblocked."""
    member = {"user": state.bot.to_api()}
    _member_change(
        state, chat, actor,
        {**member, "status": old, **({"until_date": 0} if old == "kicked" else {})},
        {**member, "status": new, **({"until_date": 0} if new == "kicked" else {})},
    )


def _member_change(state: TelegramState, chat: Chat, actor: User, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Telegram's ``my_chat_member`` update: the bot's own membership changed from ``old`` to ``new`` (ChatMembers)."""
    state.push_update(
        "my_chat_member",
        {"chat": chat.to_api(), "from": actor.to_api(), "date": int(time.time()), "old_chat_member": old, "new_chat_member": new},
    )
    state.changed.notify_all()


def _bot_sees(state: TelegramState, chat: Chat, message: Message, reply: Message | None) -> bool:
    """Group privacy mode: a bot sees commands, replies to itself and mentions of itself."""
    if chat.type == "private" or not state.privacy_mode or chat.bot_status == "administrator":
        return chat.bot_status not in ("kicked", "left")
    if chat.bot_status in ("kicked", "left"):
        return False
    text = message.text or ""
    username = (state.bot.username or "").lower()
    if reply is not None and reply.from_bot:
        return True
    for entity in message.entities:
        piece = utf16_slice(text, entity["offset"], entity["length"]).lower()
        if entity["type"] == "bot_command" and entity["offset"] == 0:
            _, _, addressee = piece.partition("@")
            return not addressee or addressee == username
        if entity["type"] == "mention" and piece == f"@{username}":
            return True
    return False
