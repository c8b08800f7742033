"""Time helpers shared by the permit rules: aware datetimes, local time, half-open windows.

DOMAIN.md §4: "Time windows are half-open [start, end): a permit ending at 12:00 does not overlap one
starting at 12:00"; DOMAIN.md §6: local time is Asia/Shanghai. Kept in its own module so that
``calendar``, ``levels``, ``validity`` and ``conflicts`` can all use it without import cycles.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .errors import InvalidWindow, NaiveDatetime

#: Local time zone of every enterprise on the platform [config]; China has a single zone, no DST.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def require_aware(value: datetime, name: str = "时间", field: str | None = None) -> datetime:
    """Return ``value`` unchanged if it carries a UTC offset. ``name``: the Chinese name used in the
    message; ``field``: the input to blame (API name), if any.

    Raises:
        NaiveDatetime (``naive_datetime``): ``value`` has no tzinfo / utcoffset.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime(f"{name}必须带时区（如 +08:00）。", field=field)
    return value


def to_local(value: datetime) -> datetime:
    """Convert an aware datetime to Asia/Shanghai wall-clock time.

    Raises:
        NaiveDatetime (``naive_datetime``): ``value`` is naive.
    """
    return require_aware(value).astimezone(LOCAL_TZ)


def require_window(start: datetime, end: datetime) -> None:
    """Check a planned window [start, end): both aware, end strictly after start.

    Raises:
        NaiveDatetime (``naive_datetime``): either bound is naive.
        InvalidWindow (``invalid_window``): end ≤ start (empty half-open window).
    """
    require_aware(start, "开始时间")
    require_aware(end, "结束时间")
    if end <= start:
        raise InvalidWindow(start=start.isoformat(), end=end.isoformat())


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """True when half-open windows [a_start, a_end) and [b_start, b_end) share an instant.

    Touching windows (``a_end == b_start``) do not overlap. Empty windows overlap nothing.
    DOMAIN.md §4 (time windows are half-open) [std].

    Raises:
        NaiveDatetime (``naive_datetime``): any bound is naive.
    """
    for value in (a_start, a_end, b_start, b_end):
        require_aware(value)
    return a_start < b_end and b_start < a_end and a_start < a_end and b_start < b_end
