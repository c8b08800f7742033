"""Deadline rules of hidden dangers (DOMAIN.md §3 "Deadline semantics"): when a date deadline ends,
when a hazard is overdue, how far ahead a deadline may be set, the sane range of any hazard date,
and how many extensions a hazard may get. Pure: no Django, no database."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from backend.core.rules import RuleError
from backend.core.time import SHANGHAI, aware, end_of_day
from compliance.rules.hazard_codes import HazardGrade, to_member
from compliance.rules.hazard_states import NOT_OVERDUE_STATES, HazardState

__all__ = [
    "EARLIEST_DATE", "EXTENSION_CAPS", "MAX_DEADLINE_HORIZON_DAYS", "SHANGHAI", "DateOutOfRange", "check_date_in_range",
    "deadline_end", "deadline_within_horizon", "extension_allowed", "is_overdue", "require_aware",
]

#: Earliest date a hazard record may carry (排查日期, deadlines, completion and acceptance dates)
#: [config]. The dual-prevention mechanism dates from 2016 and no ledger this platform takes in
#: predates 2000; anything earlier (0001-01-01, an Excel serial 1 = 1900-01-01) is a typing error
#: that would otherwise become a hazard number ``YH-1-…``.
EARLIEST_DATE = date(2000, 1, 1)

#: Latest rectification deadline accepted, in days after the day it is set [config]: a deadline
#: years away is a typing error, and escalation arithmetic must stay within the calendar.
MAX_DEADLINE_HORIZON_DAYS = 5 * 366


class DateOutOfRange(RuleError):
    """A date before ``EARLIEST_DATE`` (400 ``date_out_of_range``, the field named)."""

    default_code = "date_out_of_range"
    default_message = "日期超出允许范围。"


def check_date_in_range(day: date | None, field: str) -> None:
    """Raise ``DateOutOfRange`` (field ``field``) when ``day`` is before ``EARLIEST_DATE``; None passes.

    Upper bounds are per field (a found date is not after today, a deadline within
    ``MAX_DEADLINE_HORIZON_DAYS``) and checked where the field is set. [config]"""
    if day is not None and day < EARLIEST_DATE:
        raise DateOutOfRange(f"{field} 不能早于 {EARLIEST_DATE.isoformat()}", field=field,
                             earliest=EARLIEST_DATE.isoformat())


#: The instant a date deadline ends: 23:59:59.999999 that day, Asia/Shanghai (DOMAIN.md §3
#: "Deadline semantics": 2026-12-01 → 2026-12-01T23:59:59.999999+08:00). The kernel's function.
deadline_end = end_of_day


def require_aware(moment: datetime, field: str) -> None:
    """Raise ``NaiveDatetime`` (code "naive_datetime", ``field``) for a naive datetime."""
    aware(moment, field)


def is_overdue(state: HazardState | str, deadline_date: date | None, now: datetime) -> bool:
    """Whether a hazard is overdue at ``now`` (an aware datetime).

    Overdue = ``now`` is after ``deadline_end(deadline_date)`` and the state is not
    pending_acceptance or later, nor rejected (``NOT_OVERDUE_STATES``). No deadline
    (immediate treatment) is never overdue. Raises ``RuleError`` (code "naive_datetime") for a
    naive ``now`` and ``UnknownChoice`` for an unknown state. The database form of the same rule
    is ``compliance.selectors.hazard_overdue_q`` (tested to agree). Source: DOMAIN.md §3."""
    require_aware(now, "now")
    current = to_member(HazardState, state, "state")
    if deadline_date is None or current in NOT_OVERDUE_STATES:
        return False
    return now > deadline_end(deadline_date)


def deadline_within_horizon(deadline: date, today: date) -> bool:
    """True when ``deadline`` is at most ``MAX_DEADLINE_HORIZON_DAYS`` after ``today`` [config]."""
    return (deadline - today).days <= MAX_DEADLINE_HORIZON_DAYS


#: How many deadline extensions a hazard may have by grade [config]. A major hazard gets none
#: without the regulator's approval (DOMAIN.md §3 "Deadline semantics").
EXTENSION_CAPS: Mapping[str, int] = {"general": 1, "major": 0}


def extension_allowed(
    grade: HazardGrade | str,
    extensions_so_far: int,
    regulator_approved: bool = False,
    *,
    caps: Mapping[str, int] = EXTENSION_CAPS,
) -> bool:
    """Whether one more deadline extension may be granted.

    Allowed while ``extensions_so_far`` is under the grade's cap; beyond it, a major hazard
    may still be extended when the regulator approved it (general hazards may not).
    The approver must differ from the requester — a service check, not decided here.
    Source: DOMAIN.md §3 [config]."""
    level = to_member(HazardGrade, grade, "grade")
    if extensions_so_far < caps[level.value]:
        return True
    return level is HazardGrade.MAJOR and regulator_approved
