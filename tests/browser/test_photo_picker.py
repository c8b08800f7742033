"""The photo pickers read in Chinese (新用户测试: the bare file input read "Choose File / No file chosen"):
the hazard detail's 上传照片 button uploads a photo, and 随手拍 on the phone offers 拍照 with the rear camera."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, png, shot

pytestmark = pytest.mark.browser


def _open_hazard_with_photos_allowed():
    from compliance.models import Hazard

    return Hazard.objects.exclude(state__in=["closed", "rejected"]).order_by("id").first()


def test_hazard_detail_uploads_a_photo_through_the_chinese_button(page, tmp_path):
    hazard = _open_hazard_with_photos_allowed()
    assert hazard is not None, "the demo has open hazards"
    before = hazard.photos.count()
    login(page, "officer")
    page.goto(f"/e/hazards/{hazard.pk}")
    picker = page.locator(".photo-picker")
    expect(picker).to_contain_text("上传照片")
    expect(page.locator("body")).not_to_contain_text("Choose File")
    page.locator("[data-test=photo-input]").set_input_files(str(png(tmp_path / "fix.png", "green")))
    expect(page.locator("[data-test=photos] figure")).to_have_count(before + 1)
    assert hazard.photos.count() == before + 1
    shot(page, "photo-picker-hazard")


def test_phone_report_offers_the_camera_in_chinese(phone):
    login(phone, "employee")
    phone.goto("/m/report")
    camera = phone.locator("[data-test=camera]")
    expect(camera).to_have_attribute("capture", "environment")
    expect(phone.locator(".camera")).to_contain_text("拍照")
    expect(phone.locator("body")).not_to_contain_text("Choose File")
