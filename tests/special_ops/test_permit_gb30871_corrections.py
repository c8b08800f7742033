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


# --- 2. Table B.1 approvers by level (configurable per enterprise), Table B.2 raises ----------------
def _approver(driver, body) -> dict:
    r = driver.create(body)
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    chain = driver.post(f"{URL}{pk}/submit/").json()["chain"]
    driver.post(f"{URL}{pk}/cancel/", {"reason": "只看审批链"})  # the next one may use the same guardian
    return next(s for s in chain if s["step"] == "approver")


@pytest.mark.django_db
@pytest.mark.parametrize(("cid", "facts", "role", "name"), [
    ("P24", {"height_m": 3.5}, "employee", "审批：所在基层单位（Ⅰ级）"),
    ("P24", {"height_m": 6}, "safety_officer", "审批：所在单位专业部门（Ⅱ级）"),
    ("P24", {"height_m": 20}, "safety_officer", "审批：所在单位专业部门（Ⅲ级）"),
    ("P24", {"height_m": 31}, "principal", "审批：主管厂长或总工程师（Ⅳ级）"),
    ("P16", {"load_t": 9.9}, "safety_officer", "审批：所在单位专业部门（三级）"),
    ("P16", {"load_t": 100}, "safety_officer", "审批：所在单位专业部门（二级）"),
    ("P16", {"load_t": 100.01}, "principal", "审批：主管厂长或总工程师（一级）"),
])
def test_table_b1_approver_by_level(driver, points, cid, facts, role, name):
    step = _approver(driver, body_of(case_of(cid, **facts), points))
    assert (step["role"], step["name"]) == (role, name)


@pytest.mark.django_db
@pytest.mark.parametrize(("cid", "facts", "role", "name"), [
    ("P24", {"height_m": 3.5, "approval_situations": ["night"]}, "safety_officer", "审批：所在单位专业部门（Ⅰ级，按表B.2提级）"),
    ("P24", {"height_m": 20, "approval_situations": ["rain", "live_electrical"]}, "principal",
     "审批：主管厂长或总工程师（Ⅲ级，按表B.2提级）"),
    ("P24", {"height_m": 31, "approval_situations": ["snow"]}, "principal", "审批：主管厂长或总工程师（Ⅳ级，按表B.2提级）"),
    ("P16", {"load_t": 40, "approval_situations": ["near_flammable_or_rotating"]}, "principal",
     "审批：主管厂长或总工程师（二级，按表B.2提级）"),
])
def test_table_b2_situation_raises_the_approver(driver, points, cid, facts, role, name):
    step = _approver(driver, body_of(case_of(cid, **facts), points))
    assert (step["role"], step["name"]) == (role, name)


@pytest.mark.django_db
def test_unknown_b2_situation_is_400(driver, points):
    r = driver.create(body_of(case_of("P24", approval_situations=["fog"]), points))
    assert r.status_code == 400 and r.json()["errors"][0]["attr"].startswith("facts.approval_situations")


@pytest.mark.django_db
def test_enterprise_sets_its_own_b1_approver(driver, points, orgs):
    from special_ops.models import PermitApproverSetting

    PermitApproverSetting.objects.create(enterprise=orgs.owner, type="height", level="II", approver_name="设备安全部",
                                         role="principal")
    step = _approver(driver, body_of(case_of("P24", height_m=6), points))
    assert (step["role"], step["name"]) == ("principal", "审批：设备安全部（Ⅱ级）")
    # the other levels keep the standard's default, and another enterprise is not affected
    assert _approver(driver, body_of(case_of("P24", height_m=20), points))["role"] == "safety_officer"
    # the approver is fixed at submit: a later change of the setting does not move a chain being signed
    pk = driver.create(body_of(case_of("P24", height_m=6), points)).json()["id"]
    driver.post(f"{URL}{pk}/submit/")
    PermitApproverSetting.objects.filter(enterprise=orgs.owner).update(role="safety_officer")
    assert next(s for s in driver.get(pk)["chain"] if s["step"] == "approver")["role"] == "principal"


# --- 3. §5.2.15 outdoor hot work at wind ≥ 5; §5.1.1 the enterprise's 其他特殊情况 ---------------------
def _hot(level_declared="二级", **facts):
    from tests.helpers.permits import hot_work_case

    case = hot_work_case(level_declared=level_declared, facts=facts)
    case.pop("permit_no")
    return case


@pytest.mark.django_db
def test_outdoor_hot_work_at_wind_4_stays_second(driver, points):
    r = driver.create(body_of(_hot(outdoor=True, wind_force=4), points))
    assert r.status_code == 201 and r.json()["level"] == "second" and r.json()["level_reasons"] == []


