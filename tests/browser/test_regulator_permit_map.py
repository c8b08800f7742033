"""Issue 16 §4 "a map layer of where they are": the 特殊作业监管 board's 地图 view draws one point per live
permit of GET /audit/permits/live/ that has coordinates (the place's, else the enterprise's) on the offline
county outline, and its tooltip names type, level, enterprise and place."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from backend.accounts.models import Enterprise
from tests.browser.conftest import login, shot
from tests.factories import EnterpriseFactory
from tests.factories.special_ops import WorkPermitFactory

pytestmark = pytest.mark.browser

H = dt.timedelta(hours=1)


def test_inspector_sees_live_permits_on_the_county_map(page, demo):
    now = timezone.now()
    ent = Enterprise.objects.get(name="高青澄源化工有限公司")
    assert ent.lon is not None
    WorkPermitFactory(enterprise=ent, state="in_progress", level="special", planned_start=now - H, planned_end=now + H)
    WorkPermitFactory(enterprise=ent, type="confined_space", level="", state="approved", detail=None,
                      planned_start=now + 2 * H, planned_end=now + 4 * H, location="污水池 C-2",
                      lon=Decimal(str(float(ent.lon) + 0.03)), lat=Decimal(str(float(ent.lat) + 0.02)))
    far = EnterpriseFactory(division_code="370322106", status=Enterprise.Status.APPROVED)  # no coordinates
    WorkPermitFactory(enterprise=far, state="approved", planned_start=now - H, planned_end=now + H)

    login(page, "inspector")
    page.goto("/r/permits")
    live = page.request.get("/api/v1/audit/permits/live/").json()
    located = [p for p in live if p["coordinates"]]
    assert len(located) >= 2 and len(located) < len(live)
    expect(page.locator("[data-test=live-count]")).to_have_text(str(len(live)))

    page.locator("[data-test=view-map]").click()
    chart = page.locator("[data-test=risk-map]")
    chart.locator("canvas").first.wait_for()
    page.wait_for_timeout(500)  # drawn
    assert page.evaluate("() => document.querySelector('[data-test=risk-map]').__pointCount()") == len(located)
    expect(page.locator("[data-test=map-permit-count]")).to_contain_text(
        f"图上 {len(located)} 项作业（无坐标 {len(live) - len(located)} 项")

    placed = next(p for p in located if p["location"] == "污水池 C-2")
    x, y = page.evaluate("(ll) => document.querySelector('[data-test=risk-map]').__toPixel(ll)", placed["coordinates"])
    box = chart.bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = page.locator("[data-test=risk-map] div", has_text="污水池 C-2").last
    expect(tip).to_contain_text(placed["type_display"])
    expect(tip).to_contain_text(ent.name)
    shot(page, "journey-r-permit-map")
