"""/channel: the morning briefing posted in a channel, linked by one of its administrators in a private chat."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Bot, ChatFullInfo, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.schedule import parse_days, parse_time
from bot.store import (
    LinkedChannel,
    channels_linked_by,
    get_linked_channel,
    get_subscriber,
    link_channel,
    set_channel_topics,
    unlink_channel,
    update_subscriber,
)
from bot.timezones import parse_timezone
from bot.topics import Topic
from handlers import render
from handlers.channel_stops import INACTIVE, channel_name, channel_reference, stop_reason
from handlers.services import BotContext, Services
from handlers.subscribing import UNREADABLE_DAYS, days_phrase, schedule_note
from handlers.translations import IN_ENGLISH, N_, Translator

ADMINISTRATORS = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
# A public channel's @username (5-32 characters), or a channel's id (-100...).
_USERNAME = re.compile(r"^@([A-Za-z][A-Za-z0-9_]{3,31})$")
_CHANNEL_ID = re.compile(r"^-100\d{1,13}$")
USAGE = N_(
    "To post the morning briefing in your channel: add me to the channel as an administrator who may post messages, "
    "then send me here <code>/channel @yourchannel syria</code> (several topics: <code>/channel @yourchannel syria turkey</code>; "
    "a private channel by its id: <code>/channel -100123456789 syria</code>).\n"
    "<code>/channel @name time 7:30</code> (or <code>weekdays</code>), <code>/channel @name timezone Europe/Berlin</code>, "
    "<code>/channel @name quiet on</code>, <code>/channel @name off</code>; <code>/channel</code> lists your channels."
)
IN_PRIVATE = N_("Channels are linked in a private chat with me: open it and send <code>/channel @yourchannel topic</code>.")
QUIET_WORDS = {"on": True, "off": False}


@dataclass(frozen=True)
class Checked:
    """A channel the bot may post in and the asking user administers, or what is missing (`problem`)."""

    chat: ChatFullInfo | None
    problem: str | None = None


def parse_channel_reference(text: str) -> int | str | None:
    """'@name' or '-100123' as a chat_id for Telegram, None for anything else."""
    if _USERNAME.match(text):
        return text
    if _CHANNEL_ID.match(text):
        return int(text)
    return None


NOT_IN = N_("I am not in {name}: add me to the channel as an administrator who may post messages, then send this again.")


async def check_channel(bot: Bot, reference: int | str, user_id: int, t: Translator = IN_ENGLISH) -> Checked:
    """Ask Telegram whether `reference` is a channel, the bot may post in it, and `user_id` is one of its administrators."""
    shown = render.escape(str(reference))
    try:
        chat = await bot.get_chat(reference)
    except Forbidden:
        return Checked(None, t.gettext(NOT_IN, name=shown))
    except BadRequest as error:
        if "not found" in error.message.lower():
            return Checked(None, t.gettext(
                "I can't find the channel {name}. Check its @name; a private channel is found by its id once I am in it, "
                "so add me to the channel as an administrator first.",
                name=shown,
            ))
        return Checked(None, t.gettext("Telegram did not let me look at {name}: {said}.", name=shown, said=render.escape(error.message)))
    name = render.escape(f"@{chat.username}" if chat.username else chat.title or str(chat.id))
    if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        return Checked(None, t.gettext(
            "{name} is a group, not a channel. In a group, its administrators send /subscribe <i>topic</i> there "
            "(mentioning me: <code>/subscribe@{bot} syria</code>).",
            name=name, bot=render.escape(bot.username or "newsbrief_bot"),
        ))
    if chat.type != ChatType.CHANNEL:
        return Checked(None, t.gettext("{name} is a person, not a channel. /channel links a channel you administer.", name=name))
    try:
        me = await bot.get_chat_member(chat.id, bot.id)
        if me.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            return Checked(None, t.gettext(NOT_IN, name=name))
        may_post = me.status == ChatMemberStatus.OWNER or (
            me.status == ChatMemberStatus.ADMINISTRATOR and bool(getattr(me, "can_post_messages", False))
        )
        if not may_post:
            return Checked(None, t.gettext(
                "I am in {name} but may not post there: give me the right “Post messages” "
                "(the channel's Administrators, then me), then send this again.",
                name=name,
            ))
        asker = await bot.get_chat_member(chat.id, user_id)
    except TelegramError as error:
        return Checked(None, t.gettext(
            "I could not check {name} with Telegram ({said}); try again in a moment.", name=name, said=render.escape(str(error))
        ))
    if asker.status not in ADMINISTRATORS:
        return Checked(None, t.gettext(
            "Only {name}'s administrators can link it to a morning briefing, and you are not one of them.", name=name
        ))
    return Checked(chat)


async def channel_command(update: Update, context: BotContext) -> None:
    """/channel @name topics | time | timezone | quiet | off; /channel alone lists the user's channels."""
    message = update.effective_message
    chat, user = update.effective_chat, update.effective_user
    t = context.translator
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        await message.reply_html(t.gettext(IN_PRIVATE))
        return
    words = context.args or []
    if not words:
        await message.reply_html(_listing(context.services, channels_linked_by(context.services.store, user.id), t))
        return
    reference = parse_channel_reference(words[0])
    if reference is None:
        await message.reply_html(
            t.gettext("“{text}” is not a channel: give its @name or its id (-100…).", text=render.escape(render.clip(words[0], 40)))
            + "\n\n" + t.gettext(USAGE)
        )
        return
    rest = words[1:]
    action = rest[0].lower() if rest else ""
    if action == "off":
        own = _own_link(context.services, user.id, reference)
        if own is not None:
            await _unlink(update, context, own)
            return
    checked = await check_channel(context.bot, reference, user.id, t)
    if checked.chat is None:
        await message.reply_html(checked.problem or t.gettext(USAGE))
        return
    channel = checked.chat
    link = get_linked_channel(context.services.store, channel.id)
    if action == "off":
        if link is None:
            await message.reply_html(t.gettext("{name} is not linked: there is nothing to forget.", name=render.escape(_name_of(channel))))
        else:
            await _unlink(update, context, link)
        return
    if not rest:
        await message.reply_html(_state(context.services, link, t) if link is not None else t.gettext(
            "Which topics should {name} get every morning? e.g. <code>/channel {reference} syria</code> (/topics lists them).",
            name=render.escape(_name_of(channel)), reference=render.escape(str(reference)),
        ))
        return
    if action in ("time", "timezone", "quiet"):
        if link is None:
            await message.reply_html(t.gettext(
                "Link {name} first, with its topics: <code>/channel {reference} syria</code>.",
                name=render.escape(_name_of(channel)), reference=render.escape(str(reference)),
            ))
            return
        setting = " ".join(rest[1:])[:200].strip()
        if action == "time":
            await _set_time(update, context, link, setting)
        elif action == "timezone":
            await _set_timezone(update, context, link, setting)
        else:
            await _set_quiet(update, context, link, setting.lower())
        return
    await _link(update, context, channel, rest)


