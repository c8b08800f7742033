"""special_ops.rules.conflicts: guardian, pipeline, 30 m hot work/blinding, confined-space linking."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from special_ops.rules.conflicts import (
    EARTH_RADIUS_M,
    PermitConflict,
    PermitSnapshot,
    assert_no_conflicts,
    blinding_pipeline_conflicts,
    check_conflicts,
    guardian_conflicts,
    haversine_m,
    hot_work_in_confined_space_unlinked,
    hot_work_near_blinding,
)
from special_ops.rules.types import CONFLICT_STATES, PermitState, PermitType

SH = ZoneInfo("Asia/Shanghai")
LON, LAT = 117.7543, 37.0749


def h(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 10, hour, minute, tzinfo=SH)


def north(metres: float) -> float:
    """Latitude ``metres`` north of LAT."""
    return LAT + math.degrees(metres / EARTH_RADIUS_M)


def permit(
    number: str, permit_type: PermitType, start: int = 9, end: int = 11, **kw: object
) -> PermitSnapshot:
    defaults: dict[str, object] = {
        "id": number,
        "number": number,
        "type": permit_type,
        "state": PermitState.APPROVED,
        "start": h(start),
        "end": h(end),
        "guardian": f"G-{number}",
        "lon": LON,
        "lat": LAT,
        "area_name": "酯化反应釜",
    }
    defaults.update(kw)
    return PermitSnapshot(**defaults)  # type: ignore[arg-type]


HOT = PermitType.HOT_WORK
BLIND = PermitType.BLINDING
CS = PermitType.CONFINED_SPACE


def test_haversine_scale() -> None:
    assert haversine_m(LON, LAT, LON, north(30)) == pytest.approx(30, abs=1e-6)
    assert haversine_m(LON, LAT, LON, LAT) == 0


# --------------------------------------------------------------------------- guardian


def test_same_guardian_overlapping_conflicts() -> None:
    existing = permit("SX-1", CS, 8, 16, guardian="JH-016")
    new = permit("DH-1", HOT, 13, 16, guardian="JH-016")
    [conflict] = guardian_conflicts(new, [existing])
    assert conflict.code == "guardian_overlap"
    assert conflict.other_number == "SX-1"
    assert "监护" in conflict.message


def test_same_guardian_touching_windows_do_not_conflict() -> None:
    existing = permit("SX-1", CS, 8, 12, guardian="JH-016")
    assert guardian_conflicts(permit("DH-1", HOT, 12, 16, guardian="JH-016"), [existing]) == []


def test_different_or_missing_guardian_does_not_conflict() -> None:
    existing = permit("SX-1", CS, 8, 16, guardian="JH-016")
    assert guardian_conflicts(permit("DH-1", HOT, 9, 10, guardian="JH-017"), [existing]) == []
    assert (
        guardian_conflicts(permit("DH-1", HOT, 9, 10, guardian=None), [replace(existing, guardian=None)])
        == []
    )


@pytest.mark.parametrize("state", list(PermitState))
def test_only_open_filed_permits_count(state: PermitState) -> None:
    existing = permit("SX-1", CS, 8, 16, guardian="JH-016", state=state)
    conflicts = guardian_conflicts(permit("DH-1", HOT, 9, 10, guardian="JH-016"), [existing])
    counts = state in {
        PermitState.SUBMITTED,
        PermitState.APPROVED,
        PermitState.IN_PROGRESS,
        PermitState.SUSPENDED,
    }
    assert bool(conflicts) is counts
    assert (state in CONFLICT_STATES) is counts


def test_a_permit_does_not_conflict_with_itself() -> None:
    p = permit("DH-1", HOT, 9, 10, guardian="JH-016")
    assert check_conflicts(p, [p]) == []


# --------------------------------------------------------------------------- blinding pipeline


def test_two_blinding_jobs_on_one_pipeline_conflict() -> None:
    existing = permit("MB-07", BLIND, 9, 11, pipeline="PL-M-101")
    new = permit("MB-08", BLIND, 10, 12, pipeline="PL-M-101")
    [conflict] = blinding_pipeline_conflicts(new, [existing])
    assert (conflict.code, conflict.other_number) == ("blinding_same_pipeline_overlap", "MB-07")


def test_blinding_other_pipeline_or_later_window_is_fine() -> None:
    existing = permit("MB-07", BLIND, 9, 11, pipeline="PL-M-101")
    assert blinding_pipeline_conflicts(permit("MB-08", BLIND, 10, 12, pipeline="PL-M-102"), [existing]) == []
    assert blinding_pipeline_conflicts(permit("MB-09", BLIND, 11, 12, pipeline="PL-M-101"), [existing]) == []


def test_pipeline_rule_only_for_blinding() -> None:
    existing = permit("MB-07", BLIND, 9, 11, pipeline="PL-M-101")
    assert blinding_pipeline_conflicts(permit("DH-1", HOT, 9, 11, pipeline="PL-M-101"), [existing]) == []


# --------------------------------------------------------------------------- hot work near blinding


@pytest.mark.parametrize(
    ("metres", "conflict"), [(0, True), (29.9, True), (30, True), (30.5, False), (200, False)]
)
def test_hot_work_within_30m_of_blinding(metres: float, conflict: bool) -> None:
    blind = permit("MB-07", BLIND, 9, 11, fire_explosion_area=True)
    hot = permit("DH-1", HOT, 10, 12, lat=north(metres))
    found = hot_work_near_blinding(hot, [blind])
    assert bool(found) is conflict
    if conflict:
        assert (found[0].code, found[0].other_number) == ("hot_work_near_blinding", "MB-07")


def test_blinding_outside_fire_explosion_area_does_not_block_hot_work() -> None:
    blind = permit("MB-07", BLIND, 9, 11, fire_explosion_area=False)
    assert hot_work_near_blinding(permit("DH-1", HOT, 10, 12), [blind]) == []


def test_hot_work_near_blinding_checked_from_the_blinding_side() -> None:
    hot = permit("DH-1", HOT, 9, 11)
    [conflict] = hot_work_near_blinding(permit("MB-07", BLIND, 10, 12, fire_explosion_area=True), [hot])
    assert conflict.other_number == "DH-1"


def test_without_coordinates_the_named_area_decides() -> None:
    blind = permit("MB-07", BLIND, 9, 11, fire_explosion_area=True, lon=None, lat=None, area_name="酯化车间")
    assert hot_work_near_blinding(permit("DH-1", HOT, 10, 12, area_name="酯化车间"), [blind])
    assert hot_work_near_blinding(permit("DH-2", HOT, 10, 12, area_name="储罐区"), [blind]) == []
    assert hot_work_near_blinding(permit("DH-3", HOT, 10, 12, area_name=None), [blind]) == []


def test_hot_work_after_blinding_finished_is_fine() -> None:
    blind = permit("MB-07", BLIND, 9, 11, fire_explosion_area=True)
    assert hot_work_near_blinding(permit("DH-1", HOT, 11, 12), [blind]) == []


# --------------------------------------------------------------------------- hot work inside a confined space


def test_hot_work_in_confined_space_without_space_permit() -> None:
    hot = permit("DH-1", HOT, 9, 11, confined_space_name="T-203")
    [conflict] = hot_work_in_confined_space_unlinked(hot, [])
    assert (conflict.code, conflict.other_number) == ("hot_work_confined_space_unlinked", None)


def test_hot_work_in_confined_space_with_unlinked_space_permit() -> None:
    space = permit("SX-1", CS, 8, 16, confined_space_name="T-203")
    [conflict] = hot_work_in_confined_space_unlinked(
        permit("DH-1", HOT, 9, 11, confined_space_name="T-203"), [space]
    )
    assert conflict.other_number == "SX-1"


@pytest.mark.parametrize("link_on", ["hot", "space"])
def test_linked_either_way_is_fine(link_on: str) -> None:
    space = permit(
        "SX-1",
        CS,
        8,
        16,
        confined_space_name="T-203",
        related_numbers=("DH-1",) if link_on == "space" else (),
    )
    hot = permit(
        "DH-1", HOT, 9, 11, confined_space_name="T-203", related_numbers=("SX-1",) if link_on == "hot" else ()
    )
    assert hot_work_in_confined_space_unlinked(hot, [space]) == []
    assert hot_work_in_confined_space_unlinked(space, [hot]) == []


def test_space_permit_for_another_space_does_not_count() -> None:
    space = permit("SX-1", CS, 8, 16, confined_space_name="T-204", related_numbers=("DH-1",))
    [conflict] = hot_work_in_confined_space_unlinked(
        permit("DH-1", HOT, 9, 11, confined_space_name="T-203"), [space]
    )
    assert conflict.other_number is None


def test_new_space_permit_flags_unlinked_hot_work_inside() -> None:
    hot = permit("DH-1", HOT, 9, 11, confined_space_name="T-203")
    [conflict] = hot_work_in_confined_space_unlinked(
        permit("SX-1", CS, 8, 16, confined_space_name="T-203"), [hot]
    )
    assert (conflict.code, conflict.other_number) == ("hot_work_confined_space_unlinked", "DH-1")


def test_ordinary_hot_work_needs_no_space_permit() -> None:
    assert hot_work_in_confined_space_unlinked(permit("DH-1", HOT), []) == []


# --------------------------------------------------------------------------- aggregate


def test_check_conflicts_collects_all_and_assert_raises_first() -> None:
    blind = permit("MB-07", BLIND, 9, 11, fire_explosion_area=True, guardian="JH-1")
    hot = permit("DH-1", HOT, 10, 12, guardian="JH-1")
    assert [c.code for c in check_conflicts(hot, [blind])] == ["guardian_overlap", "hot_work_near_blinding"]
    with pytest.raises(PermitConflict) as exc:
        assert_no_conflicts(hot, [blind])
    assert exc.value.code == "guardian_overlap"
    assert len(exc.value.details["conflicts"]) == 2


def test_assert_no_conflicts_passes_quietly() -> None:
    assert_no_conflicts(permit("DH-1", HOT), [permit("DH-2", HOT, 12, 14)])
