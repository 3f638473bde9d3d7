from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime, time
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from handlers.subscribing import days_phrase, due_phrase
from handlers.translations import IN_ENGLISH, LANGUAGES, catalogue_path, language_for, translator

ROOT = Path(__file__).resolve().parents[2]
# The keywords README's `pybabel extract` command gives: t.gettext, t.ngettext (singular, plural) and N_.
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None}


def extracted() -> dict[str | tuple[str, str], list[str]]:
    """Every message the code writes, as Babel's extract finds it with babel.cfg, with where it was found."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str | tuple[str, str], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
    ):
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def catalogue(code: str):
    with catalogue_path(code).open("rb") as po:
        return read_po(po, locale=code)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_code_has_messages_to_translate_from_every_floor_that_writes_them():
    found = extracted()
    places = {place.split(":")[0] for places in found.values() for place in places}
    assert len(found) > 200
    assert {"handlers/commands.py", "handlers/render.py", "handlers/push.py", "bot/app.py", "bot/mutes.py", "bot/timezones.py"} <= places
    assert "bot/topics.toml" in places and "Syria" in found


def test_the_russian_catalogue_translates_every_message_in_the_code():
    found = extracted()
    russian = catalogue("ru")
    missing = [message for message in found if russian.get(message if isinstance(message, str) else message[0]) is None]
    untranslated = [
        message.id for message in russian
        if message.id and (not message.string or (isinstance(message.string, tuple) and not all(message.string)))
    ]
    in_code = {message if isinstance(message, str) else message[0] for message in found}
    obsolete = [message.id for message in russian if message.id and (message.id if isinstance(message.id, str) else message.id[0]) not in in_code]
    fuzzy = [message.id for message in russian if message.id and message.fuzzy]
    assert missing == []
    assert untranslated == []
    assert obsolete == []
    # A fuzzy entry (guessed by `pybabel update`) is not used until checked: the code would fall back to English.
    assert fuzzy == []


def test_every_plural_message_has_the_three_russian_forms_and_the_plural_of_the_code():
    found = extracted()
    russian = catalogue("ru")
    plurals = [message for message in found if isinstance(message, tuple)]
    assert len(plurals) >= 15
    for singular, plural in plurals:
        entry = russian.get(singular)
        assert isinstance(entry.id, tuple) and entry.id == (singular, plural), singular
        assert len(entry.string) == 3, singular


def test_translations_keep_the_placeholders_and_the_tags_of_their_message():
    tag = re.compile(r"</?(?:b|i|code|a)\b[^>]*>")
    for message in catalogue("ru"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert placeholders(text) <= placeholders(ids[-1]) | {"n"}, (message.id, text)
            assert sorted(tag.findall(text)) == sorted(tag.findall(ids[0])), (message.id, text)


def test_russian_plurals_take_the_form_of_the_number():
    t = translator("ru")
    forms = {n: t.ngettext("{n} story from {window}", "{n} stories from {window}", n, window="суток") for n in (1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111)}
    assert forms == {
        1: "1 сюжет за суток", 2: "2 сюжета за суток", 4: "4 сюжета за суток", 5: "5 сюжетов за суток",
        11: "11 сюжетов за суток", 12: "12 сюжетов за суток", 14: "14 сюжетов за суток", 21: "21 сюжет за суток",
        22: "22 сюжета за суток", 25: "25 сюжетов за суток", 101: "101 сюжет за суток", 111: "111 сюжетов за суток",
    }
    assert [IN_ENGLISH.ngettext("{n} quotation", "{n} quotations", n) for n in (1, 2, 21)] == ["1 quotation", "2 quotations", "21 quotations"]


def test_the_language_is_the_chats_choice_else_the_users_telegram_language_else_english():
    assert [language_for(None, code) for code in ("ru", "ru-RU", "RU", "en", "en-GB", "de", "uk", "", None)] == [
        "ru", "ru", "ru", "en", "en", "en", "en", "en", "en",
    ]
    assert language_for("en", "ru") == "en"
    assert language_for("ru", "en") == "ru"
    assert language_for("xx", "ru") == "ru"
    assert set(LANGUAGES) == {"en", "ru"}


def test_a_language_the_bot_does_not_speak_is_english():
    assert translator("de") is IN_ENGLISH
    assert translator("de").gettext("Syria") == "Syria"


def test_times_and_days_are_written_in_the_chats_language():
    russian, english = translator("ru"), translator("en")
    assert [days_phrase(days, russian) for days in ("1234567", "12345", "67", "135")] == ["каждый день", "по будням", "по выходным", "пн, ср, пт"]
    assert [days_phrase(days, english) for days in ("1234567", "12345", "67", "135")] == ["every day", "weekdays", "weekends", "Mon, Wed, Fri"]
    now = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)  # a Friday
    dues = [datetime(2026, 12, 4, 19, 5, tzinfo=UTC), datetime(2026, 12, 5, 7, 0, tzinfo=UTC), datetime(2026, 12, 7, 7, 0, tzinfo=UTC),
            datetime(2026, 12, 16, 7, 0, tzinfo=UTC), datetime(2027, 1, 13, 7, 0, tzinfo=UTC)]
    assert [due_phrase(due, "Europe/Moscow", now, russian) for due in dues] == [
        "сегодня в 22:05 (Europe/Moscow)",
        "завтра в 10:00 (Europe/Moscow)",
        "понедельник в 10:00 (Europe/Moscow)",
        "среда, 16 декабря в 10:00 (Europe/Moscow)",
        "среда, 13 января 2027 в 10:00 (Europe/Moscow)",
    ]
    assert [due_phrase(due, "UTC", now, english) for due in dues] == [
        "today at 19:05 (UTC)", "tomorrow at 07:00 (UTC)", "on Monday at 07:00 (UTC)",
        "on Wednesday 16 December at 07:00 (UTC)", "on Wednesday 13 January 2027 at 07:00 (UTC)",
    ]
    assert russian.clock(time(7, 5)) == "07:05" and russian.weekday(date(2026, 12, 6)) == "воскресенье"
