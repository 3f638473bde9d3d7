"""Bot API methods: what each call does to the loopback Telegram and what it answers."""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram_loopback.errors import NOT_MODIFIED, QUERY_TOO_OLD, ApiError, bad_request
from telegram_loopback.formatting import format_text
from telegram_loopback.keyboards import check_reply_markup
from telegram_loopback.limits import MESSAGE_METHODS, RateLimiter
from telegram_loopback.spec import BotApiSpec
from telegram_loopback.state import CallbackAnswer, Chat, Event, InlineAnswer, Message, MessageVersion, TelegramState
from telegram_loopback.wire import UploadedFile

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_MEDIA_KINDS = {"sendphoto": "photo", "senddocument": "document"}
# Telegram's caps on an uploaded photo and document (bytes), and how an image file starts.
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
_IMAGE_STARTS = (b"\xff\xd8\xff", b"\x89PNG", b"GIF87a", b"GIF89a", b"BM")
MAX_INLINE_RESULTS = 50
_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
_REMOTE_URL = re.compile(r"(?i)https?://[^\s/?#]+\S*")


@dataclass(frozen=True)
class Reply:
    """A successful answer: ``result`` and, for a few methods, Telegram's ``description``."""

    result: Any
    description: str | None = None


class BotApiMethods:
    """The handlers, keyed by lower-case method name; unknown spec methods get a generic answer."""

    def __init__(
        self,
        state: TelegramState,
        limits: RateLimiter,
        *,
        spec: BotApiSpec | None,
        strict: bool = True,
        callback_query_ttl: float | None = 15.0,
        on_webhook_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.state = state
        self.limits = limits
        self.spec = spec
        self.strict = strict
        self.callback_query_ttl = callback_query_ttl
        self.on_webhook_change = on_webhook_change
        self.handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getme": self.get_me,
            "logout": lambda params: True,
            "close": lambda params: True,
            "getupdates": self.get_updates,
            "setwebhook": self.set_webhook,
            "deletewebhook": self.delete_webhook,
            "getwebhookinfo": self.get_webhook_info,
            "sendmessage": self.send_message,
            "sendphoto": self.send_media,
            "senddocument": self.send_media,
            "editmessagetext": self.edit_message_text,
            "editmessagecaption": self.edit_message_caption,
            "editmessagereplymarkup": self.edit_message_reply_markup,
            "deletemessage": self.delete_message,
            "deletemessages": self.delete_messages,
            "answercallbackquery": self.answer_callback_query,
            "answerinlinequery": self.answer_inline_query,
            "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands,
            "deletemycommands": self.delete_my_commands,
            "sendchataction": self.send_chat_action,
            "getchat": self.get_chat,
            "getchatmember": self.get_chat_member,
            "getchatmembercount": self.get_chat_member_count,
            "getchatadministrators": self.get_chat_administrators,
            "leavechat": self.leave_chat,
        }

    def knows(self, method: str) -> bool:
        return method in self.handlers

    def call(self, method: str, params: dict[str, Any]) -> Reply:
        """Run ``method`` (lower-case) with checked parameters."""
        handler = self.handlers.get(method)
        if handler is None:
            return self.generic(method, params)
        answer = handler(params)
        return answer if isinstance(answer, Reply) else Reply(answer)

    def generic(self, method: str, params: dict[str, Any]) -> Reply:
        """A spec method nobody emulated: Boolean methods succeed, message-sending ones store a message."""
        spec_method = self.spec.method(method) if self.spec else None
        returns = spec_method.returns if spec_method else ()
        if returns == ("Boolean",):
            if "chat_id" in params:
                chat = self.state.resolve(params["chat_id"])
                with self.state.lock:
                    self.state.check_writable(chat)
            return Reply(True)
        if "Message" in returns and method.startswith("send"):
            return Reply(self._deliver(method, params, kind=method[len("send") :], text_param="caption"))
        name = spec_method.name if spec_method else method
        raise ApiError(501, f"Not Implemented: the loopback Bot API server does not emulate {name}")

    # --- the bot ----------------------------------------------------------------------------

    def get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.state.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.state.privacy_mode,
            "supports_inline_queries": self.state.inline_placeholder is not None,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    # --- updates ------------------------------------------------------------------------------

    def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.state.poll(
            params.get("offset"),
            int(params.get("limit") or 100),
            float(params.get("timeout") or 0),
            params.get("allowed_updates"),
        )

    def set_webhook(self, params: dict[str, Any]) -> Reply:
        url = params.get("url", "")
        if not url:
            return self.delete_webhook(params)
        if not re.match(r"(?i)https?://[^/?#\s]+", url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        with self.state.lock:
            hook = self.state.webhook
            already = hook.url == url and hook.secret_token == secret
            if params.get("drop_pending_updates"):
                self.state.drop_pending_updates()
            if params.get("allowed_updates") is not None:
                self.state.allowed_updates = frozenset(params["allowed_updates"])
            hook.url = url
            hook.secret_token = secret
            hook.max_connections = int(params.get("max_connections") or 40)
            hook.ip_address = params.get("ip_address")
            hook.last_error_date = hook.last_error_message = None
            self.state.changed.notify_all()
        self.on_webhook_change()
        return Reply(True, "Webhook is already set" if already else "Webhook was set")

    def delete_webhook(self, params: dict[str, Any]) -> Reply:
        with self.state.lock:
            had = bool(self.state.webhook.url)
            self.state.webhook.url = ""
            self.state.webhook.secret_token = None
            if params.get("drop_pending_updates"):
                self.state.drop_pending_updates()
            self.state.changed.notify_all()
        self.on_webhook_change()
        return Reply(True, "Webhook was deleted" if had else "Webhook is already deleted")

    def get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        with self.state.lock:
            hook = self.state.webhook
            info: dict[str, Any] = {
                "url": hook.url,
                "has_custom_certificate": False,
                "pending_update_count": self.state.pending_updates(),
            }
            if hook.url:
                info["max_connections"] = hook.max_connections
                if hook.ip_address:
                    info["ip_address"] = hook.ip_address
                if self.state.allowed_updates:
                    info["allowed_updates"] = sorted(self.state.allowed_updates)
                if hook.last_error_date is not None:
                    info["last_error_date"] = hook.last_error_date
                    info["last_error_message"] = hook.last_error_message
            return info

    # --- messages -----------------------------------------------------------------------------

    def send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._deliver("sendmessage", params, kind="text", text_param="text")

    def send_media(self, params: dict[str, Any]) -> dict[str, Any]:
        method = "sendphoto" if "photo" in params else "senddocument"
        kind = _MEDIA_KINDS[method]
        attachment = self._attachment(kind, params.get(kind))
        return self._deliver(method, params, kind=kind, text_param="caption", attachment=attachment)

    def _attachment(self, kind: str, value: Any) -> dict[str, Any]:
        """What a photo or document parameter names, as Telegram reads it: an upload (multipart), a file id it issued, or a URL."""
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            if len(value.data) > (MAX_PHOTO_BYTES if kind == "photo" else MAX_DOCUMENT_BYTES):
                raise bad_request("file is too big")
            if kind == "photo" and not _is_image(value.data):
                raise bad_request("IMAGE_PROCESS_FAILED")
            return {"source": "upload", "filename": value.filename, "content_type": value.content_type, "size": len(value.data)}
        if not isinstance(value, str) or not value:
            raise bad_request(f'parameter "{kind}" is required')
        with self.state.lock:
            issued = self.state.files.get(value)
        if issued is not None:
            if issued != kind:
                raise bad_request(f"can't use file of type {issued.capitalize()} as {kind.capitalize()}")
            return {"source": "file_id", "file_id": value}
        if _REMOTE_URL.fullmatch(value):
            # Telegram would fetch it itself; the loopback keeps the URL for a test to see that it was handed one.
            return {"source": "url", "url": value}
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _deliver(
        self, method: str, params: dict[str, Any], *, kind: str, text_param: str, attachment: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Send a message: format, check the chat and the limits, store, announce."""
        caption = kind != "text"
        raw = params.get(text_param)
        if raw is None or raw == "":
            if not caption:
                raise bad_request("message text is empty")
            raw = ""
        if not isinstance(raw, str):
            raise bad_request(f'field "{text_param}" must be of type String')
        plain, entities = format_text(
            raw,
            params.get("parse_mode"),
            params.get(f"{text_param}_entities" if caption else "entities"),
            strict=self.strict,
            user_lookup=self.state.user_lookup,
            caption=caption,
        )
        markup = params.get("reply_markup")
        check_reply_markup(markup, strict=self.strict)
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        chat = self.state.resolve(params["chat_id"])
        with self.state.lock:
            self.state.check_writable(chat)
            if params.get("message_thread_id") and not chat.type == "supergroup":
                raise bad_request("message thread not found")
            reply_to = self._reply_target(chat, params.get("reply_parameters"))
            if method in MESSAGE_METHODS:
                self.limits.acquire(chat.id, is_group=chat.is_group, paid=bool(params.get("allow_paid_broadcast")))
            inline = markup if markup and "inline_keyboard" in markup else None
            if markup and "inline_keyboard" not in markup:
                chat.reply_keyboard = None if markup.get("remove_keyboard") else copy.deepcopy(markup)
            message = self.state.new_message(
                chat,
                sender=self.state.bot,
                from_bot=True,
                text=plain,
                entities=entities,
                source=raw,
                parse_mode=params.get("parse_mode"),
                reply_markup=copy.deepcopy(inline),
                reply_to_message_id=reply_to.message_id if reply_to else None,
                link_preview_options=params.get("link_preview_options"),
                kind=kind,
                method=_spelled(self.spec, method),
                attachment=attachment or {},
            )
            if kind in _MEDIA_KINDS.values():
                self.state.files[message.file_id] = kind
            answer = message.to_api(chat, reply_to)
            snapshot = copy.deepcopy(message)
            self.state.changed.notify_all()
        self.state.emit(Event("message", chat.id, snapshot))
        return answer

    def _reply_target(self, chat: Chat, reply: dict[str, Any] | None) -> Message | None:
        if not reply:
            return None
        if "message_id" not in reply:
            raise bad_request('can\'t find field "message_id"')
        target_chat = chat
        if reply.get("chat_id") is not None:
            target_chat = self.state.resolve(reply["chat_id"])
        target = self.state.messages_of(target_chat).get(int(reply["message_id"]))
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return target

    def edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._editable(params)
        text = params.get("text")
        if not text:
            raise bad_request("message text is empty")
        plain, entities = format_text(
            text,
            params.get("parse_mode"),
            params.get("entities"),
            strict=self.strict,
            user_lookup=self.state.user_lookup,
        )
        markup = params.get("reply_markup")
        check_reply_markup(markup, strict=self.strict)
        with self.state.lock:
            if message.kind != "text":
                raise bad_request("there is no text in the message to edit")
            answer, snapshot = self._apply_edit(
                chat, message, plain, entities, markup, source=text, parse_mode=params.get("parse_mode")
            )
        self.state.emit(Event("edit", chat.id, snapshot))
        return answer

    def edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._editable(params)
        caption = params.get("caption") or ""
        plain, entities = format_text(
            caption,
            params.get("parse_mode"),
            params.get("caption_entities"),
            strict=self.strict,
            user_lookup=self.state.user_lookup,
            caption=True,
        )
        markup = params.get("reply_markup")
        check_reply_markup(markup, strict=self.strict)
        with self.state.lock:
            if message.kind == "text":
                raise bad_request("there is no caption in the message to edit")
            answer, snapshot = self._apply_edit(
                chat, message, plain, entities, markup, source=caption, parse_mode=params.get("parse_mode")
            )
        self.state.emit(Event("edit", chat.id, snapshot))
        return answer

    def edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._editable(params)
        markup = params.get("reply_markup")
        check_reply_markup(markup, strict=self.strict)
        with self.state.lock:
            answer, snapshot = self._apply_edit(chat, message, message.text, message.entities, markup)
        self.state.emit(Event("edit", chat.id, snapshot))
        return answer

    def _editable(self, params: dict[str, Any]) -> tuple[Chat, Message]:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        if params.get("message_id") is None:
            raise bad_request("message identifier is not specified")
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        chat = self.state.resolve(params["chat_id"])
        with self.state.lock:
            self.state.check_writable(chat)
            message = self.state.messages_of(chat).get(int(params["message_id"]))
            if message is None or message.deleted or message.kind == "service":
                raise bad_request("message to edit not found")
            if not message.from_bot:
                raise bad_request("message can't be edited")
            return chat, message

    def _apply_edit(
        self,
        chat: Chat,
        message: Message,
        text: str | None,
        entities: list[dict[str, Any]],
        markup: dict[str, Any] | None,
        *,
        source: str | None = None,
        parse_mode: str | None = None,
    ) -> tuple[dict[str, Any], Message]:
        """Apply an edit (caller holds the lock); the answer and a snapshot for listeners."""
        # An edit without reply_markup removes the inline keyboard, as in Telegram.
        new_markup = markup if markup and markup.get("inline_keyboard") else None
        old_markup = message.reply_markup if message.reply_markup and message.reply_markup.get("inline_keyboard") else None
        if text == message.text and entities == message.entities and new_markup == old_markup:
            raise bad_request(NOT_MODIFIED[len("Bad Request: ") :])
        message.versions.append(MessageVersion(message.text, message.entities, message.reply_markup, message.edit_date))
        message.text = text
        message.entities = entities
        message.reply_markup = copy.deepcopy(new_markup)
        if source is not None:
            message.source = source
            message.parse_mode = parse_mode
        message.edit_date = int(time.time())
        self.state.changed.notify_all()
        return message.to_api(chat), copy.deepcopy(message)

    def delete_message(self, params: dict[str, Any]) -> bool:
        chat = self.state.resolve(params["chat_id"])
        with self.state.lock:
            self.state.check_writable(chat)
            message = self.state.messages_of(chat).get(int(params["message_id"]))
            if message is None or message.deleted:
                raise bad_request("message to delete not found")
            self._check_deletable(chat, message)
            message.deleted = True
            snapshot = copy.deepcopy(message)
            self.state.changed.notify_all()
        self.state.emit(Event("delete", chat.id, snapshot))
        return True

    def delete_messages(self, params: dict[str, Any]) -> bool:
        chat = self.state.resolve(params["chat_id"])
        ids = params["message_ids"]
        if not 1 <= len(ids) <= 100:
            raise bad_request("too many messages to delete" if ids else "message identifiers are not specified")
        deleted = []
        with self.state.lock:
            self.state.check_writable(chat)
            for message_id in ids:
                message = self.state.messages_of(chat).get(int(message_id))
                if message is None or message.deleted:
                    continue
                self._check_deletable(chat, message)
                message.deleted = True
                deleted.append(copy.deepcopy(message))
            self.state.changed.notify_all()
        for snapshot in deleted:
            self.state.emit(Event("delete", chat.id, snapshot))
        return True

    def _check_deletable(self, chat: Chat, message: Message) -> None:
        if message.from_bot or chat.type == "private" or chat.bot_status == "administrator":
            return
        raise bad_request("message can't be deleted")

    # --- buttons, commands, chat actions ---------------------------------------------------------

    def answer_callback_query(self, params: dict[str, Any]) -> bool:
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        with self.state.lock:
            query = self.state.callback_queries.get(params["callback_query_id"])
            too_old = (
                query is None
                or query.answer is not None
                or (self.callback_query_ttl is not None and self.state.clock() - query.pressed_at > self.callback_query_ttl)
            )
            if too_old:
                raise bad_request(QUERY_TOO_OLD[len("Bad Request: ") :])
            assert query is not None
            query.answer = CallbackAnswer(
                query.id,
                text,
                bool(params.get("show_alert")),
                params.get("url"),
                int(params.get("cache_time") or 0),
                time.time(),
            )
            self.state.changed.notify_all()
            chat_id = query.chat_id
            detail = {"query_id": query.id, "text": text, "show_alert": query.answer.show_alert}
        self.state.emit(Event("callback_answer", chat_id, None, detail))
        return True

    def answer_inline_query(self, params: dict[str, Any]) -> bool:
        """Check the answer as Telegram does (50 results, ids 1-64 bytes and unique, each message text parsed) and keep it."""
        results = params["results"]
        if not isinstance(results, list):
            raise bad_request('field "results" must be of type Array')
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        checked = [self._inline_result(result) for result in results]
        ids = [result["id"] for result in checked]
        if len(set(ids)) != len(ids):
            raise bad_request("RESULT_ID_DUPLICATE")
        next_offset = params.get("next_offset") or ""
        if len(next_offset.encode("utf-8")) > 64:
            raise bad_request("NEXT_OFFSET_INVALID")
        button = params.get("button")
        if button is not None:
            if not str(button.get("text", "")).strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            if ("start_parameter" in button) == ("web_app" in button):
                raise bad_request("BUTTON_TYPE_INVALID")
            if "start_parameter" in button and not _START_PARAMETER.fullmatch(str(button["start_parameter"])):
                raise bad_request("START_PARAM_INVALID")
        cache_time = int(params.get("cache_time", 300))
        if cache_time < 0:
            raise bad_request("CACHE_TIME_INVALID")
        with self.state.lock:
            query = self.state.inline_queries.get(params["inline_query_id"])
            too_old = (
                query is None
                or query.answer is not None
                or (self.callback_query_ttl is not None and self.state.clock() - query.sent_at > self.callback_query_ttl)
            )
            if too_old:
                raise bad_request(QUERY_TOO_OLD[len("Bad Request: ") :])
            assert query is not None
            query.answer = InlineAnswer(
                checked, cache_time, bool(params.get("is_personal")), next_offset, copy.deepcopy(button), time.time()
            )
            self.state.changed.notify_all()
            detail = {"query_id": query.id, "results": len(checked), "cache_time": cache_time}
        self.state.emit(Event("inline_answer", None, None, detail))
        return True

    def _inline_result(self, result: dict[str, Any]) -> dict[str, Any]:
        """One result as Telegram takes it; a text message content gets its parsed ``text`` and ``entities``."""
        result_id = str(result.get("id", ""))
        if not 1 <= len(result_id.encode("utf-8")) <= 64:
            raise bad_request("RESULT_ID_INVALID")
        if result.get("type") == "article" and not str(result.get("title", "")).strip():
            raise bad_request("RESULT_TITLE_EMPTY")
        check_reply_markup(result.get("reply_markup"), strict=self.strict)
        content = result.get("input_message_content")
        checked = copy.deepcopy(result)
        if not isinstance(content, dict):
            return checked
        if "message_text" not in content:
            raise ApiError(501, "Not Implemented: the loopback Bot API server emulates only text message content in inline results")
        if self.spec is not None:
            content = self.spec.check("InputTextMessageContent", content, "input_message_content")
        if not str(content["message_text"]).strip():
            raise bad_request("MESSAGE_EMPTY")
        plain, entities = format_text(
            content["message_text"],
            content.get("parse_mode"),
            content.get("entities"),
            strict=self.strict,
            user_lookup=self.state.user_lookup,
        )
        checked["input_message_content"] = {**copy.deepcopy(content), "text": plain, "entities": entities}
        return checked

    def set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params["commands"]
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not _COMMAND.fullmatch(command["command"]):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"].strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = _scope_key(params.get("scope"), params.get("language_code"))
        listed = [{"command": c["command"], "description": c["description"]} for c in commands]
        with self.state.lock:
            self.state.commands[key] = listed
            self.state.changed.notify_all()
        self.state.emit(Event("commands", None, None, {"scope": key[0], "language_code": key[1], "commands": listed}))
        return True

    def get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        with self.state.lock:
            key = _scope_key(params.get("scope"), params.get("language_code"))
            return copy.deepcopy(self.state.commands.get(key, []))

    def delete_my_commands(self, params: dict[str, Any]) -> bool:
        with self.state.lock:
            self.state.commands.pop(_scope_key(params.get("scope"), params.get("language_code")), None)
        return True

    def send_chat_action(self, params: dict[str, Any]) -> bool:
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat = self.state.resolve(params["chat_id"])
        with self.state.lock:
            self.state.check_writable(chat)
        self.state.emit(Event("chat_action", chat.id, None, {"action": params["action"]}))
        return True

    # --- chats --------------------------------------------------------------------------------

    def get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.state.resolve(params["chat_id"])
        with self.state.lock:
            if chat.type == "channel" and chat.bot_status in ("left", "kicked"):
                if chat.username is None:
                    raise bad_request("chat not found")  # a private channel is seen by its members only
            elif chat.type == "channel":
                pass  # a channel answers its administrators and members, with or without the right to post
            elif chat.type != "private":
                self.state.check_writable(chat)
            info = chat.to_api()
            info.update(
                {
                    "accent_color_id": 0,
                    "max_reaction_count": 11,
                    "accepted_gift_types": {
                        "unlimited_gifts": False,
                        "limited_gifts": False,
                        "unique_gifts": False,
                        "premium_subscription": False,
                        "gifts_from_channels": False,
                    },
                }
            )
            return info

    def get_chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.state.resolve(params["chat_id"])
        user_id = int(params["user_id"])
        with self.state.lock:
            return self._member(chat, user_id)

    def _member(self, chat: Chat, user_id: int) -> dict[str, Any]:
        return self.state.member(chat, user_id)

    def get_chat_member_count(self, params: dict[str, Any]) -> int:
        chat = self.state.resolve(params["chat_id"])
        with self.state.lock:
            if chat.type == "private":
                return 2
            return len(chat.members) + (1 if chat.bot_status in ("member", "administrator") else 0)

    def get_chat_administrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self.state.resolve(params["chat_id"])
        with self.state.lock:
            if chat.type == "private":
                raise bad_request("there are no administrators in the private chat")
            admins = [self._member(chat, user_id) for user_id in chat.admins if user_id in self.state.users]
            if chat.bot_status == "administrator":
                admins.append(self._member(chat, self.state.bot.id))
            return admins

    def leave_chat(self, params: dict[str, Any]) -> bool:
        chat = self.state.resolve(params["chat_id"])
        with self.state.lock:
            if chat.type == "private":
                raise bad_request("chat member status can't be changed in private chats")
            self.state.check_writable(chat)
            chat.bot_status = "left"
            self.state.changed.notify_all()
        return True


def _scope_key(scope: dict[str, Any] | None, language_code: str | None) -> tuple[str, str]:
    scope = scope or {"type": "default"}
    parts = [str(scope.get("type", "default"))]
    for name in ("chat_id", "user_id"):
        if name in scope:
            parts.append(f"{name}={scope[name]}")
    return ":".join(parts), language_code or ""


def _is_image(data: bytes) -> bool:
    return data.startswith(_IMAGE_STARTS) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _spelled(spec: BotApiSpec | None, method: str) -> str:
    found = spec.method(method) if spec else None
    return found.name if found else method
