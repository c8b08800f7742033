"""Regression tests of the break-it defects in the compliance app (the team's break-it list, rows D3 D4 D21 D22 D25):
D3 formula injection and D4 control characters in the ledger exports (enterprise and regulator),
D25 absurd dates."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

from backend.core.spreadsheets import safe_cell, unquote_cell
from compliance.models import Hazard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
URL = "/api/v1/hazards/"
AUDIT_URL = "/api/v1/audit/hazards/"
FORMULA = '=HYPERLINK("http://evil.example/x","点击")'


def _report(api, orgs, title):
    r = api(orgs.employee).post(f"{URL}report/", {"title": title, "location": "x"}, format="json")
    assert r.status_code == 201, r.json()
    return r.json()


def _xlsx_cells(content):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [c for row in wb["隐患排查治理台账"].iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_safe_cell_neutralises_every_formula_trigger(prefix):
    assert safe_cell(prefix + "1+1") == "'" + prefix + "1+1"
    assert unquote_cell(safe_cell(prefix + "1+1")) == prefix + "1+1"
    assert safe_cell("普通文本") == "普通文本" and safe_cell(-5) == -5 and safe_cell(None) is None


def test_d3_no_formula_reaches_the_enterprise_or_regulator_export(api, orgs):
    _report(api, orgs, FORMULA)
    orgs.owner.name = "=1+1 化工"
    orgs.owner.save()
    for client, url in ((api(orgs.officer), URL), (api(orgs.inspector), AUDIT_URL)):
        r = client.get(f"{url}export/", {"format": "xlsx"})
        assert r.status_code == 200, (url, r.getvalue()[:200])
        cells = _xlsx_cells(r.getvalue())
        assert not [c for c in cells if c.data_type == "f"], url  # no <f> element anywhere
        assert cells[0].value == "'=1+1 化工隐患排查治理台账"
        assert "'" + FORMULA in [c.value for c in cells]
        r = client.get(f"{url}export/", {"format": "csv"})
        rows = list(csv.reader(io.StringIO(r.getvalue().decode("utf-8-sig"))))
        assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row), url
        assert rows[1][4] == "'" + FORMULA


def test_d3_an_exported_formula_text_reimports_as_the_same_text(api, orgs):
    _report(api, orgs, FORMULA)
    body = api(orgs.officer).get(f"{URL}export/", {"format": "xlsx"}).getvalue()
    from compliance.services.ledger_import import ledger_import

    ledger_import(actor=orgs.outsider_officer, enterprise=orgs.outsider, source=io.BytesIO(body))
    assert Hazard.objects.get(enterprise=orgs.outsider).description == FORMULA


def test_d4_a_control_character_does_not_break_the_xlsx_exports(api, orgs):
    _report(api, orgs, "a\u000bb\u001fc")
    for client, url, params in ((api(orgs.officer), URL, {}), (api(orgs.inspector), AUDIT_URL, {}),
                                (api(orgs.inspector), AUDIT_URL, {"enterprise": orgs.owner.pk})):
        r = client.get(f"{url}export/", {"format": "xlsx", **params})
        assert r.status_code == 200, (url, params)
        assert "abc" in [c.value for c in _xlsx_cells(r.getvalue())]


@pytest.mark.parametrize("found_on", ["0001-01-01", "1899-12-31", "1999-12-31"])
def test_d25_absurd_found_dates_are_refused(api, orgs, found_on):
    r = api(orgs.officer).post(URL, {"title": "t", "found_on": found_on, "deadline": "2026-12-05"}, format="json")
    assert r.status_code == 400
    err = r.json()["errors"][0]
    assert (err["attr"], err["code"]) == ("found_on", "date_out_of_range")
    r = api(orgs.employee).post(f"{URL}report/", {"title": "t", "found_on": found_on}, format="json")
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "date_out_of_range"
    assert not Hazard.objects.exists()


def test_d25_the_earliest_date_is_accepted(api, orgs):
    r = api(orgs.officer).post(URL, {"title": "t", "found_on": "2000-01-01", "deadline": "2026-12-05"}, format="json")
    assert r.status_code == 201 and r.json()["number"].startswith("YH-2000-")


def test_d25_ledger_rows_with_absurd_dates_are_rejected(orgs, tmp_path):
    from backend.core.actors import SYSTEM
    from compliance.services.ledger_import import ledger_import
    from tests.helpers.samples import LEDGER_XLSX

    wb = openpyxl.load_workbook(LEDGER_XLSX)
    wb["隐患排查治理台账"].cell(4, 2).value = date(1, 1, 1)
    path = tmp_path / "old.xlsx"
    wb.save(path)
    report = ledger_import(actor=SYSTEM, enterprise=orgs.owner, source=path)
    first = report.rows[0]
    assert first.outcome == "rejected" and [(e.field, e.code) for e in first.errors] == [
        ("found_date", "date_out_of_range")]


# --- D21: immutable parent FKs ----------------------------------------------------------------
def test_d21_an_event_does_not_move_to_another_risk_point(api, orgs, measure):
    event = measure.risk_event
    other = api(orgs.officer).post("/api/v1/risk-points/", {"code": "ZY-98", "name": "受限空间", "kind": "activity"},
                                   format="json").json()
    r = api(orgs.officer).patch(f"/api/v1/risk-events/{event.pk}/", {"risk_point": other["id"]}, format="json")
    assert r.status_code == 400
    assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("risk_point", "immutable")
    event.refresh_from_db()
    assert event.risk_point_id != other["id"]
    # the same parent (a full PUT-like body) is fine
    r = api(orgs.officer).patch(f"/api/v1/risk-events/{event.pk}/", {"risk_point": event.risk_point_id,
                                                                        "description": "改"}, format="json")
    assert r.status_code == 200 and r.json()["description"] == "改"


def test_d21_a_measure_does_not_move_to_another_event(api, orgs, measure):
    other = api(orgs.officer).post("/api/v1/risk-events/", {
        "risk_point": measure.risk_event.risk_point_id, "description": "另一事件", "method": "ls", "l": 2, "s": 2},
        format="json").json()
    r = api(orgs.officer).patch(f"/api/v1/control-measures/{measure.pk}/", {"risk_event": other["id"]}, format="json")
    assert r.status_code == 400
    assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("risk_event", "immutable")
    measure.refresh_from_db()
    assert measure.risk_event_id != other["id"]


# --- D22: a workbook without a register sheet ---------------------------------------------------
def test_d22_register_import_without_a_register_sheet_is_400_like_the_ledger(api, orgs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["这不是风险分级管控清单"])
    buf = io.BytesIO()
    wb.save(buf)
    for url in ("/api/v1/risk-register/import/", f"{URL}import/"):
        r = api(orgs.officer).post(url, {"file": SimpleUploadedFile("x.xlsx", buf.getvalue())}, format="multipart")
        assert r.status_code == 400, (url, r.json())
        assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("file", "invalid_file")


def test_workbook_size_cap_is_the_services_for_both_imports(api, orgs, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from compliance.services import common

    monkeypatch.setattr(common, "WORKBOOK_MAX_BYTES", 1024)
    for url in ("/api/v1/risk-register/import/", f"{URL}import/"):
        r = api(orgs.officer).post(url, {"file": SimpleUploadedFile("x.xlsx", b"\x00" * 2048)}, format="multipart")
        assert r.status_code == 413, url
        assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("file", "file_too_large")


def test_d3_d4_the_dual_report_workbook_sheets_are_sanitised_too():
    from inspections.reports.render import _sheet

    wb = openpyxl.Workbook()
    _sheet(wb, "重大隐患", ["隐患名称", "=企业"], [[FORMULA, "a\u000bb", 3]])
    body = io.BytesIO()
    wb.save(body)  # a control character would raise IllegalCharacterError here
    ws = openpyxl.load_workbook(io.BytesIO(body.getvalue()))["重大隐患"]
    assert [c.value for c in ws[1]][:2] == ["隐患名称", "'=企业"]
    assert [c.value for c in ws[2]] == ["'" + FORMULA, "ab", 3]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
