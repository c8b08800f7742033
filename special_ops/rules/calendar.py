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

# The calendar itself is shared with compliance (investigation day types); re-exported here.
from backend.core.workcalendar import DAY_TYPE_ALIASES as DAY_TYPE_ALIASES
from backend.core.workcalendar import DayType as DayType
from backend.core.workcalendar import day_type as day_type
from backend.core.workcalendar import is_day_off as is_day_off
from backend.core.workcalendar import parse_day_type as parse_day_type

from .windows import LOCAL_TZ, overlaps, require_window, to_local

#: Night starts at this local time … [config] (DOMAIN.md §4: "Night is 22:00–06:00 local").
NIGHT_START = time(22, 0)
#: … and ends (exclusive) at this local time the next morning [config].
NIGHT_END = time(6, 0)


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
