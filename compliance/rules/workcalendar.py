"""Workdays for investigation-task day types (DOMAIN.md §3: every day / working days / non-working
days), from maintained calendar libraries, not a hand list.

``chinese_calendar`` carries the State Council's yearly arrangement including 调休 working
weekends; beyond its last year ``holidays.China`` (statutory holidays, estimated for unannounced
years [probable]) plus Saturday/Sunday is used. Kept in ``compliance`` because compliance may not
import ``special_ops`` (layering)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import chinese_calendar
import holidays


@lru_cache(maxsize=16)
def _china_holidays(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China (调休 Saturdays count as working days)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5 and day not in _china_holidays(day.year)


def matches_day_type(day: date, day_type: str) -> bool:
    """``every_day`` always; ``workday`` on working days; ``non_workday`` on rest days and holidays."""
    if day_type == "workday":
        return is_workday(day)
    if day_type == "non_workday":
        return not is_workday(day)
    return True
