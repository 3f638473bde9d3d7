from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.schedule import (
    EVERY_DAY,
    WEEKDAYS,
    Due,
    DueBriefing,
    DueStatus,
    Schedule,
    describe_days,
    describe_due,
    due_between,
    parse_days,
    split_late,
)
from bot.timezones import zone


@dataclass(frozen=True)
class Reader:
    """A subscriber as the store hands it over, reduced to what scheduling reads."""

    chat_id: int
    timezone: str = "Europe/Berlin"
    briefing_time: time = time(7, 0)
    days: str = EVERY_DAY


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(timezone: str, *args: int, fold: int = 0) -> datetime:
    """A wall-clock time in a zone, as an aware datetime."""
    return datetime(*args, tzinfo=zone(timezone), fold=fold)


def wall(instant: datetime, timezone: str) -> str:
    return instant.astimezone(zone(timezone)).strftime("%Y-%m-%d %H:%M %z")


# ---- one day, one instant ----------------------------------------------------------------------


def test_an_ordinary_day_is_the_briefing_time():
    schedule = Schedule("Europe/Berlin", time(7, 0))
    assert schedule.due_on(date(2024, 6, 10)) == utc(2024, 6, 10, 5, 0)
    assert schedule.due_on(date(2024, 1, 10)) == utc(2024, 1, 10, 6, 0)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (time(1, 59), "2024-03-31 01:59 +0100"),
        (time(2, 0), "2024-03-31 03:00 +0200"),  # 02:00-02:59 does not exist that night
        (time(2, 30), "2024-03-31 03:00 +0200"),
        (time(2, 59), "2024-03-31 03:00 +0200"),
        (time(3, 0), "2024-03-31 03:00 +0200"),
        (time(3, 1), "2024-03-31 03:01 +0200"),
    ],
)
def test_berlin_spring_forward_sends_a_swallowed_time_at_the_end_of_the_gap(at: time, expected: str):
    due = Schedule("Europe/Berlin", at).due_on(date(2024, 3, 31))
    assert due is not None and wall(due, "Europe/Berlin") == expected


def test_berlin_fall_back_sends_a_repeated_time_once_at_its_first_occurrence():
    schedule = Schedule("Europe/Berlin", time(2, 30))
    first = local("Europe/Berlin", 2024, 10, 27, 2, 30, fold=0).astimezone(UTC)
    assert schedule.due_on(date(2024, 10, 27)) == first == utc(2024, 10, 27, 0, 30)
    whole_day = list(schedule.dues_between(local("Europe/Berlin", 2024, 10, 27), local("Europe/Berlin", 2024, 10, 28)))
    assert whole_day == [Due(utc(2024, 10, 27, 0, 30), date(2024, 10, 27))]


def test_new_york_fall_back_01_30_once():
    schedule = Schedule("America/New_York", time(1, 30))
    assert schedule.due_on(date(2024, 11, 3)) == utc(2024, 11, 3, 5, 30)  # 01:30 EDT, not 01:30 EST
    assert [due.due_at for due in schedule.dues_between(utc(2024, 11, 2), utc(2024, 11, 5))] == [
        utc(2024, 11, 2, 5, 30),
        utc(2024, 11, 3, 5, 30),
        utc(2024, 11, 4, 6, 30),
    ]


def test_new_york_spring_forward_02_30_once_at_03_00():
    schedule = Schedule("America/New_York", time(2, 30))
    due = schedule.due_on(date(2024, 3, 10))
    assert due == utc(2024, 3, 10, 7, 0) and wall(due, "America/New_York") == "2024-03-10 03:00 -0400"
    assert len(list(schedule.dues_between(utc(2024, 3, 10), utc(2024, 3, 11)))) == 1


def test_lord_howe_half_hour_shifts():
    # +10:30 in winter, +11:00 in summer; the clock moves 30 minutes at 02:00.
    forward = Schedule("Australia/Lord_Howe", time(2, 15)).due_on(date(2024, 10, 6))
    assert forward is not None and wall(forward, "Australia/Lord_Howe") == "2024-10-06 02:30 +1100"
    back = Schedule("Australia/Lord_Howe", time(1, 45)).due_on(date(2024, 4, 7))
    assert back == utc(2024, 4, 6, 14, 45) and wall(back, "Australia/Lord_Howe") == "2024-04-07 01:45 +1100"
    after_back = Schedule("Australia/Lord_Howe", time(1, 45)).due_on(date(2024, 4, 8))
    assert after_back == utc(2024, 4, 7, 15, 15)


