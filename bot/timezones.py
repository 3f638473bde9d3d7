"""Time zones as people type them (IANA names, cities, UTC offsets), and loading a stored zone name.

A stored zone name is either an IANA name ("Europe/Berlin") or a fixed offset written
"UTC+05:45"; `zone()` loads both, so code that reads a subscriber's zone calls it rather
than `ZoneInfo()`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from bot.wording import N_

MatchKind = Literal["name", "city", "offset", "unknown"]

# Areas whose zone names end in a place people live; the rest are legacy aliases (US/Eastern, Etc/GMT-3...).
_AREAS = ("Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian", "Antarctica", "Arctic")
# Not zone names (tzdata names one city per zone), but what people type for these zones.
_CITY_ALIASES = {
    "beijing": "Asia/Shanghai",
    "mumbai": "Asia/Kolkata",
    "bombay": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "washington": "America/New_York",
    "boston": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "montreal": "America/Toronto",
    "saint petersburg": "Europe/Moscow",
    "st petersburg": "Europe/Moscow",
    "rio de janeiro": "America/Sao_Paulo",
    "rio": "America/Sao_Paulo",
    "geneva": "Europe/Zurich",
    "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome",
    "kiev": "Europe/Kyiv",
    "abu dhabi": "Asia/Dubai",
    "osaka": "Asia/Tokyo",
    "melbourne": "Australia/Melbourne",
}
# Zones offered first when an offset or a typo needs a suggestion, roughly by how many people live there.
_PROMINENT = (
    "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Kyiv", "Europe/Moscow", "Europe/Istanbul",
    "Africa/Lagos", "Africa/Cairo", "Africa/Nairobi", "Africa/Johannesburg", "Asia/Tehran", "Asia/Dubai",
    "Asia/Kabul", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Yangon",
    "Asia/Bangkok", "Asia/Jakarta", "Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul",
    "Australia/Darwin", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney", "Pacific/Auckland",
    "Pacific/Chatham", "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver",
    "America/Chicago", "America/Mexico_City", "America/New_York", "America/Bogota", "America/Halifax",
    "America/St_Johns", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "Atlantic/Azores",
    "Atlantic/Cape_Verde", "UTC",
)
_OFFSET = re.compile(r"(?:utc|gmt|z)?\s*(?P<sign>[+\-\u2212])\s*(?P<hours>\d{1,2})(?:\s*:?\s*(?P<minutes>\d{2}))?")
_STORED_OFFSET = re.compile(r"UTC(?P<sign>[+-])(?P<hours>\d{2}):(?P<minutes>\d{2})")
_UTC_WORDS = frozenset({"utc", "gmt", "z", "zulu", "universal"})
# tzdata's legacy US names. EST, MST and HST are fixed offsets, though people who type "EST" mostly
# mean New York's clock (EST in winter, EDT in summer): stored as typed, with a warning and the city.
_LEGACY_FIXED: dict[str, tuple[tuple[str, ...], str]] = {
    "EST": (("America/New_York",), N_("For US Eastern time, which moves to EDT in summer, send /timezone America/New_York.")),
    "MST": (
        ("America/Denver", "America/Phoenix"),
        N_(
            "For US Mountain time, which moves to MDT in summer, send /timezone America/Denver "
            "(Arizona keeps MST all year: /timezone America/Phoenix)."
        ),
    ),
    "HST": (("Pacific/Honolulu",), N_("For Hawaii, send /timezone Pacific/Honolulu: it follows the islands' own clock.")),
}
# EST5EDT and friends follow the US daylight-saving rules: the same clock as the city, which is what is stored.
_LEGACY_RULES: dict[str, tuple[str, str]] = {
    "EST5EDT": ("America/New_York", N_("{name} is a legacy US rule for Eastern time; set to {city}, which keeps the same clock and daylight-saving changes.")),
    "CST6CDT": ("America/Chicago", N_("{name} is a legacy US rule for Central time; set to {city}, which keeps the same clock and daylight-saving changes.")),
    "MST7MDT": ("America/Denver", N_("{name} is a legacy US rule for Mountain time; set to {city}, which keeps the same clock and daylight-saving changes.")),
    "PST8PDT": ("America/Los_Angeles", N_("{name} is a legacy US rule for Pacific time; set to {city}, which keeps the same clock and daylight-saving changes.")),
}
# A note as a sequence of catalogue messages (English templates) with the values that fill them.
Wording = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


def _worded(*parts: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """`note` (in English) and `wording` (its messages, for translation) of a TimezoneMatch."""
    wording = tuple((template, tuple((key, str(value)) for key, value in values.items())) for template, values in parts)
    note = " ".join(template.format(**dict(values)) for template, values in wording)
    return {"note": note, "wording": wording}


@dataclass(frozen=True)
class TimezoneMatch:
    """What `/timezone <text>` understood: the zone to store (None when nothing matched), how, and what to say."""

    zone: str | None
    matched_by: MatchKind
    note: str = ""
    suggestions: tuple[str, ...] = field(default=())
    # The note as catalogue messages and their values, for a chat in another language.
    wording: Wording = field(default=(), compare=False)

    @property
    def fixed_offset(self) -> bool:
        """True for "UTC+03:00" (or "Etc/GMT-3", "EST"), which never changes for daylight-saving time."""
        return self.zone is not None and (is_fixed_offset(self.zone) or _is_etc_offset(self.zone) or self.zone in _LEGACY_FIXED)


def parse_timezone(text: str, *, now: datetime | None = None) -> TimezoneMatch:
    """Understand an IANA name, a city or a UTC offset; unknown input gets close suggestions.

    `now` picks which cities share a fixed offset today (daylight-saving time moves them).
    """
    typed = " ".join(text.split())
    if not typed:
        return TimezoneMatch(None, "unknown", **_worded((N_("Send a city (Berlin), a zone name (Europe/Berlin) or an offset (UTC+3)."), {})))
    key = _key(typed)
    if key in _UTC_WORDS:
        return TimezoneMatch("UTC", "name")
    now = now or datetime.now(UTC)
    names = _names()
    if key in names:
        name = names[key]
        if _is_etc_offset(name):
            # POSIX signs: Etc/GMT-3 is three hours ahead of UTC.
            return _offset_match(_zone(name).utcoffset(now) or timedelta(0), now, name=name, matched_by="name")
        if name in _LEGACY_FIXED or name in _LEGACY_RULES:
            return _legacy_match(name, now)
        return TimezoneMatch(name, "name")
    cities = _cities()
    if key in cities:
        return TimezoneMatch(cities[key], "city", **_worded((N_("{typed} is in the time zone {zone}."), {"typed": repr(typed), "zone": cities[key]})))
    offset = _parse_offset(typed)
    if offset is not None:
        return _offset_match(offset, now)
    if _OFFSET.fullmatch(typed.casefold()):
        return TimezoneMatch(
            None, "unknown", **_worded((N_("UTC offsets run from -12:00 to +14:00; {typed} is not one of them."), {"typed": repr(typed)}))
        )
    return _unknown(typed, key)


def zone(name: str) -> tzinfo:
    """The tzinfo of a stored zone name: an IANA name or "UTC+05:45"; ValueError for anything else."""
    return _zone(name)


def is_fixed_offset(name: str) -> bool:
    """True for a stored "UTC+05:45" name."""
    return _STORED_OFFSET.fullmatch(name) is not None


def offset_name(offset: timedelta) -> str:
    """The stored name of a fixed offset: "UTC+05:45", "UTC-04:00"; "UTC" for zero."""
    if not offset:
        return "UTC"
    minutes = int(abs(offset).total_seconds()) // 60
    sign = "+" if offset > timedelta(0) else "-"
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def city_of(name: str) -> str:
    """The place a zone is named after: "America/New_York" -> "New York"; fixed offsets as they are."""
    return name.rsplit("/", 1)[-1].replace("_", " ") if "/" in name else name


def _is_etc_offset(name: str) -> bool:
    return name.startswith("Etc/GMT") and name[7:].lstrip("+-0") != ""


@lru_cache(maxsize=1024)
def _zone(name: str) -> tzinfo:
    fixed = _STORED_OFFSET.fullmatch(name)
    if fixed is not None:
        offset = timedelta(hours=int(fixed["hours"]), minutes=int(fixed["minutes"]))
        offset = -offset if fixed["sign"] == "-" else offset
        if int(fixed["minutes"]) >= 60 or not timedelta(hours=-12) <= offset <= timedelta(hours=14):
            raise ValueError(f"no such UTC offset: {name!r}")
        return timezone(offset, name)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error


def _key(text: str) -> str:
    """Accents, case, underscores, hyphens and repeated spaces do not matter."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    plain = plain.replace("_", " ").replace("-", " ").replace(".", " ").casefold()
    return " ".join(plain.split()).replace(" / ", "/")


