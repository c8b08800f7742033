"""Which investigation tasks are due on a day: the one condition the task list's ``?due_on=`` filter,
the console's to-dos and the dashboard's 今日排查任务 share (so a figure and its list agree)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q

from backend.core.time import start_of_day


def tasks_due_on_q(day: date) -> Q:
    """Pending tasks whose window [due_start, due_end) overlaps ``day`` (00:00–24:00 Asia/Shanghai)."""
    start = start_of_day(day)
    return Q(state="pending", due_start__lt=start + timedelta(days=1), due_end__gt=start)
