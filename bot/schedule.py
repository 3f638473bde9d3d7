"""When a subscriber's morning briefing is due: local time, time zone and days to UTC instants.

A briefing is due once per local date, at the first instant the subscriber's wall clock
shows that date at the briefing time or later:

- an ordinary day: the briefing time itself;
- a spring-forward day whose gap swallows the briefing time (02:30 in Europe/Berlin on the
  last Sunday of March): the end of the gap, 03:00 local, the first instant after it. Every
  time inside the gap goes out at that instant, so briefings keep their order;
- a fall-back day on which the briefing time happens twice (01:30 in America/New_York in
  November): the first occurrence (fold=0), once;
- a local date the clock skipped past entirely (Pacific/Apia went from 29 to 31 December
  2011): no briefing that date, because no wall clock there ever showed it.

So the wall-clock date of a due instant is always the local date it belongs to, and
"once per local date" is the delivery log's key: (chat_id, local_date). A caller that
changes a subscriber's time or zone keeps that key, and `next_due(..., delivered=...)` /
`due_between(..., delivered=...)` leave out the dates the log already has.

All instants in and out are aware datetimes; returned ones are in UTC.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Protocol

from bot.timezones import is_fixed_offset, zone

DEFAULT_GRACE = timedelta(hours=3)
# ISO weekday digits, Monday=1, as the store keeps them (bot/store/subscribers.py).
EVERY_DAY = "1234567"
WEEKDAYS = "12345"
WEEKEND = "67"

_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS = {
    **{name: str(number) for number, name in enumerate(_DAY_NAMES, 1)},
    **{name[:3]: str(number) for number, name in enumerate(_DAY_NAMES, 1)},
    "tues": "2",
    "wednes": "3",
    "thu": "4",
    "thur": "4",
    "thurs": "4",
}
_PERIODS = {
    "daily": EVERY_DAY,
    "every day": EVERY_DAY,
    "everyday": EVERY_DAY,
    "weekdays": WEEKDAYS,
    "weekends": WEEKEND,
    "weekend": WEEKEND,
}
# Enough for any day pattern and any run of already-delivered dates a caller can pass.
_SEARCH_DAYS = 400
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])(?:[:.h]([0-5]\d))?\s*(am|pm)?\s*$", re.I)


class SubscriberSchedule(Protocol):
    """What scheduling needs of a subscriber (bot.store.subscribers.Subscriber has it)."""

    @property
    def chat_id(self) -> int: ...
    @property
    def timezone(self) -> str: ...
    @property
    def briefing_time(self) -> time: ...
    @property
    def days(self) -> str: ...


class DueStatus(enum.StrEnum):
    """Where a local date's briefing stands at a given instant."""

    NO_BRIEFING = "no briefing"  # not one of the subscriber's days, or a date the clock skipped
    NOT_YET = "not yet"
    DUE = "due"  # at or after its instant and less than `grace` late: send it now
    MISSED = "missed"  # `grace` late or more: skip it and log it


@dataclass(frozen=True, order=True)
class Due:
    """One briefing of one schedule: the UTC instant and the local date it belongs to."""

    due_at: datetime
    local_date: date


@dataclass(frozen=True, order=True)
class DueBriefing:
    """One briefing of one chat; `key` is the delivery log's key."""

    due_at: datetime
    chat_id: int
    local_date: date

    @property
    def key(self) -> tuple[int, date]:
        return (self.chat_id, self.local_date)

    def status(self, now: datetime, grace: timedelta = DEFAULT_GRACE) -> DueStatus:
        return _status(self.due_at, now, grace)