def test_kathmandu_quarter_hour_offset():
    schedule = Schedule("Asia/Kathmandu", time(7, 0))
    assert schedule.due_on(date(2024, 6, 10)) == utc(2024, 6, 10, 1, 15)
    # Nepal moved from +05:30 to +05:45 at midnight on 1 January 1986: 00:00-00:14 never happened.
    jumped = Schedule("Asia/Kathmandu", time(0, 10)).due_on(date(1986, 1, 1))
    assert jumped is not None and wall(jumped, "Asia/Kathmandu") == "1986-01-01 00:15 +0545"


def test_a_date_the_clock_skipped_has_no_briefing():
    # Samoa crossed the date line: 29 December 2011 was followed by 31 December.
    schedule = Schedule("Pacific/Apia", time(7, 0))
    assert schedule.due_on(date(2011, 12, 30)) is None
    assert schedule.next_due(utc(2011, 12, 29, 17, 0)) == Due(utc(2011, 12, 30, 17, 0), date(2011, 12, 31))
    assert schedule.status(date(2011, 12, 30), utc(2011, 12, 31)) is DueStatus.NO_BRIEFING


def test_fixed_offset_zones():
    schedule = Schedule("UTC+05:45", time(7, 0))
    assert schedule.due_on(date(2024, 6, 10)) == utc(2024, 6, 10, 1, 15)
    assert Schedule("UTC-03:00", time(23, 30)).due_on(date(2024, 6, 10)) == utc(2024, 6, 11, 2, 30)


def test_a_schedule_refuses_what_it_cannot_keep():
    with pytest.raises(ValueError, match="unknown time zone"):
        Schedule("Mars/Olympus", time(7, 0))
    with pytest.raises(ValueError, match="without tzinfo"):
        Schedule("UTC", time(7, 0, tzinfo=UTC))
    with pytest.raises(ValueError, match="ISO weekday digits"):
        Schedule("UTC", time(7, 0), "8")
    with pytest.raises(ValueError, match="needs a time zone"):
        Schedule("UTC", time(7, 0)).next_due(datetime(2024, 1, 1))


# ---- days --------------------------------------------------------------------------------------


def test_weekdays_skip_the_weekend_daily_does_not():
    friday_briefing = utc(2024, 6, 14, 5, 0)  # Friday 07:00 Berlin
    assert Schedule("Europe/Berlin", time(7, 0), WEEKDAYS).next_due(friday_briefing) == Due(
        utc(2024, 6, 17, 5, 0), date(2024, 6, 17)
    )
    assert Schedule("Europe/Berlin", time(7, 0), EVERY_DAY).next_due(friday_briefing) == Due(
        utc(2024, 6, 15, 5, 0), date(2024, 6, 15)
    )
    assert Schedule("Europe/Berlin", time(7, 0), WEEKDAYS).due_on(date(2024, 6, 15)) is None


def test_the_weekday_is_the_subscribers_not_utcs():
    # 07:00 on Monday in Kiritimati (+14) is still Sunday in UTC.
    schedule = Schedule("Pacific/Kiritimati", time(7, 0), WEEKDAYS)
    assert schedule.next_due(utc(2024, 6, 14, 12, 0)) == Due(utc(2024, 6, 16, 17, 0), date(2024, 6, 17))


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("daily", "1234567"),
        ("Every day", "1234567"),
        ("weekdays", "12345"),
        ("weekends", "67"),
        ("mon,wed,fri", "135"),
        ("Fri, Mon", "15"),
        ("Monday Wednesday", "13"),
        ("mon-fri", "12345"),
        ("tue-thu,sun", "2347"),
        ("135", "135"),
        ("sat sun", "67"),
        ("mon, Mon.", "1"),
    ],
)
def test_days_in_words(text: str, digits: str):
    assert parse_days(text) == digits


@pytest.mark.parametrize("text", ["funday", "", "fri-mon", "11", "8", "mon,8"])
def test_days_that_are_not_days(text: str):
    with pytest.raises(ValueError):
        parse_days(text)


def test_days_described_and_stored_alike():
    from bot.store.subscribers import EVERY_DAY as STORE_EVERY_DAY
    from bot.store.subscribers import WEEKDAYS as STORE_WEEKDAYS

    assert (EVERY_DAY, WEEKDAYS) == (STORE_EVERY_DAY, STORE_WEEKDAYS)
    assert [describe_days(d) for d in ("1234567", "12345", "67", "135", "7")] == [
        "every day",
        "weekdays",
        "weekends",
        "Mon, Wed, Fri",
        "Sun",
    ]


