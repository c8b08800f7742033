"""Repeated hazards → reassessment of the risk point (DOMAIN.md §3 [config]). Pure: no Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from compliance.rules.deadlines import SHANGHAI, require_aware

#: Hazards found ``count`` times within ``window_days`` at the same risk point/measure mean its
#: assessment no longer holds: reassess the risk [config].
REASSESSMENT_TRIGGER: Mapping[str, int] = {"count": 3, "window_days": 90}


def _local_date(value: date, field: str) -> date:
    if isinstance(value, datetime):
        require_aware(value, field)
        return value.astimezone(SHANGHAI).date()
    return value


def needs_reassessment(
    hazard_found_dates: Iterable[date],
    now: datetime | date,
    *,
    trigger: Mapping[str, int] = REASSESSMENT_TRIGGER,
) -> bool:
    """Whether hazards found at one risk point/measure are frequent enough to reassess it.

    True when at least ``trigger["count"]`` of ``hazard_found_dates`` (dates, or aware
    datetimes read in Asia/Shanghai) fall in the last ``trigger["window_days"]`` calendar
    days up to and including today (the local date of ``now``); future dates do not count.
    Raises ``RuleError`` (code "naive_datetime") for naive datetimes. [config]"""
    today = _local_date(now, "now")
    start = today - timedelta(days=trigger["window_days"] - 1)
    recent = sum(1 for found in hazard_found_dates if start <= _local_date(found, "found") <= today)
    return recent >= trigger["count"]
