from __future__ import annotations

import json

import pytest

from telegram_loopback.errors import ApiError
from telegram_loopback.spec import BotApiSpec, default_spec_path

SPEC = BotApiSpec.find()
pytestmark = pytest.mark.skipif(
    SPEC is None, reason=f"{default_spec_path()} is absent: spec checks are off and these tests cannot run"
)


def parse(method: str, **raw: str) -> dict:
    assert SPEC is not None
    found = SPEC.method(method)
    assert found is not None
    return SPEC.parse_params(found, raw)


def refusal(method: str, **raw: str) -> str:
    with pytest.raises(ApiError) as caught:
        parse(method, **raw)
    assert caught.value.error_code == 400
    return caught.value.description


def test_the_spec_is_bot_api_10_1_with_case_insensitive_methods():
    assert SPEC is not None
    assert SPEC.version == "Bot API 10.1"
    assert SPEC.method("SENDMESSAGE") is SPEC.method("sendMessage")
    assert SPEC.method("sendTelepathy") is None


def test_form_values_become_typed_values():
    markup = {"inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]}
    assert parse(
        "sendMessage",
        chat_id="-1001234567890",
        text="42",
        disable_notification="true",
        reply_markup=json.dumps(markup),
        link_preview_options='{"is_disabled": true}',
    ) == {
        "chat_id": -1001234567890,
        "text": "42",
        "disable_notification": True,
        "reply_markup": markup,
        "link_preview_options": {"is_disabled": True},
    }
    assert parse("sendMessage", chat_id="@newsroom", text="x")["chat_id"] == "@newsroom"


def test_missing_parameters_are_named_as_telegram_names_them():
    assert refusal("sendMessage", chat_id="1") == "Bad Request: message text is empty"
    assert refusal("sendMessage", text="x") == "Bad Request: chat_id is empty"
    assert refusal("sendMessage", chat_id="1", text="") == "Bad Request: message text is empty"
    assert refusal("deleteMessage", chat_id="1") == "Bad Request: message identifier is not specified"
    assert refusal("answerCallbackQuery") == 'Bad Request: parameter "callback_query_id" is required'


def test_wrong_types_are_refused_top_level_and_nested():
    assert refusal("getUpdates", limit="ten") == 'Bad Request: field "limit" must be of type Integer'
    assert refusal("sendMessage", chat_id="1", text="x", disable_notification="maybe") == (
        'Bad Request: field "disable_notification" must be of type Boolean'
    )
    assert refusal("sendMessage", chat_id="1", text="x", link_preview_options='{"is_disabled": "yes"}') == (
        'Bad Request: field "is_disabled" must be of type Boolean'
    )
    assert refusal("sendMessage", chat_id="1", text="x", reply_markup='{"inline_keyboard": "bad"}') == (
        'Bad Request: field "inline_keyboard" must be of type Array'
    )
    assert refusal("sendMessage", chat_id="1", text="x", reply_markup='{"keyboard": [[{"text": "A"}]], "selective": "yes"}') == (
        'Bad Request: field "selective" must be of type Boolean'
    )
    assert refusal("sendMessage", chat_id="1", text="x", reply_markup="{not json") == (
        "Bad Request: can't parse reply keyboard markup JSON object"
    )


def test_nested_objects_are_checked_recursively():
    assert refusal("sendMessage", chat_id="1", text="x", reply_markup='{"inline_keyboard": [[{"callback_data": "x"}]]}') == (
        'Bad Request: can\'t parse inline keyboard button: Can\'t find field "text"'
    )
    assert refusal("sendMessage", chat_id="1", text="x", entities='[{"type": "bold", "offset": 0}]') == (
        'Bad Request: can\'t parse MessageEntity: Can\'t find field "length"'
    )
    assert refusal("sendMessage", chat_id="1", text="x", reply_parameters='{"quote": "x"}') == (
        'Bad Request: can\'t find field "message_id"'
    )
    assert refusal("setMyCommands", commands='[{"command": "syria"}]') == 'Bad Request: can\'t find field "description"'


def test_subtypes_are_told_apart_by_their_type_field():
    scope = parse("setMyCommands", commands="[]", scope='{"type": "chat", "chat_id": "5"}')["scope"]
    assert scope == {"type": "chat", "chat_id": 5}
    assert refusal("setMyCommands", commands="[]", scope='{"type": "chat"}') == 'Bad Request: can\'t find field "chat_id"'


def test_unknown_parameters_are_ignored_like_telegram_does():
    assert parse("getMe", colour="blue") == {"colour": "blue"}


def test_check_validates_objects_the_server_sends():
    assert SPEC is not None
    SPEC.check("Message", {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}})
    with pytest.raises(ApiError, match='can\'t find field "chat"'):
        SPEC.check("Message", {"message_id": 1, "date": 0})


def test_the_servers_answers_match_the_spec_return_types():
    from telegram_loopback import BotApiServer

    assert SPEC is not None
    with BotApiServer(spec=SPEC) as server:
        ada = server.add_user("Ada", username="ada")
        group = server.add_group("Newsroom", [ada], supergroup=True, bot_is_admin=True)
        server.send_command(ada.id, "start")
        markup = {"inline_keyboard": [[{"text": "More", "callback_data": "more"}]]}
        sent = server.call("sendMessage", chat_id=ada.id, text="<b>Hi</b> /help", parse_mode="HTML", reply_markup=markup)
        server.press_button(ada.id, sent["message_id"], "more")
        channel = server.add_channel("Morning Wire", [ada], username="morningwire")
        server.set_bot_member(channel, "administrator", can_post_messages=False, by=ada)
        server.set_bot_member(channel, "administrator", can_post_messages=True, by=ada)
        answers = {
            "getMe": server.call("getMe"),
            "sendMessage": sent,
            "editMessageText": server.call("editMessageText", chat_id=ada.id, message_id=sent["message_id"], text="Hey"),
            "getUpdates": server.call("getUpdates"),
            "getChat": server.call("getChat", chat_id=group),
            "getChatMember": server.call("getChatMember", chat_id=group, user_id=ada.id),
            "getChatAdministrators": server.call("getChatAdministrators", chat_id=group),
            "getChatMember in a channel (the bot)": server.call("getChatMember", chat_id=channel, user_id=server.bot.id),
            "getChatMember in a channel (its creator)": server.call("getChatMember", chat_id="@morningwire", user_id=ada.id),
            "getChat of a channel": server.call("getChat", chat_id="@morningwire"),
            "sendMessage into a channel": server.call("sendMessage", chat_id=channel, text="Good <i>morning</i>", parse_mode="HTML"),
            "getWebhookInfo": server.call("getWebhookInfo"),
            "getMyCommands": server.call("getMyCommands"),
        }
    for method, answer in answers.items():
        found = SPEC.method(method.split(" ")[0])
        assert found is not None
        SPEC.check(found.returns[0], answer, method)
    assert [next(k for k in u if k != "update_id") for u in answers["getUpdates"]] == [
        "message", "callback_query", "my_chat_member", "my_chat_member",
    ]
