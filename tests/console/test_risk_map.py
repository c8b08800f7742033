"""四色风险分布图 API: the plant layout (PNG/JPEG/PDF first page), zones (polygons validated, a point
in one zone, audited) and the GeoJSON map (zone level = highest level of its points)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backend.audit.models import Event
from tests.factories import RiskPointFactory

pytestmark = pytest.mark.django_db
LAYOUT, ZONES, MAP = "/api/v1/plant-layout/", "/api/v1/risk-zones/", "/api/v1/risk-map/"


def png(w=800, h=500, fmt="PNG"):
    buf = io.BytesIO()
    Image.new("RGB", (w, h), "white").save(buf, fmt)
    return buf.getvalue()


def upload(client, data, name="plan.png", ctype="image/png"):
    return client.put(LAYOUT, {"file": SimpleUploadedFile(name, data, content_type=ctype)}, format="multipart")


@pytest.fixture
def plan(api, orgs):
    r = upload(api(orgs.officer), png())
    assert r.status_code == 200, r.content
    return r.json()


def err(r):
    return r.status_code, r.json()["errors"][0]["code"], r.json()["errors"][0]["attr"]


def test_png_upload_is_served_and_audited(api, orgs, plan):
    assert (plan["width"], plan["height"], plan["source"], plan["content_type"]) == (800, 500, "png", "image/png")
    r = api(orgs.employee).get(f"{LAYOUT}image/")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(r.streaming_content))).size == (800, 500)
    assert Event.objects.filter(action="plant_layout.upload").count() == 1
    r = upload(api(orgs.officer), png(600, 400, "JPEG"), "plan.jpg", "image/jpeg")  # replaces it
    assert r.json()["source"] == "jpeg" and api(orgs.officer).get(LAYOUT).json()["width"] == 600


def test_pdf_first_page_is_rasterised(api, orgs):
    buf = io.BytesIO()
    Image.new("RGB", (1000, 500), "white").save(buf, "PDF")
    r = upload(api(orgs.officer), buf.getvalue(), "plan.pdf", "application/pdf")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["source"] == "pdf" and body["content_type"] == "image/png"
    assert body["width"] == 3000 and abs(body["height"] - 1500) <= 1


def test_bad_uploads_are_coded(api, orgs):
    officer = api(orgs.officer)
    assert err(upload(officer, b"hello world", "plan.txt", "text/plain")) == (400, "unsupported_file_type", "file")
    assert err(upload(officer, b"%PDF-1.4 broken", "plan.pdf", "application/pdf")) == (400, "pdf_unreadable", "file")
    assert err(upload(officer, png()[:60], "plan.png")) == (400, "invalid_image", "file")
    assert api(orgs.officer).get(LAYOUT).status_code == 404  # nothing stored


def test_who_may_upload_and_read(api, orgs, plan):
    assert err(upload(api(orgs.employee), png())) == (403, "role_not_allowed", None)
    assert err(upload(api(orgs.inspector), png()))[:2] == (403, "read_only")
    assert err(api(orgs.inspector).get(LAYOUT)) == (400, "required", "enterprise")
    assert api(orgs.inspector).get(LAYOUT, {"enterprise": orgs.owner.pk}).json()["width"] == 800
    assert api(orgs.inspector).get(f"{LAYOUT}image/", {"enterprise": orgs.owner.pk}).status_code == 200
    assert api(orgs.other_inspector).get(LAYOUT, {"enterprise": orgs.owner.pk}).status_code == 404
    assert api(orgs.other_inspector).get(MAP, {"enterprise": orgs.owner.pk}).status_code == 404
    assert api(orgs.outsider_officer).get(LAYOUT).status_code == 404  # its own plan: none
    assert api(orgs.outsider_officer).get(MAP).json()["metadata"]["width"] is None
    assert err(api(orgs.officer).get(MAP, {"foo": 1})) == (400, "unknown_filter", "foo")


def test_zone_needs_a_plan_and_a_valid_polygon(api, orgs):
    officer = api(orgs.officer)
    body = {"name": "罐区", "polygon": [[10, 10], [200, 10], [200, 150]]}
    assert err(officer.post(ZONES, body, format="json")) == (400, "plant_layout_missing", "polygon")
    upload(officer, png())
    assert officer.post(ZONES, body, format="json").status_code == 201
    assert err(officer.post(ZONES, body, format="json")) == (400, "duplicate", "name")
    bad = {"name": "反应区", "polygon": [[10, 10], [300, 200], [300, 10], [50, 200]]}
    assert err(officer.post(ZONES, bad, format="json")) == (400, "polygon_self_intersecting", "polygon")
    off = {"name": "反应区", "polygon": [[10, 10], [900, 10], [300, 200]]}
    assert err(officer.post(ZONES, off, format="json")) == (400, "polygon_outside_image", "polygon")
    assert err(officer.post(ZONES, {"name": "x", "polygon": [[1, 2], [3, 4]]}, format="json"))[:2] == (
        400, "polygon_too_few_points")


def test_points_belong_to_one_zone_and_zones_take_the_highest_level(api, orgs, plan, django_assert_max_num_queries):
    officer = api(orgs.officer)
    tank = RiskPointFactory(enterprise=orgs.owner, code="SB-01", name="储罐区", level="major", is_major_hazard_source=True)
    pump = RiskPointFactory(enterprise=orgs.owner, code="SB-02", name="泵房", level="moderate")
    lab = RiskPointFactory(enterprise=orgs.owner, code="SB-03", name="化验室", level="low")
    foreign = RiskPointFactory(enterprise=orgs.outsider)
    a = officer.post(ZONES, {"name": "罐区", "polygon": [[10, 10], [210, 10], [210, 110], [10, 110]],
                             "points": [tank.pk, pump.pk]}, format="json")
    assert a.status_code == 201, a.content
    assert (a.json()["level"], a.json()["colour"], a.json()["colour_hex"]) == ("major", "red", "#FF0000")
    zb = {"name": "化验楼", "polygon": [[300, 300], [400, 300], [400, 400]], "points": [lab.pk]}
    b = officer.post(ZONES, zb, format="json").json()
    assert b["colour"] == "blue"
    r = officer.patch(f"{ZONES}{b['id']}/", {"points": [lab.pk, pump.pk]}, format="json")
    assert err(r)[:2] == (409, "point_in_other_zone")
    assert err(officer.patch(f"{ZONES}{b['id']}/", {"points": [foreign.pk]}, format="json"))[:2] == (400, "does_not_exist")
    officer.patch(f"{ZONES}{a.json()['id']}/", {"points": [tank.pk]}, format="json")
    r = officer.patch(f"{ZONES}{b['id']}/", {"points": [lab.pk, pump.pk]}, format="json")
    assert r.status_code == 200 and (r.json()["level"], r.json()["colour"]) == ("moderate", "yellow")
    assert [e.action for e in Event.objects.filter(object_type="compliance.riskzone").order_by("seq")] == [
        "risk_zone.create", "risk_zone.create", "risk_zone.update", "risk_zone.update"]

    with django_assert_max_num_queries(8) as few:
        geo = officer.get(MAP).json()
    n = len(few.captured_queries)
    assert geo["type"] == "FeatureCollection" and geo["metadata"]["width"] == 800 and geo["metadata"]["height"] == 500
    assert [x["colour_hex"] for x in geo["metadata"]["legend"]][:4] == ["#FF0000", "#FFA500", "#FFFF00", "#0000FF"]
    zones = {f["properties"]["name"]: f for f in geo["features"] if f["properties"]["kind"] == "zone"}
    tank_zone = zones["罐区"]["properties"]
    assert tank_zone["level"] == "major" and tank_zone["colour_label"] == "红" and tank_zone["has_major_hazard_source"]
    assert tank_zone["counts"] == {"major": 1, "high": 0, "moderate": 0, "low": 0, "unassessed": 0}
    assert zones["罐区"]["geometry"]["coordinates"][0][0] == zones["罐区"]["geometry"]["coordinates"][0][-1]
    points = {f["properties"]["code"]: f for f in geo["features"] if f["properties"]["kind"] == "point"}
    assert points["SB-01"]["geometry"] == {"type": "Point", "coordinates": [110.0, 60.0]}
    assert points["SB-02"]["properties"]["zone_id"] == b["id"]
    for i in range(5):
        p = RiskPointFactory(enterprise=orgs.owner, level="high")
        officer.post(ZONES, {"name": f"区{i}", "polygon": [[500, 10 + i * 50], [600, 10 + i * 50], [600, 50 + i * 50]],
                             "points": [p.pk]}, format="json")
    RiskPointFactory(enterprise=orgs.owner)
    with django_assert_max_num_queries(n):
        geo = officer.get(MAP).json()
    unplaced = [f for f in geo["features"] if f["properties"].get("position") == "unplaced"]
    assert len(unplaced) == 1 and unplaced[0]["geometry"] is None

    assert officer.delete(f"{ZONES}{a.json()['id']}/").status_code == 204
    assert api(orgs.employee).delete(f"{ZONES}{b['id']}/").status_code == 403
    assert api(orgs.outsider_officer).get(f"{ZONES}{b['id']}/").status_code == 404
    assert api(orgs.inspector).get(f"{ZONES}{b['id']}/").status_code == 200
    assert api(orgs.inspector).delete(f"{ZONES}{b['id']}/").status_code == 403


def test_demo_risk_map_is_loaded_once_with_coloured_zones(api, orgs):
    import io as _io

    from backend.core.demo import DemoContext
    from compliance.demo import DEMO_ZONES, PLAN_SIZE, load_risk_map
    from compliance.models import RiskZone
    from tests.helpers.permits import SAMPLE_POINTS

    for code, (name, level) in SAMPLE_POINTS.items():
        RiskPointFactory(enterprise=orgs.owner, code=code, name=name, level=level)
    ctx = DemoContext(enterprise=orgs.owner, regulator=orgs.gaoqing, users={"officer": orgs.officer},
                      stdout=_io.StringIO())
    load_risk_map(ctx)
    load_risk_map(ctx)
    assert RiskZone.objects.filter(enterprise=orgs.owner).count() == len(DEMO_ZONES)
    geo = api(orgs.officer).get(MAP).json()
    assert (geo["metadata"]["width"], geo["metadata"]["height"]) == PLAN_SIZE
    colours = {f["properties"]["name"]: f["properties"]["colour_label"] for f in geo["features"]
               if f["properties"]["kind"] == "zone"}
    assert colours == {"罐区": "红", "生产装置区": "橙", "公用工程区": "蓝"}