@cache
def _canonical() -> frozenset[str]:
    """Zones listed in tzdata's zone.tab: one per region, no backward-compatible links."""
    try:
        table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return frozenset()
    rows = (line.split("\t") for line in table.splitlines() if line and not line.startswith("#"))
    return frozenset(row[2] for row in rows if len(row) >= 3)


@cache
def _available() -> frozenset[str]:
    return frozenset(n for n in zoneinfo.available_timezones() if n not in ("localtime", "Factory"))


@cache
def _names() -> dict[str, str]:
    return {_key(name): name for name in _available()}


@cache
def _cities() -> dict[str, str]:
    canonical = _canonical()
    found: dict[str, str] = {}
    # Canonical zones first, then by area, so "Istanbul" is Europe/Istanbul and not Asia/Istanbul.
    ranked = sorted(
        (n for n in _available() if n.split("/", 1)[0] in _AREAS and "/" in n),
        key=lambda n: (n not in canonical, _AREAS.index(n.split("/", 1)[0]), n),
    )
    for name in ranked:
        found.setdefault(_key(name.rsplit("/", 1)[-1]), name)
    for alias, name in _CITY_ALIASES.items():
        found.setdefault(alias, name)
    return found


def _parse_offset(text: str) -> timedelta | None:
    match = _OFFSET.fullmatch(text.casefold())
    if match is None:
        return None
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    offset = timedelta(hours=hours, minutes=minutes)
    if match["sign"] in "-\u2212":
        offset = -offset
    if minutes >= 60 or not timedelta(hours=-12) <= offset <= timedelta(hours=14):
        return None
    return offset


