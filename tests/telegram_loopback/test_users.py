"""Playing users: private chats, groups and privacy mode, buttons, blocking, deleting, migrating."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from telegram_loopback import BotApiServer


ONE_BUTTON = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
HTTP = httpx.Client(timeout=10)  # one pool for the module: a client per call costs more than the call


def call(server: BotApiServer, method: str, **params: Any) -> httpx.Response:
    return HTTP.post(f"{server.base_url}{server.token}/{method}", json=params)


def updates(server: BotApiServer) -> list[dict[str, Any]]:
    return call(server, "getUpdates").json()["result"]


def test_a_command_arrives_as_telegram_sends_it():
    with BotApiServer() as server:
        ada = server.add_user("Ada", username="ada")
        sent = server.send_command(ada.id, "brief", "wheat prices")
        [update] = updates(server)
    message = update["message"]
    assert (message["text"], message["entities"]) == (
        "/brief wheat prices",
        [{"type": "bot_command", "offset": 0, "length": 6}],
    )
    assert message["from"] == {"id": ada.id, "is_bot": False, "first_name": "Ada", "username": "ada", "language_code": "en"}
    assert message["chat"] == {"id": ada.id, "type": "private", "first_name": "Ada", "username": "ada"}
    assert sent.message_id == message["message_id"]


def test_group_privacy_mode_hides_chatter_but_not_commands_or_replies():
    with BotApiServer(bot_username="newsbrief_bot") as server:
        ada, bo = server.add_user("Ada"), server.add_user("Bo")
        group = server.add_group("Newsroom", [ada, bo])
        server.send_text(group, "anyone seen the news?", user=ada)
        server.send_command(group, "syria", user=bo, mention=True)
        server.send_command(group, "syria@other_bot", user=bo)
        server.send_text(group, "hey @newsbrief_bot", user=ada)
        bot_message = call(server, "sendMessage", chat_id=group, text="Briefing").json()["result"]
        server.send_text(group, "thanks", user=ada, reply_to=bot_message["message_id"])
        texts = [u["message"]["text"] for u in updates(server)]
    assert texts == ["/syria@newsbrief_bot", "hey @newsbrief_bot", "thanks"]
    assert [m.text for m in server.messages(group, include_user=True)][:2] == ["anyone seen the news?", "/syria@newsbrief_bot"]


def test_without_privacy_mode_the_bot_sees_every_group_message():
    with BotApiServer(privacy_mode=False) as server:
        ada = server.add_user()
        group = server.add_group("Newsroom", [ada])
        server.send_text(group, "chatter")
        assert [u["message"]["text"] for u in updates(server)] == ["chatter"]


def test_a_button_is_pressed_by_its_data_or_its_text():
    with BotApiServer() as server:
        ada = server.add_user()
        markup = {"inline_keyboard": [[{"text": "More", "callback_data": "more:1"}, {"text": "Site", "url": "https://x.org"}]]}
        sent = call(server, "sendMessage", chat_id=ada.id, text="Briefing", reply_markup=markup).json()["result"]
        by_text = server.press_button(ada.id, sent["message_id"], "More")
        by_data = server.press_button(ada.id, sent["message_id"], "more:1")
        stale = server.press_button(ada.id, sent["message_id"], "more:0", check=False)
        queries = [u["callback_query"] for u in updates(server)]
        with pytest.raises(ValueError, match="has no callback_data"):
            server.press_button(ada.id, sent["message_id"], "Site")
        with pytest.raises(ValueError, match="has no button 'Less'"):
            server.press_button(ada.id, sent["message_id"], "Less")
    assert [(q["id"], q["data"]) for q in queries] == [(by_text, "more:1"), (by_data, "more:1"), (stale, "more:0")]
    assert queries[0]["message"]["message_id"] == sent["message_id"]


def test_a_callback_query_is_answered_once():
    with BotApiServer() as server:
        ada = server.add_user()
        sent = call(server, "sendMessage", chat_id=ada.id, text="x", reply_markup=ONE_BUTTON)
        query_id = server.press_button(ada.id, sent.json()["result"]["message_id"], "a")
        first = call(server, "answerCallbackQuery", callback_query_id=query_id, text="Done", show_alert=True)
        again = call(server, "answerCallbackQuery", callback_query_id=query_id)
    assert first.json() == {"ok": True, "result": True}
    assert again.json()["description"] == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    [answer] = server.callback_answers(ada.id)
    assert (answer.query_id, answer.text, answer.show_alert) == (query_id, "Done", True)


def test_an_old_callback_query_is_too_old():
    clock = [100.0]
    with BotApiServer(clock=lambda: clock[0], callback_query_ttl=15.0) as server:
        ada = server.add_user()
        sent = call(server, "sendMessage", chat_id=ada.id, text="x", reply_markup=ONE_BUTTON)
        query_id = server.press_button(ada.id, sent.json()["result"]["message_id"], "a")
        clock[0] += 16
        late = call(server, "answerCallbackQuery", callback_query_id=query_id)
    assert late.status_code == 400


def test_blocking_deleting_and_kicking_answer_403_with_telegrams_words():
    with BotApiServer() as server:
        ada, bo, cy = server.add_user("Ada"), server.add_user("Bo"), server.add_user("Cy")
        group = server.add_group("Group", [cy])
        kicked_from = server.add_group("Supergroup", [cy], supergroup=True)
        server.block(ada.id)
        server.delete_chat(bo.id)
        server.delete_chat(group)
        server.kick_bot(kicked_from)
        answers = [call(server, "sendMessage", chat_id=chat, text="x").json() for chat in (ada.id, bo.id, group, kicked_from)]
    assert [(a["error_code"], a["description"]) for a in answers] == [
        (403, "Forbidden: bot was blocked by the user"),
        (403, "Forbidden: user is deactivated"),
        (403, "Forbidden: the group chat was deleted"),
        (403, "Forbidden: bot was kicked from the supergroup chat"),
    ]


def test_writing_to_a_blocked_bot_unblocks_it_first():
    with BotApiServer() as server:
        ada = server.add_user()
        server.block(ada.id)
        server.send_command(ada.id, "start")
        kinds = [next(k for k in u if k != "update_id") for u in updates(server)]
        sent = call(server, "sendMessage", chat_id=ada.id, text="Welcome back")
    assert kinds == ["my_chat_member", "my_chat_member", "message"]
    assert sent.status_code == 200


def test_migrating_a_group_tells_the_bot_both_ids():
    with BotApiServer() as server:
        ada = server.add_user()
        group = server.add_group("Newsroom", [ada])
        new_id = server.migrate_group(group)
        service = [u["message"] for u in updates(server)]
    assert str(new_id).startswith("-100")
    assert [(m["chat"]["id"], m.get("migrate_to_chat_id"), m.get("migrate_from_chat_id")) for m in service] == [
        (group, new_id, None),
        (new_id, None, group),
    ]
    assert service[1]["chat"]["type"] == "supergroup"


def test_deleting_messages_follows_telegrams_rights():
    with BotApiServer() as server:
        ada = server.add_user()
        group = server.add_group("Newsroom", [ada])
        own = call(server, "sendMessage", chat_id=group, text="mine").json()["result"]["message_id"]
        theirs = server.send_text(group, "/theirs").message_id
        refused = call(server, "deleteMessage", chat_id=group, message_id=theirs)
        deleted = call(server, "deleteMessage", chat_id=group, message_id=own)
        gone = call(server, "deleteMessage", chat_id=group, message_id=own)
    assert refused.json()["description"] == "Bad Request: message can't be deleted"
    assert deleted.json() == {"ok": True, "result": True}
    assert gone.json()["description"] == "Bad Request: message to delete not found"


def test_a_reply_keyboard_is_kept_for_the_chat_not_the_message():
    with BotApiServer() as server:
        ada = server.add_user()
        keyboard = {"keyboard": [[{"text": "Syria"}, {"text": "Turkey"}]], "resize_keyboard": True}
        sent = call(server, "sendMessage", chat_id=ada.id, text="Pick a topic", reply_markup=keyboard).json()["result"]
        assert "reply_markup" not in sent
        assert server.reply_keyboard(ada.id) == keyboard
        call(server, "sendMessage", chat_id=ada.id, text="ok", reply_markup={"remove_keyboard": True})
        assert server.reply_keyboard(ada.id) is None


def test_waiting_for_messages_explains_what_went_wrong():
    with BotApiServer() as server:
        ada = server.add_user()
        call(server, "sendMessage", chat_id=ada.id, text="<b>oops", parse_mode="HTML")
        with pytest.raises(TimeoutError) as caught:
            server.wait_for_messages(ada.id, 1, timeout=0.05)
    assert str(caught.value) == (
        f"the bot sent 0 of 1 expected messages to chat {ada.id} within 0.05s; failed calls: "
        "['sendMessage -> 400 Bad Request: can\\'t parse entities: Can\\'t find end tag corresponding to start tag \"b\"']"
    )


def test_wait_for_messages_after_a_message_id():
    with BotApiServer() as server:
        ada = server.add_user()
        first = call(server, "sendMessage", chat_id=ada.id, text="one").json()["result"]["message_id"]
        call(server, "sendMessage", chat_id=ada.id, text="two")
        assert [m.text for m in server.wait_for_messages(ada.id, 1, after=first)] == ["two"]


def test_a_channel_answers_as_telegram_does_for_its_bot_and_its_administrators():
    with BotApiServer() as server:
        ada, bo, cy = server.add_user("Ada"), server.add_user("Bo"), server.add_user("Cy")
        channel = server.add_channel("Morning Wire", [ada, bo], username="morningwire")
        mute = server.add_channel("Read Only", [ada], username="readonly", bot_can_post=False)
        absent = server.add_channel("Elsewhere", [ada], username="elsewhere", bot_status="left")
        hidden = server.add_channel("Private", [ada], bot_status="left")
        server.add_group("Newsroom", [ada], supergroup=True, username="newsroom")

        def status(chat: int | str, user_id: int) -> Any:
            answer = call(server, "getChatMember", chat_id=chat, user_id=user_id).json()
            if not answer["ok"]:
                return answer["description"]
            return answer["result"]["status"], answer["result"].get("can_post_messages")

        members = [status("@morningwire", user.id) for user in (server.bot, ada, bo, cy)]
        rights = [status(chat, server.bot.id) for chat in (mute, absent)]
        inaccessible = status(absent, ada.id)
        found = [call(server, "getChat", chat_id=ref).json() for ref in ("@morningwire", "@elsewhere", hidden, "@nobody", "@newsroom")]
        posts = [call(server, "sendMessage", chat_id=chat, text="Good morning").json() for chat in (channel, mute, absent)]
        with pytest.raises(ValueError, match="is a channel"):
            server.send_text(channel, "/start", user=ada)
    assert members == [("administrator", True), ("creator", None), ("administrator", True), ("left", None)]
    assert rights == [("administrator", False), ("left", None)]
    assert inaccessible == "Bad Request: member list is inaccessible"
    assert [(a["result"]["type"], a["result"]["title"]) if a["ok"] else a["description"] for a in found] == [
        ("channel", "Morning Wire"), ("channel", "Elsewhere"), "Bad Request: chat not found", "Bad Request: chat not found",
        ("supergroup", "Newsroom"),
    ]
    assert posts[0]["ok"] and posts[0]["result"]["sender_chat"]["id"] == channel and "from" not in posts[0]["result"]
    assert [(a["error_code"], a["description"]) for a in posts[1:]] == [
        (400, "Bad Request: need administrator rights in the channel chat"),
        (403, "Forbidden: bot is not a member of the channel chat"),
    ]


def test_taking_the_bots_right_to_post_or_removing_it_tells_the_bot_both_states():
    with BotApiServer() as server:
        ada = server.add_user("Ada")
        channel = server.add_channel("Morning Wire", [ada], username="morningwire")
        server.set_bot_member(channel, "administrator", can_post_messages=False, by=ada)
        server.set_bot_member(channel, "left", by=ada)
        changes = [u["my_chat_member"] for u in updates(server)]
    assert [(c["chat"]["type"], c["old_chat_member"]["status"], c["old_chat_member"].get("can_post_messages"),
             c["new_chat_member"]["status"], c["new_chat_member"].get("can_post_messages")) for c in changes] == [
        ("channel", "administrator", True, "administrator", False),
        ("channel", "administrator", False, "left", None),
    ]