# ---- due now, catching up --------------------------------------------------------------------------


def test_grace_boundaries():
    schedule = Schedule("Europe/Berlin", time(7, 0))
    day = date(2024, 6, 10)  # due 05:00 UTC
    assert schedule.status(day, utc(2024, 6, 10, 4, 59, 59)) is DueStatus.NOT_YET
    assert schedule.status(day, utc(2024, 6, 10, 5, 0)) is DueStatus.DUE
    assert schedule.status(day, utc(2024, 6, 10, 7, 59, 59)) is DueStatus.DUE
    assert schedule.status(day, utc(2024, 6, 10, 8, 0)) is DueStatus.MISSED
    assert schedule.status(day, utc(2024, 6, 10, 5, 30), grace=timedelta(minutes=30)) is DueStatus.MISSED
    assert schedule.status(date(2024, 6, 15), utc(2024, 6, 15, 6, 0)) is DueStatus.DUE
    assert Schedule("Europe/Berlin", time(7, 0), WEEKDAYS).status(date(2024, 6, 15), utc(2024, 6, 15, 6)) is (
        DueStatus.NO_BRIEFING
    )


def test_catching_up_after_downtime_sends_what_is_less_than_grace_late():
    readers = [
        Reader(1, "Europe/Berlin", time(7, 0)),  # 05:00 UTC
        Reader(2, "Europe/London", time(7, 0)),  # 06:00 UTC
        Reader(3, "Asia/Kathmandu", time(7, 0)),  # 01:15 UTC
        Reader(4, "America/New_York", time(7, 0)),  # 11:00 UTC, not yet
    ]
    down_since, back = utc(2024, 6, 10, 0, 0), utc(2024, 6, 10, 8, 30)
    send, late = split_late(due_between(readers, down_since, back), back)
    assert send == [DueBriefing(utc(2024, 6, 10, 6, 0), 2, date(2024, 6, 10))]
    assert late == [
        DueBriefing(utc(2024, 6, 10, 1, 15), 3, date(2024, 6, 10)),
        DueBriefing(utc(2024, 6, 10, 5, 0), 1, date(2024, 6, 10)),
    ]


# ---- many subscribers, every minute -----------------------------------------------------------------


def test_due_between_many_subscribers_in_due_order():
    readers = [
        Reader(10, "America/New_York", time(7, 0)),
        Reader(11, "Europe/Berlin", time(7, 0), WEEKDAYS),
        Reader(12, "Europe/Berlin", time(7, 0)),
        Reader(13, "Asia/Kathmandu", time(6, 45)),
        Reader(14, "Australia/Lord_Howe", time(7, 0)),
    ]
    saturday = due_between(readers, utc(2024, 6, 14, 12, 0), utc(2024, 6, 15, 12, 0))
    assert saturday == [
        DueBriefing(utc(2024, 6, 14, 20, 30), 14, date(2024, 6, 15)),
        DueBriefing(utc(2024, 6, 15, 1, 0), 13, date(2024, 6, 15)),
        DueBriefing(utc(2024, 6, 15, 5, 0), 12, date(2024, 6, 15)),
        DueBriefing(utc(2024, 6, 15, 11, 0), 10, date(2024, 6, 15)),
    ]
    assert [b.key for b in saturday][:1] == [(14, date(2024, 6, 15))]


def test_minute_windows_over_dst_nights_give_each_briefing_once():
    times = [time(1, 59), time(2, 0), time(2, 30), time(2, 59), time(3, 0), time(3, 30)]
    readers = [Reader(index, "Europe/Berlin", at) for index, at in enumerate(times)]
    for night in (utc(2024, 3, 30, 22, 0), utc(2024, 10, 26, 22, 0)):  # spring forward, fall back
        seen: list[DueBriefing] = []
        for minute in range(6 * 60):
            start = night + timedelta(minutes=minute)
            seen += due_between(readers, start, start + timedelta(minutes=1))
        assert sorted(b.chat_id for b in seen) == list(range(len(times)))
        assert seen == sorted(seen)  # earlier times never go out after later ones
        assert seen == due_between(readers, night, night + timedelta(hours=6))


