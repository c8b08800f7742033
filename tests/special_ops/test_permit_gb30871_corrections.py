"""Issue 14 corrections to GB 30871-2022 through the API, at their edges (one section per clause)."""

from __future__ import annotations

import copy

import pytest

from tests.helpers.permits import body_of, load_sample

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
