"""Chat mutes on SQLite and PostgreSQL: added once, limited, removed, moved with a migrated group, forgotten with the chat."""

from __future__ import annotations

import pytest

from bot.store import (
    Store,
    TooManyMutes,
    add_article,
    add_mute,
    chat_migrated,
    chat_mutes,
    ensure_subscriber,
    forget_chat,
    mutes_of_chats,
    remove_mute,
    remove_story_mutes,
    update_subscriber,
    get_subscriber,
)
from tests.bot.helpers import NOW, body, new_article


def test_a_mute_is_kept_once_and_listed_oldest_first(store: Store) -> None:
    ensure_subscriber(store, 42, now=NOW)

    assert add_mute(store, 42, "grain", "Grain", limit=50, now=NOW) is True
    assert add_mute(store, 42, "premier league", "Premier League", limit=50, now=NOW) is True
    assert add_mute(store, 42, "grain", "grain", limit=50, now=NOW) is False

    assert [(m.key, m.label, m.story_id) for m in chat_mutes(store, 42)] == [("grain", "Grain", None), ("premier league", "Premier League", None)]
    assert mutes_of_chats(store, [42, 43]) == {42: ["grain", "premier league"]}


def test_the_limit_counts_words_and_stories_apart(store: Store) -> None:
    ensure_subscriber(store, 42, now=NOW)
    story = add_article(store, new_article("Truce in Manbij", body("A truce began.", words=60))).story_id
    add_mute(store, 42, "grain", "grain", limit=2, now=NOW)
    add_mute(store, 42, "wheat", "wheat", limit=2, now=NOW)

    with pytest.raises(TooManyMutes):
        add_mute(store, 42, "maize", "maize", limit=2, now=NOW)
    assert add_mute(store, 42, "grain", "grain", limit=2, now=NOW) is False  # already there: not over the limit
    assert add_mute(store, 42, f"#{story}", "Truce in Manbij", story_id=story, limit=2, now=NOW) is True
    assert [m.key for m in chat_mutes(store, 42)] == ["grain", "wheat", f"#{story}"]


def test_removing_one_mute_and_every_hidden_story(store: Store) -> None:
    ensure_subscriber(store, 42, now=NOW)
    ensure_subscriber(store, 43, now=NOW)
    story = add_article(store, new_article("Truce in Manbij", body("A truce began.", words=60))).story_id
    add_mute(store, 42, "grain", "grain", limit=50, now=NOW)
    add_mute(store, 42, f"#{story}", "Truce in Manbij", story_id=story, limit=50, now=NOW)
    add_mute(store, 43, "grain", "grain", limit=50, now=NOW)
    grain = chat_mutes(store, 42)[0]

    assert remove_mute(store, 43, grain.id) is None  # another chat's mute
    assert remove_mute(store, 42, grain.id).label == "grain"
    assert remove_mute(store, 42, grain.id) is None
    assert remove_story_mutes(store, 42) == 1
    assert chat_mutes(store, 42) == []
    assert [m.key for m in chat_mutes(store, 43)] == ["grain"]


def test_mutes_and_quiet_move_with_a_migrated_group_and_go_with_a_forgotten_chat(store: Store) -> None:
    ensure_subscriber(store, -100, now=NOW)
    update_subscriber(store, -100, quiet=True)
    add_mute(store, -100, "grain", "grain", limit=50, now=NOW)
    add_mute(store, -100, "wheat", "wheat", limit=50, now=NOW)
    ensure_subscriber(store, -1009, now=NOW)  # the supergroup spoke first
    add_mute(store, -1009, "grain", "Grain", limit=50, now=NOW)

    assert chat_migrated(store, -100, -1009) is True

    assert sorted((m.key, m.label) for m in chat_mutes(store, -1009)) == [("grain", "Grain"), ("wheat", "wheat")]
    assert get_subscriber(store, -1009).quiet is True
    assert forget_chat(store, -1009) is True
    assert mutes_of_chats(store, [-100, -1009]) == {}
