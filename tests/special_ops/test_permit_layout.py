"""The printed permit as a filed form (issue 17 §6): GB 30871-2022 附录A form sections, and a layout
that survives a long job — no table row split over a page, no column narrower than its longest word
(合格 stacked one character per line), page numbers, header rows repeated on continuation pages."""

from __future__ import annotations

import copy
import io
import re
from datetime import datetime, timedelta

import pdfplumber
import pytest
import time_machine

from special_ops.models import WorkPermit
from special_ops.printout import permit_html
from tests.helpers.pdf_layout import cell_texts, layout_problems, squeeze
from tests.helpers.permits import URL, body_of, hot_work_case, load_sample

START = datetime.fromisoformat("2026-12-01T08:30:00+08:00")


def _gas(at: datetime, analyst: str = "董晓雪") -> dict:
    return {"sampled_at": at.isoformat(), "sample_point": "动火点及下方地面", "analyst": analyst, "o2_pct_vol": 20.9,
            "flammable": [{"medium": "甲醇", "lel_pct_vol": 6.0, "reading_pct_vol": 0.0}], "toxic": []}


def _pdf(api, user, pk: int) -> bytes:
    r = api(user).get(f"{URL}{pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    return r.content


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return squeeze("".join(page.extract_text() for page in doc.pages))


@pytest.fixture
def worked_permit(driver, points, orgs):
    """A hot-work permit approved, gas-tested 24 times (a table over several pages), started and completed."""
    pk = driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")["id"]
    with time_machine.travel(START - timedelta(minutes=5), tick=False):
        for i in range(24):
            r = driver.post(f"{URL}{pk}/gas-tests/", _gas(START - timedelta(minutes=28) + timedelta(minutes=i)))
            assert r.status_code == 201, r.json()
    with time_machine.travel(START, tick=False):
        driver.sign_phase(pk, "pre_start")
        assert driver.post(f"{URL}{pk}/start/").json()["state"] == "in_progress"
    with time_machine.travel(START + timedelta(hours=3, minutes=20), tick=False):
        assert driver.post(f"{URL}{pk}/complete/").json()["state"] == "completed"
    return pk


@pytest.mark.django_db
def test_a_long_permit_prints_without_split_rows_stacked_words_or_lost_headers(worked_permit, api, orgs):
    pdf = _pdf(api, orgs.inspector, worked_permit)
    with time_machine.travel(datetime.now(), tick=False):
        html = permit_html(WorkPermit.objects.get(pk=worked_permit))
    problems, facts = layout_problems(html, pdf, min_pages=2)
    assert problems == [], "\n".join(problems)
    assert facts["continued"], facts  # the gas-analysis table does run over a page (else nothing was tested)
    # the gas-analysis columns: 合格 on one line in every row, the analyst's name too
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = [squeeze(line) for page in doc.pages for line in page.extract_text().split("\n")]
    assert sum("合格" in line and "董晓雪" in line for line in lines) == 24


@pytest.mark.django_db
def test_the_printed_permit_is_the_appendix_a_form_without_internal_fields(worked_permit, api, orgs):
    permit = WorkPermit.objects.get(pk=worked_permit)
    pdf = _pdf(api, orgs.inspector, worked_permit)
    text, cells = _text(pdf), cell_texts(pdf)
    assert "动火安全作业票" in text and "GB30871-2022附录A表A.1" in text
    assert "作业申请时间2026年11月30日10:00" in text  # submitted
    assert "实际作业时间自2026年12月1日08:30至2026年12月1日11:50" in text
    assert {"合格标准", "≤23.5%vol（记录时判定）", "≤职业接触限值（GBZ2.1）"} <= set(cells)
    assert "爆炸下限≥4%vol的介质≤0.5%vol，<4%vol的≤0.2%vol" in cells
    assert "是否涉及" in text and text.count("涉及") > 3
    for needle in ("作业申请单位", "作业负责人", "监护人", "风险辨识结果", "安全交底", "审批与签字", "第1页/共"):
        assert needle in text, needle
    # no internal fields: no database ids, no English codes (types, measures, states, reasons), no Python values
    assert not re.search(r"[a-z]+_[a-z_]+", text), re.findall(r"[a-z]+_[a-z_]+", text)
    for code in ("hot_work", "in_progress", "completed", "None", "True", "False", "level_reasons"):
        assert code not in text, code
    assert f"id{permit.pk}" not in text.lower()


@pytest.mark.django_db
def test_code_list_facts_print_as_their_chinese_texts(driver, points):
    case = copy.deepcopy(next(c for c in load_sample()["cases"] if c["case_id"] == "P12"))  # height, low temperature
    case.pop("permit_no", None)
    r = driver.create(body_of(case, points))
    assert r.status_code == 201, r.json()
    html = permit_html(WorkPermit.objects.get(pk=r.json()["id"]))
    assert "表A.4" in html and "平均气温等于或低于 5 ℃ 的作业环境" in html
    assert "low_temperature" not in html and "编码列表" not in html
