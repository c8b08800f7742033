"""special_ops.rules.validity: maximum validity per type/level and half-open windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from special_ops.rules.errors import NaiveDatetime
from special_ops.rules.levels import LEVELS_BY_TYPE, HeightLevel, HotWorkLevel, LiftingLevel, PermitLevel
from special_ops.rules.types import PermitType
from special_ops.rules.validity import (
    MAX_VALIDITY,
    InvalidWindow,
    ValidityExceeded,
    check_validity,
    max_validity,
    overlaps,
)

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=SH)
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("permit_type", "level", "limit"),
    [
        (PermitType.HOT_WORK, HotWorkLevel.SPECIAL, timedelta(hours=8)),
        (PermitType.HOT_WORK, HotWorkLevel.FIRST, timedelta(hours=8)),
        (PermitType.HOT_WORK, HotWorkLevel.SECOND, timedelta(hours=72)),
        (PermitType.CONFINED_SPACE, None, timedelta(hours=24)),
        (PermitType.HEIGHT, HeightLevel.IV, timedelta(days=7)),
        (PermitType.TEMP_POWER, None, timedelta(days=15)),
    ],
)
def test_exact_maximum_passes_one_minute_more_fails(
    permit_type: PermitType, level: PermitLevel | None, limit: timedelta
) -> None:
    assert check_validity(permit_type, level, T0, T0 + limit) == limit
    with pytest.raises(ValidityExceeded) as exc:
        check_validity(permit_type, level, T0, T0 + limit + MINUTE)
    assert exc.value.code == "validity_exceeded"
    assert exc.value.details["max_hours"] == limit.total_seconds() / 3600


@pytest.mark.parametrize(
    ("permit_type", "level"),
    [
        (PermitType.BLINDING, None),
        (PermitType.LIFTING, LiftingLevel.FIRST),
        (PermitType.EXCAVATION, None),
        (PermitType.ROAD_CLOSURE, None),
    ],
)
def test_types_without_maximum(permit_type: PermitType, level: PermitLevel | None) -> None:
    assert max_validity(permit_type, level) is None
    check_validity(permit_type, level, T0, T0 + timedelta(days=60))


def test_table_covers_every_type_and_level() -> None:
    for permit_type in PermitType:
        levels = list(LEVELS_BY_TYPE[permit_type]) if permit_type in LEVELS_BY_TYPE else [None]
        for level in levels:
            assert (permit_type, level) in MAX_VALIDITY, (permit_type, level)


def test_levelled_type_without_level_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        max_validity("hot_work", None)


@pytest.mark.parametrize("end", [T0, T0 - MINUTE])
def test_empty_or_reversed_window(end: datetime) -> None:
    with pytest.raises(InvalidWindow) as exc:
        check_validity("confined_space", None, T0, end)
    assert exc.value.code == "invalid_window"


def test_naive_window_rejected() -> None:
    with pytest.raises(NaiveDatetime):
        check_validity("confined_space", None, datetime(2026, 12, 1, 8), T0 + MINUTE)  # noqa: DTZ001


def test_duration_across_time_zones() -> None:
    start_utc = T0.astimezone(UTC)
    assert check_validity("hot_work", HotWorkLevel.FIRST, start_utc, T0 + timedelta(hours=8)) == timedelta(
        hours=8
    )


# --------------------------------------------------------------------------- overlaps


def h(hour: int) -> datetime:
    return T0.replace(hour=hour)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((h(8), h(12)), (h(12), h(16)), False),  # touching: 12:00 end vs 12:00 start
        ((h(12), h(16)), (h(8), h(12)), False),
        ((h(8), h(12)), (h(11), h(16)), True),
        ((h(8), h(16)), (h(10), h(11)), True),  # contained
        ((h(10), h(11)), (h(8), h(16)), True),
        ((h(8), h(12)), (h(8), h(12)), True),  # identical
        ((h(8), h(9)), (h(10), h(11)), False),
        ((h(10), h(10)), (h(8), h(12)), False),  # empty window overlaps nothing
    ],
)
def test_overlaps_half_open(
    a: tuple[datetime, datetime], b: tuple[datetime, datetime], expected: bool
) -> None:
    assert overlaps(*a, *b) is expected


def test_overlaps_compares_instants_across_zones() -> None:
    # 12:00 Shanghai == 04:00 UTC: touching, not overlapping.
    assert not overlaps(h(8), h(12), h(12).astimezone(UTC), h(16).astimezone(UTC))
    assert overlaps(h(8), h(12), (h(12) - MINUTE).astimezone(UTC), h(16))


def test_overlaps_rejects_naive() -> None:
    with pytest.raises(NaiveDatetime):
        overlaps(h(8), h(12), datetime(2026, 12, 1, 9), h(16))  # noqa: DTZ001
