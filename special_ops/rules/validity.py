"""Maximum validity of a permit per type and level, and half-open window arithmetic.

Sources: DOMAIN.md §4 table — hot work 特级/一级 8 h, 二级 72 h [probable]; confined space 24 h
[probable]; height 7 days [std]; temporary electricity 15 days [probable]; blinding, lifting,
excavation, road closure: no maximum in the standard (the planned window bounds them).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from special_ops.error_codes import PermitErrorCode as E

from .errors import InvalidWindow, RuleError
from .levels import HeightLevel, HotWorkLevel, LiftingLevel, PermitLevel
from .types import PermitType
from .windows import overlaps, require_window

__all__ = [
    "MAX_VALIDITY",
    "InvalidWindow",
    "ValidityExceeded",
    "check_validity",
    "max_validity",
    "overlaps",
]

_T = PermitType

#: (type, level or None) → longest allowed [start, end) window, or None for "no maximum".
MAX_VALIDITY: dict[tuple[PermitType, PermitLevel | None], timedelta | None] = {
    (_T.HOT_WORK, HotWorkLevel.SPECIAL): timedelta(hours=8),
    (_T.HOT_WORK, HotWorkLevel.FIRST): timedelta(hours=8),
    (_T.HOT_WORK, HotWorkLevel.SECOND): timedelta(hours=72),
    (_T.CONFINED_SPACE, None): timedelta(hours=24),
    (_T.TEMP_POWER, None): timedelta(days=15),
    **{(_T.HEIGHT, level): timedelta(days=7) for level in HeightLevel},
    **{(_T.LIFTING, level): None for level in LiftingLevel},
    (_T.BLINDING, None): None,
    (_T.EXCAVATION, None): None,
    (_T.ROAD_CLOSURE, None): None,
}


class ValidityExceeded(RuleError):
    """The planned window is longer than the type/level allows. Code ``validity_exceeded``;
    ``details`` = {max_hours, planned_hours}. DOMAIN.md §4 validity column."""

    default_code = E.VALIDITY_EXCEEDED
    default_message = "作业票有效期超过规定上限。"
    default_field = "planned_end"


def max_validity(permit_type: PermitType | str, level: PermitLevel | None) -> timedelta | None:
    """Longest allowed window for the type and (effective) level; ``None`` = no maximum.

    Raises:
        ValueError: unknown type string.
        KeyError: a level missing for a levelled type (hot work, height, lifting) or given for a
            levelless one — a programming error, not user input.
    """
    return MAX_VALIDITY[(PermitType(permit_type), level)]


def check_validity(
    permit_type: PermitType | str, level: PermitLevel | None, start: datetime, end: datetime
) -> timedelta:
    """Check the planned window [start, end) against ``MAX_VALIDITY``; exactly the maximum passes.

    Args:
        permit_type: type.
        level: the level the permit is managed at (the stricter of declared and computed), or None.
        start, end: aware datetimes.

    Returns:
        the planned duration.

    Raises:
        NaiveDatetime (``naive_datetime``), InvalidWindow (``invalid_window``: end ≤ start),
        ValidityExceeded (``validity_exceeded``). DOMAIN.md §4.
    """
    require_window(start, end)
    limit = max_validity(permit_type, level)
    duration = end - start
    if limit is not None and duration > limit:
        raise ValidityExceeded(
            f"计划作业时长 {_hours(duration)} 小时超过该类作业票有效期上限 {_hours(limit)} 小时。",
            max_hours=_hours(limit),
            planned_hours=_hours(duration),
        )
    return duration


def _hours(value: timedelta) -> float:
    return round(value.total_seconds() / 3600, 2)
