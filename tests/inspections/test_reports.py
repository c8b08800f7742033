"""双报告: jobs, content, PDF/JSON/XLSX, verification, API scoping, lease re-claim, schedule."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from backend.accounts.models import Role
from celery_worker.tasks import render_report
from compliance.models import Hazard
from compliance.selectors import hazard_overdue_q
from compliance.services.ledger_import import ledger_import
from compliance.services.register_import import register_import
from inspections.reports import content, render, services
from inspections.reports.models import ReportJob
from tests.factories import EnterpriseFactory, member

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=SH)
PERIOD = {"period_start": "2026-06-01", "period_end": "2026-11-30"}


@pytest.fixture
def sent(monkeypatch):
    """Job ids the services enqueued (no broker in unit tests)."""
    ids: list[int] = []
    monkeypatch.setattr(services, "enqueue_render", ids.append)
    return ids


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def sample(orgs, clock):
    """高青澄源化工有限公司 with the shared register and ledger imported, clock at 2026-11-29."""
    ent = EnterpriseFactory(name="高青澄源化工有限公司", uscc="91370322564206426R", division_code="370322102")
    register_import(actor=None, enterprise=ent, source=settings.SAMPLES_DIR / "风险分级管控清单_示例化工.xlsx")
    ledger_import(actor=None, enterprise=ent, source=settings.SAMPLES_DIR / "隐患排查治理台账_示例化工.xlsx")
    ent.officer = member(ent, Role.SAFETY_OFFICER, full_name="刘晓燕")
    ent.employee = member(ent, Role.EMPLOYEE)
    return ent


def _request(client, expect=201, **body):
    res = client.post("/api/v1/reports/", body if "month" in body else {**PERIOD, **body}, format="json")
    assert res.status_code == expect, res.content
    return res.json()


def _done(api, user, job_id) -> dict:
    assert render_report.run(job_id) == "done"
    res = api(user).get(f"/api/v1/reports/{job_id}/")
    assert res.status_code == 200
    body = res.json()
    assert body["state"] == "done", body["error"]
    return body


def _download(client, job_id: int, fmt: str) -> bytes:
    res = client.get(f"/api/v1/reports/{job_id}/{fmt}/")
    assert res.status_code == 200, getattr(res, "content", b"")
    return b"".join(res.streaming_content)


def _pdf_text(blob: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(blob)).pages)


# --------------------------------------------------------------------------------------------
# The sample enterprise's report (acceptance)
# --------------------------------------------------------------------------------------------


def test_sample_report_pdf_json_xlsx_carry_the_api_figures(api, sample, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _request(api(sample.officer))
    assert job["state"] == "pending" and sent == [job["id"]]
    body = _done(api, sample.officer, job["id"])
    data = body["data"]
    h, rp = data["hazards"], data["risk_points"]
    # figures per the ledger/register README (data/README.md §2–3)
    assert h["found"] == 70 and h["fixed"] == 51 and h["overdue"] == 7
    assert h["overdue"] == Hazard.objects.filter(hazard_overdue_q()).filter(enterprise=sample).count()
    assert {lv["level"]: lv["count"] for lv in rp["by_level"]} == {"major": 3, "high": 6, "moderate": 10, "low": 6}
    assert [m["number"] for m in data["major_hazards"]] == list(
        Hazard.objects.filter(enterprise=sample, grade="major", state__in=["rectifying", "confirmed", "reported",
                                                                            "pending_acceptance"])
        .values_list("number", flat=True)
    )
    assert len(data["major_hazards"]) == 1 and data["major_hazards"][0]["supervised"] is True
    assert {r["code"]: r["found"] for r in h["by_grade"]} == {"general": 68, "major": 2}

    client = api(sample.officer)
    text = _pdf_text(_download(client, job["id"], "pdf"))
    flat = re.sub(r"\s+", " ", text)
    assert "高青澄源化工有限公司" in text
    assert "2026-06-01 至 2026-11-30" in text
    # generated on 11-29 for a period ending 11-30: a draft, labelled 截至 on the cover and every table
    assert body["status"] == "draft" and body["period_over"] is False and data["partial"] is True
    assert "草稿" in text and body["sha256_json"] not in flat.replace(" ", "")
    assert flat.count("截至 2026-11-29 10:00（统计期未结束）") >= 10
    for label, value in (("本期发现", h["found"]), ("本期整改验收", h["fixed"]), ("逾期未整改", h["overdue"]),
                         ("未销号", h["open"]), ("整改资金（元）", h["funds_yuan"])):
        assert re.search(rf"{re.escape(label)} {re.escape(str(value))}\b", flat), (label, value)
    for lv in rp["by_level"]:
        assert re.search(rf"{lv['label']}风险（{lv['colour_label']}） {lv['count']}\b", flat), lv
    assert f"整改率 {h['rectification_rate']}%" in flat

    js = json.loads(_download(client, job["id"], "json"))
    assert js["data"] == data and js["report"]["id"] == job["id"]

    wb = load_workbook(io.BytesIO(_download(client, job["id"], "xlsx")))
    summary = {row[0]: row[1] for row in wb["概况"].iter_rows(min_row=2, values_only=True)}
    assert summary["对象"] == "高青澄源化工有限公司"
    assert summary["发现隐患"] == h["found"] and summary["整改验收隐患"] == h["fixed"]
    assert summary["逾期隐患"] == h["overdue"] and summary["整改率（%）"] == h["rectification_rate"]
    assert summary["整改资金（元）"] == h["funds_yuan"] and summary["在治重大隐患"] == 1
    levels = {row[0]: row[2] for row in wb["风险点"].iter_rows(min_row=2, values_only=True)}
    assert levels == {"重大": 3, "较大": 6, "一般": 10, "低": 6}


def _issue(api, user, job_id: int, narrative: str = "一、存在问题：……\n二、下步工作：……") -> dict:
    client = api(user)
    res = client.patch(f"/api/v1/reports/{job_id}/", {"narrative": narrative}, format="json")
    assert res.status_code == 200, res.content
    res = client.post(f"/api/v1/reports/{job_id}/issue/", {}, format="json")
    assert res.status_code == 202, res.content
    assert res.json()["status"] == "issuing"
    return _done(api, user, job_id)


def test_one_changed_byte_fails_verification_the_untouched_file_verifies(api, sample, sent):
    job = _request(api(sample.officer), month="2026-10")
    draft = _done(api, sample.officer, job["id"])
    anon = api()
    assert anon.get(f"/api/v1/reports/verify/?sha256={draft['sha256_pdf']}").json()["authentic"] is False  # a draft
    body = _issue(api, sample.officer, job["id"])
    assert body["status"] == "issued"
    pdf = _download(api(sample.officer), job["id"], "pdf")

    res = anon.post("/api/v1/reports/verify/", {"file": io.BytesIO(pdf)}, format="multipart")
    assert res.status_code == 200 and res.json()["authentic"] is True
    assert res.json()["report"]["id"] == job["id"] and res.json()["file"] == "pdf"
    assert res.json()["report"]["subject_name"] == "高青澄源化工有限公司"

    tampered = bytearray(pdf)
    tampered[len(tampered) // 2] ^= 0x01
    res = anon.post("/api/v1/reports/verify/", {"file": io.BytesIO(bytes(tampered))}, format="multipart")
    assert res.status_code == 200 and res.json() == {"authentic": False, "sha256": render.sha256(bytes(tampered)),
                                                     "report": None}

    res = anon.post("/api/v1/reports/verify/", {"sha256": body["sha256_json"]}, format="json")
    assert res.json()["authentic"] is True and res.json()["file"] == "json"
    assert anon.get(f"/api/v1/reports/verify/?sha256={body['sha256_pdf']}").json()["authentic"] is True
    res = anon.post("/api/v1/reports/verify/", {"sha256": "xyz"}, format="json")
    assert res.status_code == 400 and res.json()["errors"][0]["attr"] == "sha256"
    assert anon.post("/api/v1/reports/verify/", {}, format="json").status_code == 400


# --------------------------------------------------------------------------------------------
# Jobs: idempotent requests, lease re-claim, failures, corrections
# --------------------------------------------------------------------------------------------


def test_same_request_twice_gives_one_job(api, orgs, clock, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(api(orgs.officer), month="2026-10")
        second = _request(api(orgs.officer), expect=200, month="2026-10")
    assert first["id"] == second["id"] and ReportJob.objects.count() == 1 and sent == [first["id"]]
    assert (first["period_start"], first["period_end"]) == ("2026-10-01", "2026-10-31")
    # the inspector asking for the same enterprise and period gets the same job too
    assert _request(api(orgs.inspector), expect=200, enterprise=orgs.owner.pk, month="2026-10")["id"] == first["id"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(kind="enterprise", enterprise=orgs.owner, period_start=date(2026, 10, 1),
                                 period_end=date(2026, 10, 31))


def test_a_job_left_running_by_a_killed_worker_is_reclaimed_after_its_lease(orgs, clock, sent):
    job, _ = services.report_request(actor=None, kind="enterprise", enterprise=orgs.owner,
                                     period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    assert services.report_claim(job_id=job.pk) is not None  # a worker claims it, then is killed
    assert render_report.run(job.pk) == "skipped"  # redelivery within the lease: someone holds it
    assert services.report_sweep() == 0
    clock.shift(services.report_lease() + timedelta(seconds=1))
    assert services.report_sweep() == 1 and sent[-1] == job.pk
    assert render_report.run(job.pk) == "done"
    job.refresh_from_db()
    assert job.state == "done" and job.attempts == 2 and job.sha256_pdf
    assert render_report.run(job.pk) == "skipped"  # a late duplicate does nothing


def test_a_job_killed_too_often_fails_and_a_new_request_requeues_it(orgs, clock, sent):
    job, _ = services.report_request(actor=None, kind="enterprise", enterprise=orgs.owner,
                                     period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    for _ in range(services.MAX_ATTEMPTS):
        assert services.report_claim(job_id=job.pk) is not None
        clock.shift(services.report_lease() + timedelta(seconds=1))
    assert render_report.run(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.state == "failed" and "中断" in job.error
    again, created = services.report_request(actor=None, kind="enterprise", enterprise=orgs.owner,
                                             period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    assert again.pk == job.pk and not created and again.state == "pending" and again.attempts == 0


def test_a_render_error_marks_the_job_failed(orgs, clock, sent, monkeypatch):
    job, _ = services.report_request(actor=None, kind="enterprise", enterprise=orgs.owner,
                                     period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    monkeypatch.setattr(render, "cjk_font_families", lambda: ())
    assert render_report.run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == "failed" and "FontMissing" in job.error and not job.pdf


def test_a_correction_is_a_new_report_naming_the_old_one(api, orgs, clock, sent):
    job = _request(api(orgs.officer), month="2026-10")
    old = _done(api, orgs.officer, job["id"])
    res = api(orgs.officer).post(f"/api/v1/reports/{job['id']}/correct/", {"reason": "台账补录"}, format="json")
    assert res.status_code == 201, res.content
    new = res.json()
    assert new["replaces"] == job["id"] and new["state"] == "pending"
    again = api(orgs.officer).get(f"/api/v1/reports/{job['id']}/").json()
    assert again["superseded_at"] and again["sha256_pdf"] == old["sha256_pdf"] and again["data"] == old["data"]
    assert _request(api(orgs.officer), expect=200, month="2026-10")["id"] == new["id"]
    res = api(orgs.officer).post(f"/api/v1/reports/{job['id']}/correct/", {"reason": "再改"}, format="json")
    assert res.status_code == 409 and res.json()["errors"][0]["code"] == "already_superseded"


def test_downloads_wait_until_done(api, orgs, clock, sent):
    job = _request(api(orgs.officer), month="2026-10")
    res = api(orgs.officer).get(f"/api/v1/reports/{job['id']}/pdf/")
    assert res.status_code == 409 and res.json()["errors"][0]["code"] == "report_not_ready"


def test_only_a_done_report_can_be_corrected(api, orgs, clock, sent):
    job = _request(api(orgs.officer), month="2026-10")
    res = api(orgs.officer).post(f"/api/v1/reports/{job['id']}/correct/", {"reason": "台账补录"}, format="json")
    assert res.status_code == 409 and res.json()["errors"][0]["code"] == "invalid_transition"


def test_a_requested_job_is_handed_to_the_worker_after_commit(orgs, monkeypatch, django_capture_on_commit_callbacks):
    from celery_worker import tasks

    assert tasks.enqueue_report_render in services.ON_REQUEST_HOOKS  # installed from REPORTS_ON_REQUEST_HOOKS
    sent_ids = []
    monkeypatch.setattr(tasks.render_report, "apply_async", lambda args, **kw: sent_ids.append((args, kw)))
    start, end = services.previous_month()
    with django_capture_on_commit_callbacks(execute=True):
        job, created = services.report_request(actor=orgs.officer, kind=ReportJob.Kind.ENTERPRISE,
                                               enterprise=orgs.owner, period_start=start, period_end=end)
    assert created and sent_ids == [([job.pk], {"retry": False})]


def test_a_broker_failure_leaves_the_job_pending_for_the_sweep(orgs, monkeypatch, django_capture_on_commit_callbacks):
    from celery_worker import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.render_report, "apply_async", down)
    start, end = services.previous_month()
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.report_request(actor=orgs.officer, kind=ReportJob.Kind.ENTERPRISE,
                                         enterprise=orgs.owner, period_start=start, period_end=end)
    job.refresh_from_db()
    assert job.state == ReportJob.State.PENDING


# --------------------------------------------------------------------------------------------
# Access
# --------------------------------------------------------------------------------------------


def test_users_outside_the_enterprise_or_jurisdiction_get_404(api, orgs, clock, sent):
    job = _request(api(orgs.officer), month="2026-10")
    render_report.run(job["id"])
    for user in (orgs.outsider_officer, orgs.other_inspector, orgs.other_reg_admin):
        for suffix in ("", "pdf/", "json/", "xlsx/"):
            assert api(user).get(f"/api/v1/reports/{job['id']}/{suffix}").status_code == 404
        assert api(user).get("/api/v1/reports/").json()["count"] == 0
        assert api(user).post(f"/api/v1/reports/{job['id']}/correct/", {"reason": "x"}, format="json").status_code == 404
    assert api(orgs.inspector).get(f"/api/v1/reports/{job['id']}/pdf/").status_code == 200
    # asking for someone else's enterprise is a 404 too
    _request(api(orgs.other_inspector), expect=404, enterprise=orgs.owner.pk, month="2026-10")
    _request(api(orgs.outsider_officer), expect=404, enterprise=orgs.owner.pk, month="2026-10")
    assert api().get(f"/api/v1/reports/{job['id']}/").status_code == 401


def test_who_may_request(api, orgs, clock, sent):
    assert api(orgs.employee).post("/api/v1/reports/", {"month": "2026-10"}, format="json").status_code == 403
    res = api(orgs.officer).post("/api/v1/reports/", {"kind": "jurisdiction", "month": "2026-10"}, format="json")
    assert res.status_code == 403
    res = api(orgs.inspector).post("/api/v1/reports/", {"month": "2026-10"}, format="json")
    assert res.status_code == 400 and res.json()["errors"][0]["attr"] == "enterprise"
    res = api(orgs.officer).post("/api/v1/reports/", {"period_start": "2026-10-31", "period_end": "2026-10-01"}, format="json")
    assert res.status_code == 400 and res.json()["errors"][0]["attr"] == "period_start"
    res = api(orgs.officer).post("/api/v1/reports/", {"month": "2026-13"}, format="json")
    assert res.status_code == 400 and res.json()["errors"][0]["attr"] == "month"
    res = api(orgs.officer).post("/api/v1/reports/", {}, format="json")  # default: previous month
    assert res.status_code == 201 and (res.json()["period_start"], res.json()["period_end"]) == ("2026-10-01", "2026-10-31")


# --------------------------------------------------------------------------------------------
# Jurisdiction report, change since last period, schedule, font check
# --------------------------------------------------------------------------------------------


def test_jurisdiction_report_aggregates_and_lists_worst_offenders(api, orgs, sample, sent):
    job = _request(api(orgs.inspector), kind="jurisdiction")
    body = _done(api, orgs.inspector, job["id"])
    data = body["data"]
    assert data["enterprises"]["count"] == 2  # owner + sample in 370322; the outsider is in 370303
    worst = data["enterprises"]["worst"]
    assert worst[0]["name"] == "高青澄源化工有限公司" and worst[0]["overdue"] == 7 and worst[0]["open_major"] == 1
    assert data["hazards"]["overdue"] == 7
    text = _pdf_text(_download(api(orgs.inspector), job["id"], "pdf"))
    assert "高青县应急管理局" in text and "高青澄源化工有限公司" in text
    # enterprise users never see jurisdiction reports; another regulator gets 404
    assert api(sample.officer).get(f"/api/v1/reports/{job['id']}/").status_code == 404
    assert api(orgs.other_inspector).get(f"/api/v1/reports/{job['id']}/").status_code == 404


def test_jurisdiction_figures_take_a_constant_number_of_queries(orgs, clock):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            content.report_data(kind="jurisdiction", regulator=orgs.gaoqing, period_start=date(2026, 10, 1),
                                period_end=date(2026, 10, 31))
        return len(ctx.captured_queries)

    few = queries()
    for i in range(8):
        EnterpriseFactory(name=f"企业{i}", division_code="370322101")
    assert queries() == few <= 30  # per-enterprise table, towns, enforcement and appendix included


def test_change_since_last_period_uses_the_previous_snapshot(api, sample, sent):
    oct_job = _request(api(sample.officer), month="2026-10")
    _done(api, sample.officer, oct_job["id"])
    prev = ReportJob.objects.get(pk=oct_job["id"]).data
    prev["data"]["risk_points"]["by_level"][0]["count"] = 1  # pretend there was 1 major point in October
    ReportJob.objects.filter(pk=oct_job["id"]).update(data=prev)
    nov = _request(api(sample.officer), month="2026-11")
    data = _done(api, sample.officer, nov["id"])["data"]
    major = data["risk_points"]["by_level"][0]
    assert (major["level"], major["count"], major["previous"], major["change"]) == ("major", 3, 1, 2)
    assert data["hazards"]["overdue"] == 7  # a stock at as_of (now), whatever the period


def test_monthly_schedule_creates_last_months_reports_once(orgs, sent, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime(2026, 12, 1, 2, 0, tzinfo=SH), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert services.report_schedule_enterprises() == 2  # owner + outsider (both approved)
        assert services.report_schedule_enterprises() == 0
        assert services.report_schedule_jurisdictions() == 2
    assert set(ReportJob.objects.values_list("period_start", "period_end")) == {(date(2026, 11, 1), date(2026, 11, 30))}
    assert len(sent) == 4


def test_this_machine_has_a_cjk_font():
    # A missing font is a readiness failure and a render error (tests/standalone/test_health.py), not a
    # system check; the machines that run these tests have one (scripts/system-deps.sh).
    assert render.cjk_font_families(), "fonts-noto-cjk must be installed (scripts/system-deps.sh)"