@dataclass(frozen=True)
class Schedule:
    """A subscriber's briefing settings: zone name (IANA or "UTC+05:45"), local time, ISO weekday digits."""

    timezone: str
    at: time
    days: str = EVERY_DAY

    def __post_init__(self) -> None:
        if self.at.tzinfo is not None:
            raise ValueError("the briefing time is a local wall-clock time: give it without tzinfo")
        object.__setattr__(self, "days", _check_days(self.days))
        zone(self.timezone)  # unknown zones fail here, not at push time

    @classmethod
    def of(cls, subscriber: SubscriberSchedule) -> Schedule:
        """The schedule of a store subscriber (or anything with timezone, briefing_time and days)."""
        return cls(subscriber.timezone, subscriber.briefing_time, subscriber.days)

    @property
    def tz(self) -> tzinfo:
        return zone(self.timezone)

    def is_briefing_day(self, local_date: date) -> bool:
        return str(local_date.isoweekday()) in self.days

    def due_on(self, local_date: date) -> datetime | None:
        """The UTC instant of this local date's briefing; None when it has none."""
        if not self.is_briefing_day(local_date):
            return None
        return _resolve(self.timezone, local_date, self.at)

    def local_date(self, instant: datetime) -> date:
        """The subscriber's calendar date at `instant`."""
        return _aware(instant).astimezone(self.tz).date()

    def briefing_date(self, due_at: datetime) -> date:
        """The local date whose briefing is due at `due_at`; ValueError when none is."""
        local = self.local_date(due_at)
        if self.due_on(local) != _aware(due_at).astimezone(UTC):
            raise ValueError(f"no briefing of {self} is due at {due_at.isoformat()}")
        return local

    def next_due(self, after: datetime, *, delivered: Container[date] = ()) -> Due:
        """The first briefing strictly after `after` whose local date is not in `delivered`."""
        after = _aware(after).astimezone(UTC)
        # A due instant's wall date is its local date, so none after `after` belongs to an earlier date.
        day = self.local_date(after)
        for _ in range(_SEARCH_DAYS):
            due_at = self.due_on(day)
            if due_at is not None and due_at > after and day not in delivered:
                return Due(due_at, day)
            day += timedelta(days=1)
        raise ValueError(f"no briefing of {self} within {_SEARCH_DAYS} days after {after.isoformat()}")

    def last_due(self, at_or_before: datetime) -> Due | None:
        """The latest briefing at or before the instant (None if there is none in the last year)."""
        at_or_before = _aware(at_or_before).astimezone(UTC)
        day = self.local_date(at_or_before)
        for _ in range(_SEARCH_DAYS):
            due_at = self.due_on(day)
            if due_at is not None and due_at <= at_or_before:
                return Due(due_at, day)
            day -= timedelta(days=1)
        return None

    def dues_between(self, start: datetime, end: datetime) -> Iterator[Due]:
        """The briefings with start <= due_at < end, in order."""
        start, end = _aware(start).astimezone(UTC), _aware(end).astimezone(UTC)
        if end <= start:
            return
        day, last = self.local_date(start), self.local_date(end)
        while day <= last:
            due_at = self.due_on(day)
            if due_at is not None and start <= due_at < end:
                yield Due(due_at, day)
            day += timedelta(days=1)

    def status(self, local_date: date, now: datetime, grace: timedelta = DEFAULT_GRACE) -> DueStatus:
        """Whether this local date's briefing goes out at `now`: not yet, due, or missed (>= `grace` late)."""
        due_at = self.due_on(local_date)
        if due_at is None:
            return DueStatus.NO_BRIEFING
        return _status(due_at, now, grace)

    def describe_next(self, now: datetime, *, delivered: Container[date] = ()) -> str:
        """ "tomorrow at 07:00 (Europe/Berlin)": the next briefing in the subscriber's words."""
        return describe_due(self.next_due(now, delivered=delivered).due_at, self.timezone, now)


def due_between(
    subscribers: Iterable[SubscriberSchedule],
    start: datetime,
    end: datetime,
    *,
    delivered: Container[tuple[int, date]] = (),
) -> list[DueBriefing]:
    """Every briefing with start <= due_at < end, by due time then chat; keys in `delivered` left out.

    Subscribers sharing a zone and a time share the work, so a run every minute over
    many thousands of chats resolves each (zone, time, date) once.
    """
    start, end = _aware(start).astimezone(UTC), _aware(end).astimezone(UTC)
    windows: dict[tuple[str, time], list[Due]] = {}
    found: list[DueBriefing] = []
    for subscriber in subscribers:
        group = (subscriber.timezone, subscriber.briefing_time)
        dues = windows.get(group)
        if dues is None:
            schedule = Schedule(subscriber.timezone, subscriber.briefing_time)
            dues = windows[group] = list(schedule.dues_between(start, end))
        for due in dues:
            key = (subscriber.chat_id, due.local_date)
            if str(due.local_date.isoweekday()) in subscriber.days and key not in delivered:
                found.append(DueBriefing(due.due_at, *key))
    found.sort()
    return found


def split_late(
    briefings: Iterable[DueBriefing], now: datetime, grace: timedelta = DEFAULT_GRACE
) -> tuple[list[DueBriefing], list[DueBriefing]]:
    """(to send now, too late to send): a briefing `grace` late or more is skipped; not-yet ones are dropped."""
    send: list[DueBriefing] = []
    late: list[DueBriefing] = []
    for briefing in briefings:
        status = briefing.status(now, grace)
        if status is DueStatus.DUE:
            send.append(briefing)
        elif status is DueStatus.MISSED:
            late.append(briefing)
    return send, late


