"""Journey (b) of issue 15: the officer draws two zones on the demo plant layout, assigns risk points, and the
zones take the colour of their highest level (红 #FF0000 / 橙 #FFA500 / 黄 #FFFF00 / 蓝 #0000FF)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot

pytestmark = pytest.mark.browser

#: The standard four colours (compliance/rules/colours.py), written out: what the wall map must show.
STANDARD = {"major": "#FF0000", "high": "#FFA500", "moderate": "#FFFF00", "low": "#0000FF"}
SEVERITY = ["major", "high", "moderate", "low"]


def _unplaced_by_level() -> dict[str, list[tuple[str, str]]]:
    from compliance.models import RiskPoint

    out: dict[str, list[tuple[str, str]]] = {}
    for p in RiskPoint.objects.filter(zone_membership__isnull=True).exclude(level="").order_by("code"):
        out.setdefault(p.level, []).append((p.code, p.name))
    return out


def _click_plan(page, x: int, y: int) -> None:
    """Click the map at plan pixel (x, y) (through the SVG's screen transform)."""
    cx, cy = page.evaluate(
        """([x, y]) => { const s = document.querySelector('[data-test=risk-map]');
             const p = new DOMPoint(x, y).matrixTransform(s.getScreenCTM()); return [p.x, p.y] }""", [x, y])
    page.mouse.click(cx, cy)


def _draw_zone(page, name: str, ring: list[tuple[int, int]], codes: list[str]) -> None:
    page.locator("[data-test=draw-zone]").click()
    for x, y in ring:
        _click_plan(page, x, y)
    _click_plan(page, *ring[0])  # back on the first vertex closes the ring and opens the dialog
    dialog = page.locator(".el-dialog", has_text="新建风险区域")
    expect(dialog).to_be_visible()
    dialog.locator("input[data-test=zone-name], [data-test=zone-name] input").fill(name)
    dialog.locator(".el-select").first.click()
    for code in codes:
        page.locator(".el-select-dropdown__item:visible", has_text=code).click()
    page.keyboard.press("Escape")
    dialog.locator("[data-test=zone-save]").click()
    expect(dialog).to_be_hidden()


def _assert_plan_loaded(page) -> None:
    """The plant layout is really drawn under the zones: the SVG <image> holds the decoded plan (a
    refused image request — 400 on its cache parameter — left it empty)."""
    plan = page.locator("[data-test=risk-map] image")
    expect(plan).to_have_attribute("href", re.compile(r"^data:image/png;base64,"))
    natural = page.evaluate(
        """async () => { const i = new Image(); i.src = document.querySelector('[data-test=risk-map] image')
             .getAttribute('href'); await i.decode(); return [i.naturalWidth, i.naturalHeight] }""")
    assert natural[0] > 0 and natural[1] > 0, natural


def test_officer_draws_two_zones_that_take_their_levels_colours(page):
    levels = _unplaced_by_level()
    present = [lv for lv in SEVERITY if levels.get(lv)]
    assert len(present) >= 2, f"the demo needs unplaced points of two levels: {levels}"
    top, lower = present[0], present[-1]
    zone_a = [levels[top][0][0], levels[lower][0][0]]  # a mixed zone: its highest level wins
    zone_b = [levels[lower][-1][0]] if len(levels[lower]) > 1 else []
    login(page, "officer")
    page.goto("/e/risk-map")
    svg = page.locator("[data-test=risk-map]")
    expect(svg.locator("g.zone")).to_have_count(3)  # the demo's 罐区, 生产装置区, 公用工程区
    _assert_plan_loaded(page)
    expect(svg.locator("g.zone[data-zone=罐区] polygon")).to_have_attribute("data-fill", STANDARD["major"])
    expect(svg.locator("g.zone[data-zone=罐区] [data-test=major-mark]")).to_have_text("⚠ 重大危险源")

    _draw_zone(page, "仓库区", [(900, 580), (1250, 580), (1250, 880), (900, 880)], zone_a)
    a = svg.locator("g.zone[data-zone=仓库区] polygon")
    expect(a).to_have_attribute("data-fill", STANDARD[top])
    expect(a).to_have_attribute("fill", STANDARD[top])
    _draw_zone(page, "办公区", [(1300, 580), (1540, 580), (1540, 880), (1300, 880)], zone_b)
    b = svg.locator("g.zone[data-zone=办公区] polygon")
    expect(b).to_have_attribute("fill", STANDARD[lower] if zone_b else "#9E9E9E")
    expect(svg.locator("g.zone")).to_have_count(5)
    expect(page.locator("[data-test=zone-table]")).to_contain_text("仓库区")

    from compliance.models import RiskZone

    stored = RiskZone.objects.get(name="仓库区")
    assert sorted(m.point.code for m in stored.memberships.select_related("point")) == sorted(zone_a)
    drawn = [(900, 580), (1250, 580), (1250, 880), (900, 880)]  # clicked through screen pixels: within 3 px
    assert len(stored.polygon) == 4
    assert all(abs(x - dx) <= 3 and abs(y - dy) <= 3 for (x, y), (dx, dy) in zip(stored.polygon, drawn, strict=True))
    shot(page, "risk-map-two-zones")
