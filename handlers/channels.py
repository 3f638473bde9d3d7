"""/channel: the morning briefing posted in a channel, linked by one of its administrators in a private chat."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Bot, ChatFullInfo, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.schedule import describe_days, parse_days, parse_time
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
from handlers.channel_stops import channel_name, channel_reference
from handlers.services import BotContext, Services
from handlers.subscribing import schedule_note

ADMINISTRATORS = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
# A public channel's @username (5-32 characters), or a channel's id (-100...).
_USERNAME = re.compile(r"^@([A-Za-z][A-Za-z0-9_]{3,31})$")
_CHANNEL_ID = re.compile(r"^-100\d{1,13}$")
USAGE = (
    "To post the morning briefing in your channel: add me to the channel as an administrator who may post messages, "
    "then send me here <code>/channel @yourchannel syria</code> (several topics: <code>/channel @yourchannel syria turkey</code>; "
    "a private channel by its id: <code>/channel -100123456789 syria</code>).\n"
    "<code>/channel @name time 7:30</code> (or <code>weekdays</code>), <code>/channel @name timezone Europe/Berlin</code>, "
    "<code>/channel @name quiet on</code>, <code>/channel @name off</code>; <code>/channel</code> lists your channels."
)
IN_PRIVATE = "Channels are linked in a private chat with me: open it and send <code>/channel @yourchannel topic</code>."
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


async def check_channel(bot: Bot, reference: int | str, user_id: int) -> Checked:
    """Ask Telegram whether `reference` is a channel, the bot may post in it, and `user_id` is one of its administrators."""
    shown = render.escape(str(reference))
    try:
        chat = await bot.get_chat(reference)
    except Forbidden:
        return Checked(None, f"I am not in {shown}: add me to the channel as an administrator who may post messages, then send this again.")
    except BadRequest as error:
        if "not found" in error.message.lower():
            return Checked(None, (
                f"I can't find the channel {shown}. Check its @name; a private channel is found by its id once I am in it, "
                "so add me to the channel as an administrator first."
            ))
        return Checked(None, f"Telegram did not let me look at {shown}: {render.escape(error.message)}.")
    name = render.escape(f"@{chat.username}" if chat.username else chat.title or str(chat.id))
    if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        return Checked(None, (
            f"{name} is a group, not a channel. In a group, its administrators send /subscribe <i>topic</i> there "
            f"(mentioning me: <code>/subscribe@{render.escape(bot.username or 'newsbrief_bot')} syria</code>)."
        ))
    if chat.type != ChatType.CHANNEL:
        return Checked(None, f"{name} is a person, not a channel. /channel links a channel you administer.")
    try:
        me = await bot.get_chat_member(chat.id, bot.id)
        if me.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            return Checked(None, f"I am not in {name}: add me to the channel as an administrator who may post messages, then send this again.")
        may_post = me.status == ChatMemberStatus.OWNER or (
            me.status == ChatMemberStatus.ADMINISTRATOR and bool(getattr(me, "can_post_messages", False))
        )
        if not may_post:
            return Checked(None, (
                f"I am in {name} but may not post there: give me the right “Post messages” "
                "(the channel's Administrators, then me), then send this again."
            ))
        asker = await bot.get_chat_member(chat.id, user_id)
    except TelegramError as error:
        return Checked(None, f"I could not check {name} with Telegram ({render.escape(str(error))}); try again in a moment.")
    if asker.status not in ADMINISTRATORS:
        return Checked(None, f"Only {name}'s administrators can link it to a morning briefing, and you are not one of them.")
    return Checked(chat)


async def channel_command(update: Update, context: BotContext) -> None:
    """/channel @name topics | time | timezone | quiet | off; /channel alone lists the user's channels."""
    message = update.effective_message
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        await message.reply_html(IN_PRIVATE)
        return
    words = context.args or []
    if not words:
        await message.reply_html(_listing(context.services, channels_linked_by(context.services.store, user.id)))
        return
    reference = parse_channel_reference(words[0])
    if reference is None:
        await message.reply_html(
            f"“{render.escape(render.clip(words[0], 40))}” is not a channel: give its @name or its id (-100…).\n\n{USAGE}"
        )
        return
    rest = words[1:]
    action = rest[0].lower() if rest else ""
    if action == "off":
        own = _own_link(context.services, user.id, reference)
        if own is not None:
            await _unlink(update, context, own)
            return
    checked = await check_channel(context.bot, reference, user.id)
    if checked.chat is None:
        await message.reply_html(checked.problem or USAGE)
        return
    channel = checked.chat
    link = get_linked_channel(context.services.store, channel.id)
    if action == "off":
        if link is None:
            await message.reply_html(f"{render.escape(_name_of(channel))} is not linked: there is nothing to forget.")
        else:
            await _unlink(update, context, link)
        return
    if not rest:
        await message.reply_html(_state(context.services, link) if link is not None else (
            f"Which topics should {render.escape(_name_of(channel))} get every morning? "
            f"e.g. <code>/channel {render.escape(str(reference))} syria</code> (/topics lists them)."
        ))
        return
    if action in ("time", "timezone", "quiet"):
        if link is None:
            await message.reply_html(
                f"Link {render.escape(_name_of(channel))} first, with its topics: <code>/channel {render.escape(str(reference))} syria</code>."
            )
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
    """Link the channel with exactly these topics; a channel new to the bot takes the linking user's time and zone."""
    found = context.services
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
        hints = [t.command for name in unknown for t in found.topics.closest(name, 2)]
        hint = f" Did you mean {', '.join(dict.fromkeys(hints))}?" if hints else " /topics lists them."
        listed = ", ".join(f"“{render.escape(render.clip(name, 40))}”" for name in unknown)
        await update.effective_message.reply_html(f"I don't know the topic {listed}; nothing was changed.{hint}")
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
    linked = get_linked_channel(found.store, channel.id) or linked
    titles = ", ".join(topic.title for topic in topics)
    reference = render.escape(channel_reference(linked))
    await update.effective_message.reply_html(
        f"📢 {render.escape(channel_name(linked))} gets <b>{render.escape(titles)}</b> "
        f"{render.escape(schedule_note(found, linked.subscriber))}.\n"
        f"Change it with <code>/channel {reference} time 7:30</code> or <code>/channel {reference} timezone Europe/Berlin</code>; "
        f"<code>/channel {reference} off</code> stops it."
    )


