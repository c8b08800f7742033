"""The demo loader creates permits in several states, idempotently."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from special_ops.demo import DEMO_PERMITS, load_demo_permits
from special_ops.models import WorkPermit


@pytest.mark.django_db
@pytest.mark.parametrize("now", ["2026-12-02T10:20:00+08:00", "2027-01-01T23:40:00+08:00"])
def test_demo_permits_in_several_states_and_idempotent(orgs, api, now):
    from tests.factories import member

    users = {"employee": orgs.employee, "safety_officer": orgs.officer, "principal": orgs.principal,
             "unit_lead": member(orgs.owner, "employee", full_name="李卫东")}
    with time_machine.travel(datetime.fromisoformat(now), tick=False):
        assert len(load_demo_permits(enterprise=orgs.owner, users=users)) == len(DEMO_PERMITS)
        assert load_demo_permits(enterprise=orgs.owner, users=users) == []
        states = dict(WorkPermit.objects.filter(enterprise=orgs.owner).values_list("number", "state"))
        assert states == {spec[0]: spec[2] for spec in DEMO_PERMITS}
        live = api(orgs.inspector).get("/api/v1/permits/?live=true").json()["results"]
        assert {p["permit_no"] for p in live} == {"DZ-DEMO-01", "DH-DEMO-02", "DT-DEMO-01"}
