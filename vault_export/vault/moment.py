"""Dates written the way moment.js writes them, in its default English locale.

Obsidian names daily notes with a moment.js format (`YYYY-MM-DD` unless the person changes it)
and fills `{{date:FORMAT}}` in templates with one. Rather than translating the format into
strftime, which has no counterpart for half of the tokens, the format is read as moment reads it:
first the localized tokens (`L`, `LL`, `LT`, ...) are expanded, then the format is split into
tokens with moment's own pattern, and each token becomes its value. Text in `[brackets]` and a
token after a backslash stay as they are; every other character is itself.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time, tzinfo
from functools import lru_cache
from typing import Callable

DEFAULT_FORMAT = "YYYY-MM-DD"  # Obsidian's, for daily notes
MOMENT_DEFAULT = "YYYY-MM-DDTHH:mm:ssZ"  # what moment writes for an empty format

# moment's own patterns (src/lib/format/format.js). JavaScript's '.' matches no line terminator;
# a character nothing matches is left out of the output, as moment leaves it out.
_ANY = r"[^\n\r\u2028\u2029]"
TOKENS = re.compile(r"(\[[^\[]*\])|(\\)?([Hh]mm(ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?"
                    r"|Qo?|N{1,5}|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|gg(ggg?)?|GG(GGG?)?|e|E|a|A|hh?|HH?|kk?"
                    r"|mm?|ss?|S{1,9}|x|X|zz?|ZZ?|" + _ANY + ")")
LOCALIZED = re.compile(r"(\[[^\[]*\])|(\\)?(LTS|LT|LL?L?L?|l{1,4})")
LONG_FORMATS = {"LTS": "h:mm:ss A", "LT": "h:mm A", "L": "MM/DD/YYYY", "LL": "MMMM D, YYYY",
                "LLL": "MMMM D, YYYY h:mm A", "LLLL": "dddd, MMMM D, YYYY h:mm A",
                # the lower-case forms shorten the month and weekday names and drop leading zeros
                "l": "M/D/YYYY", "ll": "MMM D, YYYY", "lll": "MMM D, YYYY h:mm A",
                "llll": "ddd, MMM D, YYYY h:mm A"}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")  # moment's day(): 0 = Sunday
LOCALE_WEEK = (0, 6)  # English weeks: they start on Sunday, and the week holding January 1st is the first
ISO_WEEK = (1, 4)  # ISO 8601: Monday, and the week holding January 4th


def format_moment(moment: datetime, format: str) -> str:
    """What moment(moment).format(format) gives in the English locale; a naive time is the system's
    local time."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return "".join(part if isinstance(part, str) else part(moment) for part in _compiled(format or MOMENT_DEFAULT))


def local_moment(day: date, zone: tzinfo | None, clock: time = time()) -> datetime:
    """The day at that time of day (midnight unless given) in the zone; None is the system's."""
    moment = datetime.combine(day, clock)
    return moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()


@lru_cache(maxsize=64)
def _compiled(format: str) -> tuple[str | Callable[[datetime], str], ...]:
    parts = []
    for match in TOKENS.finditer(_expanded(format)):
        token = match.group(0)
        parts.append(FORMATTERS.get(token) or _literal(token))
    return tuple(parts)


def _expanded(format: str) -> str:
    """The localized tokens replaced by what they stand for, at most six rounds as moment does."""
    for _ in range(6):
        if not LOCALIZED.search(format):
            break
        format = LOCALIZED.sub(lambda match: LONG_FORMATS.get(match.group(0), match.group(0)), format)
    return format


def _literal(token: str) -> str:
    """A bracketed text without its brackets; otherwise the token without its backslashes."""
    if re.search(r"\[[\s\S]", token):
        return re.sub(r"^\[|\]$", "", token)
    return token.replace("\\", "")