def describe_due(due_at: datetime, timezone: str, now: datetime) -> str:
    """An instant in a subscriber's words: "today at 07:00 (Europe/Berlin)", "on Monday at 06:30 (UTC+05:45)"."""
    tz = zone(timezone)
    local = _aware(due_at).astimezone(tz)
    days = (local.date() - _aware(now).astimezone(tz).date()).days
    if days == 0:
        when = "today"
    elif days == 1:
        when = "tomorrow"
    elif 1 < days < 7:
        when = f"on {local.strftime('%A')}"
    else:
        when = f"on {local.strftime('%A')} {local.day} {local.strftime('%B')}"
        if local.year != _aware(now).astimezone(tz).year:
            when += f" {local.year}"
    return f"{when} at {local.strftime('%H:%M')} ({timezone})"


def parse_days(text: str) -> str:
    """ "daily", "weekdays", "weekends", "mon,wed,fri", "Mon-Fri" or ISO digits "135" -> the store's digits "135"."""
    words = " ".join(text.replace(",", " ").replace(";", " ").split()).casefold()
    if words in _PERIODS:
        return _PERIODS[words]
    if words.replace(" ", "").isdigit():
        return _check_days(words.replace(" ", ""))
    digits: list[str] = []
    for part in words.split():
        first, dash, last = part.partition("-")
        if dash:
            low, high = _day_number(first, text), _day_number(last, text)
            if low > high:
                raise ValueError(f"a day range runs Monday to Sunday, such as mon-fri; got {part!r}")
            digits += [str(n) for n in range(low, high + 1)]
        else:
            digits.append(str(_day_number(part, text)))
    return _check_days("".join(dict.fromkeys(digits)))


def parse_time(text: str) -> time | None:
    """'07:30', '7', '7.30', '7pm', '19h05' as a time of day, or None."""
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if hour > 12 or hour == 0:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute)


def describe_days(days: str) -> str:
    """The store's digits in words: "every day", "weekdays", "weekends", "Mon, Wed, Fri"."""
    days = _check_days(days)
    named = {EVERY_DAY: "every day", WEEKDAYS: "weekdays", WEEKEND: "weekends"}
    return named.get(days) or ", ".join(_DAY_NAMES[int(d) - 1][:3].title() for d in days)


def _day_number(word: str, text: str) -> int:
    number = _DAY_WORDS.get(word.strip("."))
    if number is None:
        raise ValueError(f"unknown day {word!r} in {text!r}: use daily, weekdays, or days such as mon,wed,fri")
    return int(number)


def _check_days(days: str) -> str:
    if not days or any(day not in EVERY_DAY for day in days) or len(set(days)) != len(days):
        raise ValueError(f"days must be ISO weekday digits 1-7 without repeats, such as {WEEKDAYS!r}; got {days!r}")
    return "".join(sorted(days))


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"an instant needs a time zone: {instant.isoformat()} has none")
    return instant


def _status(due_at: datetime, now: datetime, grace: timedelta) -> DueStatus:
    now = _aware(now)
    if now < due_at:
        return DueStatus.NOT_YET
    return DueStatus.DUE if now - due_at < grace else DueStatus.MISSED


@lru_cache(maxsize=65_536)
def _resolve(timezone: str, local_date: date, at: time) -> datetime | None:
    """The first instant the wall clock in `timezone` shows `local_date` at `at` or later; None if it never does."""
    tz = zone(timezone)
    wall = datetime.combine(local_date, at)
    if is_fixed_offset(timezone):
        return wall.replace(tzinfo=tz).astimezone(UTC)
    # fold=0 is the first occurrence of a time the clock shows twice.
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == wall:
        return first
    # In a gap: fold=1 reads the wall time with the offset after the jump (an instant before it),
    # fold=0 with the offset before (an instant after it). The jump is the first instant between
    # them whose offset is the later one; whole seconds, as in tzdata.
    low = int(wall.replace(tzinfo=tz, fold=1).timestamp())
    high = int(first.timestamp())
    before = datetime.fromtimestamp(low, tz).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == before:
            low = middle
        else:
            high = middle
    jump = datetime.fromtimestamp(high, UTC)
    return jump if jump.astimezone(tz).date() == local_date else None
