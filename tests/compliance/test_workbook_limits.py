"""BREAKIT D11: an import checks the workbook's size before loading it.

A 2,000,000-cell workbook (100,000 rows × 20 columns, 3 MB compressed: under the 10 MB upload cap)
used to be loaded whole (29 s CPU, +650 MB for 4 MB). It is now refused with 413 naming ``file``,
from the sheet's declared dimension; a workbook whose dimension lies is counted in read-only mode
and refused at the limit; a zip bomb is refused from the zip directory. Nothing is imported.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import Hazard
from compliance.services import common

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLS = "ABCDEFGHIJKLMNOPQRST"


def workbook(rows: int, *, dimension: bool = True, padding: int = 0) -> bytes:
    """A workbook whose first sheet holds ``rows`` × 20 numeric cells, its XML written directly (fast);
    ``dimension=False`` declares ``A1`` whatever it holds; ``padding`` adds that many unpacked bytes."""
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    ref = f"A1:T{rows}" if dimension else "A1"
    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in COLS) + "</row>"
                   for r in range(1, rows + 1))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><dimension ref="{ref}"/><sheetData>{body}</sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            dst.writestr(item.filename, data)
        if padding:
            dst.writestr("xl/padding.bin", b"\0" * padding)
    return out.getvalue()


def post(api, user, body, url="/api/v1/hazards/import/"):
    return api(user).post(url, {"file": SimpleUploadedFile("big.xlsx", body, content_type=XLSX)}, format="multipart")


def error(r):
    return r.status_code, r.json()["errors"][0]["code"], r.json()["errors"][0]["attr"]


def test_a_two_million_cell_workbook_is_refused_before_it_is_loaded(api, orgs, monkeypatch):
    body = workbook(100_000)
    assert len(body) < common.WORKBOOK_MAX_BYTES  # under the upload cap: the cell limit refuses it

    streaming_only = openpyxl.load_workbook

    def load(*args, **kwargs):
        assert kwargs.get("read_only"), "the whole workbook was loaded"
        return streaming_only(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", load)
    assert error(post(api, orgs.officer, body)) == (413, "too_many_rows", "file")
    r = post(api, orgs.officer, body, "/api/v1/risk-register/import/")
    assert error(r) == (413, "too_many_rows", "file"), r.json()
    assert not Hazard.objects.exists()


def test_too_many_cells_within_the_row_limit(api, orgs, monkeypatch):
    monkeypatch.setattr(common, "WORKBOOK_MAX_CELLS", 1_000)
    assert error(post(api, orgs.officer, workbook(60))) == (413, "too_many_cells", "file")


def test_a_lying_dimension_is_counted_and_refused_at_the_limit(api, orgs, monkeypatch):
    monkeypatch.setattr(common, "WORKBOOK_MAX_ROWS", 500)
    assert error(post(api, orgs.officer, workbook(800, dimension=False))) == (413, "too_many_rows", "file")
    monkeypatch.setattr(common, "WORKBOOK_MAX_CELLS", 5_000)
    assert error(post(api, orgs.officer, workbook(400, dimension=False))) == (413, "too_many_cells", "file")


def test_a_zip_bomb_is_refused_from_the_zip_directory(api, orgs, monkeypatch):
    monkeypatch.setattr(common, "WORKBOOK_MAX_UNPACKED_BYTES", 1024 * 1024)
    assert error(post(api, orgs.officer, workbook(2, padding=2 * 1024 * 1024))) == (413, "workbook_too_large", "file")


def test_the_sample_ledger_is_within_the_limits(api, orgs):
    from tests.helpers.samples import LEDGER_XLSX

    r = post(api, orgs.officer, LEDGER_XLSX.read_bytes())
    assert r.status_code == 200 and r.json()["counts"]["created"] == 70
