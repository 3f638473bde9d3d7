"""sendPhoto as Telegram takes it: a multipart upload that is an image, a file id it issued, a caption of at most 1,024."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from telegram_loopback import BotApiServer

HTTP = httpx.Client(timeout=10)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
KEYBOARD = {"inline_keyboard": [[{"text": "Quotes", "callback_data": "q"}], [{"text": "Mute", "callback_data": "m"}]]}


def upload(server: BotApiServer, chat_id: int, data: bytes, caption: str = "", **fields: str) -> httpx.Response:
    form = {"chat_id": str(chat_id), "caption": caption, "parse_mode": "HTML", **fields}
    return HTTP.post(f"{server.base_url}{server.token}/sendPhoto", data=form, files={"photo": ("story.png", data, "image/png")})


def call(server: BotApiServer, method: str, **params: Any) -> httpx.Response:
    return HTTP.post(f"{server.base_url}{server.token}/{method}", json=params)


def test_an_uploaded_image_is_a_photo_and_its_file_id_sends_it_again():
    with BotApiServer() as server:
        ada = server.add_user()
        first = upload(server, ada.id, PNG, "<b>Convoy</b> reaches Aleppo").json()["result"]
        file_id = first["photo"][0]["file_id"]
        again = call(server, "sendPhoto", chat_id=ada.id, photo=file_id).json()["result"]
        [one, two] = server.messages(ada.id)
    assert first["caption"] == "Convoy reaches Aleppo"
    assert first["caption_entities"] == [{"type": "bold", "offset": 0, "length": 6}]
    assert again["photo"][0]["file_id"] == file_id
    assert one.attachment == {"source": "upload", "filename": "story.png", "content_type": "image/png", "size": len(PNG)}
    assert two.attachment == {"source": "file_id", "file_id": file_id}


@pytest.mark.parametrize(
    ("data", "caption", "description"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "", "Bad Request: IMAGE_PROCESS_FAILED"),
        (b"", "", "Bad Request: file must be non-empty"),
        (PNG + b"\x00" * (10 * 1024 * 1024), "", "Bad Request: file is too big"),
        (PNG, "x" * 1025, "Bad Request: message caption is too long"),
        (PNG, "🙂" * 513, "Bad Request: message caption is too long"),  # 1,026 UTF-16 code units
    ],
)
def test_uploads_telegram_refuses_are_refused(data: bytes, caption: str, description: str):
    with BotApiServer() as server:
        ada = server.add_user()
        answer = upload(server, ada.id, data, caption)
        sent = server.messages(ada.id)
    assert (answer.status_code, answer.json()["description"], sent) == (400, description, [])


def test_a_caption_of_1024_characters_is_taken():
    with BotApiServer() as server:
        ada = server.add_user()
        answer = upload(server, ada.id, PNG, "x" * 1024)
    assert answer.status_code == 200


def test_a_file_id_it_never_issued_is_refused_and_a_url_is_kept_as_given():
    with BotApiServer() as server:
        ada = server.add_user()
        unknown = call(server, "sendPhoto", chat_id=ada.id, photo="AgACAgIAAxnope")
        by_url = call(server, "sendPhoto", chat_id=ada.id, photo="https://cdn.example/a.jpg")
        [message] = server.messages(ada.id)
    assert unknown.json()["description"] == "Bad Request: wrong file identifier/HTTP URL specified"
    assert by_url.status_code == 200
    assert message.attachment == {"source": "url", "url": "https://cdn.example/a.jpg"}


def test_a_photos_buttons_and_caption_are_edited_and_its_text_is_not():
    with BotApiServer() as server:
        ada = server.add_user()
        sent = upload(server, ada.id, PNG, "Convoy", reply_markup='{"inline_keyboard": [[{"text": "Quotes", "callback_data": "q"}], [{"text": "Mute", "callback_data": "m"}]]}')
        message_id = sent.json()["result"]["message_id"]
        fewer = call(server, "editMessageReplyMarkup", chat_id=ada.id, message_id=message_id, reply_markup={"inline_keyboard": KEYBOARD["inline_keyboard"][:1]})
        text = call(server, "editMessageText", chat_id=ada.id, message_id=message_id, text="New")
        caption = call(server, "editMessageCaption", chat_id=ada.id, message_id=message_id, caption="Convoy, later")
        [message] = server.messages(ada.id)
    assert fewer.json()["result"]["reply_markup"] == {"inline_keyboard": [[{"text": "Quotes", "callback_data": "q"}]]}
    assert text.json()["description"] == "Bad Request: there is no text in the message to edit"
    assert caption.status_code == 200
    assert (message.kind, message.text, message.button_texts) == ("photo", "Convoy, later", [])
