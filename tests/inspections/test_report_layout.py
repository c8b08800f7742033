# ruff: noqa: F811 — the fixtures of test_reports.py are imported here and named as test parameters
"""双报告 layout as printed (issue 17 §6): the enterprise and the jurisdiction report, rendered to PDF,
have no table row split over a page, no word broken over lines in a narrow column, 第 N 页 / 共 M 页
on every page, and the header row repeated wherever a table continues on the next page."""

from __future__ import annotations

import json
from datetime import datetime

from inspections.reports import render, services
from tests.factories import EnterpriseFactory
from tests.helpers.pdf_layout import layout_problems
from tests.inspections.test_reports import SH, _done, _download, _request, clock, sample, sent  # noqa: F401

DEC_2 = datetime(2026, 12, 2, 10, 0, tzinfo=SH)


def _html_and_pdf(api, user, job_id: int) -> tuple[str, bytes]:
    """The served PDF and the HTML it was rendered from (the same snapshot, hash and verification URL)."""
    body = _done(api, user, job_id)
    document = json.loads(_download(api(user), job_id, "json"))
    html = render.render_html(document, sha256_json=body["sha256_json"], verify_url=services.verify_url(body["sha256_json"]))
    return html, _download(api(user), job_id, "pdf")


def test_the_enterprise_report_prints_cleanly(api, sample, sent, clock):
    clock.move_to(DEC_2)
    job = _request(api(sample.officer), month="2026-11")
    html, pdf = _html_and_pdf(api, sample.officer, job["id"])
    problems, facts = layout_problems(html, pdf, min_pages=4)
    assert problems == [], "\n".join(problems)
    assert facts["continued"], facts  # some table does run over a page break (else the check proved nothing)


def test_the_jurisdiction_report_prints_cleanly_with_many_enterprises(api, sample, orgs, sent, clock):
    for i in range(40):  # the per-enterprise table runs over several pages
        EnterpriseFactory(name=f"高青县第{i + 1}精细化工有限公司", division_code=f"3703221{i % 5:02d}",
                          lon=117.70 + 0.004 * i, lat=37.08 + 0.01 * (i % 7))  # the map is drawn too
    clock.move_to(DEC_2)
    job = _request(api(orgs.inspector), kind="jurisdiction", month="2026-11")
    html, pdf = _html_and_pdf(api, orgs.inspector, job["id"])
    problems, facts = layout_problems(html, pdf, min_pages=6)
    assert problems == [], "\n".join(problems)
    assert any(len(pages) >= 3 for pages in facts["continued"].values()), facts
