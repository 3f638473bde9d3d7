"""The real python-telegram-bot Bot and Application against the loopback server."""

from __future__ import annotations

import asyncio
import threading
from contextlib import asynccontextmanager
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes, Defaults

from telegram_loopback import BotApiServer, BotApiSpec, default_spec_path

needs_spec = pytest.mark.skipif(
    BotApiSpec.find() is None, reason=f"{default_spec_path()} is absent: spec checks are off"
)


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data) for text, data in buttons]])


def bot_for(server: BotApiServer) -> Bot:
    return Bot(server.token, base_url=server.base_url)


async def syria(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply to /syria with a briefing and two buttons."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "<b>Syria</b> &amp; the region: 2 stories",
        reply_markup=keyboard(("Quotes", "quotes:syria"), ("More", "more:syria")),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a button and edit the briefing under it."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer(f"Loading {query.data}")
    await query.edit_message_text(f"<i>{query.data}</i>")


@asynccontextmanager
async def running(server: BotApiServer) -> AsyncIterator[Application]:
    """The bot, built the way bot/app.py builds it, polling the loopback server."""
    app = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .build()
    )
    app.add_handler(CommandHandler("syria", syria))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=2)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


async def test_get_me_tells_the_bot_its_name():
    with BotApiServer(bot_username="newsbrief_bot", bot_name="Newsbrief") as server:
        async with bot_for(server) as bot:
            me = await bot.get_me()
    assert (me.username, me.first_name, me.is_bot, me.id) == ("newsbrief_bot", "Newsbrief", True, server.bot.id)


async def test_a_wrong_token_is_unauthorized():
    with BotApiServer() as server:
        with pytest.raises(InvalidToken, match="rejected by the server"):
            async with Bot("1:wrong", base_url=server.base_url):
                pass
    assert server.calls() == []  # a wrong token never reaches a method


async def test_html_message_keeps_plain_text_entities_and_keyboard():
    with BotApiServer() as server:
        ada = server.add_user("Ada")
        async with bot_for(server) as bot:
            sent = await bot.send_message(
                ada.id,
                '<b>Syria</b>: talks <a href="https://example.com/a?b=1&amp;c=2">resume</a> &lt;today&gt;',
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(("More", "more:1")),
            )
    [message] = server.messages(ada.id)
    assert sent.text == message.text == "Syria: talks resume <today>"
    assert message.entities == [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "text_link", "offset": 13, "length": 6, "url": "https://example.com/a?b=1&c=2"},
    ]
    assert message.buttons == [{"text": "More", "callback_data": "more:1"}]
    assert sent.reply_markup == keyboard(("More", "more:1"))


@needs_spec
async def test_bad_html_is_a_bad_request_with_telegrams_text():
    with BotApiServer() as server:
        ada = server.add_user()
        async with bot_for(server) as bot:
            with pytest.raises(BadRequest) as caught:
                await bot.send_message(ada.id, "<script>alert(1)</script>", parse_mode=ParseMode.HTML)
    assert caught.value.message == 'Can\'t parse entities: unsupported start tag "script" at byte offset 0'
    [call] = server.calls("sendMessage")
    assert (call.status, call.description) == (
        400,
        'Bad Request: can\'t parse entities: Unsupported start tag "script" at byte offset 0',
    )
    assert server.messages(ada.id) == []


async def test_a_message_over_4096_utf16_units_is_too_long():
    with BotApiServer() as server:
        ada = server.add_user()
        async with bot_for(server) as bot:
            await bot.send_message(ada.id, "😀" * 2048)  # 4096 UTF-16 code units: the most there can be
            with pytest.raises(BadRequest, match="Message is too long"):
                await bot.send_message(ada.id, "😀" * 2048 + "x")
    assert [len(m.text or "") for m in server.messages(ada.id)] == [2048]


async def test_long_polling_delivers_an_update_injected_while_waiting():
    with BotApiServer() as server:
        ada = server.add_user()
        async with bot_for(server) as bot:
            assert await bot.get_updates(timeout=0) == ()
            server.send_command(ada.id, "syria")
            [update] = await bot.get_updates(timeout=5)
            assert update.message is not None
            assert (update.message.text, update.message.chat.id) == ("/syria", ada.id)
            assert update.message.entities[0].type == "bot_command"
            # a higher offset confirms the update: it is not delivered twice
            assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert server.pending_updates() == 0


async def test_the_application_answers_a_command_and_a_button_press():
    with BotApiServer() as server:
        ada = server.add_user("Ada")
        async with running(server):
            server.send_command(ada.id, "syria")
            [briefing] = await server.wait_for_messages_async(ada.id, 1)
            assert briefing.text == "Syria & the region: 2 stories"
            assert briefing.callback_data == ["quotes:syria", "more:syria"]
            query_id = server.press_button(ada.id, briefing.message_id, "Quotes")
            answer = await server.wait_for_callback_answer_async(query_id)
            await server.wait_for_async(lambda: server.message(ada.id, briefing.message_id).edit_date is not None)
    assert answer.text == "Loading quotes:syria"
    edited = server.message(ada.id, briefing.message_id)
    assert (edited.text, edited.entities, edited.reply_markup) == (
        "quotes:syria",
        [{"type": "italic", "offset": 0, "length": 12}],
        None,  # an edit without reply_markup removes the keyboard, as in Telegram
    )
    assert [v.text for v in edited.versions] == ["Syria & the region: 2 stories"]
    assert server.internal_errors == []


