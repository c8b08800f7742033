"""The extension list filters by status and hazard; anything else is a 400 naming the parameter."""

from __future__ import annotations

import pytest

from tests.factories.compliance import HazardExtensionFactory, HazardFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/hazard-extensions/"


def test_extensions_filter_by_status_and_hazard(api, orgs):
    pending = HazardExtensionFactory(hazard=HazardFactory(enterprise=orgs.owner), requested_by=orgs.employee)
    decided = HazardExtensionFactory(hazard=HazardFactory(enterprise=orgs.owner), requested_by=orgs.employee,
                                     status="approved", decided_by=orgs.officer)
    client = api(orgs.officer)
    assert [e["id"] for e in client.get(URL, {"status": "pending"}).json()["results"]] == [pending.pk]
    assert [e["id"] for e in client.get(URL, {"hazard": decided.hazard_id}).json()["results"]] == [decided.pk]
    r = client.get(URL, {"status": "maybe"})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "status"
    r = client.get(URL, {"requested_by": orgs.employee.pk})
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "unknown_filter"
