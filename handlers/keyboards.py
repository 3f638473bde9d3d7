"""Inline keyboards under briefings, and the callback data they carry (at most 64 bytes)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.translations import IN_ENGLISH, N_, Translator
from summaries.briefing import Briefing

CALLBACK_LIMIT = 64
_SEPARATOR = "|"


@dataclass(frozen=True)
class Press:
    """What a pressed button asks for: an action and its arguments."""

    action: str
    args: tuple[str, ...] = ()


# action codes: more on a story, its quotes, its sources, subscribe, a page of a
# briefing, a topic's briefing, the full briefing again, /stop confirmed or not, /who for one person,
# hide a story, take one mute away (/mutes), show every hidden story again, set the chat's language.
ACTIONS = {
    "m": "more", "q": "quotes", "s": "sources", "sub": "subscribe", "p": "page", "t": "topic", "f": "full", "x": "stop",
    "w": "who", "ms": "mute_story", "um": "unmute", "ua": "unhide_all", "l": "language",
}
# Button labels in English; each is translated where the keyboard is made.
MUTE_STORY = N_("🔇 Mute story")
FORGET = N_("🗑 Yes, delete it all")
KEEP = N_("Keep everything")


def callback(action: str, *args: object) -> str:
    """Encode a button press; refuses data Telegram would reject."""
    code = next(code for code, name in ACTIONS.items() if name == action)
    parts = [code, *(str(arg) for arg in args)]
    if any(_SEPARATOR in part for part in parts[1:]):
        raise ValueError(f"callback argument contains {_SEPARATOR!r}: {args!r}")
    data = _SEPARATOR.join(parts)
    if len(data.encode("utf-8")) > CALLBACK_LIMIT:
        raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {data!r}")
    return data


def parse_callback(data: str | None) -> Press | None:
    """Decode a press; None for data this bot never wrote (an old or foreign button)."""
    if not data:
        return None
    code, *args = data.split(_SEPARATOR)
    action = ACTIONS.get(code)
    return Press(action, tuple(args)) if action else None


def briefing_keyboard(
    briefing: Briefing, key: str, page: int, per_page: int, subscribed: bool, t: Translator = IN_ENGLISH
) -> InlineKeyboardMarkup | None:
    """Numbered 'more on story N' buttons, then 'every morning' and 'next page'.

    `key` names the briefing so a press can rebuild it: a topic name, or
    '?<n>' for an ad-hoc query kept in the chat's data.
    """
    rows: list[list[InlineKeyboardButton]] = []
    first = page * per_page
    stories = briefing.stories[first : first + per_page]
    if stories:
        rows.append(
            [InlineKeyboardButton(f"{first + index + 1} ›", callback_data=callback("more", story.key)) for index, story in enumerate(stories)]
        )
    bottom: list[InlineKeyboardButton] = []
    if briefing.topic and not subscribed:
        bottom.append(InlineKeyboardButton(t.gettext("☀️ Every morning"), callback_data=callback("subscribe", briefing.topic)))
    if first + per_page < len(briefing.stories):
        bottom.append(InlineKeyboardButton(t.gettext("Next page ›"), callback_data=callback("page", key, page + 1)))
    if bottom:
        rows.append(bottom)
    return InlineKeyboardMarkup(rows) if rows else None


def story_keyboard(story_key: int, t: Translator = IN_ENGLISH) -> InlineKeyboardMarkup:
    """Under a story's details: its quotes, its sources, and (a stored story) hiding it from this chat's briefings."""
    rows = [[
        InlineKeyboardButton(t.gettext("💬 Quotes"), callback_data=callback("quotes", story_key)),
        InlineKeyboardButton(t.gettext("📰 Sources"), callback_data=callback("sources", story_key)),
    ]]
    if story_key > 0:
        rows.append([InlineKeyboardButton(t.gettext(MUTE_STORY), callback_data=callback("mute_story", story_key))])
    return InlineKeyboardMarkup(rows)


def without_mute_story_button(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same keyboard without its 'mute story' button (pressed, so done)."""
    if markup is None:
        return None
    rows = [[b for b in row if not (b.callback_data or "").startswith("ms|")] for row in markup.inline_keyboard]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


def mutes_keyboard(
    words: list[tuple[int, str]], stories: list[tuple[int, str]], hidden: int, t: Translator = IN_ENGLISH
) -> InlineKeyboardMarkup | None:
    """/mutes: a button per (mute id, label) to take it away; 'show all again' when `hidden` stories are more than listed."""
    rows = [[InlineKeyboardButton(f"🔊 {label[:60]}", callback_data=callback("unmute", mute_id))] for mute_id, label in words]
    rows += [[InlineKeyboardButton(f"👁 {label[:60]}", callback_data=callback("unmute", mute_id))] for mute_id, label in stories]
    if hidden > len(stories):
        label = t.ngettext("👁 Show all {n} hidden story again", "👁 Show all {n} hidden stories again", hidden)
        rows.append([InlineKeyboardButton(label, callback_data=callback("unhide_all", "all"))])
    return InlineKeyboardMarkup(rows) if rows else None


def topics_keyboard(topics: list[tuple[str, str]], columns: int = 3) -> InlineKeyboardMarkup:
    """One button per (name, title) topic, for /start and /topics."""
    buttons = [InlineKeyboardButton(title, callback_data=callback("topic", name)) for name, title in topics]
    return InlineKeyboardMarkup([buttons[index : index + columns] for index in range(0, len(buttons), columns)])


def full_briefing_keyboard(key: str, t: Translator = IN_ENGLISH) -> InlineKeyboardMarkup:
    """Offered when nothing is new: see the whole briefing anyway."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t.gettext("Show the whole briefing"), callback_data=callback("full", key))]])


def remove_subscribe_button(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same keyboard without its 'every morning' button (pressed, so done)."""
    if markup is None:
        return None
    rows = []
    for row in markup.inline_keyboard:
        kept = [button for button in row if not (button.callback_data or "").startswith("sub|")]
        if kept:
            rows.append(kept)
    return InlineKeyboardMarkup(rows) if rows else None


def subscribe_keyboard(topics: list[tuple[str, str]], columns: int = 3) -> InlineKeyboardMarkup:
    """One 'every morning' button per (name, title) topic, for a bare /subscribe."""
    buttons = [InlineKeyboardButton(title, callback_data=callback("subscribe", name)) for name, title in topics]
    return InlineKeyboardMarkup([buttons[index : index + columns] for index in range(0, len(buttons), columns)])


def stop_keyboard(t: Translator = IN_ENGLISH) -> InlineKeyboardMarkup:
    """/stop's question: delete everything kept about the chat, or keep it."""
    forget = InlineKeyboardButton(t.gettext(FORGET), callback_data=callback("stop", "yes"))
    keep = InlineKeyboardButton(t.gettext(KEEP), callback_data=callback("stop", "no"))
    return InlineKeyboardMarkup([[forget, keep]])


def people_keyboard(people: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per (identity key, display name): /who when several people match."""
    buttons = []
    for key, display in people[:10]:
        # The key is the person's name in lower case; a name too long for callback data is cut at a word.
        words = key.split()
        while words and len(callback("who", " ".join(words)).encode("utf-8")) > CALLBACK_LIMIT:
            words.pop()
        if words:
            buttons.append([InlineKeyboardButton(display[:60], callback_data=callback("who", " ".join(words)))])
    return InlineKeyboardMarkup(buttons)


def language_keyboard(languages: dict[str, str]) -> InlineKeyboardMarkup:
    """/language: one button per (code, own name) language."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(name, callback_data=callback("language", code)) for code, name in languages.items()]])
