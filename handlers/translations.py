"""The bot's words in the chat's language: a gettext catalogue per language, read with Babel, and dates in its words.

English is the source language: every message in the code is written in English and wrapped
`t.gettext("...")` (or `t.ngettext("one ...", "{n} ...", n)` when it counts), where `t` is the
chat's `Translator` (`context.translator` in a handler). Placeholders are `{name}`, filled by the
same call: `t.gettext("Time zone set to {zone}.", zone=zone)`. `N_("...")` marks a message kept as
a constant and translated where it is sent. `pybabel extract` finds all three (README: "How to add
a string"). The catalogues are `.po` files beside this module (locales/<code>/LC_MESSAGES/newsbrief.po),
read once at start-up with `babel.messages.pofile.read_po`; nothing binary is kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from gettext import NullTranslations
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.wording import N_

__all__ = ["IN_ENGLISH", "LANGUAGES", "N_", "Translator", "language_for", "translator", "translators"]

DOMAIN = "newsbrief"
ENGLISH = "en"
# Every language the bot speaks, by code, with its own name (the /language buttons).
LANGUAGES = {"en": "English", "ru": "Русский"}


def language_for(chosen: str | None, telegram_code: str | None = None) -> str:
    """The language to answer in: the chat's choice, else the user's Telegram language (ru* is Russian), else English."""
    if chosen in LANGUAGES:
        return chosen  # type: ignore[return-value]
    code = (telegram_code or "").lower()
    return "ru" if code.startswith("ru") else ENGLISH


@dataclass(frozen=True)
class Translator:
    """One language's messages, plural rules and date words."""

    code: str
    catalogue: NullTranslations

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    def gettext(self, message: str, /, **values: Any) -> str:
        """The message in this language, its {placeholders} filled from `values`."""
        text = self.catalogue.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """The form of the message for `n` (Russian has three), with {n} and the other placeholders filled."""
        return self.catalogue.ngettext(singular, plural, n).format(n=n, **values)

    def title(self, title: str) -> str:
        """A topic's title: the catalogue's when it has one (the shipped topics), else as written in topics.toml."""
        return self.catalogue.gettext(title) if title else title

    def clock(self, value: time | datetime) -> str:
        """A time of day, 24-hour, as this language writes it: '07:30'."""
        return format_time(value, "HH:mm", locale=self.code)

    def weekday(self, value: date) -> str:
        """The day of the week: 'Monday', 'понедельник'."""
        return format_date(value, "EEEE", locale=self.code)

    def day_and_month(self, value: date, *, year: bool = False) -> str:
        """'Monday 7 December', 'понедельник, 7 декабря' (with the year when asked)."""
        pattern = "EEEE d MMMM" if self.code == ENGLISH else "EEEE, d MMMM"
        return format_date(value, pattern + (" y" if year else ""), locale=self.code)

    def short_weekdays(self) -> list[str]:
        """Monday to Sunday, abbreviated: 'Mon'…'Sun', 'пн'…'вс'."""
        names = get_day_names("abbreviated", locale=self.code)
        return [names[index] for index in range(7)]


IN_ENGLISH = Translator(ENGLISH, NullTranslations())
"""The source language: what a function given no translator writes in."""


def catalogue_path(code: str) -> Any:
    """The .po file of a language (a Traversable inside the package)."""
    return resources.files("handlers").joinpath("locales", code, "LC_MESSAGES", f"{DOMAIN}.po")


@cache
def translator(code: str) -> Translator:
    """The translator of a language code this bot speaks (English for any other), read from its .po once."""
    if code not in LANGUAGES or code == ENGLISH:
        return IN_ENGLISH
    with catalogue_path(code).open("rb") as po:
        catalog = read_po(po, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translator(code, Translations(compiled, domain=DOMAIN))


def translators() -> dict[str, Translator]:
    """Every language's translator, by code."""
    return {code: translator(code) for code in LANGUAGES}


def extract_topic_titles(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Any:
    """Babel extraction method for topics.toml: each topic's title is a message (babel.cfg names it)."""
    import tomllib

    lines = fileobj.read().decode("utf-8")
    for name, table in tomllib.loads(lines).items():
        title = table.get("title") if isinstance(table, dict) else None
        if title:
            number = next((index for index, line in enumerate(lines.splitlines(), 1) if line.strip() == f"[{name}]"), 0)
            yield number, "gettext", title, [f"the title of the topic [{name}] in bot/topics.toml"]