async def _set_time(update: Update, context: BotContext, link: LinkedChannel, text: str) -> None:
    found = context.services
    parsed = parse_time(text) if text else None
    if parsed is not None:
        subscriber = update_subscriber(found.store, link.channel_id, briefing_time=parsed)
    elif text and not text[:1].isdigit():
        try:
            days = parse_days(text)
        except ValueError as error:
            await update.effective_message.reply_html(render.escape(str(error)))
            return
        subscriber = update_subscriber(found.store, link.channel_id, days=days)
    else:
        await update.effective_message.reply_html(
            f"I can't read “{render.escape(render.clip(text, 40))}” as a time. Use HH:MM, e.g. "
            f"<code>/channel {render.escape(channel_reference(link))} time 07:30</code>."
        )
        return
    assert subscriber is not None
    await update.effective_message.reply_html(
        f"⏰ {render.escape(channel_name(link))} now gets its briefing {render.escape(schedule_note(found, subscriber))}."
    )


async def _set_timezone(update: Update, context: BotContext, link: LinkedChannel, text: str) -> None:
    found = context.services
    resolved = parse_timezone(text, now=found.now()) if text else None
    if resolved is None or resolved.zone is None:
        suggestions = ", ".join(resolved.suggestions[:3]) if resolved else ""
        hint = f" Did you mean {render.escape(suggestions)}?" if suggestions else ""
        await update.effective_message.reply_html(
            f"I don't know the time zone “{render.escape(render.clip(text, 40))}”.{hint} "
            "Use a name like Europe/Berlin, a city, or an offset like UTC+3."
        )
        return
    subscriber = update_subscriber(found.store, link.channel_id, timezone=resolved.zone)
    assert subscriber is not None
    note = f"\n<i>{render.escape(resolved.note)}</i>" if resolved.note else ""
    await update.effective_message.reply_html(
        f"🌍 {render.escape(channel_name(link))} is on <b>{render.escape(resolved.zone)}</b>: its briefing comes "
        f"{render.escape(schedule_note(found, subscriber))}.{note}"
    )


async def _set_quiet(update: Update, context: BotContext, link: LinkedChannel, text: str) -> None:
    if text not in QUIET_WORDS:
        await update.effective_message.reply_html(
            f"Send <code>/channel {render.escape(channel_reference(link))} quiet on</code> or <code>… quiet off</code>."
        )
        return
    update_subscriber(context.services.store, link.channel_id, quiet=QUIET_WORDS[text])
    sound = "without sound" if QUIET_WORDS[text] else "with the usual notification sound"
    await update.effective_message.reply_html(f"{render.escape(channel_name(link))} gets its morning briefing {sound}.")


async def _unlink(update: Update, context: BotContext, link: LinkedChannel) -> None:
    unlink_channel(context.services.store, link.channel_id)
    await update.effective_message.reply_html(
        f"Done: no more morning briefings in {render.escape(channel_name(link))}, and I forgot its settings. "
        "You can remove me from the channel."
    )


def _own_link(found: Services, user_id: int, reference: int | str) -> LinkedChannel | None:
    """A channel this user linked, by its id or @name (so it can be unlinked without asking Telegram)."""
    for link in channels_linked_by(found.store, user_id):
        if link.channel_id == reference or (isinstance(reference, str) and link.username.lower() == reference[1:].lower()):
            return link
    return None


def _name_of(chat: ChatFullInfo) -> str:
    return f"@{chat.username}" if chat.username else chat.title or str(chat.id)


def _state(found: Services, link: LinkedChannel) -> str:
    """One channel's morning briefing in words."""
    subscriber = link.subscriber
    titles = ", ".join(found.topics[name].title if name in found.topics else name for name in subscriber.topics) or "no topics"
    line = f"📢 {render.escape(channel_name(link))}: <b>{render.escape(titles)}</b>, "
    if subscriber.active:
        line += render.escape(schedule_note(found, subscriber))
    else:
        line += f"{describe_days(subscriber.days)} at {subscriber.briefing_time:%H:%M} ({render.escape(subscriber.timezone)}), "
        line += f"<b>stopped</b>: {render.escape(subscriber.deactivated_reason or 'inactive')}"
    return line + (" · quiet" if subscriber.quiet else "")


def _listing(found: Services, links: list[LinkedChannel]) -> str:
    """/channel alone: the channels this user linked."""
    if not links:
        return f"You have linked no channel yet.\n\n{USAGE}"
    lines = ["<b>Your channels</b>"] + [_state(found, link) for link in links]
    return "\n".join(lines) + "\n\n<code>/channel @name off</code> stops one; <code>/channel @name topics…</code> changes its topics."
