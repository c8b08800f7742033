"""Journey, issue 16 §2–4 and §8 / issue 15 §8: the regulator's 辖区总览, 企业 and 特殊作业监管 pages and
the enterprise's 双报告 page.

The demo ``inspector`` opens 辖区总览 — the charts are drawn (canvas) and the figures are the ones the
jurisdiction summary API answers —, the enterprise list (the sample enterprises, the count the API
answers) and a row's read-only drill-down, and the live permit board (one row per live permit of the
API); the demo ``officer`` opens /e/reports and sees the November report.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot

pytestmark = pytest.mark.browser


def _all_summaries(page) -> list[dict]:
    rows, url = [], "/api/v1/audit/enterprises/summary/?page_size=200"
    while url:
        body = page.request.get(url).json()
        rows += body["results"]
        url = body.get("next")
    return rows


def test_inspector_overview_enterprises_and_live_board(page, demo):
    login(page, "inspector")
    page.goto("/r/overview")
    rows = _all_summaries(page)
    overdue = sum(r["summary"]["hazards_overdue"] for r in rows)
    majors = sum(r["summary"]["major_hazards_open"] for r in rows)
    expect(page.locator("[data-test=fig-enterprises]")).to_contain_text(str(len(rows)))
    expect(page.locator("[data-test=fig-overdue]")).to_contain_text(str(overdue))
    expect(page.locator("[data-test=fig-majors]")).to_contain_text(str(majors))
    for chart in ("chart-level", "chart-industry", "chart-hazards", "chart-monthly"):
        expect(page.locator(f"[data-test={chart}] canvas").first).to_be_visible()
    # the top-10 by overdue: as many rows as enterprises with overdue hazards (at most 10), each a link
    with_overdue = [r for r in rows if r["summary"]["hazards_overdue"]]
    expect(page.locator("[data-test=top-overdue] a")).to_have_count(min(len(with_overdue), 10))
    shot(page, "regulator_overview")

    page.goto("/r/enterprises")
    total = page.request.get("/api/v1/audit/enterprises/summary/?page_size=1").json()["count"]
    assert total == len(rows) >= 14
    expect(page.locator("[data-test=ent-count]")).to_contain_text(f"共 {total} 家")
    expect(page.locator("[data-test=enterprises] .el-table__body tr")).to_have_count(min(total, 50))
    page.locator("[data-test=enterprises] .el-table__body tr").first.click()
    expect(page.locator(".el-drawer")).to_be_visible()
    expect(page.locator(".el-drawer [data-test=d-points]")).to_be_visible()
    expect(page.locator(".el-drawer .el-tabs__item", has_text="双报告")).to_be_visible()

    page.goto("/r/permits")
    live = page.request.get("/api/v1/audit/permits/live/").json()
    expect(page.locator("[data-test=live-count]")).to_have_text(str(len(live)))
    if live:
        expect(page.locator("[data-test=live-board]")).to_contain_text(live[0]["permit_no"])
        expect(page.locator("[data-test=live-board]")).to_contain_text(live[0]["enterprise_name"])
    shot(page, "regulator_permits")


def test_officer_sees_the_november_report(page, demo):
    login(page, "officer")
    page.goto("/e/reports")
    reports = page.request.get("/api/v1/reports/").json()["results"]
    november = [r for r in reports if r["period_start"].endswith("-11-01")]
    assert november, reports
    expect(page.locator("[data-test=reports]")).to_contain_text(november[0]["period_start"])
    shot(page, "enterprise_reports")


def test_officer_records_a_task_due_today(page, demo):
    from compliance.models import InvestigationTask

    login(page, "officer")
    page.goto("/e/tasks")
    today = page.evaluate("() => new Intl.DateTimeFormat('sv-SE', {timeZone: 'Asia/Shanghai'}).format(new Date())")
    due = page.request.get(f"/api/v1/investigation-tasks/?due_on={today}&page_size=100").json()
    expect(page.locator("[data-test=task-count]")).to_have_text(f"共 {due['count']} 项")
    open_ = [t for t in due["results"] if not t["record"]]
    assert open_, "the demo has open tasks due today"
    card = page.locator(f"[data-task='{open_[0]['id']}']")
    card.locator("[data-test=task-normal]").click()
    expect(card.locator("[data-test=task-done]")).to_contain_text("正常")
    assert InvestigationTask.objects.get(pk=open_[0]["id"]).record.result == "normal"
    shot(page, "enterprise_tasks")
