"""New-user test at phone size (375×812): an employee who logs in lands on the phone pages (随手拍 with 巡检 in
the tab bar), not the desktop 工作台; a manager who opens the desktop console on a phone gets it without
horizontal overflow (the side menu behind a menu button, the company name cut with an ellipsis) and is
offered the phone pages."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375


def _no_horizontal_overflow(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the page is {width} px wide on a {PHONE_WIDTH} px screen"


def test_employee_logs_in_on_a_phone_and_lands_on_the_phone_pages(phone):
    login(phone, "employee")
    phone.wait_for_url(lambda url: urlsplit(url).path == "/m/report")
    tabs = phone.locator("nav.tabs")
    expect(tabs).to_contain_text("随手拍")
    expect(tabs).to_contain_text("巡检")
    expect(phone.locator("[data-test=report-form]")).to_be_visible()
    _no_horizontal_overflow(phone)
    # a bookmark of the desktop 工作台 on the phone also opens the phone pages
    phone.goto("/e/")
    phone.wait_for_url(lambda url: urlsplit(url).path == "/m/report")
    shot(phone, "phone-landing-employee")


def test_officer_opens_the_desktop_console_on_a_phone_without_overflow(phone):
    login(phone, "officer")
    assert urlsplit(phone.url).path == "/e/"
    expect(phone.locator("[data-test=org-name]")).to_be_visible()
    # the company name stays on one line (cut with an ellipsis), not one character per line
    org = phone.locator("[data-test=org-name]").evaluate(
        "el => ({ h: el.getBoundingClientRect().height, lh: parseFloat(getComputedStyle(el).lineHeight) || 24,"
        " overflow: getComputedStyle(el).textOverflow })")
    assert org["overflow"] == "ellipsis" and org["h"] <= 2 * org["lh"], org
    expect(phone.locator("aside.aside")).to_have_count(0)  # no fixed side menu
    expect(phone.locator("[data-test=phone-offer]")).to_contain_text("随手拍")
    phone.wait_for_load_state("networkidle")
    _no_horizontal_overflow(phone)
    # the 工作台 cards stack full width instead of collapsing to a few characters
    col = phone.locator(".main .el-row > .el-col").first
    expect(col).to_be_visible()
    assert col.evaluate("el => el.getBoundingClientRect().width") >= 300
    # the menu is a drawer behind the menu button
    phone.locator("[data-test=menu-toggle]").click()
    drawer_menu = phone.locator(".el-drawer [data-test=menu]")
    expect(drawer_menu).to_be_visible()
    drawer_menu.locator(".el-menu-item", has_text="隐患排查治理").click()
    phone.wait_for_url(lambda url: urlsplit(url).path == "/e/hazards")
    expect(drawer_menu).to_be_hidden()
    phone.wait_for_load_state("networkidle")
    _no_horizontal_overflow(phone)
    shot(phone, "phone-landing-officer-hazards")
    phone.goto("/e/")
    phone.wait_for_load_state("networkidle")
    _no_horizontal_overflow(phone)
    shot(phone, "phone-landing-officer")
