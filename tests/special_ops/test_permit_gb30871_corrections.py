"""Issue 14 corrections to GB 30871-2022 through the API, at their edges (one section per clause)."""

from __future__ import annotations

import copy
from datetime import datetime

import pytest
import time_machine

from backend.accounts.models import Role
from tests.factories import member
from tests.helpers.permits import URL, body_of, load_sample

GAS = {"sampled_at": "2026-12-01T08:10:00+08:00", "sample_point": "动火点", "analyst": "董晓雪", "o2_pct_vol": 20.9,
       "flammable": [{"medium": "甲醇", "lel_pct_vol": 6.0, "reading_pct_vol": 0.0}], "toxic": []}

CASES = {c["case_id"]: c for c in load_sample()["cases"]}


def case_of(cid: str, level_declared=None, **facts):
    case = copy.deepcopy(CASES[cid])
    case["facts"].update(facts)
    case["level_declared"] = level_declared
    case.pop("permit_no")
    return case


# --- 1. §8.1.2: cold water ≤ 12 ℃ is the ninth height hazard factor ---------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(("water", "level", "factors"), [(12, "II", ["cold_water"]), (12.1, "I", []),
                                                         (None, "I", [])])
def test_height_cold_water_edge(driver, points, water, level, factors):
    r = driver.create(body_of(case_of("P24", water_temp_c=water), points))
    assert r.status_code == 201, r.json()
    assert r.json()["level"] == level


@pytest.mark.django_db
def test_height_cold_water_declared_factor(driver, points):
    r = driver.create(body_of(case_of("P24", hazard_factors=["cold_water"]), points))
    assert r.status_code == 201 and r.json()["level"] == "II"
    r = driver.create(body_of(case_of("P24", "Ⅰ", water_temp_c=10), points))
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "height_level_below_computed"


# --- 8. A.7 / Table B.1: excavation countersigns include steam (汽) ---------------------------------
@pytest.mark.django_db
def test_excavation_chain_has_steam_countersign(driver, points):
    pk = driver.create(body_of(case_of("P20"), points)).json()["id"]
    chain = driver.post(f"/api/v1/permits/{pk}/submit/").json()["chain"]
    countersigns = [s["step"] for s in chain if s["step"].startswith("countersign_")]
    assert countersigns == ["countersign_water", "countersign_power", "countersign_steam", "countersign_process",
                            "countersign_equipment", "countersign_fire", "countersign_safety"]
    assert next(s for s in chain if s["step"] == "countersign_steam")["name"] == "会签：供汽"


# --- 10. separation of duties: the applicant and the work leader never accept their own job ---------
def _completed_hot_work(driver, points) -> int:
    from tests.helpers.permits import hot_work_case

    p = driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")
    pk = p["id"]
    with time_machine.travel(datetime.fromisoformat("2026-12-01T08:30:00+08:00"), tick=False):
        driver.sign_phase(pk, "pre_start")
        assert driver.post(f"{URL}{pk}/gas-tests/", GAS).status_code == 201
        assert driver.post(f"{URL}{pk}/start/").json()["state"] == "in_progress"
        assert driver.post(f"{URL}{pk}/complete/").json()["state"] == "completed"
    return pk


@pytest.mark.django_db
def test_applicant_by_name_cannot_accept(driver, points, orgs):
    pk = _completed_hot_work(driver, points)
    applicant = member(orgs.owner, Role.EMPLOYEE, full_name="孙国庆")  # the sample's applicant (named, no account)
    r = driver.post(f"{URL}{pk}/accept/", {"opinion": "合格"}, applicant)
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "separation_of_duties"
    assert "作业负责人" in r.json()["errors"][0]["detail"]
    assert driver.get(pk)["state"] == "completed"  # nothing half-written
    assert driver.post(f"{URL}{pk}/accept/", {"opinion": "合格"}, driver.unit_lead).json()["state"] == "accepted"


@pytest.mark.django_db
def test_work_leader_who_signed_cannot_accept(driver, points, orgs):
    pk = _completed_hot_work(driver, points)
    r = driver.post(f"{URL}{pk}/accept/", {}, orgs.employee)  # the driver signs work_leader as employee
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "separation_of_duties"