@pytest.mark.django_db
def test_outdoor_hot_work_at_wind_5_is_refused(driver, points):
    r = driver.create(body_of(_hot(outdoor=True, wind_force=5), points))
    err = r.json()["errors"][0]
    assert r.status_code == 400 and err["code"] == "hot_work_strong_wind" and err["attr"] == "facts.wind_force"
    assert "风力 5 级" in err["detail"] and "§5.2.15" in err["detail"]


@pytest.mark.django_db
def test_indoor_hot_work_at_wind_5_is_not_affected(driver, points):
    assert driver.create(body_of(_hot(outdoor=False, wind_force=5), points)).json()["level"] == "second"


@pytest.mark.django_db
def test_wind_5_with_production_need_is_raised_one_level(driver, points):
    need = {"outdoor": True, "wind_force": 5, "production_need": True}
    r = driver.create(body_of(_hot(**need), points))
    assert r.json()["errors"][0]["code"] == "production_need_reason_required"
    assert r.json()["errors"][0]["attr"] == "facts.production_need_reason"
    need["production_need_reason"] = "循环水泵抢修，停泵影响全厂冷却"
    r = driver.create(body_of(_hot(**need), points))
    err = r.json()["errors"][0]
    assert err["code"] == "hot_work_level_below_computed" and "“一级”" in err["detail"] and "五级风" in err["detail"]
    r = driver.create(body_of(_hot("一级", **need) | {}, points))
    assert r.status_code == 201 and r.json()["level"] == "first" and r.json()["level_reasons"] == ["strong_wind"]


@pytest.mark.django_db
def test_enterprise_special_situation_raises_with_its_reason(driver, points):
    r = driver.create(body_of(_hot(special_situation="全厂停车大检修期间交叉作业多"), points))
    err = r.json()["errors"][0]
    assert err["code"] == "hot_work_level_below_computed" and "其他特殊情况" in err["detail"]
    r = driver.create(body_of(_hot("一级", special_situation="全厂停车大检修期间交叉作业多"), points))
    assert r.json()["level"] == "first" and r.json()["facts"]["special_situation"] == "全厂停车大检修期间交叉作业多"


# --- 4. §10.8 temporary electricity: 15 days, 30 in a declared special case, the fed permit's window --
def _power(days: float, **facts):
    from datetime import timedelta

    case = case_of("P19", **facts)
    case["planned_end"] = (datetime.fromisoformat(case["planned_start"]) + timedelta(days=days)).isoformat()
    return case


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "special", "ok"), [(15, False, True), (16, False, False), (30, True, True),
                                                     (31, True, False), (16, True, True)])
def test_temp_power_validity_edges(driver, points, days, special, ok):
    facts = {"special_case": True, "special_case_reason": "全厂大修期间检修照明"} if special else {}
    r = driver.create(body_of(_power(days, **facts), points))
    if ok:
        assert r.status_code == 201, r.json()
    else:
        err = r.json()["errors"][0]
        assert r.status_code == 400 and err["code"] == "validity_exceeded" and err["attr"] == "planned_end"
        assert f"{days} 天" in err["detail"] and ("30 天" if special else "15 天") in err["detail"]


@pytest.mark.django_db
def test_temp_power_special_case_needs_reason(driver, points):
    r = driver.create(body_of(_power(20, special_case=True), points))
    assert r.json()["errors"][0]["code"] == "special_case_reason_required"
    assert r.json()["errors"][0]["attr"] == "facts.special_case_reason"


@pytest.mark.django_db
def test_temp_power_feeding_hot_work_gets_that_permits_window(driver, points):
    from tests.helpers.permits import hot_work_case

    hot = driver.create(body_of(hot_work_case(), points)).json()  # 2026-12-01 08:30–16:30
    case = case_of("P19", feeds_permit_no=hot["permit_no"])
    case["planned_start"], case["planned_end"] = "2026-12-01T08:30:00+08:00", "2026-12-01T16:30:00+08:00"
    assert driver.create(body_of(case, points)).status_code == 201
    case["planned_end"] = "2026-12-01T16:31:00+08:00"
    err = driver.create(body_of(case, points)).json()["errors"][0]
    assert err["code"] == "validity_exceeded" and err["attr"] == "planned_end" and hot["permit_no"] in err["detail"]
    case["planned_start"], case["planned_end"] = "2026-12-01T08:00:00+08:00", "2026-12-01T12:00:00+08:00"
    assert driver.create(body_of(case, points)).json()["errors"][0]["attr"] == "planned_start"
    case["facts"]["feeds_permit_no"] = "DH-20991231-09"
    err = driver.create(body_of(case, points)).json()["errors"][0]
    assert err["code"] == "fed_permit_not_found" and err["attr"] == "facts.feeds_permit_no"


