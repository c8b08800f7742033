"""Day type (workday / rest day / public holiday) and night, in Asia/Shanghai.

DOMAIN.md §4: hot work is raised one level "on public holidays, rest days and at night" [probable];
"holidays, rest days and 调休 working days come from a maintained calendar library, not a hand list".

Sources, in order:
1. ``chinese_calendar`` — the State Council's yearly arrangement, including 调休 working weekends,
   for the years it ships (2004 … its last release year); it raises ``NotImplementedError`` beyond.
2. ``holidays.China`` — statutory holidays for any year (and, for years whose notice it carries,
   substituted days off and the weekend working days in ``weekend_workdays``); for years not yet
   announced it estimates (its in-lieu rule), so results there are [probable].
Night is 22:00–06:00 local [config] (``NIGHT_START``/``NIGHT_END``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

import chinese_calendar
import holidays

from .windows import LOCAL_TZ, overlaps, require_window, to_local

#: Night starts at this local time … [config] (DOMAIN.md §4: "Night is 22:00–06:00 local").
NIGHT_START = time(22, 0)
#: … and ends (exclusive) at this local time the next morning [config].
NIGHT_END = time(6, 0)


class DayType(StrEnum):
    """Kind of calendar day. ``holiday`` = any day off in a State Council holiday block (法定节假日
    and the days shifted into it); ``rest_day`` = ordinary weekend day off (公休日); ``workday``
    includes 调休 working Saturdays/Sundays."""

    WORKDAY = "workday"
    REST_DAY = "rest_day"
    HOLIDAY = "holiday"

    @property
    def label(self) -> str:
        """Chinese name: 工作日 / 公休日 / 节假日."""
        return {"workday": "工作日", "rest_day": "公休日", "holiday": "节假日"}[self.value]


#: Spellings of declared ``facts.day_type`` accepted by :func:`parse_day_type` (the sample JSON
#: writes ``public_holiday``).
DAY_TYPE_ALIASES: dict[str, DayType] = {
    "workday": DayType.WORKDAY,
    "rest_day": DayType.REST_DAY,
    "weekend": DayType.REST_DAY,
    "holiday": DayType.HOLIDAY,
    "public_holiday": DayType.HOLIDAY,
}


def parse_day_type(text: str) -> DayType:
    """Map a declared day type (``workday``, ``rest_day``, ``holiday``/``public_holiday``) to DayType.

    Raises:
        ValueError: unknown spelling.
    """
    try:
        return DAY_TYPE_ALIASES[text.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown day type: {text!r}") from None


def day_type(d: date) -> DayType:
    """Day type of a local calendar date (see the module docstring for the sources).

    Returns ``DayType.WORKDAY`` / ``REST_DAY`` / ``HOLIDAY`` (a ``str`` subclass: ``"workday"`` …).
    DOMAIN.md §4 [std for covered years, probable for estimated ones]. Raises nothing for any
    Gregorian date ≥ 1950.
    """
    try:
        return _day_type_chinese_calendar(d)
    except NotImplementedError:
        return _day_type_holidays(d)


def _day_type_chinese_calendar(d: date) -> DayType:
    is_off, holiday_name = chinese_calendar.get_holiday_detail(d)
    if not is_off:
        return DayType.WORKDAY
    return DayType.HOLIDAY if holiday_name else DayType.REST_DAY


@lru_cache(maxsize=64)
def _china_holidays(year: int) -> holidays.HolidayBase:
    # Neighbouring years too, so a holiday block crossing 1 January is seen whole.
    return holidays.China(years=(year - 1, year, year + 1))


def _day_type_holidays(d: date) -> DayType:
    """Fallback for years ``chinese_calendar`` does not cover.

    A weekend day off inside a run of days off that contains a holiday counts as ``holiday``, so the
    result matches ``chinese_calendar`` (which names the holiday for such weekends) for the years
    both cover.
    """
    cal = _china_holidays(d.year)
    if d in cal:
        return DayType.HOLIDAY
    if cal.is_working_day(d):
        return DayType.WORKDAY
    return DayType.HOLIDAY if _touches_holiday_run(cal, d) else DayType.REST_DAY


def _touches_holiday_run(cal: holidays.HolidayBase, d: date) -> bool:
    for step in (timedelta(days=-1), timedelta(days=1)):
        cur = d + step
        while not cal.is_working_day(cur):
            if cur in cal:
                return True
            cur += step
    return False


def is_day_off(d: date) -> bool:
    """True on a rest day or public holiday (``day_type(d) != WORKDAY``)."""
    return day_type(d) is not DayType.WORKDAY


def is_night(local_dt: datetime) -> bool:
    """True when the instant falls in the night band [22:00, 06:00) Asia/Shanghai [config].

    ``local_dt`` must be aware; it is converted to Asia/Shanghai first, so a UTC value works too.

    Raises:
        NaiveDatetime (``naive_datetime``): ``local_dt`` is naive.
    """
    t = to_local(local_dt).time()
    return t >= NIGHT_START or t < NIGHT_END


def window_days(start: datetime, end: datetime) -> list[date]:
    """Local dates touched by the half-open window [start, end), in order.

    A window ending exactly at 00:00 does not touch that day.

    Raises:
        NaiveDatetime / InvalidWindow (``naive_datetime`` / ``invalid_window``).
    """
    require_window(start, end)
    first = to_local(start).date()
    last = (to_local(end) - timedelta(microseconds=1)).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _night_bands(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    first = to_local(start).date() - timedelta(days=1)
    last = to_local(end).date()
    for i in range((last - first).days + 1):
        evening = first + timedelta(days=i)
        band_start = datetime.combine(evening, NIGHT_START, tzinfo=LOCAL_TZ)
        band_end = datetime.combine(evening + timedelta(days=1), NIGHT_END, tzinfo=LOCAL_TZ)
        yield band_start, band_end


def window_has_night(start: datetime, end: datetime) -> bool:
    """True when any instant of [start, end) is at night (22:00–06:00 local) [config].

    A window ending at 22:00 sharp, or starting at 06:00 sharp, has no night.

    Raises:
        NaiveDatetime / InvalidWindow (``naive_datetime`` / ``invalid_window``).
    """
    require_window(start, end)
    return any(overlaps(start, end, b_start, b_end) for b_start, b_end in _night_bands(start, end))


def window_day_types(start: datetime, end: datetime) -> dict[date, DayType]:
    """``{local date: DayType}`` for every day touched by [start, end).

    Raises:
        NaiveDatetime / InvalidWindow (``naive_datetime`` / ``invalid_window``).
    """
    return {d: day_type(d) for d in window_days(start, end)}
