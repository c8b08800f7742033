"""QR labels of the risk points (``GET /risk-points/labels.pdf``) and what scanning one opens
(``GET /investigation-tasks/?risk_point=<id>&due_on=<today>``)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from backend.core.time import SHANGHAI
from compliance.labels import labels_html, scan_url
from tests.factories import RiskPointFactory
from tests.factories.compliance import ControlMeasureFactory, InvestigationTaskFactory, RiskEventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
URL = "/api/v1/risk-points/labels.pdf"


def test_each_label_carries_name_number_colour_and_the_scan_url(orgs, settings):
    points = [RiskPointFactory(enterprise=orgs.owner, code="SB-01", name="储罐区", level="major",
                               is_major_hazard_source=True),
              RiskPointFactory(enterprise=orgs.owner, code="SB-05", name="导热油炉", level="moderate")]
    html = labels_html(points, origin="https://sf.example.gov.cn/", enterprise_name=orgs.owner.name)
    assert scan_url("https://sf.example.gov.cn/", points[0].pk) == f"https://sf.example.gov.cn/m/scan/{points[0].pk}"
    for p, colour, hex_ in ((points[0], "红", "#FF0000"), (points[1], "黄", "#FFFF00")):
        assert p.name in html and f"编号：{p.code}" in html and f"/m/scan/{p.pk}" in html
        assert f"{colour}色" in html and hex_ in html
    assert "重大危险源" in html and html.count("data:image/svg+xml;base64,") == 2


def test_the_sheet_is_a_pdf_with_the_qr_urls(api, orgs, settings):
    settings.REPORTS_PUBLIC_BASE_URL = "https://sf.example.gov.cn"
    for i in range(23):
        RiskPointFactory(enterprise=orgs.owner, code=f"SB-{i:02d}", name=f"风险点{i}", level="high")
    RiskPointFactory(enterprise=orgs.outsider, code="X-01", name="外企风险点")
    r = api(orgs.officer).get(URL)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 2  # 21 per page
    text = "".join(page.extract_text() for page in reader.pages)
    assert "风险点0" in text and "SB-22" in text and "外企风险点" not in text
    assert "https://sf.example.gov.cn/m/scan/" in text.replace("\n", "")
    r = api(orgs.officer).get(URL, {"level": "major"})
    assert r.status_code == 200 and len(PdfReader(io.BytesIO(r.content)).pages) == 1


def test_origin_falls_back_to_the_request_host(api, orgs, settings):
    settings.REPORTS_PUBLIC_BASE_URL = ""
    p = RiskPointFactory(enterprise=orgs.owner, code="SB-01", name="储罐区", level="low")
    r = api(orgs.officer).get(URL, HTTP_HOST="testserver")
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text().replace("\n", "")
    assert f"http://testserver/m/scan/{p.pk}" in text


def test_who_may_print_and_bad_filters(api, orgs):
    r = api(orgs.inspector).get(URL)
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "enterprise_only"
    assert api(None).get(URL).status_code == 401
    r = api(orgs.officer).get(URL, {"colour": "red"})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "colour"
    r = api(orgs.officer).get(URL, {"level": "purple"})
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "level"


def test_scanning_a_label_lists_that_points_due_tasks(api, orgs):
    point = RiskPointFactory(enterprise=orgs.owner, code="SB-01")
    other = RiskPointFactory(enterprise=orgs.owner, code="SB-02")
    today = dt.datetime(2026, 11, 25, tzinfo=SHANGHAI)
    due = InvestigationTaskFactory(measure=ControlMeasureFactory(risk_event=RiskEventFactory(risk_point=point)),
                                   due_start=today, due_end=today + dt.timedelta(days=1))
    InvestigationTaskFactory(measure=ControlMeasureFactory(risk_event=RiskEventFactory(risk_point=point)),
                             due_start=today + dt.timedelta(days=2), due_end=today + dt.timedelta(days=3))
    InvestigationTaskFactory(measure=ControlMeasureFactory(risk_event=RiskEventFactory(risk_point=other)),
                             due_start=today, due_end=today + dt.timedelta(days=1))
    r = api(orgs.employee).get("/api/v1/investigation-tasks/", {"risk_point": point.pk, "due_on": "2026-11-25"})
    assert [t["id"] for t in r.json()["results"]] == [due.pk]
    assert api(orgs.outsider_officer).get("/api/v1/investigation-tasks/", {"risk_point": point.pk,
                                                                          "due_on": "2026-11-25"}).json()["count"] == 0
