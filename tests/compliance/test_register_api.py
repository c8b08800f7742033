"""The risk register API: computed levels, tenancy, filters, query counts (issue: foundation)."""

from __future__ import annotations

import pytest

from backend.audit.models import Event
from compliance.models import RiskEvent, RiskPoint
from tests.factories import RiskPointFactory

pytestmark = pytest.mark.django_db
POINTS = "/api/v1/risk-points/"
EVENTS = "/api/v1/risk-events/"


def make_point(api, user, code="ZY-99", **extra):
    r = api(user).post(POINTS, {"code": code, "name": "动火作业", "kind": "activity", **extra}, format="json")
    assert r.status_code == 201, r.json()
    return r.json()


def make_event(api, user, point_id, **inputs):
    body = {"risk_point": point_id, "description": "动火点周边可燃物未清理", "method": "lec",
            "accident_types": ["火灾", "其它爆炸"], **inputs}
    return api(user).post(EVENTS, body, format="json")


def test_event_level_is_computed_and_point_takes_the_highest(api, orgs):
    p = make_point(api, orgs.officer)
    r1 = make_event(api, orgs.officer, p["id"], l=3, e=6, c=3)  # 54 → low
    assert r1.status_code == 201, r1.json()
    assert (r1.json()["score"], r1.json()["level"]) == ("54.00", "low")
    r2 = make_event(api, orgs.officer, p["id"], l=3, e=6, c=15)  # 270 → high
    assert r2.json()["level"] == "high"
    point = api(orgs.officer).get(f"{POINTS}{p['id']}/").json()
    assert point["level"] == "high" and point["colour"] == "orange"
    # lowering the high event lowers the point; deleting restores consistency
    api(orgs.officer).patch(f"{EVENTS}{r2.json()['id']}/", {"c": 1}, format="json")
    assert RiskPoint.objects.get(pk=p["id"]).level == "low"
    api(orgs.officer).delete(f"{EVENTS}{r1.json()['id']}/")
    api(orgs.officer).delete(f"{EVENTS}{r2.json()['id']}/")
    assert RiskPoint.objects.get(pk=p["id"]).level == ""


def test_direct_major_forces_major_with_reason(api, orgs):
    p = make_point(api, orgs.officer)
    r = make_event(api, orgs.officer, p["id"], l=1, e=1, c=1, direct_major=True, direct_major_reason="major_hazard_source")
    assert r.json()["level"] == "major"
    r = make_event(api, orgs.officer, p["id"], l=1, e=1, c=1, direct_major=True)
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "direct_major_reason"


def test_ls_and_mes_methods(api, orgs):
    p = make_point(api, orgs.officer)
    assert make_event(api, orgs.officer, p["id"], method="ls", l=4, s=5).json()["level"] == "major"
    assert make_event(api, orgs.officer, p["id"], method="mes", m=5, e=6, s=8).json()["level"] == "major"  # 240


@pytest.mark.parametrize(("field", "inputs"), [("l", {"l": 4, "e": 6, "c": 3}), ("e", {"l": 3, "e": 5, "c": 3}),
                                               ("c", {"l": 3, "e": 6, "c": 2})])
def test_off_scale_lec_value_is_a_coded_400(api, orgs, field, inputs):
    p = make_point(api, orgs.officer)
    r = make_event(api, orgs.officer, p["id"], **inputs)
    assert r.status_code == 400
    assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == (field, "off_scale")
    assert not RiskEvent.objects.exists()


def test_unknown_accident_type_is_400(api, orgs):
    p = make_point(api, orgs.officer)
    r = make_event(api, orgs.officer, p["id"], l=3, e=6, c=3, accident_types=["外星人入侵"])
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "unknown_accident_type"


def test_nul_byte_and_duplicate_code(api, orgs):
    r = api(orgs.officer).post(POINTS, {"code": "A\x00", "name": "x", "kind": "place"}, format="json")
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "null_characters_not_allowed"
    make_point(api, orgs.officer, code="DUP")
    r = api(orgs.officer).post(POINTS, {"code": "DUP", "name": "x", "kind": "place"}, format="json")
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "duplicate"


