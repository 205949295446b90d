"""moment.js formats, as Obsidian's Daily notes names its notes: every token, then moment itself."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from support.node_tools import moment_format
from vault_export.vault.moment import format_moment, local_moment

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY = local_moment(date(2025, 6, 6), SHANGHAI)  # the 157th day of 2025, in its 23rd week
AFTERNOON = local_moment(date(2025, 6, 6), SHANGHAI, time(14, 5, 9, 123_000))

DATE_TOKENS = {
    # year
    "YYYY": "2025", "YY": "25", "Y": "2025", "YYYYY": "02025", "YYYYYY": "+002025",
    # month
    "M": "6", "MM": "06", "MMM": "Jun", "MMMM": "June", "Mo": "6th",
    # quarter
    "Q": "2", "Qo": "2nd",
    # day of month
    "D": "6", "DD": "06", "Do": "6th",
    # day of year
    "DDD": "157", "DDDD": "157", "DDDo": "157th",
    # day of week: Sunday is 0; ISO Monday is 1
    "d": "5", "do": "5th", "dd": "Fr", "ddd": "Fri", "dddd": "Friday", "e": "5", "E": "5",
    # week of year: the English one starts on Sunday with the week of 1 January; ISO's on Monday
    "w": "23", "ww": "23", "wo": "23rd", "W": "23", "WW": "23", "Wo": "23rd",
    # week years
    "gggg": "2025", "gg": "25", "ggggg": "02025", "GGGG": "2025", "GG": "25", "GGGGG": "02025",
    # era
    "N": "AD", "NN": "AD", "NNN": "AD", "NNNN": "Anno Domini", "NNNNN": "AD",
    "y": "2025", "yo": "2025th", "yy": "2025", "yyyy": "2025",
    # Unix time of midnight in Shanghai, 16:00 UTC the day before
    "X": "1749139200", "x": "1749139200000",
}
MIDNIGHT_TOKENS = {
    "H": "0", "HH": "00", "h": "12", "hh": "12", "k": "24", "kk": "24", "a": "am", "A": "AM",
    "m": "0", "mm": "00", "s": "0", "ss": "00", "S": "0", "SS": "00", "SSS": "000",
    "Hmm": "000", "Hmmss": "00000", "hmm": "1200", "hmmss": "120000",
    "Z": "+08:00", "ZZ": "+0800", "z": "", "zz": "",
}
AFTERNOON_TOKENS = {
    "H": "14", "HH": "14", "h": "2", "hh": "02", "k": "14", "kk": "14", "a": "pm", "A": "PM",
    "m": "5", "mm": "05", "s": "9", "ss": "09", "S": "1", "SS": "12", "SSS": "123", "SSSS": "1230",
    "SSSSSSSSS": "123000000", "Hmm": "1405", "Hmmss": "140509", "hmm": "205", "hmmss": "20509",
    "X": "1749189909", "x": "1749189909123",
}
LOCALIZED = {
    "LT": "12:00 AM", "LTS": "12:00:00 AM", "L": "06/06/2025", "LL": "June 6, 2025",
    "LLL": "June 6, 2025 12:00 AM", "LLLL": "Friday, June 6, 2025 12:00 AM",
    "l": "6/6/2025", "ll": "Jun 6, 2025", "lll": "Jun 6, 2025 12:00 AM", "llll": "Fri, Jun 6, 2025 12:00 AM",
}


@pytest.mark.parametrize("token, expected", [*DATE_TOKENS.items(), *MIDNIGHT_TOKENS.items()])
def test_each_token_on_a_day_page(token, expected):
    assert format_moment(FRIDAY, token) == expected


@pytest.mark.parametrize("token, expected", AFTERNOON_TOKENS.items())
def test_each_time_token_in_the_afternoon(token, expected):
    assert format_moment(AFTERNOON, token) == expected


@pytest.mark.parametrize("token, expected", LOCALIZED.items())
def test_localized_formats_are_the_english_ones(token, expected):
    assert format_moment(FRIDAY, token) == expected


@pytest.mark.parametrize("day, expected", [
    # The English week holding 1 January is the first; the ISO week holding 4 January is.
    (date(2024, 12, 29), "w1 gggg2025 W52 GGGG2024 E7 e0"),  # a Sunday
    (date(2024, 12, 30), "w1 gggg2025 W1 GGGG2025 E1 e1"),
    (date(2021, 1, 1), "w1 gggg2021 W53 GGGG2020 E5 e5"),
    (date(2022, 1, 1), "w1 gggg2022 W52 GGGG2021 E6 e6"),  # a Saturday
    (date(2022, 1, 2), "w2 gggg2022 W52 GGGG2021 E7 e0"),
    (date(2026, 12, 31), "w1 gggg2027 W53 GGGG2026 E4 e4"),
    (date(2020, 12, 31), "w1 gggg2021 W53 GGGG2020 E4 e4"),  # the Sunday before 1 January starts the week
    (date(2022, 12, 31), "w53 gggg2022 W52 GGGG2022 E6 e6"),
])
def test_week_years_at_the_turn_of_the_year(day, expected):
    assert format_moment(local_moment(day, SHANGHAI), "[w]w [gggg]gggg [W]W [GGGG]GGGG [E]E [e]e") == expected


@pytest.mark.parametrize("day, expected", [
    (date(2024, 2, 29), "29th 60th Thu"), (date(2024, 12, 31), "31st 366th Tue"),
    (date(2025, 12, 31), "31st 365th Wed"), (date(2025, 4, 11), "11th 101st Fri"),
    (date(2025, 4, 12), "12th 102nd Sat"), (date(2025, 4, 13), "13th 103rd Sun"),
    (date(2025, 4, 21), "21st 111th Mon"), (date(2025, 4, 22), "22nd 112th Tue"),
    (date(2025, 4, 23), "23rd 113th Wed"), (date(2025, 5, 1), "1st 121st Thu"),
    (date(2025, 5, 2), "2nd 122nd Fri"), (date(2025, 5, 3), "3rd 123rd Sat"),
])
def test_ordinals_and_leap_days(day, expected):
    assert format_moment(local_moment(day, SHANGHAI), "Do DDDo ddd") == expected


@pytest.mark.parametrize("format, expected", [
    ("YYYY-MM-DD", "2025-06-06"),
    ("", "2025-06-06T00:00:00+08:00"),  # moment's own default
    ("YYYY/MM/YYYY-MM-DD", "2025/06/2025-06-06"),  # '/' is a sub-folder
    ("YYYY/MMMM/YYYY-MMM-DD", "2025/June/2025-Jun-06"),  # Obsidian's own example
    ("[Day] YYYY-MM-DD", "Day 2025-06-06"),
    ("[Week] W [of] GGGG", "Week 23 of 2025"),
    ("[YYYY] YYYY", "YYYY 2025"),
    (r"\YYYY YYYY", "YYYY 2025"),  # a backslash keeps the next token as it is
    ("[a[b]c]", "[amb]c"),  # a bracket holding another is a literal '[' ('a' is am/pm) and then text
    ("[unclosed", "[unc6/6/2025o055"),  # an unclosed bracket is itself; the rest are tokens ('l' too)
    ("DD.MM.YYYY", "06.06.2025"),
    ("YYY ggg", "252025 25g"),  # no such tokens: the longest that exist, then the letter as itself
    ("w|", "w|"),  # moment's pattern takes 'w|' as one token, and writes it as it is
    ("dddd, [the] Do [of] MMMM", "Friday, the 6th of June"),
])
def test_literals_sub_folders_and_odd_formats(format, expected):
    assert format_moment(FRIDAY, format) == expected


def test_a_naive_time_is_the_systems_local_time():
    # conftest sets TZ to Asia/Shanghai
    assert format_moment(datetime(2025, 6, 6), "X Z") == "1749139200 +08:00"


def test_the_utc_offset_is_that_of_the_day():
    new_york = ZoneInfo("America/New_York")
    assert format_moment(local_moment(date(2025, 1, 6), new_york), "Z ZZ") == "-05:00 -0500"
    assert format_moment(local_moment(date(2025, 7, 6), new_york), "Z ZZ") == "-04:00 -0400"


# --------------------------------------------------------------------------- moment itself

EVERY_TOKEN = [*DATE_TOKENS, *MIDNIGHT_TOKENS, *AFTERNOON_TOKENS, *LOCALIZED,
               "YYYY/MM/YYYY-MM-DD", "[Day] YYYY-MM-DD", r"\Do Do", "[a[b]c]", "[unclosed", "YYY ggg", "w|",
               "dddd, MMMM Do YYYY, h:mm:ss a", "gggg-[W]ww-e", "GGGG-[W]WW-E", "Qo [quarter]", "\\", ""]


def _days() -> list[date]:
    """Every turn of the year from 1999 to 2032 (week years, leap years), the leap days, and the
    days that end in each ordinal."""
    days = []
    for year in range(1999, 2033):
        days += [date(year, 1, 1) + timedelta(days=offset) for offset in (-4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6)]
    days += [date(year, 2, 29) for year in (2000, 2004, 2020, 2024, 2028)]
    days += [date(2025, 3, day) for day in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 24, 31)]
    days += [date(2025, 4, 10) + timedelta(days=offset) for offset in range(0, 120, 7)]  # days of the year 1xx
    return days


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York", "UTC"])
def test_every_token_as_moment_writes_it(zone):
    tz = ZoneInfo(zone)
    times = [local_moment(day, tz) for day in _days()]
    times += [local_moment(date(2025, 6, 6), tz, time(hour, 5, 9, 123_000)) for hour in (0, 1, 11, 12, 13, 23)]
    cases = [(moment, format) for moment in times for format in EVERY_TOKEN]
    theirs = moment_format(cases, zone)
    ours = [format_moment(moment, format) for moment, format in cases]
    differences = [f"{moment:%Y-%m-%d %H:%M} {format!r}: moment {want!r}, ours {got!r}"
                   for (moment, format), want, got in zip(cases, theirs, ours) if want != got]
    assert not differences, "\n".join(differences[:20])
    assert len(cases) > 20_000
