"""Band edges through the API: height, lifting, hot-work gas timing and O2; holiday and 调休 levels."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

import pytest
import time_machine

from tests.helpers.permits import URL, body_of, hot_work_case, load_sample

CASES = {c["case_id"]: c for c in load_sample()["cases"]}


def case_of(cid: str, **facts):
    case = copy.deepcopy(CASES[cid])
    case["facts"].update(facts)
    case["level_declared"] = None
    case.pop("permit_no")
    return case


@pytest.mark.django_db
@pytest.mark.parametrize(("height", "factors", "level"), [
    (2, [], "I"), (5, [], "I"), (5.01, [], "II"), (15, [], "II"), (15.01, [], "III"), (30, [], "III"), (30.01, [], "IV"),
    (2, ["strong_wind"], "II"), (5, ["slippery"], "II"), (15, ["poor_light"], "III"), (30, ["rescue"], "IV"),
    (31, ["near_live_parts"], "IV"),
])
def test_height_bands(driver, points, height, factors, level):
    r = driver.create(body_of(case_of("P24", height_m=height, hazard_factors=factors), points))
    assert r.status_code == 201, r.json()
    assert r.json()["level"] == level


@pytest.mark.django_db
@pytest.mark.parametrize("height", [1.99, 0])
def test_height_below_2m_is_coded_400(driver, points, height):
    r = driver.create(body_of(case_of("P24", height_m=height), points))
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "height_below_2m_no_permit"
    assert r.json()["errors"][0]["attr"] == "height_m"


@pytest.mark.django_db
def test_declared_height_level_lower_than_computed_is_400(driver, points):
    case = case_of("P24", height_m=6)
    case["level_declared"] = "Ⅰ"
    assert driver.create(body_of(case, points)).json()["errors"][0]["code"] == "height_level_below_computed"
    case["level_declared"] = "Ⅲ"  # stricter is allowed
    assert driver.create(body_of(case, points)).json()["level"] == "III"


@pytest.mark.django_db
@pytest.mark.parametrize(("load", "level"), [(10, "third"), (39.99, "third"), (40, "second"), (100, "second"),
                                             (100.01, "first")])
def test_lifting_bands(driver, points, load, level):
    r = driver.create(body_of(case_of("P16", load_t=load), points))
    assert r.status_code == 201, r.json()
    assert r.json()["level"] == level


@pytest.mark.django_db
def test_lifting_below_10t_is_filed_as_third_level(driver, points):
    r = driver.create(body_of(case_of("P16", load_t=9.9), points))
    assert r.status_code == 201, r.json()
    assert r.json()["level"] == "third"


def _approved_hot_work(driver, points):
    p = driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")
    return p["id"]


@pytest.mark.django_db
@pytest.mark.parametrize(("minutes_before", "ok"), [(30, True), (29, True), (31, False)])
def test_hot_work_gas_sample_must_be_at_most_30_min_old(driver, points, minutes_before, ok):
    pk = _approved_hot_work(driver, points)
    start = datetime.fromisoformat("2026-12-01T09:00:00+08:00")
    with time_machine.travel(start, tick=False):
        driver.sign_phase(pk, "pre_start")
        sampled = (start - timedelta(minutes=minutes_before)).isoformat()
        driver.post(f"{URL}{pk}/gas-tests/", {"sampled_at": sampled, "sample_point": "动火点", "analyst": "董晓雪",
                                               "flammable": [{"medium": "甲醇", "lel_pct_vol": 6.0, "reading_pct_vol": 0.1}]})
        r = driver.post(f"{URL}{pk}/start/")
    if ok:
        assert r.json()["state"] == "in_progress"
    else:
        assert r.status_code == 400 and r.json()["errors"][0]["code"] == "gas_test_stale"


@pytest.mark.django_db
@pytest.mark.parametrize(("o2", "enriched", "code"), [
    (19.5, False, None), (21.0, False, None), (19.4, False, "o2_out_of_range"), (21.1, False, "o2_out_of_range"),
    (23.5, False, "o2_out_of_range"), (23.5, True, None), (23.6, True, "o2_out_of_range"),
])
def test_confined_space_oxygen_window(driver, points, o2, enriched, code):
    case = copy.deepcopy(CASES["P07"])
    case["facts"]["oxygen_enriched_declared"] = enriched
    pk = driver.file_and_approve(body_of(case, points), at=case["submitted_at"])["id"]
    with time_machine.travel(datetime.fromisoformat(case["planned_start"]), tick=False):
        test = copy.deepcopy(case["gas_tests"][0])
        test["o2_pct_vol"] = o2
        test["toxic"] = [{"gas": "硫化氢", "formula": "H2S", "reading_ppm": 1.0}]
        g = driver.post(f"{URL}{pk}/gas-tests/", test).json()
        assert g["passed"] is (code is None)
        r = driver.post(f"{URL}{pk}/start/")
    if code is None:
        assert r.json()["state"] == "in_progress"
    else:
        assert r.json()["errors"][0]["code"] == code


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "declared", "expected_code", "level"), [
    ("2027-01-01", "二级", "hot_work_level_below_computed", None),  # 元旦: statutory holiday → 一级
    ("2027-01-01", "一级", None, "first"),
    ("2025-09-28", "二级", None, "second"),  # Sunday, but a 调休 working day
    ("2025-09-21", "二级", "hot_work_level_below_computed", None),  # ordinary Sunday: rest day → 一级
])
def test_second_level_hot_work_on_holiday_and_adjusted_workday(driver, points, day, declared, expected_code, level):
    case = hot_work_case(permit_no=None, level_declared=declared, planned_start=f"{day}T09:00:00+08:00",
                         planned_end=f"{day}T15:00:00+08:00")
    case.pop("permit_no")
    case["facts"].pop("day_type")
    r = driver.create(body_of(case, points))
    if expected_code:
        assert r.status_code == 400 and r.json()["errors"][0]["code"] == expected_code
        assert "一级" in r.json()["errors"][0]["detail"]
    else:
        assert r.status_code == 201, r.json()
        assert r.json()["level"] == level


@pytest.mark.django_db
def test_night_raises_hot_work_level(driver, points):
    case = hot_work_case(level_declared=None, planned_start="2026-12-01T20:00:00+08:00",
                         planned_end="2026-12-01T23:00:00+08:00")
    p = driver.create(body_of(case, points)).json()
    assert p["level"] == "first" and "night" in p["level_reasons"]
