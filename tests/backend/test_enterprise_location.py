"""Enterprise coordinates (issue 16 §1): ``POST /api/v1/enterprises/{id}/location/`` by the enterprise's
admin or its regulator; the enterprise-list import takes the optional 经度/纬度 columns."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.accounts.models import Enterprise
from backend.audit.models import Event

pytestmark = pytest.mark.django_db


def _url(ent):
    return f"/api/v1/enterprises/{ent.pk}/location/"


def test_admin_and_regulator_set_and_clear(api, orgs):
    r = api(orgs.admin).post(_url(orgs.owner), {"lon": "117.7543", "lat": "37.0749"}, format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["lon"], r.json()["lat"]) == ("117.754300", "37.074900")
    ev = Event.objects.get(action="enterprise.set_location")
    assert ev.changes["lon"][1] in ("117.754300", "117.7543", 117.7543)
    for user in (orgs.inspector, orgs.reg_admin):
        r = api(user).post(_url(orgs.owner), {"lon": "117.76", "lat": "37.08"}, format="json")
        assert r.status_code == 200, r.json()
    assert Enterprise.objects.filter(pk=orgs.owner.pk, lon=Decimal("117.76"), lat=Decimal("37.08")).exists()
    r = api(orgs.admin).post(_url(orgs.owner), {"lon": None, "lat": None}, format="json")
    assert r.status_code == 200 and r.json()["lon"] is None
    assert Event.objects.filter(action="enterprise.set_location").count() == 3  # the same values again: no event
    # the map then lists it beside the map
    body = api(orgs.inspector).get("/api/v1/audit/risk-map/").json()
    assert orgs.owner.pk in {u["id"] for u in body["unlocated"]}


@pytest.mark.parametrize(("body", "attr", "code"), [
    ({"lon": "117.75"}, "lat", "required"),
    ({"lon": "117.75", "lat": None}, "lat", "required"),
    ({"lon": None, "lat": "37.07"}, "lon", "required"),
    ({"lon": "37.07", "lat": "117.75"}, "lon", "out_of_range"),  # swapped
    ({"lon": "181", "lat": "37.07"}, "lon", "out_of_range"),
    ({"lon": "-117.75", "lat": "37.07"}, "lon", "out_of_range"),
    ({"lon": "东经117", "lat": "37.07"}, "lon", "invalid"),
])
def test_bad_coordinates_are_coded_400s(api, orgs, body, attr, code):
    r = api(orgs.admin).post(_url(orgs.owner), body, format="json")
    assert r.status_code == 400, r.json()
    err = r.json()["errors"][0]
    assert (err["attr"], err["code"]) == (attr, code)
    assert not Event.objects.filter(action="enterprise.set_location").exists()


def test_who_may_not(api, orgs):
    body = {"lon": "117.75", "lat": "37.07"}
    for user in (orgs.officer, orgs.principal, orgs.employee):
        r = api(user).post(_url(orgs.owner), body, format="json")
        assert r.status_code == 403 and r.json()["errors"][0]["code"] == "not_enterprise_admin", user
    for user in (orgs.outsider_admin, orgs.other_inspector, orgs.other_reg_admin):
        assert api(user).post(_url(orgs.owner), body, format="json").status_code == 404, user
    assert api().post(_url(orgs.owner), body, format="json").status_code == 401
    assert Enterprise.objects.get(pk=orgs.owner.pk).lon is None
