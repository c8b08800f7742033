"""The pure escalation ladder (DOMAIN.md §5 defaults, ESCALATION_LADDER override)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from backend.core.time import SHANGHAI
from compliance.rules import escalation as L

DEADLINE = datetime(2026, 12, 10, 23, 59, 59, 999999, tzinfo=SHANGHAI)


def codes(steps):
    return [s.code for s in steps]


def test_defaults_follow_domain_section_5():
    assert codes(L.DEFAULT_LADDER) == ["reminder", "overdue", "principal", "regulator"]
    offsets = {s.code: s.offset for s in L.DEFAULT_LADDER}
    assert offsets == {"reminder": timedelta(days=-1), "overdue": timedelta(0), "principal": timedelta(days=3),
                       "regulator": timedelta(days=7)}
    assert [s.code for s in L.DEFAULT_LADDER if s.major_immediate] == ["regulator"]


@pytest.mark.parametrize(("delta", "expected"), [
    (timedelta(days=-2), []),
    (timedelta(days=-1) - timedelta(microseconds=1), []),
    (timedelta(days=-1), ["reminder"]),
    (timedelta(seconds=1), ["reminder", "overdue"]),
    (timedelta(days=3), ["reminder", "overdue", "principal"]),
    (timedelta(days=7, minutes=1), ["reminder", "overdue", "principal", "regulator"]),
    (timedelta(days=8), ["reminder", "overdue", "principal", "regulator"]),
])
def test_due_steps_in_order_at_the_boundaries(delta, expected):
    assert codes(L.due_steps(DEADLINE, DEADLINE + delta)) == expected


def test_done_steps_are_not_due_again_and_major_goes_to_regulator_at_once():
    now = DEADLINE + timedelta(days=4)
    assert codes(L.due_steps(DEADLINE, now, done={"reminder", "overdue"})) == ["principal"]
    early = DEADLINE - timedelta(days=5)
    assert codes(L.due_steps(DEADLINE, early, major=True)) == ["regulator"]
    assert codes(L.due_steps(None, early, major=True)) == ["regulator"]
    assert L.due_steps(None, early) == []


def test_override_changes_offsets_and_switches_steps_off():
    ladder = L.build_ladder({"principal": 48, "reminder": None})
    assert codes(ladder) == ["overdue", "principal", "regulator"]
    assert ladder[1].offset == timedelta(hours=48)
    assert codes(L.due_steps(DEADLINE, DEADLINE + timedelta(days=2), ladder=ladder)) == ["overdue", "principal"]


@pytest.mark.parametrize("override", [{"nope": 1}, {"principal": "3d"}, {"principal": True}])
def test_bad_override_is_refused(override):
    with pytest.raises(ValueError, match="ESCALATION_LADDER"):
        L.build_ladder(override)


def test_naive_now_is_refused_and_cutoff_is_now_minus_offset():
    with pytest.raises(ValueError):
        L.is_due(L.DEFAULT_LADDER[0], DEADLINE, datetime(2026, 12, 10))  # noqa: DTZ001
    assert L.cutoff(L.DEFAULT_LADDER[2], DEADLINE) == DEADLINE - timedelta(days=3)
