"""The platform's one time zone and its calendar arithmetic.

Every local date and deadline is in Asia/Shanghai (``TIME_ZONE``): "today" is the Shanghai
calendar date, a date deadline ends at 23:59:59.999999 Shanghai time (DOMAIN.md §3 "Deadline
semantics"). Importable without Django; :func:`local_today` reads ``django.utils.timezone.now()``
(so time-machine moves it in tests) only when no ``now`` is passed.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from backend.core.rules import RuleError

SHANGHAI = ZoneInfo("Asia/Shanghai")


class NaiveDatetime(RuleError):
    """A datetime without a UTC offset reached a rule (400 ``naive_datetime``): in which zone
    it is meant is ambiguous."""

    default_code = "naive_datetime"
    default_message = "时间必须带时区（如 +08:00）。"


def _current() -> datetime:
    from django.utils import timezone

    return timezone.now()


def local_today(now: datetime | None = None) -> date:
    """The calendar date in Asia/Shanghai at ``now`` (default: the current instant).

    2026-12-01T16:30Z → 2026-12-02. Raises :class:`NaiveDatetime` for a naive ``now``."""
    moment = _current() if now is None else aware(now, "now")
    return moment.astimezone(SHANGHAI).date()


def end_of_day(d: date) -> datetime:
    """The instant a date deadline ends: 23:59:59.999999 that day, Asia/Shanghai (aware).

    2026-12-01 → 2026-12-01T23:59:59.999999+08:00. Raises ``TypeError`` for a datetime (pass its
    date deliberately)."""
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"end_of_day() takes a date, not {type(d).__name__}")
    return datetime.combine(d, time.max, tzinfo=SHANGHAI)


def start_of_day(d: date) -> datetime:
    """00:00 of ``d`` in Asia/Shanghai (aware)."""
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"start_of_day() takes a date, not {type(d).__name__}")
    return datetime.combine(d, time.min, tzinfo=SHANGHAI)


def aware(dt: datetime, field: str) -> datetime:
    """``dt`` itself when it carries a UTC offset. Raises :class:`NaiveDatetime` naming ``field``."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise NaiveDatetime(f"{field} 必须带时区（如 +08:00）。", field=field)
    return dt


def local(dt: datetime) -> datetime:
    """``dt`` (aware) shown in Asia/Shanghai."""
    return dt.astimezone(SHANGHAI)
