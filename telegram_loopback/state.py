"""What the loopback Telegram knows: users, chats, messages, pending updates, the call log. Thread-safe."""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram_loopback.errors import bad_request, conflict, forbidden, migrated
from telegram_loopback.keyboards import buttons

_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": False,
    "can_restrict_members": False,
    "can_promote_members": False,
    "can_change_info": False,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
}

# Update types Telegram leaves out unless a bot asks for them by name in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for name in ("last_name", "username", "language_code"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


@dataclass
class Chat:
    id: int
    type: str  # private, group, supergroup or channel
    title: str | None = None
    username: str | None = None
    user: User | None = None  # the person in a private chat
    members: dict[int, User] = field(default_factory=dict)
    admins: set[int] = field(default_factory=set)
    blocked: bool = False
    deleted: bool = False
    bot_status: str = "member"
    # In a channel the bot posts only as an administrator with the right to post messages.
    bot_can_post: bool = True
    migrated_to: int | None = None
    migrated_from: int | None = None
    chat_instance: str = field(default_factory=lambda: str(secrets.randbits(63)))
    reply_keyboard: dict[str, Any] | None = None
    next_message_id: int = 1

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup", "channel")

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data.update({k: v for k, v in self.user.to_api().items() if k in ("first_name", "last_name", "username")})
        else:
            if self.title is not None:
                data["title"] = self.title
            if self.username is not None:
                data["username"] = self.username
        return data


@dataclass
class MessageVersion:
    """A message as it was before an edit."""

    text: str | None
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    edit_date: int | None


@dataclass
class Message:
    """A message in a chat: ``text`` and ``entities`` are what the user sees, ``source`` what was sent."""

    message_id: int
    chat_id: int
    sender: User
    from_bot: bool
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    link_preview_options: dict[str, Any] | None = None
    kind: str = "text"
    method: str = "sendMessage"
    edit_date: int | None = None
    deleted: bool = False
    versions: list[MessageVersion] = field(default_factory=list)
    service: dict[str, Any] = field(default_factory=dict)
    # The bot an inline result was sent through (``via_bot``), for a user's message chosen from inline results.
    via_bot: User | None = None
    # A photo's or document's file as sent: {"source": "upload", "filename", "content_type", "size"}, a file id or a URL.
    attachment: dict[str, Any] = field(default_factory=dict)

    @property
    def file_id(self) -> str:
        """The file id Telegram gives a photo or document (the one sent, when it was sent by file id)."""
        if self.attachment.get("source") == "file_id":
            return str(self.attachment["file_id"])
        return f"BQACAgIAAx{self.chat_id & 0xFFFFFF:06x}{self.message_id:08x}"

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline keyboard buttons, row after row."""
        return buttons(self.reply_markup)

    @property
    def button_texts(self) -> list[str]:
        return [button["text"] for button in self.buttons]

    @property
    def callback_data(self) -> list[str]:
        return [button["callback_data"] for button in self.buttons if "callback_data" in button]

    def to_api(self, chat: Chat, reply_to: Message | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"message_id": self.message_id}
        if chat.type == "channel":
            data["sender_chat"] = chat.to_api()  # a channel post is signed by the channel, not by who posted it
        else:
            data["from"] = self.sender.to_api()
        data.update({"chat": chat.to_api(), "date": self.date})
        if self.kind == "text":
            if self.text is not None:
                data["text"] = self.text
            if self.entities:
                data["entities"] = copy.deepcopy(self.entities)
        else:
            data.update(_media(self))
            if self.text:
                data["caption"] = self.text
            if self.entities:
                data["caption_entities"] = copy.deepcopy(self.entities)
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = copy.deepcopy(self.reply_markup)
        if self.link_preview_options:
            data["link_preview_options"] = copy.deepcopy(self.link_preview_options)
        if reply_to is not None:
            data["reply_to_message"] = reply_to.to_api(chat)
        if self.via_bot is not None:
            data["via_bot"] = self.via_bot.to_api()
        data.update(self.service)
        return data


def _media(message: Message) -> dict[str, Any]:
    file_id = message.file_id
    unique = f"AgAD{file_id[-8:]}"
    if message.kind == "photo":
        return {"photo": [{"file_id": file_id, "file_unique_id": unique, "width": 320, "height": 240}]}
    if message.kind == "document":
        return {"document": {"file_id": file_id, "file_unique_id": unique, "file_name": "document"}}
    return {}


@dataclass(frozen=True)
class CallbackAnswer:
    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int
    time: float


@dataclass(frozen=True)
class InlineAnswer:
    """What the bot answered an inline query: the results as checked (their message texts parsed), and its options."""

    results: list[dict[str, Any]]
    cache_time: int
    is_personal: bool
    next_offset: str
    button: dict[str, Any] | None
    time: float


@dataclass
class InlineQuery:
    """A user typing ``@bot words`` in a chat: the query, and the bot's answer once it came."""

    id: str
    user: User
    query: str
    offset: str
    chat_type: str | None
    sent_at: float
    answer: InlineAnswer | None = None


