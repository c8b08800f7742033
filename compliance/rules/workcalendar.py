"""Day types of investigation-task check cycles (DOMAIN.md §3: every day / working days / non-working
days), on the shared Chinese working calendar :mod:`backend.core.workcalendar` (调休 included)."""

from __future__ import annotations

from datetime import date

from backend.core.workcalendar import is_workday

__all__ = ["is_workday", "matches_day_type"]


def matches_day_type(day: date, day_type: str) -> bool:
    """``every_day`` always; ``workday`` on working days; ``non_workday`` on rest days and holidays."""
    if day_type == "workday":
        return is_workday(day)
    if day_type == "non_workday":
        return not is_workday(day)
    return True
