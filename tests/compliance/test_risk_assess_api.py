"""POST /api/v1/risk-events/assess/: the register's assessment computed without writing (issue 15 §2,
the console's live score). Same rule code as the register's writes (DOMAIN.md §2 bands)."""

from __future__ import annotations

import pytest

from backend.audit.models import Event
from compliance.models import RiskEvent

pytestmark = pytest.mark.django_db
ASSESS = "/api/v1/risk-events/assess/"


def assess(api, user, **body):
    return api(user).post(ASSESS, body, format="json")


@pytest.mark.parametrize(("inputs", "score", "level", "colour"), [
    # LEC bands, upper bound inclusive: D ≤ 70 low, 70 < D ≤ 160 moderate, 160 < D ≤ 320 high, > 320 major
    ({"method": "lec", "l": 1, "e": 10, "c": 7}, "70.00", "low", "blue"),
    ({"method": "lec", "l": 3, "e": 6, "c": 7}, "126.00", "moderate", "yellow"),
    ({"method": "lec", "l": 1, "e": 6, "c": 40}, "240.00", "high", "orange"),
    ({"method": "lec", "l": 10, "e": 2, "c": 15}, "300.00", "high", "orange"),
    ({"method": "lec", "l": 6, "e": 6, "c": 15}, "540.00", "major", "red"),
    # LS: R ≥ 20 major, ≥ 15 high, ≥ 9 moderate
    ({"method": "ls", "l": 4, "s": 5}, "20.00", "major", "red"),
    ({"method": "ls", "l": 3, "s": 5}, "15.00", "high", "orange"),
    ({"method": "ls", "l": 2, "s": 4}, "8.00", "low", "blue"),
    ({"method": "ls", "l": 3, "s": 3}, "9.00", "moderate", "yellow"),
    # MES: R ≥ 180 major, ≥ 90 high, ≥ 50 moderate
    ({"method": "mes", "m": 3, "e": 6, "s": 10}, "180.00", "major", "red"),
    ({"method": "mes", "m": 5, "e": 2, "s": 8}, "80.00", "moderate", "yellow"),
    ({"method": "mes", "m": 3, "e": 3, "s": 10}, "90.00", "high", "orange"),
])
def test_band_edges_through_the_api(api, orgs, inputs, score, level, colour):
    r = assess(api, orgs.officer, **inputs)
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["score"], body["level"], body["colour"], body["direct_major"]) == (score, level, colour, False)
    assert body["level_label"] == {"low": "低", "moderate": "一般", "high": "较大", "major": "重大"}[level]
    assert body["reasons"][1].endswith(body["level_label"])


def test_reasons_show_the_product_and_band(api, orgs):
    body = assess(api, orgs.officer, method="lec", l=6, e=6, c=7).json()
    assert body["reasons"] == ["D = L × E × C = 6 × 6 × 7 = 252", "160 < D ≤ 320 → 较大"]


def test_direct_major_forces_red_and_says_why(api, orgs):
    body = assess(api, orgs.officer, method="lec", l=1, e=1, c=1, direct_major=True,
                  direct_major_reason="major_hazard_source").json()
    assert (body["level"], body["colour"], body["direct_major"]) == ("major", "red", True)
    assert body["reasons"][-1] == "直接判定重大：含重大危险源"
    r = assess(api, orgs.officer, method="lec", l=1, e=1, c=1, direct_major=True)
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "direct_major_reason"


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"method": "lec", "l": 4, "e": 6, "c": 3}, "l", "off_scale"),
    ({"method": "lec", "l": 3, "e": 5, "c": 3}, "e", "off_scale"),
    ({"method": "lec", "l": 3, "e": 6, "c": 2}, "c", "off_scale"),
    ({"method": "ls", "l": 3, "s": 6}, "s", "off_scale"),
    ({"method": "mes", "m": 2, "e": 6, "s": 4}, "m", "off_scale"),
    ({"method": "lec", "l": 3, "e": 6}, "c", "required"),
    ({"method": "abc", "l": 3, "e": 6, "c": 3}, "method", "invalid_choice"),
    ({"method": "lec", "l": "x", "e": 6, "c": 3}, "l", "invalid"),
])
def test_bad_values_are_coded_400_naming_the_field(api, orgs, body, field, code):
    r = assess(api, orgs.officer, **body)
    assert r.status_code == 400, r.json()
    err = r.json()["errors"][0]
    assert (err["attr"], err["code"]) == (field, code)


def test_nothing_is_written(api, orgs):
    events, audit = RiskEvent.objects.count(), Event.objects.count()
    assert assess(api, orgs.officer, method="lec", l=6, e=6, c=15).status_code == 200
    assert (RiskEvent.objects.count(), Event.objects.count()) == (events, audit)


def test_every_enterprise_role_and_another_enterprise_may_assess(api, orgs):
    # stateless: no enterprise data involved, so another organization's user gets the same answer
    for user in (orgs.employee, orgs.principal, orgs.admin, orgs.outsider_officer):
        r = assess(api, user, method="lec", l=3, e=6, c=15)
        assert (r.status_code, r.json()["level"]) == (200, "high")


def test_regulators_and_anonymous_are_refused(api, orgs):
    r = assess(api, orgs.inspector, method="lec", l=3, e=6, c=15)
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "read_only"
    assert assess(api, None, method="lec", l=3, e=6, c=15).status_code == 401


def test_documented_in_the_schema(api, orgs):
    schema = api(orgs.officer).get("/api/schema/?format=json").json()
    op = schema["paths"]["/api/v1/risk-events/assess/"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1].startswith("RiskAssessIn")
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/RiskAssessment")
