"""巡检 on the phone (issue 15 §6): scanning a risk point's QR label opens /m/scan/<id> with that point's tasks
due today; the inspector records 正常 on one and 发现隐患 with a camera photo on another, which files the hazard
with its photo (375×812)."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot

pytestmark = pytest.mark.browser


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 60)).save(buf, "PNG")
    return buf.getvalue()


def test_scan_opens_the_points_due_tasks_and_records_them(phone):
    from django.utils import timezone

    from compliance.due import tasks_due_on_q
    from compliance.models import InvestigationTask, RiskPoint

    point = RiskPoint.objects.get(code="SB-01")
    due = list(InvestigationTask.objects.filter(tasks_due_on_q(timezone.localdate()), risk_point=point,
                                                record__isnull=True).order_by("due_start", "id"))
    assert len(due) >= 2, "the demo generates this week's tasks of SB-01"
    login(phone, "employee")  # the field worker: his find is reported for confirmation
    phone.goto(f"/m/scan/{point.pk}")
    expect(phone.locator("[data-test=scan-point]")).to_have_text("SB-01 储罐区")
    expect(phone.locator("text=重大危险源")).to_be_visible()
    cards = phone.locator("[data-task]")
    expect(cards.first).to_be_visible()
    first, second = phone.locator(f"[data-task='{due[0].pk}']"), phone.locator(f"[data-task='{due[1].pk}']")
    first.locator("[data-test=task-normal]").click()
    expect(first.locator("[data-test=task-done]")).to_have_text("已排查：正常")
    second.locator("[data-test=task-hazard]").click()
    second.locator("[data-test=task-hazard-title]").fill("罐区防火堤排水阀未关闭")
    second.locator("[data-test=task-photo]").set_input_files({"name": "leak.png", "mimeType": "image/png", "buffer": _png()})
    second.locator("[data-test=task-hazard-submit]").click()
    expect(second.locator("[data-test=task-done]")).to_have_text("已排查：发现隐患")
    shot(phone, "phone-scan-inspection")

    due[1].refresh_from_db()
    hazard = due[1].record.hazard
    assert hazard.title == "罐区防火堤排水阀未关闭" and hazard.risk_point_id == point.pk
    assert hazard.photos.count() == 1
    due[0].refresh_from_db()
    assert due[0].record.result == "normal"


def test_a_scanned_label_reports_a_hazard_at_its_point(phone):
    """随手拍 with the risk point picked by scanning its QR label: the label's page offers 在此处上报隐患,
    and the report it files carries that point."""
    from compliance.models import Hazard, RiskPoint

    point = RiskPoint.objects.get(code="SB-01")
    login(phone, "employee")
    phone.goto(f"/m/scan/{point.pk}")
    phone.locator("[data-test=scan-report]").click()
    expect(phone.locator("[data-test=report-form]")).to_be_visible()
    phone.locator("input[name=title]").fill("罐区防火堤内有油污（扫码上报）")
    phone.locator("[data-test=report-submit]").click()
    expect(phone.locator("[data-test=report-done]")).to_be_visible()
    hazard = Hazard.objects.get(title="罐区防火堤内有油污（扫码上报）")
    assert hazard.risk_point_id == point.pk
    shot(phone, "phone-scan-report")
