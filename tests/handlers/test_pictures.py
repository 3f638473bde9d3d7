"""A story's details with its lead image, end to end: the real bot, the loopback Bot API, a loopback image server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import update

import handlers.pictures as pictures_module
from bot.store import Store, transaction
from bot.store.models import ArticleRecord
from handlers.render import visible_length
from telegram_loopback import Message
from tests.bot.helpers import LoopbackSite
from tests.bot.ingest.test_images import JPEG, SVG
from tests.handlers.harness import Chat, live_bot

# The second story of /syria, from one outlet: its details (820 characters) fit a caption.
CONVOY = "First Aid Convoy in a Month Reaches Aleppo's Old City"
# The first, from two outlets: its details (1,261 characters) do not.
TRUCE = "Three-Day Truce Holds Around Manbij as Elders Broker a Pause in the Fighting"


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    with LoopbackSite() as running:
        yield running


def picture_for(store: Store, title_words: str, url: str) -> None:
    """Give the articles whose headline has these words a lead image (what ingest keeps from og:image)."""
    with transaction(store) as session:
        session.execute(update(ArticleRecord).where(ArticleRecord.title.contains(title_words)).values(image_url=url))


async def story_details(chat: Chat, number: int = 2) -> tuple[list[Message], Message]:
    """/syria, then the button of its story `number` (the convoy by default)."""
    briefing = await chat.command("syria")
    assert [line for line in briefing[0].text.split("\n") if line[:3] in ("1. ", "2. ")] == [f"1. {TRUCE}", f"2. {CONVOY}"]
    [details] = await chat.press(briefing[0], f"{number} ›")
    return briefing, details


async def test_the_story_view_is_its_picture_with_the_details_as_caption(tmp_path, site: LoopbackSite) -> None:
    (tmp_path / "plain").mkdir()
    async with live_bot(tmp_path / "plain") as plain_bot:
        _, text_only = await story_details(plain_bot.chat())
    url = site.serve("/truce.jpg", JPEG, content_type="image/jpeg")
    async with live_bot(tmp_path, fetch_allow_private=("127.0.0.1",)) as bot:
        picture_for(bot.store, "Aleppo", url)
        chat = bot.chat()
        _, details = await story_details(chat)
        # Another reader's view of the same story (the same reader pressing again at once is a repeat, not a view).
        _, again = await story_details(bot.chat("Grace"))
        [quotes] = await chat.press(details, "💬 Quotes")
        notice = await chat.press_silently(details, "🔇 Mute story")
        await bot.server.wait_for_async(lambda: "🔇 Mute story" not in bot.server.message(chat.chat_id, details.message_id).button_texts)
        after_mute = bot.server.message(chat.chat_id, details.message_id)
        uploads = [call.params["photo"] for call in bot.server.calls("sendPhoto")]

    assert (text_only.kind, details.kind, again.kind) == ("text", "photo", "photo")
    assert details.text == text_only.text
    assert details.entities == text_only.entities
    assert details.button_texts == ["💬 Quotes", "📰 Sources", "🔇 Mute story"]
    # Fetched once by the bot and uploaded; the second view sends Telegram's file id, no fetch.
    assert [path for path, _ in site.requests] == ["/truce.jpg"]
    assert uploads == [f"<file story.jpg, {len(JPEG)} bytes>", details.file_id]
    assert details.attachment == {"source": "upload", "filename": "story.jpg", "content_type": "image/jpeg", "size": len(JPEG)}
    assert quotes.kind == "text" and quotes.text.startswith("💬 Quotes: ")
    assert notice.startswith("🔇 Hidden: this story")
    assert (after_mute.kind, after_mute.text, after_mute.button_texts) == ("photo", text_only.text, ["💬 Quotes", "📰 Sources"])


@pytest.mark.parametrize("problem", ["svg", "50 MB", "private redirect", "404", "Telegram refuses"])
async def test_a_picture_that_fails_leaves_the_details_as_text(tmp_path, site: LoopbackSite, problem: str) -> None:
    with LoopbackSite("127.0.0.2") as internal:
        url = {
            "svg": site.serve("/truce.svg", SVG, content_type="image/svg+xml"),
            "50 MB": site.serve("/huge.jpg", content_type="image/jpeg", stream_bytes=50 * 1024 * 1024),
            "private redirect": site.redirect("/lead.jpg", internal.serve("/camera.jpg", JPEG, content_type="image/jpeg")),
            "404": site.url("/gone.jpg"),
            "Telegram refuses": site.serve("/truce.jpg", JPEG, content_type="image/jpeg"),
        }[problem]
        async with live_bot(tmp_path, fetch_allow_private=("127.0.0.1",)) as bot:
            picture_for(bot.store, "Aleppo", url)
            if problem == "Telegram refuses":
                bot.server.faults.fail_next(status=400, methods=["sendPhoto"])
            _, details = await story_details(bot.chat())
            photos = bot.server.calls("sendPhoto", ok=True)
        assert internal.requests == []

    assert (details.kind, details.text.split("\n")[0], photos) == ("text", CONVOY, [])
    assert details.button_texts == ["💬 Quotes", "📰 Sources", "🔇 Mute story"]
    assert len(site.requests) == 1


async def test_details_too_long_for_a_caption_go_as_text_without_fetching_the_picture(tmp_path, site: LoopbackSite) -> None:
    url = site.serve("/truce.jpg", JPEG, content_type="image/jpeg")
    async with live_bot(tmp_path, fetch_allow_private=("127.0.0.1",)) as bot:
        picture_for(bot.store, "Manbij", url)
        _, details = await story_details(bot.chat(), 1)

    assert (details.kind, details.text.split("\n")[0]) == ("text", TRUCE)
    assert visible_length(details.source or "") == 1261
    assert site.requests == []


async def test_an_unexpected_error_on_the_picture_still_leaves_the_story(tmp_path, site: LoopbackSite, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(url: str, limits: object) -> None:
        raise RuntimeError("decoder exploded")

    monkeypatch.setattr(pictures_module, "fetch_picture", broken)
    async with live_bot(tmp_path, fetch_allow_private=("127.0.0.1",)) as bot:
        picture_for(bot.store, "Aleppo", site.serve("/convoy.jpg", JPEG, content_type="image/jpeg"))
        _, details = await story_details(bot.chat())

    assert (details.kind, details.text.split("\n")[0]) == ("text", CONVOY)
