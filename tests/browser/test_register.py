"""Journey of issue 15 §2 (风险分级管控): the officer opens the page and sees the demo risk points with their
colours; in a point's new-event form the LEC score and level follow the typing before anything is saved (and
an off-scale value is refused on its field); the sample register uploaded in the import wizard shows the
detected sheets and column mapping, one mapping is picked by hand, and the commit's report counts the demo's
own rows as unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from compliance.models import RiskEvent
from tests.browser.conftest import login, shot

pytestmark = pytest.mark.browser
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "风险分级管控清单_示例化工.xlsx"


def test_officer_assesses_live_and_imports_the_register(page):
    login(page, "officer")
    page.goto("/e/risk")
    table = page.locator("[data-test=points]")
    sb01 = table.locator("tr", has_text="SB-01")
    expect(sb01.locator("[data-colour=red]")).to_have_text("重大")
    expect(table.locator("[data-colour=orange]").first).to_be_visible()
    # the level filter: 重大 only
    page.locator("[data-test=filter-level]").click()
    page.locator(".el-select-dropdown:visible .el-select-dropdown__item", has_text="重大").first.click()
    expect(table.locator("[data-colour=orange]")).to_have_count(0)
    expect(table.locator("tr", has_text="ZY-01").locator("[data-colour=red]")).to_be_visible()
    page.goto("/e/risk")  # filters start empty
    expect(table.locator("[data-colour=orange]").first).to_be_visible()

    # a new event: the level changes as the values are typed, before saving
    sb01.click()
    detail = page.locator(".el-drawer", has_text="储罐区")
    detail.locator("[data-test=new-event]").click()
    form = page.locator(".el-dialog", has_text="新增风险事件")
    form.locator("[data-test=description]").fill("装卸鹤管静电接地夹接触不良")
    form.locator("input[data-test=input-l]").fill("6")
    form.locator("input[data-test=input-e]").fill("6")
    form.locator("input[data-test=input-c]").fill("7")
    expect(form.locator("[data-test=live-level]")).to_have_text("较大")
    expect(form.locator("[data-test=live-score]")).to_have_text("252.00")
    expect(form.locator("[data-test=live-assessment]")).to_contain_text("160 < D ≤ 320 → 较大")
    form.locator("input[data-test=input-c]").fill("15")
    expect(form.locator("[data-test=live-level]")).to_have_text("重大")
    expect(form.locator("[data-test=live-level]")).to_have_attribute("data-colour", "red")
    form.locator("input[data-test=input-l]").fill("4")  # not on the LEC L scale
    expect(form.locator(".el-form-item", has_text="L").locator(".el-form-item__error").first).to_contain_text("不在标度上")
    assert not RiskEvent.objects.filter(description="装卸鹤管静电接地夹接触不良").exists()
    form.locator("input[data-test=input-l]").fill("3")
    expect(form.locator("[data-test=live-score]")).to_have_text("270.00")
    form.locator("[data-test=save-event]").click()
    expect(detail.locator("[data-test=events]")).to_contain_text("装卸鹤管静电接地夹接触不良")
    assert RiskEvent.objects.get(description="装卸鹤管静电接地夹接触不良").level == "high"
    page.keyboard.press("Escape")

    # the import wizard: preview with the detected mapping, one column picked by hand, commit, report
    page.locator("[data-test=open-import]").click()
    wiz = page.locator(".el-dialog", has_text="导入风险分级管控清单")
    wiz.locator("input[data-test=import-file]").set_input_files(str(SAMPLE))
    wiz.locator("[data-test=import-preview]").click()
    result = wiz.locator("[data-test=import-preview-result]")
    expect(result.locator("[data-test=preview-counts]")).to_contain_text("未变 82")
    result.locator(".el-collapse-item__header", has_text="作业活动").click()
    mapping = result.locator("[data-test=mapping]").first
    expect(mapping).to_contain_text("point_code")
    select = result.locator("[data-test='map-作业活动-responsible']")
    expect(select).to_contain_text("责任人")
    select.click()
    page.locator(".el-select-dropdown:visible .el-select-dropdown__item", has_text="责任人").first.click()
    wiz.locator("[data-test=import-commit]").click()
    report = wiz.locator("[data-test=import-report]")
    expect(report.locator("[data-test=report-unchanged]")).to_have_text("82")
    expect(report.locator("[data-test=report-rejected]")).to_have_text("0")
    shot(page, "register")
