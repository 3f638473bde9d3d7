from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.timezones import TimezoneMatch, city_of, is_fixed_offset, offset_name, parse_timezone, zone

WINTER = datetime(2024, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2024, 7, 15, 12, 0, tzinfo=UTC)


def parsed(text: str, now: datetime = WINTER) -> TimezoneMatch:
    return parse_timezone(text, now=now)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  EUROPE/BERLIN ", "Europe/Berlin"),
        ("america/new york", "America/New_York"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Asia/Kathmandu", "Asia/Kathmandu"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
    ],
)
def test_iana_names_in_any_case(text: str, expected: str):
    assert parsed(text) == TimezoneMatch(expected, "name")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Berlin", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("New York", "America/New_York"),
        ("new_york", "America/New_York"),
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Kathmandu", "Asia/Kathmandu"),
        ("Lord Howe", "Australia/Lord_Howe"),
        ("port au prince", "America/Port-au-Prince"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Istanbul", "Europe/Istanbul"),
        ("Mumbai", "Asia/Kolkata"),
        ("Beijing", "Asia/Shanghai"),
    ],
)
def test_cities_accent_and_case_insensitive(text: str, expected: str):
    match = parsed(text)
    assert (match.zone, match.matched_by, match.fixed_offset) == (expected, "city", False)
    assert match.note == f"{' '.join(text.split())!r} is in the time zone {expected}."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UTC+3", "UTC+03:00"),
        ("utc +3", "UTC+03:00"),
        ("+05:45", "UTC+05:45"),
        ("+0545", "UTC+05:45"),
        ("GMT-4", "UTC-04:00"),
        ("-3", "UTC-03:00"),
        ("UTC\u22123:30", "UTC-03:30"),
        ("+14", "UTC+14:00"),
        ("-12:00", "UTC-12:00"),
    ],
)
def test_offsets_become_fixed_offset_zones(text: str, expected: str):
    match = parsed(text)
    assert (match.zone, match.matched_by, match.fixed_offset) == (expected, "offset", True)
    assert "is a fixed offset: it does not follow daylight-saving time changes." in match.note


def test_an_offset_suggests_the_cities_on_it_today():
    assert parsed("+05:45") == TimezoneMatch(
        "UTC+05:45",
        "offset",
        "UTC+05:45 is a fixed offset: it does not follow daylight-saving time changes. "
        "To follow your local clock, send your city instead, e.g. /timezone Kathmandu.",
        ("Asia/Kathmandu",),
    )
    # Berlin is on +01:00 in January and +02:00 in July.
    assert "Europe/Berlin" in parsed("UTC+1", WINTER).suggestions
    assert "Europe/Berlin" not in parsed("UTC+1", SUMMER).suggestions
    assert "Europe/Berlin" in parsed("UTC+2", SUMMER).suggestions


def test_zero_offset_is_utc():
    assert parsed("UTC+0") == TimezoneMatch("UTC", "offset")
    assert parsed("-00:00") == TimezoneMatch("UTC", "offset")


def test_etc_names_are_fixed_offsets_with_inverted_signs():
    match = parsed("Etc/GMT-3")
    assert (match.zone, match.matched_by, match.fixed_offset) == ("Etc/GMT-3", "name", True)
    assert match.note.startswith("Etc/GMT-3 (UTC+03:00) is a fixed offset")


@pytest.mark.parametrize("text", ["UTC+15", "-13", "+3:75"])
def test_offsets_out_of_range_are_refused(text: str):
    match = parsed(text)
    assert (match.zone, match.matched_by) == (None, "unknown")


def test_unknown_input_gets_close_suggestions():
    assert parsed("Berln") == TimezoneMatch(
        None,
        "unknown",
        "I don't know the time zone 'Berln'. Did you mean Berlin (Europe/Berlin) or Belem (America/Belem)?",
        ("Europe/Berlin", "America/Belem"),
    )
    assert parsed("America/New_Yrok").suggestions[0] == "America/New_York"
    assert parsed("Katmandu").zone == "Asia/Katmandu"  # tzdata keeps the old spelling as a link
    assert parsed("Kathmandoo").suggestions[0] == "Asia/Kathmandu"


def test_nothing_close_says_what_to_send():
    assert parsed("nowhere at all") == TimezoneMatch(
        None,
        "unknown",
        "I don't know the time zone 'nowhere at all'. "
        "Send a city (Berlin), a zone name (Europe/Berlin) or an offset (UTC+3).",
    )
    assert parsed("   ").zone is None


def test_stored_names_load():
    assert zone("Europe/Berlin") == ZoneInfo("Europe/Berlin")
    kathmandu = zone("UTC+05:45")
    assert kathmandu.utcoffset(None) == timedelta(hours=5, minutes=45)
    assert zone("UTC-03:30").utcoffset(None) == -timedelta(hours=3, minutes=30)
    assert datetime(2024, 1, 1, tzinfo=kathmandu).tzname() == "UTC+05:45"


@pytest.mark.parametrize("name", ["Mars/Olympus", "UTC+15:00", "UTC+3", "", "../etc/passwd"])
def test_unknown_stored_names_are_value_errors(name: str):
    with pytest.raises(ValueError):
        zone(name)


def test_every_match_loads():
    for text in ["Berlin", "+05:45", "europe/berlin", "Etc/GMT-3", "GMT-4", "Mumbai", "utc"]:
        match = parsed(text)
        assert match.zone is not None
        zone(match.zone)


def test_names_and_cities():
    assert offset_name(timedelta(hours=5, minutes=45)) == "UTC+05:45"
    assert offset_name(-timedelta(hours=4)) == "UTC-04:00"
    assert offset_name(timedelta(0)) == "UTC"
    assert is_fixed_offset("UTC+05:45") and not is_fixed_offset("Asia/Kathmandu")
    assert city_of("America/New_York") == "New York"
    assert city_of("America/Argentina/Buenos_Aires") == "Buenos Aires"
    assert city_of("UTC+03:00") == "UTC+03:00"


def test_legacy_fixed_zones_warn_and_name_the_city_people_mean():
    assert parsed("EST") == TimezoneMatch(
        "EST",
        "name",
        "EST (UTC-05:00) is a fixed offset: it does not follow daylight-saving time changes. "
        "For US Eastern time, which moves to EDT in summer, send /timezone America/New_York.",
        ("America/New_York",),
    )
    mountain = parsed("mst", SUMMER)
    assert (mountain.zone, mountain.fixed_offset, mountain.suggestions) == ("MST", True, ("America/Denver", "America/Phoenix"))
    assert mountain.note.startswith("MST (UTC-07:00) is a fixed offset: it does not follow daylight-saving time changes.")
    hawaii = parsed("HST")
    assert (hawaii.zone, hawaii.fixed_offset, hawaii.suggestions) == ("HST", True, ("Pacific/Honolulu",))
    assert parsed("Etc/GMT+5").note.startswith("Etc/GMT+5 (UTC-05:00) is a fixed offset: it does not follow daylight-saving")


def test_legacy_us_rules_become_their_city_and_say_so():
    assert parsed("EST5EDT") == TimezoneMatch(
        "America/New_York",
        "name",
        "EST5EDT is a legacy US rule for Eastern time; set to America/New_York, "
        "which keeps the same clock and daylight-saving changes.",
        ("America/New_York",),
    )
    assert [parsed(name).zone for name in ("cst6cdt", "MST7MDT", "PST8PDT")] == ["America/Chicago", "America/Denver", "America/Los_Angeles"]
    assert not parsed("PST8PDT").fixed_offset
