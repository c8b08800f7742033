"""Issue 13 §5: an API upload over ``IMPORT_JOB_ROW_THRESHOLD`` rows runs as an import job.

202 with the job (pending, rows_total, the file kept); the worker's task (run eagerly here) imports
it and stores the same report the request would have answered; ``GET /import-jobs/{id}/`` shows
state, progress and report to the enterprise (and its regulators), 404 to anyone else. Previews
stay synchronous.
"""

from __future__ import annotations

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.audit.models import Event
from backend.audit.services import audit_verify
from celery_worker.app import app as celery_app
from compliance.models import Hazard, ImportJob, RiskEvent
from compliance.services.import_jobs import import_job_run
from compliance.services.ledger_import import ledger_import
from tests.helpers.samples import LEDGER_XLSX, REGISTER_XLSX

pytestmark = pytest.mark.django_db
JOBS = "/api/v1/import-jobs/"


@pytest.fixture
def small_threshold(settings):
    settings.IMPORT_JOB_ROW_THRESHOLD = 50  # the sample ledger (70 rows) and register (82) are "big"


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def _upload(path, name):
    return SimpleUploadedFile(name, path.read_bytes())


def test_a_big_ledger_upload_is_a_job_the_worker_runs(api, orgs, small_threshold, eager,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = api(orgs.officer).post("/api/v1/hazards/import/", {"file": _upload(LEDGER_XLSX, "台账.xlsx")},
                                   format="multipart")
    assert r.status_code == 202, r.content[:300]
    job = ImportJob.objects.get(pk=r.json()["id"])
    assert (r.json()["state"], r.json()["kind"], r.json()["filename"]) == ("pending", "ledger", "台账.xlsx")
    assert r.json()["rows_total"] >= 70 and job.file.name.startswith("imports/")
    # the task ran after commit (eagerly): done, with the report of a synchronous import
    got = api(orgs.officer).get(f"{JOBS}{job.pk}/").json()
    assert got["state"] == "done" and got["rows_done"] == 70 and got["error"] == ""
    assert got["report"]["counts"]["created"] == 70 and len(got["report"]["rows"]) == 70
    assert got["requested_by"] == orgs.officer.pk and got["started_at"] and got["finished_at"]
    assert Hazard.objects.filter(enterprise=orgs.owner).count() == 70
    assert set(Event.objects.filter(object_type="compliance.importjob").values_list("action", flat=True)) == {
        "import_job.submit", "import_job.finish"}
    assert audit_verify() == []
    # tenancy: another enterprise's member gets 404; the regulator of the jurisdiction reads it
    assert api(orgs.outsider_officer).get(f"{JOBS}{job.pk}/").status_code == 404
    assert api(orgs.other_inspector).get(f"{JOBS}{job.pk}/").status_code == 404
    assert api(orgs.inspector).get(f"{JOBS}{job.pk}/").status_code == 200
    assert [j["id"] for j in api(orgs.officer).get(JOBS).json()["results"]] == [job.pk]
    # a redelivered message does nothing
    assert import_job_run(job_id=job.pk) is None


def test_a_big_register_upload_is_a_job_too(api, orgs, small_threshold, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = api(orgs.officer).post("/api/v1/risk-register/import/", {"file": _upload(REGISTER_XLSX, "清单.xlsx")},
                                   format="multipart")
    assert r.status_code == 202
    got = api(orgs.officer).get(f"{JOBS}{r.json()['id']}/").json()
    assert got["state"] == "done" and got["report"]["counts"]["created"] == 82 and got["rows_done"] == 82
    assert RiskEvent.objects.filter(enterprise=orgs.owner).count() == 82


def test_previews_and_small_files_stay_synchronous(api, orgs, small_threshold):
    r = api(orgs.officer).post("/api/v1/hazards/import/?dry_run=1", {"file": _upload(LEDGER_XLSX, "台账.xlsx")},
                               format="multipart")
    assert r.status_code == 200 and r.json()["dry_run"] is True and r.json()["counts"]["created"] == 70
    assert ImportJob.objects.count() == 0 and Hazard.objects.count() == 0


def test_a_refused_file_fails_the_job_with_the_reason(api, orgs, small_threshold, tmp_path):
    wb = openpyxl.load_workbook(LEDGER_XLSX)
    ws = wb["隐患排查治理台账"]
    for col in range(1, ws.max_column + 1):
        if ws.cell(3, col).value == "排查日期":
            ws.cell(3, col).value = "备注一"
    path = tmp_path / "缺列.xlsx"
    wb.save(path)
    r = api(orgs.officer).post("/api/v1/hazards/import/", {"file": _upload(path, "缺列.xlsx")}, format="multipart")
    assert r.status_code == 202
    job = import_job_run(job_id=r.json()["id"])
    assert job.state == "failed" and "missing_column" in job.error and "found_date" in job.error
    assert Hazard.objects.count() == 0
    got = api(orgs.officer).get(f"{JOBS}{job.pk}/").json()
    assert (got["state"], got["report"]) == ("failed", None)


def test_the_ledger_import_reports_its_progress(orgs, monkeypatch):
    monkeypatch.setattr("compliance.services.ledger_import.IMPORT_BATCH", 20)
    seen = []
    ledger_import(actor=orgs.officer, enterprise=orgs.owner, source=LEDGER_XLSX,
                  on_progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (70, 70) and len(seen) >= 3 and [d for d, _ in seen] == sorted(d for d, _ in seen)
