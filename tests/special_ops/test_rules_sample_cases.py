"""Every case of shared/data/permits_sample.json through the pure permit rules.

Cases are processed in ascending ``submitted_at`` (the file's ``conventions.processing_order``):
the submit stage computes the level, checks the declared level, validity, certificates and
conflicts against the permits that passed submission earlier; the start stage gates on the gas
tests at ``planned_start``. The first refusal's code must equal ``expected_code``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from special_ops.rules.approvals import approval_chain, check_certificates
from special_ops.rules.calendar import parse_day_type, window_day_types, window_has_night
from special_ops.rules.conflicts import PermitSnapshot, assert_no_conflicts
from special_ops.rules.errors import RuleError
from special_ops.rules.gas import check_start_gas
from special_ops.rules.levels import (
    LEVELS_BY_TYPE,
    PermitLevel,
    check_declared_level,
    height_level_from_facts,
    hot_work_level,
    lifting_level,
    parse_declared_level,
    stricter,
)
from special_ops.rules.types import PermitState, PermitType
from special_ops.rules.validity import check_validity
from tests.helpers.samples import PERMITS_JSON

SAMPLE_FILE = PERMITS_JSON
SAMPLE = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
CASES = sorted(SAMPLE["cases"], key=lambda c: datetime.fromisoformat(c["submitted_at"]))


@dataclass(frozen=True)
class Outcome:
    code: str
    stage: str | None
    level: PermitLevel | None


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def computed_level(case: dict[str, Any]) -> PermitLevel | None:
    permit_type, facts = PermitType(case["type"]), case["facts"]
    if permit_type is PermitType.HOT_WORK:
        return hot_work_level(facts, _dt(case["planned_start"]), _dt(case["planned_end"]))[0]
    if permit_type is PermitType.HEIGHT:
        return height_level_from_facts(facts)
    if permit_type is PermitType.LIFTING:
        return lifting_level(facts["load_t"])
    return None


def snapshot(case: dict[str, Any], state: PermitState = PermitState.SUBMITTED) -> PermitSnapshot:
    facts = case["facts"]
    return PermitSnapshot(
        id=case["case_id"],
        number=case["permit_no"],
        type=case["type"],
        state=state,
        start=_dt(case["planned_start"]),
        end=_dt(case["planned_end"]),
        guardian=case["guardian"]["cert_no"],
        pipeline=facts.get("pipeline_id"),
        location=case["location"],
        lon=case["lon"],
        lat=case["lat"],
        fire_explosion_area=facts.get("in_fire_explosion_area") is True,
        area_name=case["risk_point"]["name"],
        confined_space_name=facts.get("space_name"),
        related_numbers=tuple(case["related_permits"]),
    )


def submit(case: dict[str, Any], filed: list[PermitSnapshot]) -> PermitLevel | None:
    """The submit-stage rules; returns the level the permit is managed at."""
    permit_type = PermitType(case["type"])
    level = computed_level(case)
    declared = parse_declared_level(permit_type, case["level_declared"])
    check_declared_level(permit_type, declared, level)
    effective = stricter(declared, level)
    check_validity(permit_type, effective, _dt(case["planned_start"]), _dt(case["planned_end"]))
    check_certificates(case["workers"])
    assert_no_conflicts(snapshot(case), filed)
    return effective


def run_all() -> dict[str, Outcome]:
    filed: list[PermitSnapshot] = []
    outcomes: dict[str, Outcome] = {}
    for case in CASES:
        level = None
        try:
            level = computed_level(case)
            effective = submit(case, filed)
        except RuleError as exc:
            outcomes[case["case_id"]] = Outcome(exc.code, "submit", level)
            continue
        # Filed: later cases see it (approved, not yet started) in their conflict checks.
        filed.append(snapshot(case, PermitState.APPROVED))
        try:
            check_start_gas(
                case["type"], effective, case["gas_tests"], _dt(case["planned_start"]), case["facts"]
            )
        except RuleError as exc:
            outcomes[case["case_id"]] = Outcome(exc.code, "start", level)
            continue
        outcomes[case["case_id"]] = Outcome("accept", None, level)
    return outcomes


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    return run_all()


def test_data_file_is_in_the_repository() -> None:
    assert SAMPLE_FILE.parent == Path(__file__).resolve().parents[2] / "samples"
    assert SAMPLE_FILE.is_file()
    assert len(CASES) == 24


@pytest.mark.parametrize("case", CASES, ids=[c["case_id"] for c in CASES])
def test_expected_code_and_stage(case: dict[str, Any], outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case["case_id"]]
    assert outcome.code == case["expected_code"]
    assert outcome.stage == case["check_stage"]
    assert case["expected"].startswith("accept" if outcome.code == "accept" else "reject")


@pytest.mark.parametrize("case", CASES, ids=[c["case_id"] for c in CASES])
def test_expected_level(case: dict[str, Any], outcomes: dict[str, Outcome]) -> None:
    expected = parse_declared_level(case["type"], case["expected_level"])
    actual = outcomes[case["case_id"]].level
    assert actual is expected  # enum members are singletons; None where no level applies


@pytest.mark.parametrize("case", CASES, ids=[c["case_id"] for c in CASES])
def test_type_code_name_and_number_prefix(case: dict[str, Any]) -> None:
    permit_type = PermitType(case["type"])
    assert permit_type.national_code == case["type_code"]
    assert permit_type.label == case["type_name"]
    assert case["permit_no"].split("-")[0] == permit_type.number_prefix


HOT_WORK_CASES = [c for c in CASES if c["type"] == "hot_work"]


@pytest.mark.parametrize("case", HOT_WORK_CASES, ids=[c["case_id"] for c in HOT_WORK_CASES])
def test_declared_day_type_and_night_agree_with_calendar(case: dict[str, Any]) -> None:
    start, end = _dt(case["planned_start"]), _dt(case["planned_end"])
    assert set(window_day_types(start, end).values()) == {parse_day_type(case["facts"]["day_type"])}
    assert window_has_night(start, end) is case["facts"]["night"]


ACCEPTED_CASES = [c for c in CASES if c["expected_code"] == "accept"]


@pytest.mark.parametrize("case", ACCEPTED_CASES, ids=[c["case_id"] for c in ACCEPTED_CASES])
def test_every_accepted_case_has_an_approval_chain(
    case: dict[str, Any], outcomes: dict[str, Outcome]
) -> None:
    outcome = outcomes[case["case_id"]]
    assert outcome.code == "accept"
    level = outcome.level if PermitType(case["type"]) in LEVELS_BY_TYPE else None
    chain = approval_chain(case["type"], level)
    assert chain[0].code == "work_leader"
    assert chain[-1].code == "acceptance"


def test_related_permits_are_reciprocal() -> None:
    by_number = {c["permit_no"]: c for c in CASES}
    for case in CASES:
        for number in case["related_permits"]:
            assert case["permit_no"] in by_number[number]["related_permits"], (case["case_id"], number)