# --- 7. §5.1.1 with §5.1.5: upgrades judged per work period (each start / resume) --------------------
def _gas(at: str) -> dict:
    return GAS | {"sampled_at": at}


@pytest.mark.django_db
def test_three_day_daytime_second_level_job_and_its_night_resume(driver, points):
    from tests.helpers.permits import hot_work_case

    # Tue 2026-12-01 08:30 → Fri 12-04 08:30: 72 h, the 二级 cap; worked in daytime shifts.
    case = hot_work_case(planned_end="2026-12-04T08:30:00+08:00")
    case.pop("permit_no")
    p = driver.file_and_approve(body_of(case, points), at="2026-11-30T10:00:00+08:00")
    assert p["level"] == "second" and p["level_reasons"] == []
    pk = p["id"]
    steps = [("2026-12-01T08:30:00+08:00", "start", 200), ("2026-12-01T17:00:00+08:00", "suspend", 200),
             ("2026-12-02T08:00:00+08:00", "resume", 200),  # day 2, daytime: still 二级
             ("2026-12-02T17:00:00+08:00", "suspend", 200),
             ("2026-12-02T22:30:00+08:00", "resume", 400)]  # night: needs 一级
    for at, action, status in steps:
        with time_machine.travel(datetime.fromisoformat(at), tick=False):
            if action == "start":
                driver.sign_phase(pk, "pre_start")
            if action in ("start", "resume"):
                sampled = (datetime.fromisoformat(at).replace(minute=0) if at.endswith("30:00+08:00")
                           else datetime.fromisoformat(at)).isoformat()
                assert driver.post(f"{URL}{pk}/gas-tests/", _gas(sampled)).status_code == 201
            r = driver.post(f"{URL}{pk}/{action}/")
            assert r.status_code == status, (at, r.json())
    err = r.json()["errors"][0]
    assert err["code"] == "hot_work_upgrade_required"
    assert "夜间" in err["detail"] and "一级" in err["detail"] and "二级" in err["detail"]
    assert driver.get(pk)["state"] == "suspended"


@pytest.mark.django_db
def test_multi_day_job_starting_on_a_rest_day_is_first_level(driver, points):
    from tests.helpers.permits import hot_work_case

    # Sat 2026-12-05 08:30 → Mon 12-07 08:30: the first work period is on a rest day.
    case = hot_work_case(planned_start="2026-12-05T08:30:00+08:00", planned_end="2026-12-07T08:30:00+08:00")
    case.pop("permit_no")
    err = driver.create(body_of(case, points)).json()["errors"][0]
    assert err["code"] == "hot_work_level_below_computed" and "公休日" in err["detail"]


# --- 6. §5.1.4 ¶2: a stopped, isolated unit's hot work managed as 二级 with the named head's approval --
@pytest.mark.django_db
def test_isolated_unit_hot_work_is_second_level_with_named_approver(driver, points):
    facts = {"isolated_unit": True}
    r = driver.create(body_of(case_of("P02", "二级", **facts), points))  # fire-explosion area: 一级 otherwise
    err = r.json()["errors"][0]
    assert err["code"] == "isolated_unit_approver_required" and err["attr"] == "facts.isolated_unit_approver"
    facts["isolated_unit_approver"] = "生产副总经理 王建国"
    r = driver.create(body_of(case_of("P02", "二级", **facts), points))
    assert r.status_code == 201, r.json()
    assert r.json()["level"] == "second" and r.json()["level_reasons"] == ["isolated_unit"]
    chain = driver.post(f"{URL}{r.json()['id']}/submit/").json()["chain"]
    step = next(s for s in chain if s["step"] == "approver")
    assert step["role"] == "principal" and "王建国" in step["name"]
    # without the declaration the same job is 一级
    r = driver.create(body_of(case_of("P02", "二级"), points))
    assert r.json()["errors"][0]["code"] == "hot_work_level_below_computed"


