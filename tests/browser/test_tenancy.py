"""Journey (e), issue 15: another enterprise's user sees nothing of the demo enterprise."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Role
from compliance.models import Hazard
from tests.browser.conftest import login, shot
from tests.factories import EnterpriseFactory, member

pytestmark = pytest.mark.browser


def test_another_enterprise_sees_nothing_of_the_demo(page, demo):
    other = EnterpriseFactory(name="另一家化工有限公司", division_code="370322102")
    member(other, Role.SAFETY_OFFICER, username="stranger", full_name="外企安全员")
    demo_hazard = Hazard.objects.filter(enterprise__uscc="91370322564206426R").order_by("id").first()
    assert demo_hazard is not None

    login(page, "stranger", "pass-12345")
    expect(page.locator("[data-test=org-name]")).to_have_text("另一家化工有限公司")
    expect(page.locator("[data-test=fig-open] .num-link")).to_have_text("0")
    expect(page.locator("[data-test=risk-levels]")).not_to_contain_text(re.compile(r"[1-9]"))  # every colour 0
    page.goto("/e/hazards")
    expect(page.locator("[data-test=hazard-table]")).to_contain_text("暂无数据")
    expect(page.locator("[data-test=hazard-table]")).not_to_contain_text(demo_hazard.title)
    page.goto(f"/e/hazards/{demo_hazard.pk}")
    expect(page.locator("[data-test=not-found]")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(demo_hazard.title)
    page.goto("/e/org")
    expect(page.locator("[data-test=members]")).not_to_contain_text("刘晓燕")
    shot(page, "journey-e-other-enterprise")
