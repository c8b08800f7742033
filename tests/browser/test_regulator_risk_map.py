"""Issue 16 §1 "clicking opens the enterprise's summary and its own 四色图": the 高青县 inspector opens the
安全风险一张图, clicks the sample enterprise 高青澄源化工有限公司 and opens its 四色风险分布图 — read-only: the
demo plant layout really drawn (the decoded plan has a size), the demo zones in their levels' standard colours
(罐区 红 with the 重大危险源 mark), the legend, and none of the enterprise page's upload/draw/edit controls."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Enterprise
from tests.browser.conftest import login, shot

pytestmark = pytest.mark.browser

NAME = "高青澄源化工有限公司"


def test_inspector_opens_an_enterprises_four_colour_map_read_only(page, demo):
    ent = Enterprise.objects.get(name=NAME)
    login(page, "inspector")
    page.goto("/r/")
    page.locator(f"[data-test=map-point][data-id='{ent.pk}'] a").click()
    drawer = page.locator(".el-drawer")
    expect(drawer).to_contain_text(NAME)
    drawer.locator("[data-test=drawer-riskmap]").click()
    expect(page).to_have_url(re.compile(rf"/r/enterprises/{ent.pk}/risk-map$"))
    expect(page.locator("[data-test=ent-name]")).to_contain_text(NAME)

    api = page.request.get(f"/api/v1/risk-map/?enterprise={ent.pk}").json()
    zones = {f["properties"]["name"]: f["properties"] for f in api["features"] if f["properties"]["kind"] == "zone"}
    assert zones.get("罐区", {}).get("colour_hex") == "#FF0000", zones
    svg = page.locator("[data-test=risk-map]")
    expect(svg.locator("g.zone")).to_have_count(len(zones))
    for name, props in zones.items():
        expect(svg.locator(f"g.zone[data-zone={name}] polygon")).to_have_attribute("data-fill", props["colour_hex"])
    expect(svg.locator("g.zone[data-zone=罐区] [data-test=major-mark]")).to_have_text("⚠ 重大危险源")
    expect(page.locator("[data-test=legend]")).to_contain_text("红 · 重大风险")

    plan = svg.locator("image")
    expect(plan).to_have_attribute("href", re.compile(r"^data:image/"))
    natural = page.evaluate(
        """async () => { const i = new Image(); i.src = document.querySelector('[data-test=risk-map] image')
             .getAttribute('href'); await i.decode(); return [i.naturalWidth, i.naturalHeight] }""")
    assert natural[0] > 0 and natural[1] > 0, natural

    for control in ("upload-layout", "draw-zone", "layout-file", "zone-save", "zone-delete"):
        expect(page.locator(f"[data-test={control}]")).to_have_count(0)
    svg.locator("g.zone[data-zone=罐区]").click()
    expect(page.locator(".el-dialog:visible")).to_have_count(0)  # a click edits nothing
    shot(page, "journey-r-enterprise-risk-map")

    # the enterprise drill-down links the same page
    page.goto(f"/r/enterprises?open={ent.pk}")
    link = page.locator(".el-drawer [data-test=d-riskmap]")
    expect(link).to_have_attribute("href", f"/r/enterprises/{ent.pk}/risk-map")
    link.click()
    expect(page.locator("[data-test=risk-map] g.zone")).to_have_count(len(zones))