async def _link(update: Update, context: BotContext, channel: ChatFullInfo, names: list[str]) -> None:
    """Link the channel with exactly these topics; a channel new to the bot takes the linking user's time and zone.

    The channel is written to in the linking user's language (as of the last change of its topics).
    """
    found = context.services
    t = context.translator
    wanted = [name for word in names for name in word.split(",") if name.strip()]
    topics: list[Topic] = []
    unknown: list[str] = []
    for name in wanted:
        topic = found.topics.find(name)
        if topic is None:
            unknown.append(name)
        elif topic not in topics:
            topics.append(topic)
    if unknown or not topics:
        hints = [close.command for name in unknown for close in found.topics.closest(name, 2)]
        hint = (
            t.gettext(" Did you mean {suggestions}?", suggestions=", ".join(dict.fromkeys(hints))) if hints
            else t.gettext(" /topics lists them.")
        )
        listed = ", ".join(t.gettext("“{label}”", label=render.escape(render.clip(name, 40))) for name in unknown)
        await update.effective_message.reply_html(t.gettext("I don't know the topic {listed}; nothing was changed.", listed=listed) + hint)
        return
    user = update.effective_user
    own = get_subscriber(found.store, user.id)
    linked = link_channel(
        found.store,
        channel.id,
        user.id,
        title=channel.title or "",
        username=channel.username or "",
        timezone=own.timezone if own else found.settings.default_timezone,
        briefing_time=own.briefing_time if own else found.settings.default_briefing_time,
        days=own.days if own else None,
        now=found.now(),
    )
    set_channel_topics(found.store, channel.id, [topic.name for topic in topics], now=found.now())
    update_subscriber(found.store, channel.id, language=t.code)
    linked = get_linked_channel(found.store, channel.id) or linked
    titles = ", ".join(t.title(topic.title) for topic in topics)
    await update.effective_message.reply_html(
        t.gettext(
            "📢 {name} gets <b>{titles}</b> {when}.\n"
            "Change it with <code>/channel {reference} time 7:30</code> or <code>/channel {reference} timezone Europe/Berlin</code>; "
            "<code>/channel {reference} off</code> stops it.",
            name=render.escape(channel_name(linked)), titles=render.escape(titles),
            when=render.escape(schedule_note(found, linked.subscriber, t)), reference=render.escape(channel_reference(linked)),
        )
    )


async def _set_time(update: Update, context: BotContext, link: LinkedChannel, text: str) -> None:
    found = context.services
    t = context.translator
    parsed = parse_time(text) if text else None
    if parsed is not None:
        subscriber = update_subscriber(found.store, link.channel_id, briefing_time=parsed)
    elif text and not text[:1].isdigit():
        try:
            days = parse_days(text)
        except ValueError:
            await update.effective_message.reply_html(
                t.gettext(UNREADABLE_DAYS, text=render.escape(render.clip(text, 40)))
            )
            return
        subscriber = update_subscriber(found.store, link.channel_id, days=days)
    else:
        await update.effective_message.reply_html(
            t.gettext(
                "I can't read “{text}” as a time. Use HH:MM, e.g. <code>/channel {reference} time 07:30</code>.",
                text=render.escape(render.clip(text, 40)), reference=render.escape(channel_reference(link)),
            )
        )
        return
    assert subscriber is not None
    await update.effective_message.reply_html(
        t.gettext(
            "⏰ {name} now gets its briefing {when}.",
            name=render.escape(channel_name(link)), when=render.escape(schedule_note(found, subscriber, t)),
        )
    )


