"""随手拍 on a weak network (issue 15 §5): the report reaches the server but its answer is lost; the phone
retries with the same Idempotency-Key and the API answers the hazard it filed — one hazard, not two."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from compliance.models import Hazard
from tests.browser.conftest import login, png, shot

pytestmark = pytest.mark.browser

TITLE = "消防栓被杂物遮挡（弱网测试）"


def test_a_lost_answer_is_retried_without_a_duplicate(phone, tmp_path):
    login(phone, "employee")
    phone.goto("/m/report")
    keys: list[str] = []

    def lose_first_answer(route):
        keys.append(route.request.headers.get("idempotency-key", ""))
        if len(keys) == 1:
            route.fetch()  # the server files the hazard …
            route.abort("connectionreset")  # … and the phone never hears back
        else:
            route.continue_()

    phone.route("**/api/v1/hazards/report/", lose_first_answer)
    phone.locator("[data-test=camera]").set_input_files(str(png(tmp_path / "hydrant.png", "red")))
    phone.locator("input[name=title]").fill(TITLE)
    phone.locator("input[name=location]").fill("二号仓库北门")
    phone.locator("[data-test=report-submit]").click()
    expect(phone.locator("[data-test=report-done]")).to_be_visible()
    shot(phone, "phone-report-retry-done")

    assert len(keys) == 2 and keys[0] and keys[0] == keys[1], keys  # the same key on the retry
    hazards = Hazard.objects.filter(title=TITLE)
    assert hazards.count() == 1
    assert hazards.get().photos.count() == 1
