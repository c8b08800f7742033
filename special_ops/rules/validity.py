"""Maximum validity of a permit per type and level, and half-open window arithmetic.

Sources: DOMAIN.md §4 table — hot work 特级/一级 8 h, 二级 72 h [probable]; confined space 24 h
[probable]; height 7 days [std]; temporary electricity 15 days, 30 days in a declared special case,
and the fed permit's window when it feeds hot work or a confined-space entry (GB 30871-2022 §10.8)
[std]; blinding, lifting, excavation, road closure: no maximum in the standard (the planned window
bounds them).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from special_ops.error_codes import PermitErrorCode as E

from .errors import InvalidWindow, RuleError
from .levels import HeightLevel, HotWorkLevel, LiftingLevel, PermitLevel
from .types import PermitType
from .windows import overlaps, require_window, to_local

__all__ = [
    "MAX_VALIDITY",
    "InvalidWindow",
    "ValidityExceeded",
    "check_temp_power_validity",
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


#: Temporary electricity in a declared special case (GB 30871-2022 §10.8: 一般不超过 15 d，特殊情况不应
#: 超过 30 d) [std]; the normal cap is ``MAX_VALIDITY[(TEMP_POWER, None)]``.
TEMP_POWER_SPECIAL_MAX = timedelta(days=30)
#: Permit types whose window bounds a temporary-power permit feeding them (§10.8: 用于动火、受限空间
#: 作业的临时用电时间应和相应作业时间一致) [std].
TEMP_POWER_FED_TYPES: frozenset[PermitType] = frozenset({_T.HOT_WORK, _T.CONFINED_SPACE})


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


def check_temp_power_validity(
    start: datetime, end: datetime, special_case: bool = False,
    fed_window: tuple[datetime, datetime] | None = None, fed_label: str = "",
) -> timedelta:
    """Temporary electricity (GB 30871-2022 §10.8): at most 15 days, 30 days in a declared special
    case; when it feeds hot work or a confined-space entry, the window lies inside that permit's
    window ``fed_window`` (its validity is that permit's). Exactly the cap passes.

    Raises:
        NaiveDatetime, InvalidWindow, ValidityExceeded (``validity_exceeded``: field ``planned_end``,
        or ``planned_start`` when it precedes the fed permit's start).
    """
    require_window(start, end)
    if fed_window is not None:
        fed_start, fed_end = fed_window
        if start < fed_start or end > fed_end:
            raise ValidityExceeded(
                f"临时用电为{fed_label or '动火/受限空间作业'}供电，有效期为该作业票的作业时间"
                f"（{_local(fed_start)}–{_local(fed_end)}），不能超出（GB 30871-2022 §10.8）。",
                field="planned_start" if start < fed_start else "planned_end",
                max_hours=_hours(fed_end - fed_start), planned_hours=_hours(end - start),
            )
        return end - start
    limit = TEMP_POWER_SPECIAL_MAX if special_case else MAX_VALIDITY[(_T.TEMP_POWER, None)]
    assert limit is not None
    duration = end - start
    if duration > limit:
        days = limit.days
        why = "特殊情况不超过 30 天" if special_case else "一般不超过 15 天，特殊情况（须申报）不超过 30 天"
        raise ValidityExceeded(
            f"临时用电计划 {_days(duration)} 天，超过有效期上限 {days} 天（{why}，GB 30871-2022 §10.8）。",
            max_hours=_hours(limit), planned_hours=_hours(duration),
        )
    return duration


def _days(value: timedelta) -> str:
    return f"{value.total_seconds() / 86400:.2f}".rstrip("0").rstrip(".")


def _local(value: datetime) -> str:
    return f"{to_local(value):%Y-%m-%d %H:%M}"


def _hours(value: timedelta) -> float:
    return round(value.total_seconds() / 3600, 2)
