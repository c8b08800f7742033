"""Journey (c), issue 16 §5: the demo inspector plans an inspection of the sample enterprise from the
checklist template with inspector2, starts it, records every item's result (one 不符合), records a finding
ordering rectification (责令限期整改) — the API files it as the enterprise's hazard — and closes it; the
record PDF is linked; 挂牌督办 of the hazard and a 复查 (not fixed yet) follow. Then, in a second browser page, the enterprise's ``officer`` sees that hazard in
/e/hazards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from backend.accounts.models import Enterprise
from backend.core.time import local_today
from compliance.models import Hazard
from inspections.models import Finding, Inspection
from tests.browser.conftest import login, pick, shot

pytestmark = pytest.mark.browser

TEXT = "危化品仓库可燃气体报警器未定期检定（浏览器测试）"


def test_inspection_finding_becomes_the_enterprises_hazard(page, new_page, demo):
    enterprise = Enterprise.objects.get(uscc="91370322564206426R")
    inspector2 = get_user_model().objects.get(username="inspector2")
    before = set(Inspection.objects.values_list("pk", flat=True))

    login(page, "inspector")
    page.goto("/r/inspections")
    expect(page.locator("[data-test=inspection-table] .el-table__row").first).to_be_visible()  # the demo's
    page.locator("[data-test=plan-open]").click()
    pick(page, "enterprise", enterprise.name)
    pick(page, "inspectors", f"（{inspector2.username}）")
    page.keyboard.press("Escape")
    page.locator("[data-test=plan-submit]").click()
    detail = page.locator("[data-test=inspection-detail]")
    expect(detail.locator("[data-test=detail-state]")).to_have_text("待检查")
    (insp,) = Inspection.objects.exclude(pk__in=before)
    assert insp.enterprise_id == enterprise.pk
    assert sorted(insp.inspectors.values_list("username", flat=True)) == ["inspector", "inspector2"]

    detail.locator("[data-test=inspection-start]").click()
    expect(detail.locator("[data-test=detail-state]")).to_have_text("检查中")
    items = detail.locator("[data-test^=item-]")
    codes = [c["code"] for c in insp.template.items]
    expect(items).to_have_count(len(codes))
    for i, code in enumerate(codes):
        choice = "fail" if i == 0 else "pass"
        detail.locator(f"[data-test=item-{code}] [data-test=result-{choice}]").click()
    detail.locator("[data-test=save-results]").click()
    expect(page.locator(".el-message", has_text=f"已保存 {len(codes)} 项检查结果")).to_be_visible()
    assert insp.results.count() == len(codes)

    form = detail.locator("[data-test=finding-form]")
    pick(page, "item_code", codes[0])
    form.locator("[data-test=finding-text]").fill(TEXT)
    form.locator("[data-test=finding-location]").fill("危化品仓库")
    form.locator("[data-field=severity] label", has_text="重大").click()  # 挂牌督办 is for major hazards
    form.locator("[data-test=finding-submit]").click()  # no deadline yet: the API names the field
    expect(form.locator("[data-field=deadline] .el-form-item__error")).to_be_visible()
    deadline = (local_today() + timedelta(days=15)).isoformat()
    form.locator("[data-field=deadline] input").fill(deadline)
    form.locator("[data-field=deadline] input").press("Enter")
    form.locator("[data-test=finding-submit]").click()
    row = detail.locator("[data-test=finding-table] .el-table__row", has_text=TEXT)
    expect(row).to_have_count(1)
    finding = Finding.objects.get(inspection=insp)
    hazard = Hazard.objects.get(pk=finding.hazard_id)
    assert hazard.enterprise_id == enterprise.pk and hazard.deadline.isoformat() == deadline
    assert hazard.source == "inspector"
    expect(row.locator("[data-test=finding-hazard]")).to_have_text(hazard.number)

    detail.locator("[data-test=close-summary]").fill("发现问题1项，已责令限期整改。")
    detail.locator("[data-test=inspection-close]").click()
    expect(detail.locator("[data-test=detail-state]")).to_have_text("已结束")
    expect(detail.locator("[data-test=record-pdf]")).to_have_attribute("href", f"/api/v1/inspections/{insp.pk}/record.pdf")
    pdf = page.request.get(f"/api/v1/inspections/{insp.pk}/record.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    shot(page, "journey-r-c-inspection")

    row.locator("[data-test=supervise]").click()  # 挂牌督办 of the finding's hazard
    expect(row.locator("[data-test=supervise]")).to_have_count(0)
    expect(row.locator(".el-tag", has_text="督办")).to_be_visible()
    hazard.refresh_from_db()
    assert hazard.supervised and hazard.grade == "major"
    row.locator("[data-test=followup-not-fixed]").click()  # 复查: not fixed yet
    expect(row.locator("[data-test=finding-status]")).to_have_text("未整改")
    finding.refresh_from_db()
    assert finding.status == "not_fixed" and finding.follow_ups.count() == 1

    # the enterprise rectifies and accepts it (its own console's steps, tested elsewhere); the supervising
    # inspector then confirms it (督办销号) from the inspection
    Hazard.objects.filter(pk=hazard.pk).update(state="accepted")
    # re-open the inspection (the list is newest first): the finding's hazard now reads accepted
    page.locator("[data-test=inspection-table] .el-table__row").first.locator("[data-test=inspection-open]").click()
    row = page.locator("[data-test=finding-table] .el-table__row", has_text=TEXT)
    row.locator("[data-test=signoff]").click()
    expect(row.locator("[data-test=signed-off]")).to_have_text("已确认销号")
    hazard.refresh_from_db()
    assert hazard.regulator_signed_off_at is not None

    officer = new_page()
    login(officer, "officer")
    officer.goto("/e/hazards")
    expect(officer.locator("[data-test=hazard-table] .el-table__row", has_text=TEXT)).to_have_count(1)
    shot(officer, "journey-r-c-inspection-hazard")
