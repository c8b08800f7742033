"""The regulator-side demo loader is idempotent."""

from __future__ import annotations

import io

from backend.core.demo import DemoContext
from inspections import demo
from inspections.models import Draw, Finding, Inspection


def test_demo_load_twice_creates_nothing_new(orgs, gaoqing_enterprises):
    users = {"inspector": orgs.inspector, "inspector2": orgs.inspector2, "regadmin": orgs.reg_admin,
             "officer": orgs.officer, "principal": orgs.principal}
    ctx = DemoContext(enterprise=orgs.owner, users=users, regulator=orgs.gaoqing, stdout=io.StringIO())
    demo.load(ctx)
    counts = (Draw.objects.count(), Inspection.objects.count(), Finding.objects.count())
    assert counts[0] == 1 and counts[2] == 2
    assert Inspection.objects.filter(state="closed", title=demo.INSPECTION_TITLE).count() == 1
    assert Finding.objects.filter(hazard__isnull=False, hazard__source="inspector").count() == 1
    demo.load(ctx)
    assert (Draw.objects.count(), Inspection.objects.count(), Finding.objects.count()) == counts