async def _set_timezone(update: Update, context: BotContext, link: LinkedChannel, text: str) -> None:
    found = context.services
    t = context.translator
    resolved = parse_timezone(text, now=found.now()) if text else None
    if resolved is None or resolved.zone is None:
        suggestions = ", ".join(resolved.suggestions[:3]) if resolved else ""
        hint = t.gettext(" Did you mean {suggestions}?", suggestions=render.escape(suggestions)) if suggestions else ""
        await update.effective_message.reply_html(
            t.gettext("I don't know the time zone “{name}”.", name=render.escape(render.clip(text, 40))) + hint + " "
            + t.gettext("Use a name like <code>Europe/Berlin</code>, a city, or an offset like <code>UTC+3</code>.")
        )
        return
    subscriber = update_subscriber(found.store, link.channel_id, timezone=resolved.zone)
    assert subscriber is not None
    said = " ".join(t.gettext(template, **dict(values)) for template, values in resolved.wording)
    note = f"\n<i>{render.escape(said)}</i>" if said else ""
    await update.effective_message.reply_html(
        t.gettext(
            "🌍 {name} is on <b>{zone}</b>: its briefing comes {when}.",
            name=render.escape(channel_name(link)), zone=render.escape(resolved.zone), when=render.escape(schedule_note(found, subscriber, t)),
        )
        + note
    )


async def _set_quiet(update: Update, context: BotContext, link: LinkedChannel, text: str) -> None:
    t = context.translator
    name = render.escape(channel_name(link))
    if text not in QUIET_WORDS:
        await update.effective_message.reply_html(
            t.gettext(
                "Send <code>/channel {reference} quiet on</code> or <code>… quiet off</code>.", reference=render.escape(channel_reference(link))
            )
        )
        return
    update_subscriber(context.services.store, link.channel_id, quiet=QUIET_WORDS[text])
    if QUIET_WORDS[text]:
        await update.effective_message.reply_html(t.gettext("{name} gets its morning briefing without sound.", name=name))
    else:
        await update.effective_message.reply_html(t.gettext("{name} gets its morning briefing with the usual notification sound.", name=name))


async def _unlink(update: Update, context: BotContext, link: LinkedChannel) -> None:
    unlink_channel(context.services.store, link.channel_id)
    await update.effective_message.reply_html(
        context.translator.gettext(
            "Done: no more morning briefings in {name}, and I forgot its settings. You can remove me from the channel.",
            name=render.escape(channel_name(link)),
        )
    )


def _own_link(found: Services, user_id: int, reference: int | str) -> LinkedChannel | None:
    """A channel this user linked, by its id or @name (so it can be unlinked without asking Telegram)."""
    for link in channels_linked_by(found.store, user_id):
        if link.channel_id == reference or (isinstance(reference, str) and link.username.lower() == reference[1:].lower()):
            return link
    return None


def _name_of(chat: ChatFullInfo) -> str:
    return f"@{chat.username}" if chat.username else chat.title or str(chat.id)


def _state(found: Services, link: LinkedChannel, t: Translator = IN_ENGLISH) -> str:
    """One channel's morning briefing in words."""
    subscriber = link.subscriber
    titles = ", ".join(t.title(found.topics[name].title) if name in found.topics else name for name in subscriber.topics)
    values = {"name": render.escape(channel_name(link)), "titles": render.escape(titles or t.gettext("no topics"))}
    if subscriber.active:
        line = t.gettext("📢 {name}: <b>{titles}</b>, {when}", when=render.escape(schedule_note(found, subscriber, t)), **values)
    else:
        when = t.gettext(
            "{days} at {time} ({zone})", days=days_phrase(subscriber.days, t), time=t.clock(subscriber.briefing_time), zone=subscriber.timezone
        )
        line = t.gettext(
            "📢 {name}: <b>{titles}</b>, {when}, <b>stopped</b>: {reason}",
            when=render.escape(when), reason=render.escape(stop_reason(subscriber.deactivated_reason or INACTIVE, t)), **values,
        )
    return line + (t.gettext(" · quiet") if subscriber.quiet else "")


def _listing(found: Services, links: list[LinkedChannel], t: Translator = IN_ENGLISH) -> str:
    """/channel alone: the channels this user linked."""
    if not links:
        return t.gettext("You have linked no channel yet.") + "\n\n" + t.gettext(USAGE)
    lines = [t.gettext("<b>Your channels</b>")] + [_state(found, link, t) for link in links]
    return "\n".join(lines) + "\n\n" + t.gettext(
        "<code>/channel @name off</code> stops one; <code>/channel @name topics…</code> changes its topics."
    )
