"""Every permit refusal names the rule set that applied (issue 14 §11): the Chinese message ends with
"（适用规则：<rule set>）" and the body carries ``details.rule_set`` — GB 30871-2022 for a 化工 plant, the
工贸 rule set for a 工贸 plant; answers about who may ask (403/404) and unparsable bodies do not."""

from __future__ import annotations

import pytest

from tests.helpers.permits import URL, body_of, hot_work_case

pytestmark = pytest.mark.django_db
HAZCHEM = "（适用规则：危险化学品/化工/医药规则（GB 30871-2022））"


def _hot(level_declared="二级", **facts):
    case = hot_work_case(level_declared=level_declared, facts=facts)
    case.pop("permit_no")
    return case


def _industrial(orgs, industry="工贸-机械"):
    orgs.owner.industry = industry
    orgs.owner.save(update_fields=["industry"])


def test_a_chemical_plants_refusal_names_gb_30871(driver, points):
    r = driver.create(body_of(_hot(outdoor=True, wind_force=5), points))
    assert r.status_code == 400
    err = r.json()["errors"][0]
    assert err["code"] == "hot_work_strong_wind" and err["attr"] == "facts.wind_force"
    assert err["detail"].endswith(HAZCHEM) and "§5.2.15" in err["detail"]
    rule_set = r.json()["details"]["rule_set"]
    assert rule_set == {"kind": "hazchem", "label": "危险化学品/化工/医药", "permits": "GB 30871-2022",
                        "confined_space": "GB 30871-2022", "name": "危险化学品/化工/医药规则（GB 30871-2022）"}


def test_an_industrial_plants_refusal_names_the_industrial_rule_set(driver, points, orgs):
    _industrial(orgs)
    r = driver.create(body_of(_hot(outdoor=True, wind_force=5), points))
    assert r.status_code == 400
    detail = r.json()["errors"][0]["detail"]
    # 令第10号 sets no permit thresholds: the 工贸 plant's refusal names GB 30871 as applied by reference
    assert "（适用规则：工贸（机械）规则（GB 30871-2022（参照执行）" in detail and "应急管理部令第10号" not in detail
    rule_set = r.json()["details"]["rule_set"]
    assert rule_set["kind"] == "industrial" and rule_set["permits"] == "GB 30871-2022（参照执行）"
    assert "应急管理部令第13号" in rule_set["confined_space"]


def test_assess_and_every_refusal_kind_name_the_rule_set(driver, points, orgs):
    # assess without filing: the same refusal
    r = driver.post(f"{URL}assess/", body_of(_hot(outdoor=True, wind_force=5), points))
    assert r.status_code == 400 and r.json()["errors"][0]["detail"].endswith(HAZCHEM)
    assert r.json()["details"]["rule_set"]["kind"] == "hazchem"
    # a declared level below the computed one
    r = driver.create(body_of(_hot(level_declared="二级", in_fire_explosion_area=True, on_running_equipment=True),
                                  points))
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "hot_work_level_below_computed"
    assert r.json()["errors"][0]["detail"].endswith(HAZCHEM) and "details" in r.json()
    # the light lift record: ≥ 10 t needs the permit
    lift = {"load_t": "10.00", "work_content": "吊装", "location": "泵房", "planned_at": "2026-12-15T09:00:00+08:00",
            "risk_analysis": "吊物坠落", "measures": ["设警戒区"]}
    r = driver.post("/api/v1/lift-records/", lift, orgs.employee)
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "lifting_permit_required"
    assert r.json()["errors"][0]["detail"].endswith(HAZCHEM) and r.json()["details"]["rule_set"]["kind"] == "hazchem"


def test_answers_that_are_not_rule_refusals_carry_no_rule_set(driver, points, orgs, api):
    pk = driver.create(body_of(_hot(), points)).json()["id"]
    # another organization's user: 404, nothing about rules
    r = api(orgs.outsider_officer).get(f"{URL}{pk}/")
    assert r.status_code == 404 and "details" not in r.json()
    # a regulator may not write: 403
    r = driver.post(f"{URL}assess/", body_of(_hot(), points), orgs.inspector)
    assert r.status_code == 403 and "details" not in r.json()
    # a body that does not parse: the serializer's 400
    r = driver.post(URL, {"type": "no_such_type"})
    assert r.status_code == 400 and "details" not in r.json() and "适用规则" not in r.json()["errors"][0]["detail"]
    # a wrong state is the state machine's answer (409 invalid_transition), not the rule set's
    r = driver.post(f"{URL}{pk}/start/")
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "invalid_transition"
    assert "details" not in r.json()
