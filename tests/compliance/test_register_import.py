"""Import of the sample register and enterprise list (expected figures: shared/data/README.md §1–2)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from backend.accounts.importers import enterprises_import
from backend.accounts.models import Enterprise
from compliance.models import RiskEvent, RiskPoint
from compliance.services.register_import import register_import

pytestmark = pytest.mark.django_db
REGISTER = settings.SAMPLES_DIR / "风险分级管控清单_示例化工.xlsx"
CSV = settings.SAMPLES_DIR / "enterprises.csv"
EXPECTED_COLOURS = {
    "ZY-01": "major", "ZY-02": "major", "ZY-03": "moderate", "ZY-04": "moderate", "ZY-05": "moderate",
    "ZY-06": "moderate", "ZY-07": "high", "ZY-08": "high", "ZY-09": "moderate", "ZY-10": "moderate",
    "ZY-11": "low", "ZY-12": "moderate", "SB-01": "major", "SB-02": "high", "SB-03": "low", "SB-04": "low",
    "SB-05": "moderate", "SB-06": "low", "SB-07": "moderate", "SB-08": "high", "SB-09": "high", "SB-10": "low",
    "SB-11": "high", "SB-12": "moderate", "SB-13": "low",
}


@pytest.fixture
def sample_enterprise(db):
    enterprises_import(source=str(CSV))
    return Enterprise.objects.get(uscc="91370322564206426R")


def test_enterprise_csv_rejects_exactly_the_defective_rows(db):
    report = enterprises_import(source=str(CSV))
    assert report.counts["created"] == 14
    rejected = {r.ref: [(e.field, e.code) for e in r.errors] for r in report.rows if r.outcome == "rejected"}
    assert rejected == {"第9行": [("uscc", "invalid_checksum")], "第14行": [("division_code", "required")]}
    assert enterprises_import(source=str(CSV)).counts["unchanged"] == 14
    assert Enterprise.objects.count() == 14


def test_register_imports_with_computed_levels_and_flags_row_29(sample_enterprise):
    report = register_import(actor=None, enterprise=sample_enterprise, source=str(REGISTER))
    assert report.counts == {"created": 82, "updated": 0, "unchanged": 0, "rejected": 0, "skipped": 0, "flagged": 1,
                             "total": 82}
    flagged = [r for r in report.rows if r.flagged]
    assert (flagged[0].ref, flagged[0].sheet, flagged[0].row) == ("作业活动!第29行", "作业活动", 29)
    assert flagged[0].outcome == "created" and "270" in flagged[0].flags[0].message
    by_sheet = Counter((e.source_ref.split("#")[0], e.level) for e in RiskEvent.objects.all())
    assert {lv: by_sheet[("作业活动", lv)] for lv in ("major", "high", "moderate", "low")} == {
        "major": 2, "high": 4, "moderate": 18, "low": 21}
    assert {lv: by_sheet[("设备设施", lv)] for lv in ("major", "high", "moderate", "low")} == {
        "major": 1, "high": 4, "moderate": 14, "low": 18}
    assert dict(RiskPoint.objects.values_list("code", "level")) == EXPECTED_COLOURS
    row29 = RiskEvent.objects.get(flagged=True)
    assert (row29.score, row29.level, row29.written_score, row29.written_level) == (270, "high", 90, "一般风险")
    lec_low = RiskEvent.objects.filter(l=0.5).first()
    assert lec_low is not None and lec_low.score == 22.5 and lec_low.level == "low"


def test_reimport_changes_nothing(sample_enterprise):
    register_import(actor=None, enterprise=sample_enterprise, source=str(REGISTER))
    from backend.audit.models import Event

    events_before = Event.objects.count()
    again = register_import(actor=None, enterprise=sample_enterprise, source=str(REGISTER))
    assert again.counts["unchanged"] == 82 and again.counts["created"] == 0
    assert RiskEvent.objects.count() == 82 and Event.objects.count() == events_before


def test_api_upload_returns_the_report_and_is_scoped(api, orgs):
    upload = SimpleUploadedFile("register.xlsx", REGISTER.read_bytes())
    r = api(orgs.officer).post("/api/v1/risk-register/import/", {"file": upload}, format="multipart")
    assert r.status_code == 200, r.json()
    assert r.json()["counts"]["flagged"] == 1
    assert RiskPoint.objects.filter(enterprise=orgs.owner).count() == 25
    points = api(orgs.officer).get("/api/v1/risk-points/?level=major&page_size=100").json()
    assert {p["code"] for p in points["results"]} == {"ZY-01", "ZY-02", "SB-01"}
    assert api(orgs.outsider_officer).get("/api/v1/risk-points/").json()["count"] == 0
    bad = SimpleUploadedFile("register.xlsx", b"MZ\x90\x00not a workbook")
    r = api(orgs.officer).post("/api/v1/risk-register/import/", {"file": bad}, format="multipart")
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "file"


def test_enterprise_csv_upload_by_regulator_admin_only(api, orgs):
    upload = SimpleUploadedFile("enterprises.csv", CSV.read_bytes())
    assert api(orgs.officer).post("/api/v1/enterprises/import/", {"file": upload}, format="multipart").status_code == 403
    upload = SimpleUploadedFile("enterprises.csv", CSV.read_bytes())
    r = api(orgs.other_reg_admin).post("/api/v1/enterprises/import/", {"file": upload}, format="multipart")
    assert r.json()["counts"]["created"] == 0  # every row is outside 张店区's jurisdiction
    upload = SimpleUploadedFile("enterprises.csv", CSV.read_bytes())
    r = api(orgs.reg_admin).post("/api/v1/enterprises/import/", {"file": upload}, format="multipart")
    assert r.json()["counts"]["created"] == 14 and r.json()["counts"]["rejected"] == 2


def test_management_commands_print_the_report(sample_enterprise, capsys):
    call_command("import_register", str(REGISTER), "--enterprise-uscc", sample_enterprise.uscc)
    out = capsys.readouterr().out
    assert "作业活动!第29行" in out and "created=82" in out