def test_ten_thousand_subscribers_in_one_window():
    zones = ["Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "UTC+05:45"]
    readers = [Reader(n, zones[n % 5], time(6 + n % 3, 0), EVERY_DAY if n % 2 else WEEKDAYS) for n in range(10_000)]
    found = due_between(readers, utc(2024, 6, 10, 0, 0), utc(2024, 6, 11, 0, 0))
    assert len(found) == len({b.key for b in found}) == 10_000
    # Lord Howe (+10:30) is a day ahead: its morning in this UTC day is Tuesday's.
    assert {b.local_date for b in found if b.chat_id % 5 == 3} == {date(2024, 6, 11)}
    assert {b.local_date for b in found if b.chat_id % 5 != 3} == {date(2024, 6, 10)}


# ---- changing time or zone today ---------------------------------------------------------------------


def test_a_later_time_today_after_todays_briefing_waits_for_tomorrow():
    monday = date(2024, 6, 10)
    delivered_at_7 = utc(2024, 6, 10, 5, 0)
    now = utc(2024, 6, 10, 6, 0)  # 08:00 in Berlin; the reader now wants 09:00
    nine = Schedule("Europe/Berlin", time(9, 0))
    reader = Reader(1, "Europe/Berlin", time(9, 0))
    # Without the delivery log, 09:00 today looks due, under the same key as this morning's briefing:
    [again] = due_between([reader], now, utc(2024, 6, 10, 8, 0))
    assert again.key == (1, monday) and Schedule("Europe/Berlin", time(7, 0)).briefing_date(delivered_at_7) == monday
    # With it, nothing today, and the next push is tomorrow.
    assert due_between([reader], now, utc(2024, 6, 10, 8, 0), delivered={(1, monday)}) == []
    assert nine.next_due(now, delivered={monday}) == Due(utc(2024, 6, 11, 7, 0), date(2024, 6, 11))
    assert nine.describe_next(now, delivered={monday}) == "tomorrow at 09:00 (Europe/Berlin)"
    assert nine.describe_next(now) == "today at 09:00 (Europe/Berlin)"


def test_moving_west_the_same_local_day_is_not_sent_twice():
    monday = date(2024, 6, 10)
    now = utc(2024, 6, 10, 6, 0)  # 08:00 Berlin, 02:00 New York: still Monday there
    new_york = Schedule("America/New_York", time(7, 0))
    assert new_york.local_date(now) == monday
    assert new_york.next_due(now, delivered={monday}) == Due(utc(2024, 6, 11, 11, 0), date(2024, 6, 11))
    assert new_york.describe_next(now, delivered={monday}) == "tomorrow at 07:00 (America/New_York)"


def test_moving_east_into_a_new_local_day_gets_that_days_briefing():
    now = utc(2024, 6, 10, 18, 0)  # 20:00 Monday in Berlin, 03:00 Tuesday in Tokyo
    tokyo = Schedule("Asia/Tokyo", time(7, 0))
    assert tokyo.next_due(now, delivered={date(2024, 6, 10)}) == Due(utc(2024, 6, 10, 22, 0), date(2024, 6, 11))
    assert tokyo.describe_next(now) == "today at 07:00 (Asia/Tokyo)"


def test_an_earlier_time_already_past_today_is_tomorrow():
    now = utc(2024, 6, 10, 6, 0)  # 08:00 Berlin, nothing sent yet today, the reader picks 07:30
    assert Schedule("Europe/Berlin", time(7, 30)).describe_next(now) == "tomorrow at 07:30 (Europe/Berlin)"


# ---- instants and local dates, text ------------------------------------------------------------------


def test_briefing_date_of_a_due_instant():
    schedule = Schedule("Europe/Berlin", time(2, 30))
    assert schedule.briefing_date(utc(2024, 3, 31, 1, 0)) == date(2024, 3, 31)
    assert schedule.briefing_date(local("Europe/Berlin", 2024, 10, 27, 2, 30)) == date(2024, 10, 27)
    with pytest.raises(ValueError, match="no briefing"):
        schedule.briefing_date(local("Europe/Berlin", 2024, 10, 27, 2, 30, fold=1))  # the second 02:30
    assert Schedule("Asia/Tokyo", time(7, 0)).briefing_date(utc(2024, 6, 10, 22, 0)) == date(2024, 6, 11)


def test_last_and_next_due():
    schedule = Schedule("America/New_York", time(7, 0), WEEKDAYS)
    saturday_noon = utc(2024, 6, 15, 16, 0)
    assert schedule.last_due(saturday_noon) == Due(utc(2024, 6, 14, 11, 0), date(2024, 6, 14))
    assert schedule.next_due(saturday_noon) == Due(utc(2024, 6, 17, 11, 0), date(2024, 6, 17))
    assert schedule.next_due(utc(2024, 6, 17, 11, 0)) == Due(utc(2024, 6, 18, 11, 0), date(2024, 6, 18))  # strictly after
    assert schedule.last_due(utc(2024, 6, 17, 11, 0)) == Due(utc(2024, 6, 17, 11, 0), date(2024, 6, 17))


def test_describe_due_in_the_subscribers_words():
    now = utc(2024, 6, 10, 12, 0)  # Monday
    assert describe_due(utc(2024, 6, 10, 15, 0), "Europe/Berlin", now) == "today at 17:00 (Europe/Berlin)"
    assert describe_due(utc(2024, 6, 11, 5, 0), "Europe/Berlin", now) == "tomorrow at 07:00 (Europe/Berlin)"
    assert describe_due(utc(2024, 6, 14, 5, 0), "Europe/Berlin", now) == "on Friday at 07:00 (Europe/Berlin)"
    assert describe_due(utc(2024, 6, 20, 5, 0), "Europe/Berlin", now) == "on Thursday 20 June at 07:00 (Europe/Berlin)"
    assert describe_due(utc(2025, 1, 2, 6, 0), "Europe/Berlin", now) == "on Thursday 2 January 2025 at 07:00 (Europe/Berlin)"
    assert describe_due(utc(2024, 6, 11, 1, 15), "UTC+05:45", now) == "tomorrow at 07:00 (UTC+05:45)"
    # 23:00 on Monday in New York is already Tuesday in Berlin: "today" is the subscriber's today.
    assert describe_due(utc(2024, 6, 11, 3, 0), "America/New_York", now) == "today at 23:00 (America/New_York)"


def test_the_next_push_on_a_spring_forward_morning_shows_the_real_clock():
    schedule = Schedule("Europe/Berlin", time(2, 30))
    assert schedule.describe_next(utc(2024, 3, 30, 12, 0)) == "tomorrow at 03:00 (Europe/Berlin)"


def test_a_store_subscriber_is_a_schedule():
    assert Schedule.of(Reader(1, "Asia/Kathmandu", time(6, 45), "135")) == Schedule("Asia/Kathmandu", time(6, 45), "135")


# ---- any zone, any time ---------------------------------------------------------------------------------

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "Pacific/Chatham",
    "America/St_Johns",
    "Antarctica/Troll",
    "Europe/Dublin",
    "Africa/Casablanca",
    "America/Sao_Paulo",
    "UTC",
    "UTC+05:45",
]