# --- assess without filing: POST /permits/assess/ ------------------------------------------------------
@pytest.mark.django_db
def test_assess_returns_level_rule_set_reasons_cap_and_approver_without_filing(driver, points):
    from special_ops.models import WorkPermit

    body = body_of(_hot(None, outdoor=True, wind_force=6, production_need=True, production_need_reason="抢修"), points)
    body["planned_start"], body["planned_end"] = "2027-01-01T09:00:00+08:00", "2027-01-01T15:00:00+08:00"  # 元旦
    r = driver.post(f"{URL}assess/", body)
    assert r.status_code == 200, r.json()
    out = r.json()
    assert (out["level_computed"], out["level"], out["level_display"]) == ("first", "first", "一级")
    assert [x["code"] for x in out["reasons"]] == ["holiday", "strong_wind"]
    assert out["reasons"][1]["clause"] == "GB 30871-2022 §5.2.15" and "五级风" in out["reasons"][1]["text"]
    assert out["validity_max_hours"] == 8 and out["approver"]["role"] == "safety_officer"
    assert "GB 30871-2022" in out["rule_set"]
    assert WorkPermit.objects.count() == 0
    power = driver.post(f"{URL}assess/", body_of(_power(20, special_case=True, special_case_reason="大修"), points))
    assert power.json()["validity_max_hours"] == 720 and power.json()["level"] == ""
    height = driver.post(f"{URL}assess/", body_of(case_of("P24", height_m=31), points)).json()
    assert height["level"] == "IV" and height["approver"]["role"] == "principal" and height["validity_max_hours"] == 168


@pytest.mark.django_db
def test_assess_refusal_is_the_filing_refusal(driver, points, orgs):
    r = driver.post(f"{URL}assess/", body_of(_hot(outdoor=True, wind_force=5), points))
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "hot_work_strong_wind"
    assert driver.post(f"{URL}assess/", body_of(_hot(), points), orgs.inspector).status_code == 403


# --- 9. each measure confirmed or marked 不涉及 (by whom, when), except the mandatory ones --------------
@pytest.mark.django_db
def test_measures_confirmed_or_not_applicable(driver, points, orgs):
    from tests.helpers.permits import hot_work_case

    pk = driver.create(body_of(hot_work_case(), points)).json()["id"]
    driver.post(f"{URL}{pk}/submit/")
    measures = {m["code"]: m for m in driver.get(pk)["measures"]}
    assert measures["hw_fire_equipment"]["mandatory"] and not measures["hw_spark_prevention"]["mandatory"]
    r = driver.post(f"{URL}{pk}/confirm-measures/", {"not_applicable": ["hw_fire_equipment"]}, orgs.employee)
    err = r.json()["errors"][0]
    assert r.status_code == 400 and err["code"] == "measure_mandatory" and err["attr"] == "not_applicable"
    r = driver.post(f"{URL}{pk}/confirm-measures/", {"measures": ["hw_spark_prevention"],
                                                       "not_applicable": ["hw_spark_prevention"]}, orgs.employee)
    assert r.status_code == 400
    with time_machine.travel(datetime.fromisoformat("2026-11-30T10:00:00+08:00"), tick=False):
        rest = [c for c in measures if c != "hw_spark_prevention"]
        r = driver.post(f"{URL}{pk}/confirm-measures/", {"measures": rest, "not_applicable": ["hw_spark_prevention"]},
                        orgs.employee)
    assert r.status_code == 200, r.json()
    spark = next(m for m in r.json()["measures"] if m["code"] == "hw_spark_prevention")
    assert spark["confirmed"] is True and spark["applicable"] is False and spark["confirmed_by_name"]
    assert spark["confirmed_at"].startswith("2026-11-30T10:00:00")
    assert next(m for m in r.json()["measures"] if m["code"] == "hw_isolate")["applicable"] is True
    # 不涉及 counts as answered: the final approval goes through
    names = [w["name"] for w in r.json()["workers"]] + [r.json()["guardian"]["name"]]
    driver.post(f"{URL}{pk}/brief/", {"briefed_names": names})
    assert driver.sign_phase(pk, "approval")["state"] == "approved"


@pytest.mark.django_db
def test_printed_permit_shows_applicability(driver, points, orgs):
    from special_ops.models import WorkPermit
    from special_ops.printout import permit_context
    from tests.helpers.permits import hot_work_case

    pk = driver.create(body_of(hot_work_case(), points)).json()["id"]
    driver.post(f"{URL}{pk}/submit/")
    driver.post(f"{URL}{pk}/confirm-measures/", {"measures": ["hw_isolate"], "not_applicable": ["hw_spark_prevention"]},
                orgs.employee)
    from django.template.loader import render_to_string

    html = render_to_string("special_ops/permit.html", permit_context(WorkPermit.objects.get(pk=pk)))
    assert "是否涉及" in html and "不涉及" in html and ">涉及<" in html


