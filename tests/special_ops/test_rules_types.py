"""special_ops.rules.types: permit types, states and the transition table."""

from __future__ import annotations

import pytest

from special_ops.rules.types import (
    CONFLICT_STATES,
    LIVE_STATES,
    OPEN_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    InvalidTransition,
    PermitAction,
    PermitState,
    PermitType,
    next_state,
)


def test_permit_types_codes_labels_prefixes() -> None:
    assert [(t.value, t.national_code, t.label, t.number_prefix) for t in PermitType] == [
        ("hot_work", 1, "动火作业", "DH"),
        ("confined_space", 2, "受限空间作业", "SX"),
        ("blinding", 3, "盲板抽堵作业", "MB"),
        ("height", 4, "高处作业", "GC"),
        ("lifting", 5, "吊装作业", "DZ"),
        ("temp_power", 6, "临时用电作业", "LD"),
        ("excavation", 7, "动土作业", "DT"),
        ("road_closure", 8, "断路作业", "DL"),
    ]


def test_from_national_code() -> None:
    assert PermitType.from_national_code(8) is PermitType.ROAD_CLOSURE
    with pytest.raises(ValueError, match="unknown"):
        PermitType.from_national_code(9)


def test_state_groups() -> None:
    assert {s.value for s in LIVE_STATES} == {"approved", "in_progress", "suspended"}
    assert {s.value for s in TERMINAL_STATES} == {"accepted", "rejected", "cancelled", "expired"}
    assert OPEN_STATES | TERMINAL_STATES == set(PermitState)
    assert not OPEN_STATES & TERMINAL_STATES
    assert LIVE_STATES < CONFLICT_STATES < OPEN_STATES
    assert all(s.label for s in PermitState)


def test_transition_table_covers_every_action() -> None:
    assert set(TRANSITIONS) == set(PermitAction)
    for transition in TRANSITIONS.values():
        assert not transition.sources & TERMINAL_STATES, "no transition leaves a terminal state"


@pytest.mark.parametrize(
    ("action", "state", "target"),
    [
        ("submit", "draft", "submitted"),
        ("approve", "submitted", "approved"),
        ("reject", "submitted", "rejected"),
        ("start", "approved", "in_progress"),
        ("suspend", "in_progress", "suspended"),
        ("resume", "suspended", "in_progress"),
        ("complete", "in_progress", "completed"),
        ("accept", "completed", "accepted"),
        ("cancel", "approved", "cancelled"),
        ("expire", "in_progress", "expired"),
    ],
)
def test_happy_transitions(action: str, state: str, target: str) -> None:
    assert next_state(action, state) is PermitState(target)


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("start", "submitted"),
        ("approve", "draft"),
        ("resume", "in_progress"),
        ("cancel", "in_progress"),
        ("submit", "accepted"),
    ],
)
def test_refused_transitions(action: str, state: str) -> None:
    with pytest.raises(InvalidTransition) as exc:
        next_state(action, state)
    assert exc.value.code == "invalid_transition"
    assert exc.value.details == {"action": action, "state": state}