@dataclass
class CallbackQuery:
    id: str
    chat_id: int
    message_id: int
    data: str | None
    user: User
    pressed_at: float
    answer: CallbackAnswer | None = None


@dataclass(frozen=True)
class Call:
    """One Bot API request as the server saw and answered it."""

    method: str
    params: dict[str, Any]
    chat_id: int | None
    time: float  # wall clock (time.time())
    monotonic: float
    status: int
    description: str | None
    duration: float

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class Event:
    """Something the bot did, for whoever renders the conversation (``newsbrief chat``).

    Kinds: ``message`` (sent), ``edit``, ``delete``, ``callback_answer``, ``chat_action``,
    ``commands`` (setMyCommands), ``user_message`` (a played user wrote), ``inline_answer`` (answerInlineQuery).
    """

    kind: str
    chat_id: int | None
    message: Message | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Webhook:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


class TelegramState:
    """Chats, messages and updates behind one lock; waiting readers are woken on every change."""

    def __init__(
        self,
        bot: User,
        *,
        clock: Callable[[], float] = time.monotonic,
        privacy_mode: bool = True,
        call_log_limit: int | None = None,
    ) -> None:
        self.bot = bot
        self.clock = clock  # for the age of callback queries; waits always use real time
        self.privacy_mode = privacy_mode
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.users: dict[int, User] = {bot.id: bot}
        self.chats: dict[int, Chat] = {}
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.inline_queries: dict[str, InlineQuery] = {}
        # The inline mode's placeholder as @BotFather /setinline sets it; None while inline mode is off (the default).
        self.inline_placeholder: str | None = None
        # Every file id a sent photo or document was given, and its kind: what may be sent again by id.
        self.files: dict[str, str] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.calls: deque[Call] = deque(maxlen=call_log_limit)
        self._messages: dict[int, dict[int, Message]] = {}
        self.webhook = Webhook()
        self.allowed_updates: frozenset[str] | None = None
        self.closing = False
        self.waiting_polls = 0  # getUpdates calls now waiting for an update
        self._updates: deque[tuple[int, str, dict[str, Any]]] = deque()
        self._next_update_id = 1
        self._poll_generation = 0
        self._next_user_id = 1_000_001
        self._next_group_id = 4_000_000_001
        self._next_supergroup_id = 1_002_000_000_001
        self._listeners: list[Callable[[Event], None]] = []

    # --- people and chats -------------------------------------------------------------

    def add_user(
        self,
        first_name: str = "Ada",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
    ) -> User:
        """A person with a private chat with the bot (as if they had opened it)."""
        with self.lock:
            if user_id is None:
                while self._next_user_id in self.users:
                    self._next_user_id += 1
                user_id = self._next_user_id
                self._next_user_id += 1
            user = User(user_id, first_name, last_name, username, language_code)
            self.users[user_id] = user
            self.chats.setdefault(user_id, Chat(user_id, "private", user=user))
            self.changed.notify_all()
            return user

    def add_group(
        self,
        title: str = "Newsroom",
        members: list[User] | None = None,
        *,
        supergroup: bool = False,
        username: str | None = None,
        bot_is_admin: bool = False,
    ) -> Chat:
        with self.lock:
            if supergroup:
                chat_id = -self._next_supergroup_id
                self._next_supergroup_id += 1
            else:
                chat_id = -self._next_group_id
                self._next_group_id += 1
            chat = Chat(chat_id, "supergroup" if supergroup else "group", title=title, username=username)
            for member in members or []:
                chat.members[member.id] = member
            if members:
                chat.admins.add(members[0].id)
            if bot_is_admin:
                chat.bot_status = "administrator"
            self.chats[chat_id] = chat
            self.changed.notify_all()
            return chat

    def add_channel(
        self,
        title: str = "Morning Wire",
        admins: list[User] | None = None,
        *,
        username: str | None = None,
        bot_status: str = "administrator",
        bot_can_post: bool = True,
    ) -> Chat:
        """A channel: ``admins`` (the first its creator), and the bot as ``bot_status`` ("left": never added)."""
        with self.lock:
            chat_id = -self._next_supergroup_id
            self._next_supergroup_id += 1
            chat = Chat(chat_id, "channel", title=title, username=username, bot_status=bot_status, bot_can_post=bot_can_post)
            for admin in admins or []:
                chat.members[admin.id] = admin
                chat.admins.add(admin.id)
            self.chats[chat_id] = chat
            self.changed.notify_all()
            return chat

    def chat(self, chat_id: int) -> Chat:
        """A chat the test set up (``KeyError`` names the mistake)."""
        with self.lock:
            try:
                return self.chats[chat_id]
            except KeyError:
                raise KeyError(f"no chat {chat_id}; create it with add_user() or add_group()") from None

    def resolve(self, chat_ref: int | str) -> Chat:
        """The chat a ``chat_id`` parameter names, or Telegram's ``chat not found``."""
        with self.lock:
            if isinstance(chat_ref, str):
                wanted = chat_ref.lstrip("@").lower()
                for chat in self.chats.values():
                    if chat.username and chat.username.lower() == wanted and chat.type != "private":
                        return chat
                raise bad_request("chat not found")
            chat = self.chats.get(chat_ref)
            if chat is None:
                raise bad_request("chat not found")
            return chat

    def check_writable(self, chat: Chat) -> None:
        """Raise what Telegram answers a bot writing to a chat it cannot write to."""
        if chat.migrated_to is not None:
            raise migrated(chat.migrated_to)
        if chat.type == "private":
            if chat.deleted:
                raise forbidden("user is deactivated")
            if chat.blocked:
                raise forbidden("bot was blocked by the user")
            return
        if chat.deleted:
            if chat.type == "group":
                raise forbidden("the group chat was deleted")
            raise forbidden(f"bot is not a member of the {chat.type} chat")
        if chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {chat.type} chat")
        if chat.bot_status == "left":
            raise forbidden(f"bot is not a member of the {chat.type} chat")
        if chat.type == "channel" and (chat.bot_status != "administrator" or not chat.bot_can_post):
            raise bad_request("need administrator rights in the channel chat")

    def member(self, chat: Chat, user_id: int) -> dict[str, Any]:
        """A ChatMember as getChatMember and my_chat_member give it (caller holds the lock)."""
        if user_id == self.bot.id:
            status = chat.bot_status if chat.type != "private" else "member"
            user = self.bot
        else:
            found = self.users.get(user_id)
            if found is None:
                raise bad_request("user not found")
            user = found
            if chat.type == "channel" and chat.bot_status != "administrator":
                raise bad_request("member list is inaccessible")
            if chat.type == "private":
                status = "member" if chat.user and chat.user.id == user_id else "left"
            elif user_id in chat.members:
                status = "creator" if user_id in chat.admins and user_id == next(iter(chat.admins)) else (
                    "administrator" if user_id in chat.admins else "member"
                )
            else:
                status = "left"
        member: dict[str, Any] = {"status": status, "user": user.to_api()}
        if status == "kicked":
            member["until_date"] = 0
        if status == "creator":
            member["is_anonymous"] = False
        if status == "administrator":
            member.update(_ADMIN_RIGHTS)
            if chat.type == "channel":
                can_post = chat.bot_can_post if user is self.bot else True
                member.update({"can_post_messages": can_post, "can_edit_messages": can_post})
        return member

    def new_message(self, chat: Chat, **fields: Any) -> Message:
        """Store a message in ``chat`` under the next message id (caller holds the lock)."""
        message = Message(message_id=chat.next_message_id, chat_id=chat.id, date=int(time.time()), **fields)
        chat.next_message_id += 1
        self.messages_of(chat)[message.message_id] = message
        return message

    def messages_of(self, chat: Chat) -> dict[int, Message]:
        return self._messages.setdefault(chat.id, {})

    def chat_messages(self, chat_id: int) -> list[Message]:
        """Every message of a chat, oldest first (caller holds the lock; the objects are live)."""
        return list(self._messages.get(chat_id, {}).values())

    def message(self, chat_id: int, message_id: int) -> Message | None:
        with self.lock:
            return self._messages.get(chat_id, {}).get(message_id)

    def user_lookup(self, user_id: int) -> dict[str, Any] | None:
        with self.lock:
            user = self.users.get(user_id)
            return user.to_api() if user else None

    # --- updates ------------------------------------------------------------------------

    def push_update(self, kind: str, payload: dict[str, Any]) -> int | None:
        """Queue an update for getUpdates or the webhook; ``None`` when allowed_updates leaves it out."""
        with self.lock:
            allowed = self.allowed_updates
            if allowed is None or not allowed:
                if kind in OPT_IN_UPDATES:
                    return None
            elif kind not in allowed:
                return None
            update_id = self._next_update_id
            self._next_update_id += 1
            self._updates.append((update_id, kind, {"update_id": update_id, kind: payload}))
            self.changed.notify_all()
            return update_id

    def pending_updates(self) -> int:
        with self.lock:
            return len(self._updates)

    def confirm(self, offset: int | None) -> None:
        """Forget updates as Telegram does on ``getUpdates(offset=...)`` (negative: keep the last -offset)."""
        with self.lock:
            if not offset:
                return
            if offset < 0:
                while len(self._updates) > -offset:
                    self._updates.popleft()
                return
            while self._updates and self._updates[0][0] < offset:
                self._updates.popleft()

    def drop_pending_updates(self) -> None:
        with self.lock:
            self._updates.clear()

    def peek_update(self) -> tuple[int, dict[str, Any]] | None:
        with self.lock:
            if not self._updates:
                return None
            update_id, _, payload = self._updates[0]
            return update_id, payload

    def poll(self, offset: int | None, limit: int, timeout: float, allowed: list[str] | None) -> list[dict[str, Any]]:
        """getUpdates: long polling; a newer call ends an older waiting one with 409, as Telegram does."""
        with self.lock:
            if self.webhook.url:
                raise conflict(
                    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
                )
            self._poll_generation += 1
            generation = self._poll_generation
            self.changed.notify_all()
            if allowed is not None:
                self.allowed_updates = frozenset(allowed)
            self.confirm(offset)
            deadline = time.monotonic() + max(0.0, timeout)
            while True:
                if self._poll_generation != generation:
                    raise conflict(
                        "terminated by other getUpdates request; make sure that only one bot instance is running"
                    )
                if self.closing:
                    return []
                if self._updates:
                    return [copy.deepcopy(payload) for _, _, payload in list(self._updates)[: max(1, min(limit, 100))]]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self.waiting_polls += 1
                self.changed.notify_all()
                try:
                    self.changed.wait(remaining)
                finally:
                    self.waiting_polls -= 1

    # --- observers ------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Event], None]) -> Callable[[], None]:
        with self.lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self.lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: Event) -> None:
        """Tell listeners; call it after releasing the lock so a slow listener holds nobody up."""
        with self.lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(event)

    def record(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)
            self.changed.notify_all()

    def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Block until ``predicate()`` (evaluated under the lock) is true or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closing:
                    return predicate()
                self.changed.wait(min(remaining, 0.25))
            return True

    def close(self) -> None:
        with self.lock:
            self.closing = True
            self.changed.notify_all()

