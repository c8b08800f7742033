"""Journey (d), issue 15: a coded 400 shows next to the field it names; an action the API forbids (403)
is not shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Enterprise, User
from compliance.services.hazards import hazard_report
from tests.browser.conftest import login, pick, shot

pytestmark = pytest.mark.browser


@pytest.fixture
def reported(demo):
    """A hazard the employee just reported (no deadline, no responsible person yet)."""
    employee = User.objects.get(username="employee")
    return hazard_report(actor=employee, enterprise=Enterprise.objects.get(uscc="91370322564206426R"),
                         title="配电室门未关闭（浏览器测试）", location="配电室")


def test_a_coded_400_is_shown_next_to_its_field(page, reported):
    login(page, "officer")
    page.goto(f"/e/hazards/{reported.pk}")
    page.locator("[data-test=action-confirm]").click()
    pick(page, "treatment", "限期整改")  # a deadline treatment without a deadline: 400 required, attr deadline
    page.locator("[data-test=action-submit]:visible").click()
    item = page.locator("[data-field=deadline]")
    expect(item.locator(".el-form-item__error")).to_have_text("限期整改的隐患须填写整改期限。")
    expect(page.locator("[data-field=treatment] .el-form-item__error")).to_have_count(0)
    expect(page.locator("[data-test=action-form]")).to_be_visible()  # still open, nothing changed
    shot(page, "journey-d-1-field-error")
    page.reload()
    expect(page.locator("[data-test=hazard-state]")).to_have_text("已上报")


def test_an_action_the_api_forbids_is_not_offered(page, reported):
    login(page, "employee")
    page.goto(f"/e/hazards/{reported.pk}")
    expect(page.locator("[data-test=hazard-state]")).to_have_text("已上报")
    expect(page.locator("[data-test=action-confirm]")).to_have_count(0)
    expect(page.locator("[data-test=action-reject]")).to_have_count(0)
    # … and the API refuses it: the hidden button would have answered 403.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    r = page.request.post(f"/api/v1/hazards/{reported.pk}/confirm/", data={}, headers={"X-CSRFToken": token})
    assert r.status == 403, r.text()
    assert r.json()["errors"][0]["code"] == "role_not_allowed", r.text()
    shot(page, "journey-d-2-no-forbidden-action")