def _offset_match(
    offset: timedelta, now: datetime, *, name: str | None = None, matched_by: MatchKind = "offset"
) -> TimezoneMatch:
    name = name or offset_name(offset)
    if name == "UTC":
        return TimezoneMatch("UTC", matched_by)
    sharing = _zones_at_offset(offset, now)
    fixed = name if name == offset_name(offset) else f"{name} ({offset_name(offset)})"
    fixed_note = (N_("{fixed} is a fixed offset: it does not follow daylight-saving time changes."), {"fixed": fixed})
    if sharing:
        advice = (N_("To follow your local clock, send your city instead, e.g. /timezone {city}."), {"city": city_of(sharing[0])})
    else:
        advice = (N_("To follow your local clock, send your city instead."), {})
    return TimezoneMatch(name, matched_by, suggestions=sharing, **_worded(fixed_note, advice))


def _legacy_match(name: str, now: datetime) -> TimezoneMatch:
    """EST, MST, HST: fixed offsets, warned about; EST5EDT and the like: their city, said so."""
    if name in _LEGACY_RULES:
        city, rule = _LEGACY_RULES[name]
        return TimezoneMatch(city, "name", suggestions=(city,), **_worded((rule, {"name": name, "city": city})))
    cities, advice = _LEGACY_FIXED[name]
    offset = offset_name(_zone(name).utcoffset(now) or timedelta(0))
    fixed_note = (N_("{fixed} is a fixed offset: it does not follow daylight-saving time changes."), {"fixed": f"{name} ({offset})"})
    return TimezoneMatch(name, "name", suggestions=cities, **_worded(fixed_note, (advice, {})))


def _zones_at_offset(offset: timedelta, now: datetime, limit: int = 3) -> tuple[str, ...]:
    def fits(name: str) -> bool:
        return now.astimezone(zoneinfo.ZoneInfo(name)).utcoffset() == offset

    prominent = [name for name in _PROMINENT if name != "UTC" and fits(name)]
    if len(prominent) < limit:
        prominent += [name for name in sorted(_canonical()) if name not in prominent and fits(name)]
    return tuple(prominent[:limit])


def _unknown(typed: str, key: str) -> TimezoneMatch:
    cities, names = _cities(), _names()
    candidates = {**{k: v for k, v in names.items() if "/" in v}, **cities}
    close = difflib.get_close_matches(key, list(candidates), n=6, cutoff=0.6)
    # Also compare against the city part of a typed "Area/City".
    if "/" in key:
        close += difflib.get_close_matches(key.rsplit("/", 1)[-1], list(cities), n=3, cutoff=0.6)
    suggestions = tuple(dict.fromkeys(candidates[match] for match in close))[:3]
    unknown = (N_("I don't know the time zone {typed}."), {"typed": repr(typed)})
    if suggestions:
        hint = (N_("Did you mean {options}?"), {"options": " or ".join(city_of(s) + f" ({s})" for s in suggestions)})
    else:
        hint = (N_("Send a city (Berlin), a zone name (Europe/Berlin) or an offset (UTC+3)."), {})
    return TimezoneMatch(None, "unknown", suggestions=suggestions, **_worded(unknown, hint))
