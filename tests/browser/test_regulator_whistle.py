"""Journey (e), issue 16 §7 and the public 举报 page: a whistleblower report from a 375 px phone (with a
photo), its tracking code shown once with the warning, tracked with the code, then triaged by the
regulator (受理 naming the enterprise → 责令整改, a hazard at the enterprise) and the tracking page shows it.
A submission the API refuses (an unregistered unit without its division) shows the API's error on the
division field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Enterprise
from backend.core.time import local_today
from compliance.models import Hazard
from inspections.models import WhistleblowerReport
from tests.browser.conftest import login, png, shot

pytestmark = pytest.mark.browser

TEXT = "罐区东侧围堰破损，夜间有异味，无人巡查。"


def test_phone_report_tracked_then_triaged_by_the_regulator(phone, new_page, demo, tmp_path):
    enterprise = Enterprise.objects.get(uscc="91370322564206426R")
    before = WhistleblowerReport.objects.count()

    phone.goto("/public/whistle")  # no login
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # fits the phone
    phone.locator("[data-test=whistle-description]").fill(TEXT)
    phone.locator("[data-test=whistle-enterprise]").fill("某无名小作坊")  # not registered: needs the division
    phone.locator("[data-test=whistle-photos]").set_input_files(str(png(tmp_path / "p.png")))
    phone.locator("[data-test=whistle-submit]").click()
    expect(phone.locator("[data-field=division_code] .el-form-item__error")).to_be_visible()
    assert WhistleblowerReport.objects.count() == before

    phone.locator("[data-test=whistle-enterprise]").fill(enterprise.name)  # the registered name
    phone.locator("[data-test=whistle-location]").fill("罐区东侧")
    phone.locator("[data-test=whistle-submit]").click()
    code = phone.locator("[data-test=whistle-code]")
    expect(code).to_be_visible()
    expect(phone.locator("[data-test=whistle-warning]")).to_contain_text("只显示这一次")
    tracking = code.inner_text().strip()
    report = WhistleblowerReport.objects.get()
    assert report.enterprise_id == enterprise.pk and report.photos.count() == 1
    assert tracking not in str(WhistleblowerReport.objects.filter(pk=report.pk).values().get())  # not stored in clear
    shot(phone, "journey-r-e-whistle-code")

    phone.locator("[data-test=whistle-track]").click()
    expect(phone.locator("[data-test=track-status]")).to_have_text("已接收")

    # the regulator triages
    desk = new_page()
    login(desk, "inspector")
    desk.goto("/r/whistle")
    row = desk.locator("[data-test=whistle-table] .el-table__row", has_text=TEXT)
    expect(row).to_have_count(1)
    row.locator("[data-test=act-accept]").click()
    form = desk.locator("[data-test=whistle-action-form]")
    expect(form.locator("[data-field=enterprise]")).to_contain_text(enterprise.name)  # known from the name
    form.locator("[data-test=field-note]").fill("转企业核查")
    form.locator("[data-test=action-submit]").click()
    expect(row.locator("[data-test=whistle-status]")).to_have_text("已受理")

    row.locator("[data-test=act-create-hazard]").click()
    deadline = (local_today() + timedelta(days=10)).isoformat()
    form.locator("[data-field=deadline] input").fill(deadline)
    form.locator("[data-field=deadline] input").press("Enter")
    form.locator("[data-test=field-title]").fill("罐区围堰破损（举报）")
    form.locator("[data-test=action-submit]").click()
    expect(desk.locator(".el-message", has_text="责令整改：已完成")).to_be_visible()
    expect(row).to_have_count(0)  # out of the open queue (received/accepted)
    report.refresh_from_db()
    assert report.status == "hazard_created"
    hazard = Hazard.objects.get(pk=report.hazard_id)
    assert hazard.enterprise_id == enterprise.pk and hazard.title == "罐区围堰破损（举报）"
    assert hazard.deadline.isoformat() == deadline and hazard.source == "whistleblower"
    shot(desk, "journey-r-e-whistle-triage")

    phone.reload()
    expect(phone.locator("[data-test=track-status]")).to_have_text("已责令企业整改")
    shot(phone, "journey-r-e-whistle-tracked")
