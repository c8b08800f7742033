"""Journey (a), issue 15: an employee on a 375×812 phone reports a hazard with a photo → the officer
confirms it on the desktop (responsible person, deadline) → the responsible person rectifies → someone
else accepts → closed; the timeline shows each step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, pick, png, shot

pytestmark = pytest.mark.browser


def act(page, action: str, fill: dict[str, str] | None = None) -> None:
    """Press the hazard action button, fill its textareas/inputs, submit, and wait for the dialog to close."""
    page.locator(f"[data-test=action-{action}]").click()
    form = page.locator("[data-test=action-form]")
    for name, value in (fill or {}).items():
        form.locator(f"[name={name}]").fill(value)
    page.locator("[data-test=action-submit]:visible").click()
    expect(page.locator("[data-test=action-form]")).to_be_hidden()


def test_report_confirm_rectify_accept_close(phone, new_page, tmp_path):
    # 1. 随手拍 on the phone: photo, what, where.
    login(phone, "employee")
    phone.goto("/m/report")
    phone.locator("[data-test=camera]").set_input_files(str(png(tmp_path / "leak.png")))
    phone.locator("input[name=title]").fill("储罐区法兰泄漏（浏览器测试）")
    phone.locator("input[name=location]").fill("罐区东侧 T-101")
    shot(phone, "journey-a-0-phone-form")
    phone.locator("[data-test=report-submit]").click()
    done = phone.locator("[data-test=report-done]")
    expect(done).to_be_visible()
    number = re.search(r"编号 (\S+)，", done.inner_text()).group(1)
    shot(phone, "journey-a-1-phone-report")

    # 2. The officer confirms it on the desktop: the list of reported hazards, then its detail.
    officer = new_page()
    login(officer, "officer")
    officer.goto("/e/hazards?state=reported")
    officer.get_by_role("link", name="储罐区法兰泄漏（浏览器测试）").click()
    expect(officer.locator("h2, .page-title").first).to_contain_text(number)
    expect(officer.locator("[data-test=hazard-state]")).to_have_text("已上报")
    expect(officer.locator("[data-test=photos] img")).to_have_count(1)  # the phone's photo
    officer.locator("[data-test=action-confirm]").click()
    pick(officer, "treatment", "限期整改")
    pick(officer, "responsible_person", "李卫东")
    officer.locator("[data-field=deadline] input").fill("2026-12-31")
    officer.locator("[data-field=deadline] input").press("Enter")
    officer.locator("[data-field=measures] textarea").fill("更换法兰垫片并试压")
    officer.locator("[data-test=action-submit]:visible").click()
    expect(officer.locator("[data-test=hazard-state]")).to_have_text("已确认")
    url = officer.url

    # 3. The responsible person (unitlead) rectifies and submits for acceptance.
    lead = new_page()
    login(lead, "unitlead")
    lead.goto(url)
    expect(lead.locator("[data-test=hazard-state]")).to_have_text("已确认")
    expect(lead.locator("[data-test=action-accept]")).to_have_count(0)
    act(lead, "start_rectification")
    expect(lead.locator("[data-test=hazard-state]")).to_have_text("整改中")
    act(lead, "submit_for_acceptance", {"comment": "垫片已更换，试压合格"})
    expect(lead.locator("[data-test=hazard-state]")).to_have_text("待验收")
    expect(lead.locator("[data-test=action-accept]")).to_have_count(0)  # the rectifier never accepts

    # 4. Someone else (officer2) accepts and closes it.
    other = new_page()
    login(other, "officer2")
    other.goto(url)
    act(other, "accept", {"comment": "现场复核合格"})
    expect(other.locator("[data-test=hazard-state]")).to_have_text("已验收")
    act(other, "close")
    expect(other.locator("[data-test=hazard-state]")).to_have_text("已销号")
    expect(other.locator("[data-test=actions] button")).to_have_count(0)

    timeline = other.locator("[data-test=timeline]")
    for step in ("职工上报", "确认隐患", "开始整改", "提交验收", "验收通过", "销号"):
        expect(timeline).to_contain_text(step)
    for who in ("张立新", "刘晓燕", "李卫东", "王志强"):
        expect(timeline).to_contain_text(who)
    shot(other, "journey-a-2-closed-timeline")
