"""The Chinese working calendar: workday / rest day / public holiday of a date (调休 included).

Shared by the hidden-danger investigation tasks (day types of check cycles, DOMAIN.md §3) and the
special-operation permits (hot-work level upgrade on holidays and rest days, DOMAIN.md §4). Pure:
no Django. Sources, in order:

1. ``chinese_calendar`` — the State Council's yearly arrangement, including 调休 working weekends,
   for the years it ships (2004 … its last release year); it raises ``NotImplementedError`` beyond.
2. ``holidays.China`` — statutory holidays for any year (and, for years whose notice it carries,
   substituted days off and the weekend working days); for years not yet announced it estimates
   (its in-lieu rule), so results there are [probable].
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import chinese_calendar
import holidays


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


def is_workday(d: date) -> bool:
    """True on a working day (调休 working weekends included)."""
    return day_type(d) is DayType.WORKDAY
