"""Every case of shared/data/permits_sample.json through the API.

Cases are filed in ascending ``submitted_at`` (the clock set to it): create, submit, confirm the
measures, brief and approve with users of each step's role; then, at ``planned_start``, the gas
tests are recorded, the pre-start checks signed and the permit started. A rejected case must fail at
its ``check_stage`` with ``expected_code``; the computed level must be ``expected_level``.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from special_ops.rules.levels import parse_declared_level
from tests.helpers.permits import URL, body_of, gas_body, load_sample

SAMPLE = load_sample()
CASES = sorted(SAMPLE["cases"], key=lambda c: datetime.fromisoformat(c["submitted_at"]))


def run_case(driver, points, case):
    """Returns (stage, code, computed level) for one case."""
    with time_machine.travel(datetime.fromisoformat(case["submitted_at"]), tick=False):
        r = driver.create(body_of(case, points))
        if r.status_code != 201:
            err = r.json()["errors"][0]
            # A refused declared level names the computed one ("…请按一级办理。（适用规则：…）").
            assert r.json()["details"]["rule_set"]["permits"] == "GB 30871-2022"
            message = err["detail"].split("（适用规则：", 1)[0]
            level = parse_declared_level(case["type"], message.rsplit("请按", 1)[1].removesuffix("办理。")) \
                if err["code"].endswith("_level_below_computed") else None
            return "submit", err["code"], r.status_code, level.value if level else None
        permit = r.json()
        pk = permit["id"]
        r = driver.post(f"{URL}{pk}/submit/")
        if r.status_code != 200:
            return "submit", r.json()["errors"][0]["code"], r.status_code, permit["level_computed"]
        driver.prepare(pk)
        permit = driver.sign_phase(pk, "approval")
        assert permit["state"] == "approved"
    with time_machine.travel(datetime.fromisoformat(case["planned_start"]), tick=False):
        for test in case["gas_tests"]:
            r = driver.post(f"{URL}{pk}/gas-tests/", gas_body(test))
            assert r.status_code == 201, r.json()
        driver.sign_phase(pk, "pre_start")
        r = driver.post(f"{URL}{pk}/start/")
        if r.status_code != 200:
            return "start", r.json()["errors"][0]["code"], r.status_code, permit["level_computed"]
        assert r.json()["state"] == "in_progress"
    return None, "accept", 200, permit["level_computed"]


@pytest.mark.django_db
def test_every_sample_case_produces_its_expected_outcome_through_the_api(driver, points, orgs):
    assert len(CASES) == 24
    outcomes = {case["case_id"]: run_case(driver, points, case) for case in CASES}
    for case in CASES:
        stage, code, http, level = outcomes[case["case_id"]]
        assert (stage, code) == (case["check_stage"], case["expected_code"]), case["case_id"]
        if code != "accept":
            assert http in (400, 409), case["case_id"]
        if code in {"guardian_overlap", "blinding_same_pipeline_overlap"}:
            assert http == 409
        expected = parse_declared_level(case["type"], case["expected_level"])
        if case["expected_code"] not in {"height_below_2m_no_permit", "lifting_below_10t_no_permit"}:
            assert (level or None) == (expected.value if expected else None), case["case_id"]
        else:
            assert level is None


@pytest.mark.django_db
def test_conflict_message_names_the_other_permit(driver, points, orgs):
    by_id = {c["case_id"]: c for c in CASES}
    for cid in ("P07",):
        driver.file_and_approve(body_of(by_id[cid], points), at=by_id[cid]["submitted_at"])
    with time_machine.travel(datetime.fromisoformat(by_id["P22"]["submitted_at"]), tick=False):
        pk = driver.create(body_of(by_id["P22"], points)).json()["id"]
        r = driver.post(f"{URL}{pk}/submit/")
    assert r.status_code == 409
    err = r.json()["errors"][0]
    assert err["code"] == "guardian_overlap" and by_id["P07"]["permit_no"] in err["detail"]


@pytest.mark.django_db
def test_sample_levels_and_numbers_are_kept(driver, points, orgs):
    by_id = {c["case_id"]: c for c in CASES}
    p = driver.file_and_approve(body_of(by_id["P12"], points), at=by_id["P12"]["submitted_at"])
    assert p["permit_no"] == "GC-20261202-01"
    assert (p["level"], p["level_display"]) == ("III", "Ⅲ级")
    # SB-02 is 较大: one more approval step (principal) than the plain chain.
    assert [s["step"] for s in p["chain"] if s["phase"] == "approval"][-1] == "principal_approval"