def zero_fill(number: int, width: int, force_sign: bool = False) -> str:
    sign = ("+" if force_sign else "") if number >= 0 else "-"
    return sign + str(abs(number)).zfill(width)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st: English ordinals as moment writes them."""
    last = number % 10
    suffix = "th" if (number % 100) // 10 == 1 else {1: "st", 2: "nd", 3: "rd"}.get(last, "th")
    return f"{number}{suffix}"


# --------------------------------------------------------------------------- calendar values

def _weekday(moment: datetime) -> int:
    return moment.isoweekday() % 7


def _day_of_year(moment: datetime) -> int:
    return moment.timetuple().tm_yday


def _days_before_year(year: int) -> int:
    """Days from 1 January of year 1 to 1 January of this year (also past 9999)."""
    before = year - 1
    return before * 365 + before // 4 - before // 100 + before // 400


def _first_week_offset(year: int, dow: int, doy: int) -> int:
    """moment's firstWeekOffset: how many days before 1 January the year's first week starts, negated."""
    anchor = 7 + dow - doy  # the day of January that is always in the first week
    anchor_weekday = (_days_before_year(year) + anchor) % 7  # 0 = Sunday: day 1 of year 1 was a Monday
    return -((7 + anchor_weekday - dow) % 7) + anchor - 1


def _weeks_in_year(year: int, dow: int, doy: int) -> int:
    days = _days_before_year(year + 1) - _days_before_year(year)
    return (days - _first_week_offset(year, dow, doy) + _first_week_offset(year + 1, dow, doy)) // 7


def _week_and_year(moment: datetime, week_rule: tuple[int, int]) -> tuple[int, int]:
    """The week of the week-based year and that year (moment's weekOfYear)."""
    year = moment.year
    week = (_day_of_year(moment) - _first_week_offset(year, *week_rule) - 1) // 7 + 1
    if week < 1:
        return week + _weeks_in_year(year - 1, *week_rule), year - 1
    if week > _weeks_in_year(year, *week_rule):
        return week - _weeks_in_year(year, *week_rule), year + 1
    return week, year


def _utc_offset(moment: datetime) -> int:
    """Minutes east of UTC, cut toward zero as JavaScript's Date cuts an offset with seconds."""
    return math.trunc(moment.utcoffset().total_seconds() / 60)


def _zone(separator: str) -> Callable[[datetime], str]:
    def offset(moment: datetime) -> str:
        minutes = _utc_offset(moment)
        sign = "-" if minutes < 0 else "+"
        hours, minutes = divmod(abs(minutes), 60)
        return f"{sign}{hours:02d}{separator}{minutes:02d}"
    return offset


def _milliseconds(moment: datetime) -> int:
    return moment.microsecond // 1000


def _unix_milliseconds(moment: datetime) -> int:
    return math.floor(moment.timestamp()) * 1000 + _milliseconds(moment)


def _twelve_hour(moment: datetime) -> int:
    return moment.hour % 12 or 12


# The numbers tokens write, by moment's name for them; a token writes one as it is, zero-padded, or
# as an ordinal (moment's addFormatToken).
VALUES: dict[str, Callable[[datetime], int]] = {
    "month": lambda m: m.month, "quarter": lambda m: (m.month + 2) // 3, "date": lambda m: m.day,
    "dayOfYear": _day_of_year, "day": _weekday, "weekday": lambda m: (_weekday(m) - LOCALE_WEEK[0]) % 7,
    "isoWeekday": lambda m: m.isoweekday(), "week": lambda m: _week_and_year(m, LOCALE_WEEK)[0],
    "isoWeek": lambda m: _week_and_year(m, ISO_WEEK)[0], "year": lambda m: m.year,
    "weekYear": lambda m: _week_and_year(m, LOCALE_WEEK)[1], "isoWeekYear": lambda m: _week_and_year(m, ISO_WEEK)[1],
    "eraYear": lambda m: m.year,  # every year a Python date holds is AD
    "hour": lambda m: m.hour, "h": _twelve_hour, "k": lambda m: m.hour or 24, "minute": lambda m: m.minute,
    "second": lambda m: m.second,
}
PLAIN = {"M": "month", "Q": "quarter", "D": "date", "DDD": "dayOfYear", "d": "day", "e": "weekday",
         "E": "isoWeekday", "w": "week", "W": "isoWeek", "y": "eraYear", "H": "hour", "h": "h", "k": "k",
         "m": "minute", "s": "second"}
PADDED = {"MM": ("month", 2), "DD": ("date", 2), "DDDD": ("dayOfYear", 3), "ww": ("week", 2),
          "WW": ("isoWeek", 2), "YYYY": ("year", 4), "YYYYY": ("year", 5), "gggg": ("weekYear", 4),
          "ggggg": ("weekYear", 5), "GGGG": ("isoWeekYear", 4), "GGGGG": ("isoWeekYear", 5),
          "yy": ("eraYear", 2), "yyy": ("eraYear", 3), "yyyy": ("eraYear", 4), "HH": ("hour", 2),
          "hh": ("h", 2), "kk": ("k", 2), "mm": ("minute", 2), "ss": ("second", 2)}
ORDINALS = {"Mo": "month", "Qo": "quarter", "Do": "date", "DDDo": "dayOfYear", "do": "day", "wo": "week",
            "Wo": "isoWeek", "yo": "eraYear"}


def _plain(name: str) -> Callable[[datetime], str]:
    return lambda moment: str(VALUES[name](moment))


def _padded(name: str, width: int) -> Callable[[datetime], str]:
    return lambda moment: zero_fill(VALUES[name](moment), width)


def _ordinal(name: str) -> Callable[[datetime], str]:
    return lambda moment: ordinal(VALUES[name](moment))


def _fraction(digits: int) -> Callable[[datetime], str]:
    """S tenths of a second, SS hundredths, SSS milliseconds; further S add zeros, as moment does."""
    def fraction(moment: datetime) -> str:
        milliseconds = _milliseconds(moment)
        value = milliseconds * 10 ** (digits - 3) if digits >= 3 else milliseconds // 10 ** (3 - digits)
        return str(value).zfill(digits)
    return fraction


FORMATTERS: dict[str, Callable[[datetime], str]] = {
    **{token: _plain(name) for token, name in PLAIN.items()},
    **{token: _padded(name, width) for token, (name, width) in PADDED.items()},
    **{token: _ordinal(name) for token, name in ORDINALS.items()},
    **{"S" * digits: _fraction(digits) for digits in range(1, 10)},
    "Y": lambda m: zero_fill(m.year, 4) if m.year <= 9999 else f"+{m.year}",
    "YY": lambda m: zero_fill(m.year % 100, 2), "YYYYYY": lambda m: zero_fill(m.year, 6, force_sign=True),
    "gg": lambda m: zero_fill(VALUES["weekYear"](m) % 100, 2),
    "GG": lambda m: zero_fill(VALUES["isoWeekYear"](m) % 100, 2),
    "MMM": lambda m: MONTHS[m.month - 1][:3], "MMMM": lambda m: MONTHS[m.month - 1],
    "dd": lambda m: WEEKDAYS[_weekday(m)][:2], "ddd": lambda m: WEEKDAYS[_weekday(m)][:3],
    "dddd": lambda m: WEEKDAYS[_weekday(m)],
    **{"N" * letters: lambda m: "AD" for letters in (1, 2, 3, 5)}, "NNNN": lambda m: "Anno Domini",
    "a": lambda m: "pm" if m.hour > 11 else "am", "A": lambda m: "PM" if m.hour > 11 else "AM",
    "hmm": lambda m: f"{_twelve_hour(m)}{m.minute:02d}",
    "hmmss": lambda m: f"{_twelve_hour(m)}{m.minute:02d}{m.second:02d}",
    "Hmm": lambda m: f"{m.hour}{m.minute:02d}", "Hmmss": lambda m: f"{m.hour}{m.minute:02d}{m.second:02d}",
    "z": lambda m: "", "zz": lambda m: "",  # moment names a zone only in UTC mode, which Obsidian does not use
    "Z": _zone(":"), "ZZ": _zone(""),
    "X": lambda m: str(math.floor(m.timestamp())), "x": lambda m: str(_unix_milliseconds(m)),
}