def test_other_enterprise_gets_404_and_cannot_create_into_it(api, orgs):
    p = make_point(api, orgs.officer)
    e = make_event(api, orgs.officer, p["id"], l=3, e=6, c=3).json()
    m = api(orgs.officer).post("/api/v1/control-measures/", {"risk_event": e["id"], "category": "management",
                                                             "text": "动火前清理"}, format="json").json()
    outsider = api(orgs.outsider_officer)
    for url in (f"{POINTS}{p['id']}/", f"{EVENTS}{e['id']}/", f"/api/v1/control-measures/{m['id']}/"):
        assert outsider.get(url).status_code == 404
        assert outsider.patch(url, {"name": "hijack"}, format="json").status_code == 404
        assert outsider.delete(url).status_code == 404
    # an event or measure cannot be attached to another enterprise's parent
    r = make_event(api, orgs.outsider_officer, p["id"], l=3, e=6, c=3)
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "risk_point"
    r = outsider.post("/api/v1/control-measures/", {"risk_event": e["id"], "category": "ppe", "text": "x"}, format="json")
    assert r.status_code == 400
    # an enterprise id in the body is ignored: the point lands in the caller's enterprise
    r = outsider.post(POINTS, {"code": "X1", "name": "x", "kind": "place", "enterprise": orgs.owner.pk}, format="json")
    assert RiskPoint.objects.get(pk=r.json()["id"]).enterprise_id == orgs.outsider.pk
    assert outsider.get(POINTS).json()["count"] == 1


def test_regulator_reads_its_jurisdiction_only_and_cannot_write(api, orgs):
    p = make_point(api, orgs.officer)
    assert api(orgs.inspector).get(f"{POINTS}{p['id']}/").status_code == 200
    assert api(orgs.other_inspector).get(f"{POINTS}{p['id']}/").status_code == 404
    r = api(orgs.inspector).post(POINTS, {"code": "R1", "name": "x", "kind": "place"}, format="json")
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "read_only"


def test_filters_and_ordering(api, orgs):
    a = make_point(api, orgs.officer, code="A", department="酯化车间")
    b = make_point(api, orgs.officer, code="B", department="储运部")
    make_event(api, orgs.officer, a["id"], l=3, e=6, c=40)  # 720 major
    make_event(api, orgs.officer, b["id"], l=1, e=1, c=1)
    c = api(orgs.officer)
    assert [p["code"] for p in c.get(POINTS + "?level=major").json()["results"]] == ["A"]
    assert [p["code"] for p in c.get(POINTS + "?department=储运部").json()["results"]] == ["B"]
    assert [p["code"] for p in c.get(POINTS + "?q=A").json()["results"]] == ["A"]
    assert [p["code"] for p in c.get(POINTS + "?ordering=-code").json()["results"]] == ["B", "A"]
    assert c.get(POINTS + "?level=purple").status_code == 400
    assert c.get(POINTS + "?page_size=100000").status_code == 200


def test_list_queries_do_not_grow_with_rows(api, orgs, django_assert_max_num_queries):
    client = api(orgs.officer)
    RiskPointFactory.create_batch(2, enterprise=orgs.owner)
    with django_assert_max_num_queries(6) as small:
        client.get(POINTS)
    RiskPointFactory.create_batch(30, enterprise=orgs.owner)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(POINTS).json()["count"] == 32


def test_every_write_is_an_audit_event(api, orgs):
    p = make_point(api, orgs.officer)
    make_event(api, orgs.officer, p["id"], l=3, e=6, c=3)
    actions = list(Event.objects.filter(enterprise=orgs.owner).values_list("action", flat=True))
    assert actions[-2:] == ["risk_point.create", "risk_event.create"]
    assert Event.objects.filter(action="risk_point.create").get().actor_id == orgs.officer.pk
