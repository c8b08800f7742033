"""The sample ledger (data/README.md §3): import report, idempotency, expected figures, export
round trip, command and upload."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from backend.audit.models import Event
from backend.core.actors import SYSTEM
from backend.notifications.models import Notification
from compliance.models import Hazard
from compliance.selectors import ledger_export_xlsx
from compliance.services.ledger_import import IMPORT_FIELDS, ledger_import
from tests.helpers.samples import LEDGER_XLSX as LEDGER_PATH

pytestmark = pytest.mark.django_db
URL = "/api/v1/hazards/"


@pytest.fixture
def imported(orgs):
    return ledger_import(actor=orgs.officer, enterprise=orgs.owner, source=LEDGER_PATH)


def seqs(qs):
    return sorted(qs.values_list("ledger_seq", flat=True))


def test_sample_ledger_imports_with_expected_figures(orgs, imported):
    d = imported.as_dict()
    c = d["counts"]
    assert (c["created"], c["updated"], c["unchanged"], c["rejected"], d["errors"]) == (70, 0, 0, 0, [])
    # the one import-report shape (backend.core.importing): sheet, row and ref per row
    assert d["rows"][0]["sheet"] == "隐患排查治理台账" and d["rows"][0]["row"] == 4
    assert d["rows"][0]["ref"] == "隐患排查治理台账!第4行" and d["rows"][0]["outcome"] == "created"
    hz = Hazard.objects.filter(enterprise=orgs.owner)
    assert hz.count() == 70
    assert hz.filter(state="accepted").count() == 51
    assert seqs(hz.filter(state="pending_acceptance")) == [51, 57, 60, 67]
    assert seqs(hz.filter(state="rectifying")) == [37, 45, 46, 49, 52, 54, 56, 58, 61, 62, 63, 65, 68, 69, 70]
    assert seqs(hz.filter(grade="major")) == [16, 45]
    assert seqs(hz.filter(treatment="immediate")) == [11, 20, 24, 43]
    for h in hz.filter(treatment="immediate"):
        assert h.deadline == h.found_on
    # every row gets one audit event, and keeps its own dates
    assert Event.objects.filter(action="hazard.import", enterprise=orgs.owner).count() == 70
    h1 = hz.get(ledger_seq=1)
    assert (h1.found_on, h1.deadline, h1.completed_on, h1.accepted_on) == (
        date(2026, 6, 3), date(2026, 6, 18), date(2026, 6, 13), date(2026, 6, 14))
    assert h1.source == "daily" and h1.hazard_type == "equipment" and h1.acceptor_name == "马文斌"
    assert h1.number.startswith("YH-2026-")


def test_majors_take_their_five_commitments_and_supervision(orgs, imported):
    m16 = Hazard.objects.get(enterprise=orgs.owner, ledger_seq=16)
    assert m16.checklist_items == [12] and m16.state == "accepted" and not m16.supervised
    m45 = Hazard.objects.get(enterprise=orgs.owner, ledger_seq=45)
    assert m45.checklist_items == [13]
    assert m45.supervised and m45.supervised_by == orgs.gaoqing
    assert m45.deadline == date(2027, 4, 30) and m45.funds_yuan == 1860000
    assert m45.responsible_name == "韩德茂" and m45.contingency_plan and m45.measures.startswith("新建独立抗爆控制室")
    # reported to the regulator (open major), not for the accepted one
    assert Notification.objects.filter(idempotency_key__startswith=f"hazard:{m45.pk}:major").exists()
    assert not Notification.objects.filter(idempotency_key__startswith=f"hazard:{m16.pk}:major").exists()


def test_overdue_on_the_reference_day(api, orgs, imported, time_machine):
    time_machine.move_to("2026-11-29T12:00:00+08:00", tick=False)
    rows = api(orgs.officer).get(URL, {"overdue": "true", "page_size": 100}).json()["results"]
    assert sorted(r["ledger_seq"] for r in rows) == [37, 46, 49, 52, 54, 56, 58]
    h65 = api(orgs.officer).get(URL, {"q": Hazard.objects.get(enterprise=orgs.owner, ledger_seq=65).number}).json()
    assert h65["results"][0]["overdue"] is False


def test_reimport_changes_nothing(orgs, imported):
    before = Event.objects.count()
    again = ledger_import(actor=orgs.officer, enterprise=orgs.owner, source=LEDGER_PATH).counts
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 70)
    assert Event.objects.count() == before
    assert Hazard.objects.filter(enterprise=orgs.owner).count() == 70


def snapshot(enterprise):
    return {h.ledger_seq: {f: getattr(h, f) for f in IMPORT_FIELDS if f != "supervision_note"} | {"found_on": h.found_on}
            for h in Hazard.objects.filter(enterprise=enterprise)}


def test_exported_xlsx_reimports_to_the_same_data(api, orgs, imported):
    r = api(orgs.officer).get(f"{URL}export/", {"format": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    body = r.getvalue()
    wb = openpyxl.load_workbook(io.BytesIO(body))
    assert [c.value for c in wb["隐患排查治理台账"][3]][:3] == ["序号", "排查日期", "排查类型"]
    # into the same enterprise: nothing changes
    again = ledger_import(actor=orgs.officer, enterprise=orgs.owner, source=io.BytesIO(body))
    counts = again.counts
    assert (counts["created"], counts["updated"], counts["unchanged"], counts["rejected"]) == (0, 0, 70, 0), again.rows[:3]
    # into a fresh enterprise: the same data
    ledger_import(actor=orgs.outsider_officer, enterprise=orgs.outsider, source=io.BytesIO(body))
    a, b = snapshot(orgs.owner), snapshot(orgs.outsider)
    for d in b.values():
        d["supervised_by_id"] = orgs.gaoqing.pk if d["supervised"] else None  # the outsider has no regulator in 370322
    assert a == b


def test_export_is_filtered_and_scoped(api, orgs, imported, file_hazard):
    r = api(orgs.officer).get(f"{URL}export/", {"format": "csv", "grade": "major"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.getvalue().decode("utf-8-sig"))))
    assert rows[0][:2] == ["序号", "排查日期"]
    assert [row[0] for row in rows[1:]] == ["16", "45"]
    # an outsider's export holds only its own rows (none)
    r = api(orgs.outsider_officer).get(f"{URL}export/", {"format": "xlsx"})
    wb = openpyxl.load_workbook(io.BytesIO(r.getvalue()))
    ws = wb["隐患排查治理台账"]
    below_header = [r[0] for r in ws.iter_rows(min_row=4, values_only=True)]
    assert below_header[:-1] == [None] and below_header[-1].startswith("填表人：")  # no data row, only the footer
    assert api(orgs.officer).get(f"{URL}export/", {"format": "pdf"}).status_code in (400, 404)


def test_export_then_import_of_platform_hazards(orgs, clock, file_hazard):
    file_hazard(title="平台登记隐患", description="平台登记隐患")
    body = ledger_export_xlsx(Hazard.objects.filter(enterprise=orgs.owner)).read()
    report = ledger_import(actor=orgs.outsider_officer, enterprise=orgs.outsider, source=io.BytesIO(body))
    assert report.counts["created"] == 1
    h = Hazard.objects.get(enterprise=orgs.outsider)
    assert (h.state, h.deadline, h.description) == ("confirmed", date(2026, 12, 1), "平台登记隐患")


def test_upload_endpoint_and_roles(api, orgs):
    data = LEDGER_PATH.read_bytes()
    f = SimpleUploadedFile("台账.xlsx", data)
    assert api(orgs.employee).post(f"{URL}import/", {"file": f}, format="multipart").status_code == 403
    f = SimpleUploadedFile("台账.xlsx", data)
    r = api(orgs.officer).post(f"{URL}import/", {"file": f}, format="multipart")
    assert r.status_code == 200
    assert r.json()["counts"]["created"] == 70 and len(r.json()["rows"]) == 70
    r = api(orgs.officer).post(f"{URL}import/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
                               format="multipart")
    assert r.status_code == 400
    assert (r.json()["errors"][0]["attr"], r.json()["errors"][0]["code"]) == ("file", "invalid_file")
    assert api(orgs.inspector).post(f"{URL}import/", {}, format="multipart").status_code == 403


def test_rejected_rows_are_reported(orgs, tmp_path):
    wb = openpyxl.load_workbook(LEDGER_PATH)
    ws = wb["隐患排查治理台账"]
    ws.cell(5, 2).value = "不是日期"
    ws.cell(6, 6).value = "特大隐患"
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    report = ledger_import(actor=SYSTEM, enterprise=orgs.owner, source=path)
    rejected = [r for r in report.rows if r.outcome == "rejected"]
    assert [r.row for r in rejected] == [5, 6]
    assert [(e.field, e.code) for r in rejected for e in r.errors] == [("found_date", "invalid_date"),
                                                                       ("grade", "invalid_grade")]
    assert all(e.message for r in rejected for e in r.errors)
    assert report.count("created") == 68


def test_command(orgs):
    orgs.owner.uscc = "91370322564206426R"
    orgs.owner.save()
    out = io.StringIO()
    call_command("import_ledger", str(LEDGER_PATH), "--enterprise-uscc", "91370322564206426R", stdout=out)
    assert "created=70" in out.getvalue()
    call_command("import_ledger", str(LEDGER_PATH), "--enterprise-uscc", "91370322564206426R", stdout=out)
    assert "unchanged=70" in out.getvalue()