# --- API quality: no Python reprs in messages ----------------------------------------------------------
@pytest.mark.django_db
def test_messages_carry_no_python_reprs(driver, points):
    import json

    from tests.helpers.permits import hot_work_case

    bodies = [
        driver.create(body_of(case_of("P24", height_m="1.50"), points)).json(),
        driver.create(body_of(_hot(outdoor=True, wind_force=5), points)).json(),
        driver.create(body_of(_power(16.5), points)).json(),
        driver.create(body_of(case_of("P24", "Ⅰ", height_m="6.00", water_temp_c="4.00"), points)).json(),
    ]
    pk = driver.create(body_of(hot_work_case(), points)).json()["id"]
    driver.post(f"{URL}{pk}/submit/")
    with time_machine.travel(datetime.fromisoformat("2026-12-01T08:20:00+08:00"), tick=False):
        bodies.append(driver.post(f"{URL}{pk}/gas-tests/", GAS | {
            "sampled_at": "2026-12-01T08:15:00+08:00", "o2_pct_vol": "19.00",
            "flammable": [{"medium": "甲醇", "lel_pct_vol": "6.00", "reading_pct_vol": "4.00"}]}).json())
    text = json.dumps(bodies, ensure_ascii=False)
    assert "Decimal(" not in text and "datetime.datetime(" not in text and "None" not in text, text
    assert "16.5 天" in text


# --- API quality: gas-test age against the start actually asked for ----------------------------------
@pytest.mark.django_db
def test_gas_test_age_is_measured_against_the_requested_start(driver, points):
    pk = driver.file_and_approve(body_of(_hot(), points), at="2026-11-30T10:00:00+08:00")["id"]
    with time_machine.travel(datetime.fromisoformat("2026-12-01T08:40:00+08:00"), tick=False):
        driver.sign_phase(pk, "pre_start")
        driver.post(f"{URL}{pk}/gas-tests/", _gas("2026-12-01T08:10:00+08:00"))  # 30 min before: fresh at 08:40
        assert driver.post(f"{URL}{pk}/start/").json()["state"] == "in_progress"
    second = _hot()
    second["guardian"] = {"name": "王立新", "cert_no": "JH-2026-099"}
    pk2 = driver.file_and_approve(body_of(second, points), at="2026-11-30T10:00:00+08:00")["id"]
    with time_machine.travel(datetime.fromisoformat("2026-12-01T08:41:00+08:00"), tick=False):
        driver.sign_phase(pk2, "pre_start")
        driver.post(f"{URL}{pk2}/gas-tests/", _gas("2026-12-01T08:10:00+08:00"))  # 31 min before the start asked for
        err = driver.post(f"{URL}{pk2}/start/").json()["errors"][0]
    assert err["code"] == "gas_test_stale"
    assert "12-01 08:10 取样" in err["detail"] and "12-01 08:41" in err["detail"] and "31 分钟" in err["detail"]


# --- 5. Table B.1 note 3: a lift under 10 t may skip the permit with a recorded risk analysis ----------
LIFT = {"load_t": "9.90", "work_content": "吊装更换循环水泵电机", "location": "循环水站泵房",
        "planned_at": "2026-12-15T09:00:00+08:00", "crane": "16t汽车吊",
        "risk_analysis": "吊物坠落、起重伤害；吊装半径内无带电线路", "measures": ["设警戒区并专人监护", "吊索具检查合格"]}


@pytest.mark.django_db
def test_light_record_of_a_lift_that_skips_the_permit(driver, api, orgs):
    r = driver.post("/api/v1/lift-records/", LIFT, orgs.employee)
    assert r.status_code == 201, r.json()
    assert r.json()["measures"] == LIFT["measures"] and r.json()["recorded_by_name"]
    assert api(orgs.officer).get("/api/v1/lift-records/").json()["count"] == 1
    assert api(orgs.outsider_officer).get("/api/v1/lift-records/").json()["count"] == 0  # another enterprise
    assert api(orgs.outsider_officer).get(f"/api/v1/lift-records/{r.json()['id']}/").status_code == 404
    r = driver.post("/api/v1/lift-records/", LIFT | {"load_t": "10.00"}, orgs.employee)
    err = r.json()["errors"][0]
    assert r.status_code == 400 and err["code"] == "lifting_permit_required" and err["attr"] == "load_t"
    assert "10 t" in err["detail"] and "Decimal" not in err["detail"]
    r = driver.post("/api/v1/lift-records/", LIFT | {"risk_analysis": "  "}, orgs.employee)
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "risk_analysis"


@pytest.mark.django_db
def test_lift_of_9_9_t_may_still_be_filed_as_third_level(driver, points):
    r = driver.create(body_of(case_of("P16", load_t=9.9), points))
    assert r.status_code == 201 and r.json()["level"] == "third"
