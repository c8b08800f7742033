"""The public pages' API (issue 16, public pages): the whistleblower form's required fields are the
schema's, a refused submission does not use the hourly quota, and the published 双随机 results."""

from __future__ import annotations

import io
import json

import pytest
from django.utils import timezone

from backend.audit.models import Event
from inspections.api.public import AnonReportThrottle
from inspections.models import Draw, WhistleblowerReport
from tests.factories.inspections import DrawFactory, FindingFactory, InspectionFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/public/reports/"
DRAWS = "/api/v1/public/draws/"


@pytest.fixture
def report_schema(api):
    schema = api().get("/api/schema/", {"format": "json"}).json()
    op = schema["paths"]["/api/v1/public/reports/"]["post"]
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert op["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"].endswith(ref)
    return schema["components"]["schemas"][ref]


def _post(api, body, **kw):
    return api().post(URL, body, format="json", **kw)


def _error(r):
    return r.status_code, r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]


def test_the_schema_states_exactly_what_the_api_requires(api, orgs, report_schema):
    s = report_schema
    assert s["required"] == ["description"]
    [rule] = s["allOf"]
    assert [branch["required"] for branch in rule["anyOf"]] == [["enterprise_name"], ["location"]]
    assert not any("default" in prop for prop in s["properties"].values())  # optional means optional
    # every field the schema requires is refused when missing or blank …
    full = {"description": "夜间偷排废液", "location": "花沟镇兴业路北侧", "division_code": "370322106"}
    for name in s["required"]:
        assert _error(_post(api, {k: v for k, v in full.items() if k != name}))[:2] == (400, name)
        assert _error(_post(api, full | {name: "   "}))[:2] == (400, name)
    # … the anyOf: neither enterprise_name nor location (or both blank) is refused, naming enterprise_name …
    assert _error(_post(api, {"description": "夜间偷排废液"})) == (400, "enterprise_name", "required")
    assert _error(_post(api, {"description": "夜间偷排", "enterprise_name": " ", "location": " "}))[:2] == (
        400, "enterprise_name")
    # … and a body that satisfies the schema with either branch is accepted
    assert _post(api, full).status_code == 201
    assert _post(api, {"description": "储罐区无人值守", "enterprise_name": orgs.owner.name}).status_code == 201
    # the one rule the schema cannot state (it depends on the registered enterprises) is documented on the field
    assert "division_required" in s["properties"]["division_code"]["description"]
    assert _error(_post(api, {"description": "x", "location": "某处"})) == (400, "division_code", "division_required")


def _png_bad() -> io.BytesIO:
    buf = io.BytesIO(b"not an image at all")
    buf.name = "x.png"
    return buf


def test_refused_submissions_do_not_use_the_hourly_quota(api, orgs, monkeypatch):
    monkeypatch.setattr(AnonReportThrottle, "THROTTLE_RATES", {"anon_report": "2/hour"})
    client = api()
    good = {"enterprise_name": orgs.owner.name, "description": "夜间偷排废液"}
    for _ in range(5):  # refused: missing fields, unknown division, a file that is no image
        assert client.post(URL, {"description": "x"}, format="json").status_code == 400
        assert client.post(URL, {"description": "x", "location": "某处", "division_code": "999999"},
                           format="json").status_code == 400
    assert client.post(URL, good | {"photos": [_png_bad()]}, format="multipart").status_code == 400
    assert WhistleblowerReport.objects.count() == 0
    assert client.post(URL, good, format="json").status_code == 201
    assert client.post(URL, good, format="json").status_code == 201
    r = client.post(URL, good, format="json")
    assert r.status_code == 429  # the third accepted report in the hour
    assert client.post(URL, {"description": "x"}, format="json").status_code == 429  # over quota: refused first
    assert WhistleblowerReport.objects.count() == 2
    # another sender's quota is its own
    assert client.post(URL, good, format="json", REMOTE_ADDR="10.9.9.9").status_code == 201


# --- 双随机、一公开 ---------------------------------------------------------------------------------------
@pytest.fixture
def published(orgs):
    o = orgs
    o.draw = DrawFactory(regulator=o.gaoqing, created_by=o.reg_admin, title="12月双随机抽查")
    o.closed = InspectionFactory(regulator=o.gaoqing, enterprise=o.owner, created_by=o.inspector, draw=o.draw,
                                 inspectors=[o.inspector, o.inspector2], state="closed", closed_at=timezone.now(),
                                 kind="drawn")
    FindingFactory(inspection=o.closed, status="fixed")
    FindingFactory(inspection=o.closed)
    o.open = InspectionFactory(regulator=o.gaoqing, created_by=o.inspector, draw=o.draw, kind="drawn",
                               inspectors=[o.inspector, o.inspector2])
    o.unpublished = DrawFactory(regulator=o.gaoqing, created_by=o.reg_admin)
    return o


def test_publish_is_the_regulator_admins_once(api, published):
    o = published
    url = f"/api/v1/draws/{o.draw.pk}/publish/"
    assert api(o.inspector).post(url).status_code == 403
    assert api(o.other_reg_admin).post(url).status_code == 404
    assert api(o.admin).post(url).status_code == 403
    assert api().get(DRAWS).json()["results"] == []  # nothing published yet
    r = api(o.reg_admin).post(url)
    assert r.status_code == 200 and r.json()["published_at"]
    assert Event.objects.filter(action="draw.publish", object_id=str(o.draw.pk)).count() == 1
    r = api(o.reg_admin).post(url)
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "already_published"


def test_public_draws_show_closed_outcomes_without_personal_data(api, published):
    o = published
    Draw.objects.filter(pk=o.draw.pk).update(published_at=timezone.now(), published_by=o.reg_admin)
    r = api().get(DRAWS)
    assert r.status_code == 200
    [d] = r.json()["results"]
    assert (d["id"], d["regulator_name"], d["title"], d["seed"]) == (o.draw.pk, "高青县应急管理局", "12月双随机抽查",
                                                                     o.draw.seed)
    assert (d["candidates_count"], d["inspections_planned"]) == (2, 1)
    [res] = d["results"]  # the open inspection is not shown
    assert (res["enterprise_name"], res["findings"], res["fixed"], res["all_fixed"]) == (o.owner.name, 2, 1, False)
    text = json.dumps(r.json(), ensure_ascii=False)
    for person in (o.inspector, o.inspector2, o.reg_admin):
        assert person.full_name not in text and person.username not in text
    assert not {"roster", "result", "candidates", "conflicts", "created_by", "published_by", "inspectors"} & set(d)
    assert api().get(DRAWS, {"regulator": o.other_reg.pk}).json()["results"] == []
    r = api().get(DRAWS, {"regulator": "x"})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "regulator"


def test_the_demo_publishes_its_draw_with_one_closed_outcome(api, orgs, gaoqing_enterprises):
    import io

    from backend.core.demo import DemoContext
    from inspections import demo

    users = {"inspector": orgs.inspector, "inspector2": orgs.inspector2, "regadmin": orgs.reg_admin,
             "officer": orgs.officer, "principal": orgs.principal}
    demo.load(DemoContext(enterprise=orgs.owner, users=users, regulator=orgs.gaoqing, stdout=io.StringIO()))
    [d] = api().get(DRAWS).json()["results"]
    assert d["title"] == demo.DRAW_TITLE and d["inspections_planned"] == 3
    [res] = d["results"]
    assert (res["findings"], res["all_fixed"]) == (0, True)
