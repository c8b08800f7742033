"""Journey (f), issue 16: the public 报告核验 page (/verify, the QR target of every dual-report PDF).

A dual report rendered here through the report service and the real WeasyPrint: uploading its PDF says
authentic and names the report; the same PDF with one byte changed says not authentic; the QR target
/verify/<sha256 of the JSON> says authentic without any upload; a malformed hash is refused on the field.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from playwright.sync_api import expect

from backend.accounts.models import Enterprise, User
from inspections.reports import services
from inspections.reports.models import ReportJob
from tests.browser.conftest import shot

pytestmark = pytest.mark.browser


def test_a_report_pdf_is_authentic_and_one_changed_byte_is_not(page, demo, tmp_path):
    enterprise = Enterprise.objects.get(uscc="91370322564206426R")
    job, created = services.report_request(actor=User.objects.get(username="officer"), kind=ReportJob.Kind.ENTERPRISE,
                                           enterprise=enterprise, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    assert created
    job = services.report_render(job_id=job.pk) or ReportJob.objects.get(pk=job.pk)
    assert job.state == ReportJob.State.DONE, job.error
    # a draft's files never verify: narrated and issued by the enterprise's admin, then the final render
    admin = User.objects.get(username="entadmin")
    services.report_edit(actor=admin, report=job, narrative="一、存在问题：逾期隐患 9 项。\n二、下步工作：月底前整改。")
    with transaction.atomic():
        services.report_issue(actor=admin, report=ReportJob.objects.get(pk=job.pk))
    job = services.report_render(job_id=job.pk) or ReportJob.objects.get(pk=job.pk)
    assert job.state == ReportJob.State.DONE and job.issued_at is not None, job.error
    with job.pdf.open("rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF")
    good = tmp_path / "双报告-2026-10.pdf"
    good.write_bytes(pdf)
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    bad = tmp_path / "双报告-2026-10-改.pdf"
    bad.write_bytes(bytes(changed))

    page.goto("/verify")  # no login
    page.locator("[data-test=verify-file]").set_input_files(str(good))
    result = page.locator("[data-test=verify-result]")
    expect(result).to_have_attribute("data-authentic", "true")
    expect(result).to_contain_text("真实")
    expect(result).to_contain_text(enterprise.name)
    expect(result).to_contain_text("2026-10-01 至 2026-10-31")
    expect(result).to_contain_text(job.sha256_pdf)
    shot(page, "journey-r-f-verify-authentic")

    page.locator("[data-test=verify-file]").set_input_files(str(bad))
    expect(result).to_have_attribute("data-authentic", "false")
    expect(result).to_contain_text("不真实")
    expect(result).not_to_contain_text(enterprise.name)
    shot(page, "journey-r-f-verify-changed")

    # the QR code's target: /verify/<sha256 of the JSON> (services.verify_url)
    assert services.verify_url(job.sha256_json).endswith(f"/verify/{job.sha256_json}")
    page.goto(f"/verify/{job.sha256_json}")
    expect(result).to_have_attribute("data-authentic", "true")
    expect(result).to_contain_text("数据文件（JSON）")
    expect(result).to_contain_text(enterprise.name)

    # a malformed hash: said on the field, nothing asked
    page.locator("[data-test=verify-hash]").fill("abc")
    page.locator("[data-test=verify-submit]").click()
    expect(page.locator(".el-form-item__error")).to_have_text("SHA-256 应为 64 位十六进制字符")
