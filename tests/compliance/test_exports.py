"""Issue 13 §4: exports with the shared table layout, and export → import round trips.

The register export (``GET /risk-register/export/``) and the ledger export (``GET /hazards/export/``)
have the header frozen, an autofilter, a 填表人/审核人/日期 footer and formula-neutral cells; the
ledger re-imports into the same enterprise with no new hazard and no second regulator notice —
platform-created hazards are found again by their 平台编号.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.audit.models import Event
from backend.audit.services import audit_verify
from backend.notifications.models import Notification
from compliance.models import Hazard, RiskEvent
from compliance.services.ledger_import import ledger_import
from compliance.services.register_import import register_import
from tests.helpers.samples import LEDGER_XLSX, REGISTER_XLSX

pytestmark = pytest.mark.django_db


def _book(response) -> openpyxl.Workbook:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(body))


def _footer(ws) -> str:
    return str(ws.cell(ws.max_row, 1).value)


def test_register_export_endpoint(api, orgs):
    register_import(actor=orgs.officer, enterprise=orgs.owner, source=str(REGISTER_XLSX))
    r = api(orgs.officer).get("/api/v1/risk-register/export/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = _book(r)
    assert wb.sheetnames == ["作业活动", "设备设施", "场所区域"]
    for ws in wb:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        assert _footer(ws).startswith("填表人：") and "审核人：" in _footer(ws)
    # re-imported over the API into the same enterprise: nothing changes
    body = b"".join(api(orgs.officer).get("/api/v1/risk-register/export/").streaming_content)
    up = api(orgs.officer).post("/api/v1/risk-register/import/", {"file": SimpleUploadedFile("清单.xlsx", body)},
                                format="multipart")
    assert up.status_code == 200
    c = up.json()["counts"]
    assert (c["created"], c["updated"], c["rejected"], c["unchanged"]) == (0, 0, 0, 82)
    # another enterprise's member exports its own (empty) register; a regulator has no register to export
    other = _book(api(orgs.outsider_officer).get("/api/v1/risk-register/export/"))
    (row2,) = other.worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True)
    assert set(row2) == {None}  # no data row: the blank row above the footer
    assert api(orgs.inspector).get("/api/v1/risk-register/export/").status_code == 403
    assert RiskEvent.objects.filter(enterprise=orgs.outsider).count() == 0


def test_ledger_export_layout_and_formula_neutral_cells(api, orgs, clock, file_hazard):
    file_hazard(title="=HYPERLINK(\"http://evil.example\",\"点击\")", description="=1+1 罐区堆放杂物")
    wb = _book(api(orgs.officer).get("/api/v1/hazards/export/", {"format": "xlsx"}))
    ws = wb["隐患排查治理台账"]
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:P4"
    assert ws.cell(4, 5).value == "'=1+1 罐区堆放杂物" and ws.cell(4, 5).data_type == "s"
    assert _footer(ws).startswith("填表人：")
    assert wb["重大隐患五落实"].freeze_panes == "A3"


def test_ledger_round_trip_in_the_same_enterprise_adds_no_hazard_and_no_notice(api, orgs, clock, file_hazard):
    ledger_import(actor=orgs.officer, enterprise=orgs.owner, source=LEDGER_XLSX)
    platform = file_hazard(title="平台登记隐患", description="罐区东侧消防通道堆放杂物", location="罐区东侧")
    major = file_hazard(title="平台登记重大隐患", description="储罐区可燃气体报警器失效", grade="major",
                        found_on=date(2026, 11, 21))
    hazards, notices = Hazard.objects.filter(enterprise=orgs.owner).count(), Notification.objects.count()
    before = {h.pk: (h.title, h.state, h.grade, h.deadline, h.responsible_person_id)
              for h in Hazard.objects.filter(enterprise=orgs.owner)}
    events = Event.objects.count()
    body = b"".join(api(orgs.officer).get("/api/v1/hazards/export/", {"format": "xlsx"}).streaming_content)
    up = api(orgs.officer).post("/api/v1/hazards/import/", {"file": SimpleUploadedFile("台账.xlsx", body)},
                                format="multipart")
    assert up.status_code == 200, up.content[:300]
    c = up.json()["counts"]
    assert (c["created"], c["updated"], c["rejected"], c["unchanged"]) == (0, 0, 0, 72), up.json()["rows"][-3:]
    assert Hazard.objects.filter(enterprise=orgs.owner).count() == hazards
    assert Notification.objects.count() == notices  # the majors were reported once, never again
    assert Event.objects.count() == events
    after = {h.pk: (h.title, h.state, h.grade, h.deadline, h.responsible_person_id)
             for h in Hazard.objects.filter(enterprise=orgs.owner)}
    assert after == before
    rows = {r["object_id"]: r for r in up.json()["rows"]}
    assert rows[platform.pk]["outcome"] == rows[major.pk]["outcome"] == "unchanged"
    assert audit_verify() == []


def test_a_platform_hazard_changed_in_the_ledger_changes_only_that(api, orgs, clock, file_hazard):
    h = file_hazard(title="平台登记隐患", description="罐区东侧消防通道堆放杂物")
    body = b"".join(api(orgs.officer).get("/api/v1/hazards/export/", {"format": "xlsx"}).streaming_content)
    wb = openpyxl.load_workbook(io.BytesIO(body))
    ws = wb["隐患排查治理台账"]
    ws.cell(4, 8).value = "清理杂物,设置禁止堆放标识"  # 整改措施
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    report = ledger_import(actor=orgs.officer, enterprise=orgs.owner, source=out)
    assert [(r.outcome, r.changed) for r in report.rows] == [("updated", ["measures"])]
    h.refresh_from_db()
    assert (h.measures, h.title, h.ledger_seq) == ("清理杂物,设置禁止堆放标识", "平台登记隐患", None)
