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


def test_all_topics_at_once_score_as_each_topic_alone(topics: Topics) -> None:
    from bot.ingest.pipeline import demo_items

    texts = [(item.title, item.text) for item in demo_items()] + [
        ("Russian roulette in Moscow", "Playing Russian roulette is not a policy, Russian officials in Moscow said. Putin agreed."),
        ("Jordan and Michael Jordan", "Michael Jordan visited Jordan. Amman, in Jordan, welcomed him; Jordan's king met Michael Jordan."),
        ("US and us", "The U.S. and the US told us that the United States and the White House agree. Tell us."),
        ("Interest rates", "Interest rates rose as central bankers and the central bank met; interest rate cuts were ruled out."),
    ]

    for title, text in texts:
        one_by_one = {name: score for name, topic in topics.items() if (score := topic.score(title, text)) > 0}
        assert topics.scores(title, text) == one_by_one, title


def test_prefixes_phrases_and_capitals_of_a_user_topic(tmp_path: Path) -> None:
    user = tmp_path / "topics.toml"
    user.write_text(
        '[port]\ntitle = "Port"\nkeywords = ["ha*", "swing bridge*", "PLA", "docker*"]\nexclude = ["dockers union"]\n',
        encoding="utf-8",
    )
    topics = load_topics(user)
    port = topics["port"]

    assert port.text_hits("Harbour and HARBOUR master; the swing bridges and the PLA, not the pla.") == [
        "harbour", "harbour", "swing bridges", "PLA"
    ]
    assert port.text_hits("Dockers union strikes; dockers stay home.") == ["dockers"]
    assert topics.scores("Harbour news", "The swing bridge opened. Dockers and the PLA came.") == {"port": 0.6}
    assert topics.scores("Dock news", "Dockers union strikes; dockers stay home. The dockers union met.") == {}


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


def test_misspelt_names_the_topics_one_word_is_a_typo_of(topics: Topics) -> None:
    def typo_of(word: str) -> list[str]:
        return [topic.name for topic in topics.misspelt(word)]

    assert typo_of("sprot") == ["sport"]  # neighbours swapped: one edit
    assert typo_of("climat") == ["climate"]  # a letter dropped
    assert typo_of("sirya") == ["syria"]  # two edits, the same letters
    assert typo_of("turkish") == ["turkey"]  # two edits from "turkiye", both 7 letters
    assert typo_of("chips") == []  # two edits from "china", other letters
    assert typo_of("africa") == []  # two edits from "america", 6 letters
    assert typo_of("grain") == []
    assert typo_of("syria") == []  # a topic, no typo
