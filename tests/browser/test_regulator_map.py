"""Journeys (a) and (b), issue 16 §1: the 安全风险一张图 of the regulator console.

(a) the 高青县 inspector opens the map: every demo enterprise is a point at its coordinates in the colour
of its highest risk level (the colour read back from the canvas at the point's projected pixel), the
overdue filter leaves exactly the enterprises with overdue hazards, and a click opens its summary;
(b) an inspector of another county sees none of them.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Enterprise, Role
from tests.browser.conftest import login, shot
from tests.factories import RegulatorFactory, member

pytestmark = pytest.mark.browser

HEX = {"red": (255, 0, 0), "orange": (255, 165, 0), "yellow": (255, 255, 0), "blue": (0, 0, 255), "grey": (158, 158, 158)}


def _pixel(page, lon: float, lat: float) -> tuple[int, int, int]:
    """The colour the map canvas drew at (lon, lat) (the chart's own projection of the coordinate)."""
    return tuple(page.evaluate(
        """([lon, lat]) => {
          const root = document.querySelector('[data-test=risk-map]');
          const [x, y] = root.__toPixel([lon, lat]);
          const canvases = [...root.querySelectorAll('canvas')];
          const ratio = window.devicePixelRatio || 1;
          // the topmost canvas layer with a non-transparent pixel there (the scatter has its own zlevel)
          for (const c of canvases.reverse()) {
            const d = c.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
            if (d[3] > 0) return [d[0], d[1], d[2]];
          }
          return [0, 0, 0];
        }""", [lon, lat])[:3])


def _near(a, b, tol=40) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def test_inspector_sees_the_jurisdiction_map_filters_overdue_and_opens_one(page, demo):
    login(page, "inspector")
    page.goto("/r/")
    located = list(Enterprise.objects.filter(division_code__startswith="370322", lon__isnull=False))
    assert len(located) >= 10
    expect(page.locator("[data-test=map-point]")).to_have_count(len(located))
    expect(page.locator("[data-test=map-count]")).to_contain_text(f"图上 {len(located)} 家")
    page.locator("[data-test=risk-map] canvas").first.wait_for()
    page.wait_for_timeout(500)  # the canvas drawn

    api = page.request.get("/api/v1/audit/risk-map/").json()
    by_id = {f["id"]: f for f in api["features"]}
    colours = {f["properties"]["colour"] for f in api["features"]}
    assert "red" in colours and "grey" in colours  # the demo enterprise is 重大; the samples are unassessed
    for ent in located:
        feature = by_id[ent.pk]
        assert feature["geometry"]["coordinates"] == [pytest.approx(float(ent.lon)), pytest.approx(float(ent.lat))]
        row = page.locator(f"[data-test=map-point][data-id='{ent.pk}']")
        expect(row).to_have_attribute("data-colour", feature["properties"]["colour"])
    # the canvas at the red enterprise's coordinates is red; at a grey one's grey
    red = next(e for e in located if by_id[e.pk]["properties"]["colour"] == "red")
    grey = next(e for e in located if by_id[e.pk]["properties"]["colour"] == "grey"
                and all(abs(float(e.lon) - float(o.lon)) + abs(float(e.lat) - float(o.lat)) > 0.02 for o in located if o != e))
    assert _near(_pixel(page, float(red.lon), float(red.lat)), HEX["red"], tol=60)
    assert _near(_pixel(page, float(grey.lon), float(grey.lat)), HEX["grey"])
    shot(page, "journey-r-a-map")

    # overdue: exactly the enterprises with an overdue open hazard
    overdue_ids = {f["id"] for f in api["features"] if f["properties"]["counts"]["hazards_overdue"] > 0}
    assert overdue_ids and len(overdue_ids) < len(located)
    page.locator("[data-test=filter-overdue]").click()
    page.locator("[data-test=apply]").click()
    expect(page).to_have_url(re.compile(r"/r/?\?overdue=true$"))
    expect(page.locator("[data-test=map-point]")).to_have_count(len(overdue_ids))
    for pk in overdue_ids:
        expect(page.locator(f"[data-test=map-point][data-id='{pk}']")).to_be_visible()

    # open one: its summary in the drawer
    page.locator(f"[data-test=map-point][data-id='{red.pk}'] a").click()
    drawer = page.locator(".el-drawer")
    expect(drawer).to_contain_text(red.name)
    expect(drawer.locator("[data-test=drawer-level]")).to_have_text(by_id[red.pk]["properties"]["level_display"])
    expect(drawer.locator("[data-test=drawer-open]")).to_have_text(str(by_id[red.pk]["properties"]["counts"]["hazards_open"]))
    expect(drawer).to_contain_text(f"逾期隐患{by_id[red.pk]['properties']['counts']['hazards_overdue']}")
    expect(drawer.locator("[data-test=drawer-enterprise]")).to_be_visible()
    shot(page, "journey-r-a-map-drawer")


def test_inspector_of_another_county_sees_none_of_them(page, demo):
    other = RegulatorFactory(name="桓台县应急管理局", jurisdiction="370321")
    member(other, Role.INSPECTOR, username="huantai", full_name="外县检查员")
    names = list(Enterprise.objects.filter(division_code__startswith="370322").values_list("name", flat=True))
    assert names

    login(page, "huantai", "pass-12345")
    page.goto("/r/")
    expect(page.locator("[data-test=map-count]")).to_contain_text("图上 0 家 · 共 0 家")
    expect(page.locator("[data-test=map-point]")).to_have_count(0)
    body = page.locator("body")
    for name in names:
        expect(body).not_to_contain_text(name)
    shot(page, "journey-r-b-other-county")


def test_the_map_stays_responsive_with_1000_enterprises(page, demo):
    """1,000 located enterprises inside the county: the map draws them all and a point's click opens its
    drawer promptly (the scatter is one canvas series)."""
    import random
    import time

    from tests.factories.accounts import make_uscc

    rng = random.Random(16)
    Enterprise.objects.bulk_create([
        Enterprise(name=f"批量企业{n:04d}", uscc=make_uscc(50_000 + n), division_code="370322102", industry="化工",
                   status=Enterprise.Status.APPROVED, lon=round(117.78 + rng.uniform(-0.05, 0.05), 6),
                   lat=round(37.15 + rng.uniform(-0.04, 0.04), 6))
        for n in range(1000)])
    total = Enterprise.objects.filter(division_code__startswith="370322", lon__isnull=False).count()
    assert total >= 1000

    login(page, "inspector")
    started = time.monotonic()
    page.goto("/r/")
    expect(page.locator("[data-test=map-count]")).to_contain_text(f"图上 {total} 家", timeout=15_000)
    page.locator("[data-test=risk-map] canvas").first.wait_for()
    loaded = time.monotonic() - started
    target = Enterprise.objects.get(name="批量企业0500")
    started = time.monotonic()
    x, y = page.evaluate("([lon, lat]) => document.querySelector('[data-test=risk-map]').__toPixel([lon, lat])",
                         [float(target.lon), float(target.lat)])
    box = page.locator("[data-test=risk-map]").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.locator(".el-drawer")).to_be_visible(timeout=3_000)
    clicked = time.monotonic() - started
    assert loaded < 10 and clicked < 3, (loaded, clicked)
    shot(page, "journey-r-a-map-1000")
