"""The rectification plan (五落实) endpoint and regulator-ordered hazards (责令限期整改)."""

from __future__ import annotations

from datetime import date

import pytest

from backend.core.errors import Forbidden
from compliance.models import Hazard
from compliance.services import hazards as svc

pytestmark = pytest.mark.django_db


def test_major_hazard_gets_its_five_commitments_through_the_plan_endpoint(api, orgs, file_hazard, clock):
    h = file_hazard(grade="major", responsible_person=orgs.colleague)
    c = api(orgs.officer)
    r = c.post(f"/api/v1/hazards/{h.pk}/start-rectification/")
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "five_commitments_incomplete"
    r = c.post(f"/api/v1/hazards/{h.pk}/plan/", {"measures": "更换隔爆型电机", "funds_yuan": "6800",
                                                  "contingency_plan": "临时通风并加密检测"}, format="json")
    assert r.status_code == 200, r.json()
    assert c.post(f"/api/v1/hazards/{h.pk}/start-rectification/").json()["state"] == "rectifying"
    # the ordered deadline moves only through an extension
    r = c.post(f"/api/v1/hazards/{h.pk}/plan/", {"deadline": "2027-03-01"}, format="json")
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "deadline_locked"
    # employees may not rewrite the plan; other enterprises see nothing
    assert api(orgs.employee).post(f"/api/v1/hazards/{h.pk}/plan/", {"measures": "x"}, format="json").status_code == 403
    assert api(orgs.outsider_officer).post(f"/api/v1/hazards/{h.pk}/plan/", {"measures": "x"},
                                           format="json").status_code == 404
    assert api(orgs.inspector).post(f"/api/v1/hazards/{h.pk}/plan/", {"measures": "x"}, format="json").status_code == 403


def test_regulator_orders_a_hazard_with_its_deadline(orgs, clock):
    h = svc.hazard_order(actor=orgs.inspector, enterprise=orgs.owner, title="防爆区域使用非防爆电机",
                         deadline=date(2026, 12, 15))
    h = Hazard.objects.get(pk=h.pk)
    assert (h.state, h.source, str(h.deadline)) == ("confirmed", "inspector", "2026-12-15")
    with pytest.raises(Forbidden):
        svc.hazard_order(actor=orgs.other_inspector, enterprise=orgs.owner, title="x", deadline=date(2026, 12, 15))
    with pytest.raises(Forbidden):
        svc.hazard_order(actor=orgs.officer, enterprise=orgs.owner, title="x", deadline=date(2026, 12, 15))


def test_a_deadline_years_away_is_refused(api, orgs, clock):
    body = {"title": "x", "grade": "major", "treatment": "deadline", "deadline": "9999-12-31"}
    r = api(orgs.officer).post("/api/v1/hazards/", body, format="json")
    assert r.status_code == 400
    assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("deadline", "deadline_too_far")
    assert not Hazard.objects.exists()


def test_regulator_approves_a_major_hazards_extension(api, orgs, file_hazard, clock):
    h = file_hazard(grade="major", responsible_person=orgs.employee)
    r = api(orgs.employee).post(f"/api/v1/hazards/{h.pk}/request-extension/",
                                {"new_deadline": "2026-12-20", "reason": "防爆电机到货延迟"}, format="json")
    assert r.status_code == 201, r.json()
    ext = r.json()["id"]
    # the enterprise cannot extend a major hazard on its own
    r = api(orgs.officer).post(f"/api/v1/hazard-extensions/{ext}/decide/", {"approve": True}, format="json")
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "extension_cap_reached"
    # another county's regulator does not see it; the covering regulator approves it
    assert api(orgs.other_inspector).post(f"/api/v1/hazard-extensions/{ext}/decide/", {"approve": True},
                                          format="json").status_code == 404
    r = api(orgs.inspector).post(f"/api/v1/hazard-extensions/{ext}/decide/", {"approve": True, "comment": "同意"},
                                 format="json")
    assert r.status_code == 200, r.json()
    assert str(Hazard.objects.get(pk=h.pk).deadline) == "2026-12-20"
    # the regulator is still read-only elsewhere
    assert api(orgs.inspector).post(f"/api/v1/hazards/{h.pk}/plan/", {"measures": "x"}, format="json").status_code == 403


def test_judged_major_mid_rectification_goes_back_until_the_five_commitments_are_set(api, orgs, file_hazard, clock):
    h = file_hazard(responsible_person=orgs.colleague)
    c = api(orgs.officer)
    assert c.post(f"/api/v1/hazards/{h.pk}/start-rectification/").json()["state"] == "rectifying"
    r = c.post(f"/api/v1/hazards/{h.pk}/tick-checklist/", {"checklist": "chem-2017", "items": [12]}, format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["grade"], r.json()["state"]) == ("major", "confirmed")
    assert c.post(f"/api/v1/hazards/{h.pk}/start-rectification/").status_code == 400
    c.post(f"/api/v1/hazards/{h.pk}/plan/", {"measures": "更换防爆电机", "funds_yuan": "5000",
                                             "contingency_plan": "停用并隔离"}, format="json")
    assert c.post(f"/api/v1/hazards/{h.pk}/start-rectification/").json()["state"] == "rectifying"
