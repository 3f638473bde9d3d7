from __future__ import annotations

import pytest

from summaries.language import detect_language, stop_words


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The president said on Monday that the government would not negotiate with the opposition.", "english"),
        ("Der Bürgermeister sagte am Montag, dass die Stadt die Brücke nicht mit dem Geld der Bürger reparieren werde.", "german"),
        ("Le maire a déclaré lundi que la ville ne réparerait pas le pont avec l'argent des habitants.", "french"),
        ("El alcalde dijo el lunes que la ciudad no repararía el puente con el dinero de los vecinos.", "spanish"),
        ("市长星期一说，这座城市不会用居民的钱修理这座桥。", "chinese"),
    ],
)
def test_detects_the_language_of_a_sentence(text, language):
    assert detect_language(text) == language


def test_too_little_text_gives_the_default():
    assert detect_language("Okay", default="english") == "english"
    assert detect_language("") == "english"


def test_stop_words_come_from_sumy_without_downloads():
    assert "the" in stop_words("english")
    assert stop_words("klingon") == frozenset()
