# ruff: noqa: F811 — the fixtures of test_reports.py are imported here and named as test parameters
"""双报告 as filed documents: draft → narrated → issued → verified; honest periods; the 高青县
jurisdiction report; quarterly and annual periods (issue 17)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.conf import settings

from backend.accounts.importers import enterprises_import
from backend.accounts.models import Role
from backend.audit.models import Event
from inspections.reports import rules, services
from inspections.reports.models import ReportJob
from tests.factories import EnterpriseFactory, member
from tests.helpers.pdf_layout import squeeze, table_rows
from tests.helpers.samples import ENTERPRISES_CSV
from tests.inspections.test_reports import SH, _done, _download, _pdf_text, _request, clock, sample, sent  # noqa: F401

DEC_2 = datetime(2026, 12, 2, 10, 0, tzinfo=SH)
NARRATIVE = "一、存在问题：罐区消防冷却水管线保温层破损等 7 项隐患逾期未整改。\n二、下步工作：12 月 15 日前完成逾期隐患整改并复核。"


@pytest.fixture
def managers(sample):
    sample.admin = member(sample, Role.ADMIN, full_name="周建国")
    sample.principal = member(sample, Role.PRINCIPAL, full_name="韩德茂")
    return sample


def test_november_report_generated_narrated_issued_verified(api, managers, orgs, sent, clock):
    ent = managers
    clock.move_to(DEC_2)
    job = _request(api(ent.officer), month="2026-11")
    draft = _done(api, ent.officer, job["id"])
    assert draft["status"] == "draft" and draft["period_kind"] == "month" and draft["period_over"] is True
    data = draft["data"]
    assert data["partial"] is False
    # issuing needs the narrative; who may write it: the enterprise's managers, not employees or regulators
    res = api(ent.officer).post(f"/api/v1/reports/{job['id']}/issue/", {}, format="json")
    assert res.status_code == 400 and res.json()["errors"][0]["attr"] == "narrative"
    assert api(ent.employee).patch(f"/api/v1/reports/{job['id']}/", {"narrative": "x"}, format="json").status_code == 403
    res = api(orgs.inspector).patch(f"/api/v1/reports/{job['id']}/", {"narrative": "x"}, format="json")
    assert res.status_code == 403 and res.json()["errors"][0]["code"] == "read_only"
    res = api(ent.officer).patch(f"/api/v1/reports/{job['id']}/", {"narrative": NARRATIVE}, format="json")
    assert res.status_code == 200 and res.json()["narrative"] == NARRATIVE
    res = api(ent.admin).post(f"/api/v1/reports/{job['id']}/issue/", {}, format="json")
    assert res.status_code == 202 and res.json()["status"] == "issuing"
    body = _done(api, ent.officer, job["id"])
    assert body["status"] == "issued" and body["data"] == data  # the figures frozen at generation
    sig = body["signatures"]
    assert (sig["compiled_by"]["name"], sig["reviewed_by"]["name"], sig["approved_by"]["name"]) == ("刘晓燕", "周建国", "韩德茂")
    assert sig["issued_on"] == "2026-12-02"

    text = _pdf_text(_download(api(ent.officer), job["id"], "pdf"))
    flat = re.sub(r"\s+", " ", text)
    squeezed = flat.replace(" ", "")
    assert "2026-11-01 至 2026-11-30" in flat
    assert "统计期未结束" not in flat, flat[flat.index("统计期未结束") - 80:][:120]
    assert "草稿" not in flat
    assert "罐区消防冷却水管线保温层破损等7项隐患逾期未整改" in squeezed and "12月15日前完成逾期隐患整改并复核" in squeezed
    assert "编制人 刘晓燕（安全管理员）" in flat and "审核人 周建国（管理员）" in flat
    assert "主要负责人 韩德茂（主要负责人）" in flat and "单位盖章" in flat and "签发日期 2026-12-02" in flat
    assert "风险四色分布图" in flat and "五、存在问题及下步工作" in flat and "附件" in flat
    h = data["hazards"]
    for label, value in (("本期发现", h["found"]), ("本期整改验收", h["fixed"]), ("逾期未整改", h["overdue"])):
        assert re.search(rf"{re.escape(label)} {value}\b", flat), (label, value)
    assert data["appendix"] and data["appendix_total"] == len(data["appendix"])
    for row in data["appendix"]:
        assert f"{row['number']}" in flat and (row["deadline"] in flat)
    assert any(r["overdue"] for r in data["appendix"]) and any(r["major"] for r in data["appendix"])
    assert f"{settings.REPORTS_PUBLIC_BASE_URL.rstrip('/')}/verify/{body['sha256_json']}" in squeezed

    # the figures the live API serves: risk points per level, the period's hazards, the open ones
    client = api(ent.officer)

    def count(path: str) -> int:
        res = client.get(path)
        assert res.status_code == 200, res.content
        return res.json()["count"]

    for lv in data["risk_points"]["by_level"]:
        assert count(f"/api/v1/risk-points/?level={lv['level']}&page_size=1") == lv["count"]
        assert re.search(rf"{lv['label']}风险（{lv['colour_label']}） {lv['count']}\b", flat), lv
    found = count("/api/v1/hazards/?found_after=2026-11-01&found_before=2026-11-30&page_size=1")
    found -= count("/api/v1/hazards/?found_after=2026-11-01&found_before=2026-11-30&state=rejected&page_size=1")
    assert found == h["found"] and f"本期发现 {found}" in flat
    # the hazard appendix: each open hazard a whole row of the printed table, as the ledger API has it
    pdf = _download(api(ent.officer), job["id"], "pdf")
    rows = table_rows(pdf)
    for a in data["appendix"]:
        assert [a["number"], squeeze(a["title"]), a["grade_label"], a["state_label"], a["found_on"], a["deadline"] or "—",
                "逾期" if a["overdue"] else "否"] in rows, a
        listed = client.get(f"/api/v1/hazards/?q={a['number']}").json()["results"]
        assert [x["deadline"] for x in listed if x["number"] == a["number"]] == [a["deadline"] or None]
    assert {a["number"] for a in data["appendix"]} == {
        x["number"] for x in client.get("/api/v1/hazards/?page_size=200").json()["results"]
        if x["state"] not in ("accepted", "closed", "rejected")}
    # the four-colour chart: one cell per risk point, red → orange → yellow → blue
    assert "".join(lv["colour_label"] * lv["count"] for lv in data["risk_points"]["by_level"]) in squeezed

    anon = api()
    assert anon.get(f"/api/v1/reports/verify/?sha256={body['sha256_pdf']}").json()["authentic"] is True
    res = anon.post("/api/v1/reports/verify/", {"file": io.BytesIO(pdf)}, format="multipart")
    assert res.status_code == 200 and res.json()["authentic"] is True and res.json()["report"]["id"] == job["id"]
    # issued: frozen
    res = api(ent.officer).patch(f"/api/v1/reports/{job['id']}/", {"narrative": "改"}, format="json")
    assert res.status_code == 409 and res.json()["errors"][0]["code"] == "already_issued"
    res = api(ent.officer).post(f"/api/v1/reports/{job['id']}/issue/", {}, format="json")
    assert res.status_code == 409 and res.json()["errors"][0]["code"] == "already_issued"
    # who generated, edited and issued: the audit trail
    trail = list(Event.objects.filter(object_type__endswith="reportjob", object_id=str(job["id"]))
                 .order_by("seq").values_list("action", "actor__full_name"))
    assert ("report.request", "刘晓燕") in trail and ("report.edit", "刘晓燕") in trail
    assert ("report.issue", "周建国") in trail and [a for a, _ in trail].count("report.done") == 2
    # a correction is a new draft naming the one it replaces
    res = api(ent.officer).post(f"/api/v1/reports/{job['id']}/correct/", {"reason": "补录隐患"}, format="json")
    assert res.status_code == 201 and res.json()["replaces"] == job["id"] and res.json()["status"] == "draft"


def test_a_december_report_requested_on_december_2_says_jiezhi_and_is_not_issued(api, managers, sent, clock):
    ent = managers
    clock.move_to(DEC_2)
    job = _request(api(ent.officer), month="2026-12")
    body = _done(api, ent.officer, job["id"])
    assert body["period_over"] is False and body["data"]["partial"] is True
    flat = re.sub(r"\s+", " ", _pdf_text(_download(api(ent.officer), job["id"], "pdf")))
    cover = flat[: flat.index("一、概况")]
    assert "2026-12-01 至 2026-12-31 截至 2026-12-02 10:00（统计期未结束）" in cover
    assert flat.count("截至 2026-12-02 10:00（统计期未结束）") >= 8  # the cover and every table
    api(ent.officer).patch(f"/api/v1/reports/{job['id']}/", {"narrative": NARRATIVE}, format="json")
    res = api(ent.officer).post(f"/api/v1/reports/{job['id']}/issue/", {}, format="json")
    assert res.status_code == 409 and res.json()["errors"][0]["code"] == "period_not_ended"
    # still refused after the month ends: the figures were frozen on 12-02 (correct = regenerate)
    clock.move_to(datetime(2027, 1, 2, 9, 0, tzinfo=SH))
    res = api(ent.officer).post(f"/api/v1/reports/{job['id']}/issue/", {}, format="json")
    assert res.status_code == 409 and res.json()["errors"][0]["code"] == "period_not_ended"


def test_gaoqing_jurisdiction_report_lists_every_enterprise(api, sample, orgs, sent, clock):
    other = EnterpriseFactory(name="高青县黑里寨精细化工有限公司", division_code="370322101")
    clock.move_to(DEC_2)
    job = _request(api(orgs.inspector), kind="jurisdiction", month="2026-11")
    body = _done(api, orgs.inspector, job["id"])
    ents = body["data"]["enterprises"]
    names = {r["name"] for r in ents["rows"]}
    assert names == {sample.name, orgs.owner.name, other.name} and ents["count"] == 3
    assert orgs.outsider.name not in names
    row = next(r for r in ents["rows"] if r["name"] == sample.name)
    assert row["levels"] == {"major": 3, "high": 6, "moderate": 10, "low": 6} and row["rank"] == 1
    assert [t["code"] for t in ents["towns"]] == ["370322101", "370322102"]
    town = next(t for t in ents["towns"] if t["code"] == "370322102")
    assert town["count"] == 2 and town["found"] == sum(r["found"] for r in town["enterprises"])
    enf = body["data"]["enforcement"]
    assert set(enf) >= {"inspections", "findings", "orders", "follow_ups", "supervised", "draws"}
    assert enf["supervised"] == 1  # the sample's supervised open major hazard
    flat = re.sub(r"\s+", " ", _pdf_text(_download(api(orgs.inspector), job["id"], "pdf"))).replace(" ", "")
    for name in names:
        assert name in flat
    assert "小计" in flat and "监管执法情况" in flat and "挂牌督办" in flat
    # the regulator writes its jurisdiction report's narrative and issues it
    api(orgs.inspector).patch(f"/api/v1/reports/{job['id']}/", {"narrative": NARRATIVE}, format="json")
    assert api(orgs.reg_admin).post(f"/api/v1/reports/{job['id']}/issue/", {}, format="json").status_code == 202
    assert api(sample.officer).patch(f"/api/v1/reports/{job['id']}/", {"narrative": "x"},
                                     format="json").status_code == 404


def test_gaoqing_report_lists_every_sample_enterprise_with_its_figures(api, sample, orgs, sent, clock):
    """All 14 enterprises of samples/enterprises.csv (the demo's 高青县): each a row of the printed
    table with the figures of the report's API (levels, found, 销号, overdue, majors, permits, rate)."""
    report = enterprises_import(source=ENTERPRISES_CSV)  # as load_demo does; its bad rows are rejected on purpose
    sample_names = [r.summary for r in report.rows if r.outcome != "rejected"]
    assert len(sample_names) == 14 and sample.name in sample_names
    clock.move_to(DEC_2)
    job = _request(api(orgs.inspector), kind="jurisdiction", month="2026-11")
    body = _done(api, orgs.inspector, job["id"])
    by_name = {r["name"]: r for r in body["data"]["enterprises"]["rows"]}
    assert set(sample_names) <= set(by_name)
    rows = table_rows(_download(api(orgs.inspector), job["id"], "pdf"))
    for name in sample_names:
        r = by_name[name]
        rate = "—" if r["rate"] is None else f"{r['rate']}%"
        printed = [str(r["rank"]), squeeze(name), *(str(r["levels"][k]) for k in ("major", "high", "moderate", "low")),
                   *(str(r[k]) for k in ("found", "fixed", "overdue", "open_major", "permits")), rate]
        assert printed in rows, (name, printed)
    mine = by_name[sample.name]  # the sample ledger and register (samples/README.md)
    assert mine["levels"] == {"major": 3, "high": 6, "moderate": 10, "low": 6} and mine["open_major"] == 1
    assert body["data"]["hazards"]["found"] == sum(r["found"] for r in by_name.values())


def test_rates_never_exceed_100_and_closed_is_separate(api, sample, sent):
    job = _request(api(sample.officer))
    data = _done(api, sample.officer, job["id"])["data"]
    for m in data["hazards"]["monthly"]:
        assert m["rectification_rate"] is None or m["rectification_rate"] <= 100, m
        assert m["found_fixed"] <= m["found"]
    assert any(m["fixed"] > m["found_fixed"] for m in data["hazards"]["monthly"])  # 销号 includes earlier finds
    assert data["hazards"]["closed"] == data["hazards"]["fixed"]


def test_quarter_and_year_requests_and_the_schedule_at_each_periods_end(api, orgs, sent):
    with time_machine.travel(datetime(2027, 1, 1, 2, 0, tzinfo=SH), tick=False):
        def ask(**body):
            res = api(orgs.officer).post("/api/v1/reports/", body, format="json")
            assert res.status_code == 201, res.content
            return res.json()

        q = ask(quarter="2026-Q3")
        assert (q["period_start"], q["period_end"], q["period_kind"]) == ("2026-07-01", "2026-09-30", "quarter")
        y = ask(year="2025")
        assert (y["period_start"], y["period_end"], y["period_kind"]) == ("2025-01-01", "2025-12-31", "year")
        res = api(orgs.officer).post("/api/v1/reports/", {"quarter": "2026-Q5"}, format="json")
        assert res.status_code == 400 and res.json()["errors"][0]["attr"] == "quarter"
        res = api(orgs.officer).post("/api/v1/reports/", {"quarter": "2026-Q1", "month": "2026-01"}, format="json")
        assert res.status_code == 400 and res.json()["errors"][0]["code"] == "ambiguous_period"
        ReportJob.objects.all().delete()
        assert services.report_schedule_enterprises() == 2 * 3  # December, Q4 and 2026 for both enterprises
        kinds = sorted(rules.period_kind_of(j.period_start, j.period_end).value
                       for j in ReportJob.objects.filter(enterprise=orgs.owner))
        assert kinds == ["month", "quarter", "year"]
    assert rules.periods_ending_on(date(2026, 11, 30)) == [(date(2026, 11, 1), date(2026, 11, 30))]
    assert rules.periods_ending_on(date(2026, 11, 29)) == []
    assert len(rules.periods_ending_on(date(2026, 9, 30))) == 2
