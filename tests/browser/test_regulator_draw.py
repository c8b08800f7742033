"""Journey (d), issue 16 §6: regadmin runs a 双随机 draw (n, risk weighting) on /r/draws, sees its seed, result
and stored snapshot, verifies it (re-run from the snapshot → 一致) and publishes it; the public page
/public/draws (no login, on a 375 px phone) lists it without any person's name."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from inspections.models import Draw
from tests.browser.conftest import PHONE, login, shot

pytestmark = pytest.mark.browser


def test_draw_run_verified_and_published(page, new_page, demo):
    before = set(Draw.objects.values_list("pk", flat=True))
    login(page, "regadmin")
    page.goto("/r/draws")
    page.locator("[data-test=draw-form] [data-field=title] input").fill("浏览器测试抽查")
    page.locator("[data-test=draw-run]").click()
    detail = page.locator("[data-test=draw-detail]")
    expect(detail).to_contain_text("浏览器测试抽查")
    (draw,) = Draw.objects.exclude(pk__in=before)
    assert draw.n == 2 and draw.weighted
    expect(detail.locator("[data-test=draw-seed]")).to_have_text(draw.seed)
    expect(detail.locator("[data-test=draw-result] .el-table__row")).to_have_count(2)
    expect(detail.locator("[data-test=draw-snapshot]")).to_contain_text("候选企业")

    detail.locator("[data-test=draw-verify]").click()
    expect(detail.locator("[data-test=draw-verify-result]")).to_contain_text("一致")
    expect(detail.locator("[data-test=draw-verify-result]")).to_contain_text("identical")
    shot(page, "journey-r-d-draw-verified")

    detail.locator("[data-test=draw-publish]").click()
    expect(detail).to_contain_text("已于")
    draw.refresh_from_db()
    assert draw.published_at is not None

    public = new_page(viewport=PHONE, is_mobile=True, has_touch=True)  # phone-first public page, no login
    public.goto("/public/draws")
    card = public.locator("[data-test=public-draw]", has_text="浏览器测试抽查")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(draw.seed)
    text = public.locator("body").inner_text()
    for user in get_user_model().objects.filter(username__in=["inspector", "inspector2", "regadmin"]):
        assert user.username not in text and (not user.get_full_name() or user.get_full_name() not in text)
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # fits the phone
    shot(public, "journey-r-d-draw-public")
