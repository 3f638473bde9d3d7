"""Inline mode: a user's inline query, answerInlineQuery checked as Telegram does, a chosen result posted via the bot."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from telegram_loopback import BotApiServer, BotApiSpec, default_spec_path
from telegram_loopback.control import ControlClient

needs_spec = pytest.mark.skipif(BotApiSpec.find() is None, reason=f"{default_spec_path()} is absent: spec checks are off")
HTTP = httpx.Client(timeout=10)


def call(server: BotApiServer, method: str, **params: Any) -> httpx.Response:
    return HTTP.post(f"{server.base_url}{server.token}/{method}", json=params)


def article(result_id: str, text: str = "<b>Truce</b> holds", **extra: Any) -> dict[str, Any]:
    return {
        "type": "article",
        "id": result_id,
        "title": "Truce holds",
        "input_message_content": {"message_text": text, "parse_mode": "HTML", "link_preview_options": {"is_disabled": True}},
        **extra,
    }


def test_inline_mode_is_off_until_botfather_turns_it_on():
    with BotApiServer() as server:
        ada = server.add_user()
        before = call(server, "getMe").json()["result"]["supports_inline_queries"]
        with pytest.raises(ValueError, match="inline mode is off"):
            server.send_inline_query(ada, "syria")
        server.enable_inline_mode("Search news")
        after = call(server, "getMe").json()["result"]["supports_inline_queries"]
    assert (before, after) == (False, True)


def test_an_inline_query_arrives_as_telegram_sends_it():
    with BotApiServer() as server:
        server.enable_inline_mode()
        ada = server.add_user("Ada")
        query_id = server.send_inline_query(ada, "syria truce", chat_type="group")
        [update] = call(server, "getUpdates").json()["result"]
        with pytest.raises(ValueError, match="at most 256 characters; this one has 257"):
            server.send_inline_query(ada, "x" * 257)
    assert update["inline_query"] == {
        "id": query_id,
        "from": {"id": ada.id, "is_bot": False, "first_name": "Ada", "language_code": "en"},
        "query": "syria truce",
        "offset": "",
        "chat_type": "group",
    }


@needs_spec
def test_an_answer_is_kept_and_a_chosen_result_is_posted_via_the_bot():
    with BotApiServer() as server:
        server.enable_inline_mode()
        ada = server.add_user("Ada")
        group = server.add_group("Newsroom", [ada])
        query_id = server.send_inline_query(ada, "truce")
        answered = call(server, "answerInlineQuery", inline_query_id=query_id, results=[article("1"), article("2", "Other")], cache_time=30)
        answer = server.wait_for_inline_answer(query_id)
        posted = server.choose_inline_result(group, query_id, "1")
        again = call(server, "answerInlineQuery", inline_query_id=query_id, results=[])
        with pytest.raises(ValueError, match="has no result '3'"):
            server.choose_inline_result(group, query_id, "3")
        kinds = [next(key for key in update if key != "update_id") for update in call(server, "getUpdates").json()["result"]]
    assert answered.json() == {"ok": True, "result": True}
    assert (len(answer.results), answer.cache_time, answer.is_personal) == (2, 30, False)
    assert (posted.text, posted.entities, posted.from_bot, posted.sender.id) == (
        "Truce holds", [{"type": "bold", "offset": 0, "length": 5}], False, ada.id,
    )
    assert posted.via_bot is not None and posted.via_bot.id == server.bot.id
    assert posted.to_api(server.state.chat(group))["via_bot"]["username"] == "newsbrief_test_bot"
    assert again.json()["description"] == "Bad Request: query is too old and response timeout expired or query ID is invalid"
    # Group privacy: a message via the bot is no command or mention, so the bot is sent only the query.
    assert kinds == ["inline_query"]


@needs_spec
@pytest.mark.parametrize(
    ("results", "extra", "description"),
    [
        ([article(str(n)) for n in range(51)], {}, "Bad Request: RESULTS_TOO_MUCH"),
        ([article("1"), article("1")], {}, "Bad Request: RESULT_ID_DUPLICATE"),
        ([article("x" * 65)], {}, "Bad Request: RESULT_ID_INVALID"),
        ([article("1", title="  ")], {}, "Bad Request: RESULT_TITLE_EMPTY"),
        ([article("1", "<b>unclosed")], {}, "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""),
        ([article("1", "x" * 4097)], {}, "Bad Request: message is too long"),
        ([article("1", " ")], {}, "Bad Request: MESSAGE_EMPTY"),
        ([{"type": "article", "id": "1", "title": "T"}], {}, "Bad Request: can't find field \"input_message_content\""),
        ([{"type": "nonsense", "id": "1"}], {}, "Bad Request: unsupported results type \"nonsense\""),
        ([], {"button": {"text": "Open", "start_parameter": "bad param"}}, "Bad Request: START_PARAM_INVALID"),
        ([], {"button": {"text": "Open"}}, "Bad Request: BUTTON_TYPE_INVALID"),
        ([], {"next_offset": "9" * 65}, "Bad Request: NEXT_OFFSET_INVALID"),
    ],
)
def test_answers_telegram_refuses_are_refused(results: list[Any], extra: dict[str, Any], description: str):
    with BotApiServer() as server:
        server.enable_inline_mode()
        query_id = server.send_inline_query(server.add_user(), "truce")
        answer = call(server, "answerInlineQuery", inline_query_id=query_id, results=results, **extra)
        kept = server.inline_answer(query_id)
    assert (answer.status_code, answer.json()["description"]) == (400, description)
    assert kept is None


def test_a_result_chosen_in_the_bots_own_chat_reaches_the_bot_marked_via_bot():
    with BotApiServer() as server:
        server.enable_inline_mode()
        ada = server.add_user("Ada")
        query_id = server.send_inline_query(ada, "")
        server.call("answerInlineQuery", inline_query_id=query_id, results=[article("top-1")])
        server.choose_inline_result(ada.id, query_id, "top-1")
        updates = call(server, "getUpdates").json()["result"]
    message = updates[-1]["message"]
    assert (message["text"], message["via_bot"]["id"], message["from"]["id"]) == ("Truce holds", server.bot.id, ada.id)
    assert message["link_preview_options"] == {"is_disabled": True}


def test_another_process_plays_inline_mode_through_the_control_endpoint():
    with BotApiServer() as server:
        control = ControlClient(server.url, server.token)
        ada = control.add_user(first_name="Ada")
        control.enable_inline_mode(placeholder="Search news")
        query_id = control.send_inline_query(user_id=ada["id"], query="truce")
        before = control.inline_answer(query_id=query_id)
        server.call("answerInlineQuery", inline_query_id=query_id, results=[article("1")])
        answer = control.inline_answer(query_id=query_id)
        posted = control.choose_inline_result(chat_id=ada["id"], query_id=query_id, result_id="1")
    assert before is None
    assert [result["id"] for result in answer["results"]] == ["1"]
    assert (posted["text"], posted["via_bot"]["id"]) == ("Truce holds", server.bot.id)
