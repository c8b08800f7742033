"""The inspection record PDF (检查记录 / 责令限期整改指令书): ``GET /api/v1/inspections/{id}/record.pdf``."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from inspections.rules.checklists import TEMPLATES
from tests.factories import EnterpriseFactory, member

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inspections/"
ITEMS = [i["code"] for i in TEMPLATES[0]["items"]]


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace(" ", "").replace("\n", "")


def _inspection(api, orgs, *, order: bool) -> int:
    client = api(orgs.inspector)
    r = client.post(BASE, {"enterprise": orgs.owner.pk, "planned_on": date.today(), "title": "12月专项检查",
                           "inspectors": [orgs.inspector.pk, orgs.inspector2.pk]}, format="json")
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert client.post(f"{BASE}{pk}/start/").status_code == 200
    results = [{"item_code": c, "result": "fail" if c == "DP-04" else "pass"} for c in ITEMS]
    results[3]["note"] = "泵房巡检记录缺失"
    assert client.post(f"{BASE}{pk}/results/", {"results": results}, format="json").status_code == 200
    body = {"text": "储罐区可燃气体报警器失效", "item_code": "DP-04", "location": "罐区东侧"}
    body |= {"deadline": date.today() + timedelta(days=15)} if order else {"order_rectification": False}
    assert client.post(f"{BASE}{pk}/findings/", body, format="json").status_code == 201
    assert client.post(f"{BASE}{pk}/close/", {"summary": "总体较好，存在一项问题"}, format="json").status_code == 200
    return pk


def test_record_with_the_rectification_order(api, orgs):
    pk = _inspection(api, orgs, order=True)
    url = f"{BASE}{pk}/record.pdf"
    for user in (orgs.inspector, orgs.reg_admin, orgs.officer, orgs.admin, orgs.employee):
        r = api(user).get(url)
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf", user
    text = _text(r.content)
    deadline = date.today() + timedelta(days=15)
    for expected in ("安全生产监督检查记录", "高青县应急管理局", orgs.owner.name, "双重预防机制建设运行情况检查表",
                     "李检查", "赵检查", "特殊作业票证审批", "不符合", "泵房巡检记录缺失", "储罐区可燃气体报警器失效",
                     "罐区东侧", "总体较好，存在一项问题", "责令限期整改指令书", "第六十五条",
                     f"{deadline.year}年{deadline.month}月{deadline.day}日前整改完毕", "行政复议"):
        assert expected in text, expected
    assert "草稿" not in text
    from compliance.models import Hazard

    assert Hazard.objects.get(enterprise=orgs.owner).number in text  # the finding became this hazard


def test_record_without_order_has_no_order_page(api, orgs):
    pk = _inspection(api, orgs, order=False)
    text = _text(api(orgs.officer).get(f"{BASE}{pk}/record.pdf").content)
    assert "储罐区可燃气体报警器失效" in text and "责令限期整改指令书" not in text


def test_who_may_download(api, orgs):
    pk = _inspection(api, orgs, order=True)
    url = f"{BASE}{pk}/record.pdf"
    other_ent = member(EnterpriseFactory(division_code="370322102"), "admin")  # same county, other enterprise
    for user in (orgs.other_inspector, orgs.other_reg_admin, orgs.outsider_admin, orgs.outsider_officer, other_ent):
        r = api(user).get(url)
        assert r.status_code == 404 and r.json()["errors"][0]["code"] == "not_found", user
    assert api().get(url).status_code == 401
    assert api(orgs.inspector).get(f"{BASE}987654321/record.pdf").status_code == 404
    assert api(orgs.inspector).get(f"{BASE}{'9' * 30}/record.pdf").status_code == 404
    assert api(orgs.inspector).post(url, {}).status_code == 405


def test_planned_inspection_has_no_record_yet(api, orgs):
    r = api(orgs.inspector).post(BASE, {"enterprise": orgs.owner.pk, "planned_on": date.today(),
                                        "inspectors": [orgs.inspector.pk, orgs.inspector2.pk]}, format="json")
    r = api(orgs.officer).get(f"{BASE}{r.json()['id']}/record.pdf")
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "inspection_not_started"
