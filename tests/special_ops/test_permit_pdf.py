"""The printable permit (WeasyPrint) contains number, type, level, gas tests, measures, signatures."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
import time_machine
from pypdf import PdfReader

from tests.helpers.permits import URL, body_of, hot_work_case


def text_of(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace(" ", "")


@pytest.mark.django_db
def test_pdf_has_number_type_level_gas_measures_and_signatures(driver, points, api, orgs):
    pk = driver.file_and_approve(body_of(hot_work_case(), points), at="2026-11-30T10:00:00+08:00")["id"]
    with time_machine.travel(datetime.fromisoformat("2026-12-01T08:30:00+08:00"), tick=False):
        driver.post(f"{URL}{pk}/gas-tests/", {"sampled_at": "2026-12-01T08:10:00+08:00", "sample_point": "动火点及下方地面",
                                               "analyst": "董晓雪", "o2_pct_vol": 20.9,
                                               "flammable": [{"medium": "甲醇", "lel_pct_vol": 6.0, "reading_pct_vol": 0.0}]})
    r = api(orgs.inspector).get(f"{URL}{pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = text_of(r.content)
    for needle in ("DH-20261201-01", "动火作业", "二级", "动火点及下方地面", "合格", "现场已配备灭火器", "张工", "刘晓燕",
                   "审批：所在单位（二级）"):
        assert needle in text, needle
