"""Smoke journey: the officer signs in and sees the enterprise dashboard; logout returns to the login page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from compliance.models import Hazard
from compliance.selectors import hazard_unclosed_q
from tests.browser.conftest import login, logout, shot

pytestmark = pytest.mark.browser


def test_officer_logs_in_and_sees_the_dashboard(page):
    page.goto("/e/hazards")
    expect(page).to_have_url(re.compile(r"/login\?next=/e/hazards"))  # signed out → the login page
    login(page, "officer")
    expect(page).to_have_url(re.compile(r"^[^?]*/e/hazards$"))  # back where the user wanted to go
    page.goto("/e/")
    expect(page.locator("[data-test=org-name]")).to_have_text("高青澄源化工有限公司")
    expect(page.locator("[data-test=user-name]")).to_have_text("刘晓燕")
    expect(page.locator("h2.page-title")).to_have_text("工作台")
    # the demo's real counts, each a link to its filtered list
    open_hazards = Hazard.objects.filter(hazard_unclosed_q(), enterprise__uscc="91370322564206426R").count()
    assert open_hazards > 0
    figure = page.locator("[data-test=fig-open] .num-link")
    expect(figure).to_have_text(str(open_hazards))
    expect(page.locator("[data-test=risk-levels] a").first).to_be_visible()
    expect(page.locator("[data-test=todos]")).to_be_visible()
    page.wait_for_load_state("networkidle")
    shot(page, "smoke-dashboard")
    figure.click()
    expect(page).to_have_url(re.compile(r"/e/hazards\?state="))
    expect(page.locator("[data-test=hazard-table] .el-table__row").first).to_be_visible()
    page.goto("/e/")
    logout(page)
    page.goto("/e/")
    expect(page).to_have_url(re.compile(r"^[^?]*/login\?next=/e/"))


def test_wrong_password_is_shown_and_nobody_is_signed_in(page):
    page.goto("/login")
    page.locator("input[name=username]").fill("officer")
    page.locator("input[name=password]").fill("not-the-password")
    page.locator("[data-test=login]").click()
    expect(page.get_by_text("用户名或密码错误。")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login"))
