"""Topics from topics.toml: loading, overriding, scoring, look-ups."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.topics import Topics, TopicsError, load_topics


def test_the_shipped_topics_have_valid_commands(topics: Topics) -> None:
    assert {"syria", "russia", "ukraine", "turkey", "middle-east", "europe", "usa", "china", "economy", "climate", "technology"} <= set(topics)
    assert topics["middle-east"].command == "mideast"
    assert topics["technology"].command == "tech"
    assert len({topic.command for topic in topics.values()}) == len(topics)


def test_lookups_by_name_command_alias_and_closest(topics: Topics) -> None:
    assert topics.find("/Syria").name == "syria"
    assert topics.find("Middle East").name == "middle-east"
    assert topics.find("türkiye").name == "turkey"
    assert topics.by_command("/tech@NewsBriefBot").name == "technology"
    assert topics.find("atlantis") is None
    assert [topic.name for topic in topics.closest("syra")][:1] == ["syria"]
    assert [topic.name for topic in topics.closest("turky")][:1] == ["turkey"]
    assert topics.closest("qqqqqq") == []


def test_scores_need_a_title_mention_or_several_in_the_body(topics: Topics) -> None:
    assert topics.scores("Truce agreed around Manbij", "Fighting stopped.") == {"syria": 0.12}
    assert topics.scores("A quiet day", "Officials in Damascus said little.") == {}
    scores = topics.scores("A quiet day", "Officials in Damascus met. Assad spoke. Idlib was calm. Syria waits.")
    assert set(scores) == {"syria"}


def test_exclusions_and_capital_acronyms(topics: Topics) -> None:
    assert "turkey" not in topics.scores("Roast turkey recipes", "A roast turkey needs time. Roast turkey again.")
    assert "usa" in topics.scores("US sanctions", "The US said more would follow.")
    assert "usa" not in topics.scores("Tell us more", "Write to us. Join us. Call us.")
    assert "climate" not in topics.scores("The political climate", "The political climate is tense.")


def test_a_user_file_overrides_adds_and_removes(tmp_path: Path) -> None:
    user = tmp_path / "topics.toml"
    user.write_text(
        '[syria]\ntitle = "Syria only"\nkeywords = ["Damascus"]\n\n'
        '[harbour]\ntitle = "Harbour City"\nkeywords = ["Harbour City", "swing bridge"]\naliases = ["port"]\n\n'
        "[sport]\nenabled = false\n",
        encoding="utf-8",
    )

    topics = load_topics(user)

    assert topics["syria"].title == "Syria only"
    assert topics["syria"].keywords == ("Damascus",)
    assert topics.find("port").name == "harbour"
    assert "sport" not in topics
    assert topics.digest != load_topics().digest


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[bad\n", "not valid TOML"),
        ('[x]\ncommand = "Bad-Command"\nkeywords = ["x"]\n', "is not a Telegram command"),
        ("[x]\nkeywords = []\n", "has no keywords"),
        ('[x]\ncommand = "syria"\nkeywords = ["x"]\n', "share the command /syria"),
        ('x = "y"\n', "must be a table"),
    ],
)
def test_a_broken_user_file_says_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    user = tmp_path / "topics.toml"
    user.write_text(content, encoding="utf-8")

    with pytest.raises(TopicsError, match=message):
        load_topics(user)


def test_a_missing_user_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TopicsError, match="cannot read the topics file"):
        load_topics(tmp_path / "absent.toml")