@settings(max_examples=300, deadline=None)
@given(
    timezone=st.sampled_from(ZONES),
    at=st.builds(time, st.integers(0, 23), st.integers(0, 59)),
    days=st.sets(st.sampled_from("1234567"), min_size=1).map(lambda s: "".join(sorted(s))),
    start=st.datetimes(datetime(1970, 1, 2), datetime(2037, 12, 1), timezones=st.just(UTC)),
)
def test_consecutive_briefings_fall_on_consecutive_due_dates_one_each(timezone: str, at: time, days: str, start: datetime):
    schedule = Schedule(timezone, at, days)
    tz = zone(timezone)
    chain = [schedule.next_due(start)]
    for _ in range(9):
        chain.append(schedule.next_due(chain[-1].due_at))
    for due in chain:
        shown = due.due_at.astimezone(tz)
        target = datetime.combine(due.local_date, at)
        assert shown.date() == due.local_date  # the wall date is the date it belongs to
        assert shown.replace(tzinfo=None) >= target  # never before the briefing time
        assert (due.due_at - timedelta(seconds=1)).astimezone(tz).replace(tzinfo=None) < target  # the first such instant
        assert schedule.briefing_date(due.due_at) == due.local_date
    for earlier, later in zip(chain, chain[1:]):
        assert earlier.due_at < later.due_at and earlier.local_date < later.local_date
        skipped = [earlier.local_date + timedelta(days=n) for n in range(1, (later.local_date - earlier.local_date).days)]
        assert [day for day in skipped if schedule.due_on(day) is not None] == []
    assert list(schedule.dues_between(chain[0].due_at, chain[-1].due_at + timedelta(microseconds=1))) == chain