async def test_sending_to_a_user_who_blocked_the_bot_is_forbidden():
    with BotApiServer() as server:
        ada = server.add_user()
        server.block(ada.id)
        async with bot_for(server) as bot:
            with pytest.raises(Forbidden, match="bot was blocked by the user"):
                await bot.send_message(ada.id, "Morning briefing")
            [update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


async def test_a_migrated_group_answers_with_its_new_id():
    with BotApiServer() as server:
        ada = server.add_user()
        group = server.add_group("Newsroom", [ada])
        new_id = server.migrate_group(group)
        async with bot_for(server) as bot:
            with pytest.raises(ChatMigrated) as caught:
                await bot.send_message(group, "Morning briefing")
            await bot.send_message(new_id, "Morning briefing")
    assert caught.value.new_chat_id == new_id
    assert [m.text for m in server.messages(new_id)] == ["Morning briefing"]


# Formatting RetryAfter reads its int retry_after, which python-telegram-bot 22 warns will become a timedelta.
@pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")
async def test_broken_limits_answer_429_with_retry_after():
    with BotApiServer(limits=True) as server:
        ada = server.add_user()
        async with bot_for(server) as bot:
            await bot.send_message(ada.id, "first")
            with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
                await bot.send_message(ada.id, "second, within the same second")
    assert server.limits.rejected == 1
    assert [m.text for m in server.messages(ada.id)] == ["first"]


@pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")
async def test_an_injected_429_reaches_the_bot_as_retry_after():
    with BotApiServer() as server:
        ada = server.add_user()
        server.faults.fail_next(1, status=429, retry_after=7, methods=["sendMessage"])
        async with bot_for(server) as bot:
            with pytest.raises(RetryAfter, match="Retry in 7 seconds"):
                await bot.send_message(ada.id, "briefing")
            await bot.send_message(ada.id, "briefing")
    assert [c.status for c in server.calls("sendMessage")] == [429, 200]


async def test_editing_to_the_same_content_is_not_modified():
    with BotApiServer() as server:
        ada = server.add_user()
        async with bot_for(server) as bot:
            sent = await bot.send_message(
                ada.id, "<b>Syria</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard(("More", "m"))
            )
            with pytest.raises(BadRequest, match="Message is not modified"):
                await bot.edit_message_text(
                    "<b>Syria</b>", ada.id, sent.message_id, parse_mode=ParseMode.HTML, reply_markup=keyboard(("More", "m"))
                )
            await bot.edit_message_reply_markup(ada.id, sent.message_id, reply_markup=None)
            await bot.delete_message(ada.id, sent.message_id)
            with pytest.raises(BadRequest, match="Message to edit not found"):
                await bot.edit_message_text("x", ada.id, sent.message_id)
    assert server.messages(ada.id) == []
    assert [m.reply_markup for m in server.messages(ada.id, include_deleted=True)] == [None]


async def test_two_pollers_conflict_like_two_bot_instances():
    with BotApiServer() as server:
        async with bot_for(server) as first, bot_for(server) as second:
            waiting = asyncio.create_task(first.get_updates(timeout=5))
            await server.wait_for_async(lambda: server.state.waiting_polls == 1)
            assert await second.get_updates(timeout=0) == ()
            with pytest.raises(Conflict, match="terminated by other getUpdates request"):
                await waiting


@needs_spec
async def test_commands_and_chat_info():
    with BotApiServer() as server:
        ada = server.add_user("Ada", username="ada")
        async with bot_for(server) as bot:
            await bot.set_my_commands([("syria", "Briefing on Syria"), ("help", "What I do")])
            commands = await bot.get_my_commands()
            chat = await bot.get_chat(ada.id)
            await bot.send_chat_action(ada.id, "typing")
            with pytest.raises(BadRequest, match="Bot_command_invalid"):
                await bot.set_my_commands([("Syria", "capital letters are not allowed")])
    assert [(c.command, c.description) for c in commands] == [("syria", "Briefing on Syria"), ("help", "What I do")]
    assert (chat.id, chat.type, chat.username) == (ada.id, "private", "ada")
    assert server.commands() == [
        {"command": "syria", "description": "Briefing on Syria"},
        {"command": "help", "description": "What I do"},
    ]


def test_a_sync_test_drives_the_bot_running_on_its_own_thread():
    with BotApiServer() as server:
        ada = server.add_user()
        stop = threading.Event()

        async def serve() -> None:
            async with running(server):
                await asyncio.to_thread(stop.wait)

        thread = threading.Thread(target=asyncio.run, args=(serve(),))
        thread.start()
        try:
            server.send_command(ada.id, "syria")
            [briefing] = server.wait_for_messages(ada.id, 1)
        finally:
            stop.set()
            thread.join()
    assert briefing.text == "Syria & the region: 2 stories"
