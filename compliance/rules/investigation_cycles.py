"""Check cycles of investigation tasks (DOMAIN.md §3 "Investigation tasks"): which days a cycle's
day type matches, and the (due_start, due_end) windows of a cycle. Pure: no database.

Slots are anchored to fixed points so any two windows agree on them (generation is idempotent):
hours from local midnight, days from 2000-01-03, months from January 2000, years from 2000 — all
Asia/Shanghai. Hour and day cycles honour the day type (a slot only on matching days); month and
year cycles ignore it. Day types run on the shared Chinese working calendar
:mod:`backend.core.workcalendar` (调休 included).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Protocol

from backend.core.time import SHANGHAI
from backend.core.workcalendar import is_workday

__all__ = ["CheckCycle", "is_workday", "matches_day_type", "measure_slots"]

_DAY_ANCHOR = date(2000, 1, 3)


class CheckCycle(Protocol):
    """What a cycle needs of a control measure: every ``check_cycle`` ``check_cycle_unit``
    (hour / day / month / year) on ``day_type`` days (every_day / workday / non_workday)."""

    check_cycle: int | None
    check_cycle_unit: str
    day_type: str


def matches_day_type(day: date, day_type: str) -> bool:
    """``every_day`` always; ``workday`` on working days; ``non_workday`` on rest days and holidays."""
    if day_type == "workday":
        return is_workday(day)
    if day_type == "non_workday":
        return not is_workday(day)
    return True


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def measure_slots(measure: CheckCycle, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The (due_start, due_end) windows (aware, Asia/Shanghai) of ``measure``'s cycle whose start
    lies in [start, end); nothing when the measure has no cycle."""
    n, unit = measure.check_cycle, measure.check_cycle_unit
    if not n or not unit:
        return
    first_day = start.astimezone(SHANGHAI).date()
    last_day = end.astimezone(SHANGHAI).date()
    if unit == "hour":
        day = first_day
        while day <= last_day:
            if matches_day_type(day, measure.day_type):
                t = _local_midnight(day)
                while t.date() == day:
                    if start <= t < end:
                        yield t, t + timedelta(hours=n)
                    t = (t + timedelta(hours=n)).astimezone(SHANGHAI)
            day += timedelta(days=1)
    elif unit == "day":
        offset = (first_day - _DAY_ANCHOR).days % n
        day = first_day + timedelta(days=(n - offset) % n)
        while day <= last_day:
            t = _local_midnight(day)
            if start <= t < end and matches_day_type(day, measure.day_type):
                yield t, _local_midnight(day + timedelta(days=n))
            day += timedelta(days=n)
    elif unit in ("month", "year"):
        step = n if unit == "month" else 12 * n
        month = date(first_day.year, first_day.month, 1)
        while month <= last_day:
            index = (month.year - 2000) * 12 + month.month - 1
            if index % step == 0:
                t = _local_midnight(month)
                if start <= t < end:
                    yield t, _local_midnight(_add_months(month, step))
            month = _add_months(month, 1)
