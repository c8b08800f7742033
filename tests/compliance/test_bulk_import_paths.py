"""The ledger import's fast paths (issue 18 §4) give what the slow ones give.

- ``check_workbook_limits`` decides a well-formed xlsx from a streaming scan of its rows' and cells'
  references (no openpyxl pass); a workbook over a limit, or one it cannot scan, still goes through
  openpyxl's count, which names the limit.
- ``bulk_insert`` stores rows exactly as ``bulk_create`` does (JSON, dates, decimals, keys) and sets the
  primary keys.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from backend.core.bulk import bulk_insert
from compliance.models import Hazard
from compliance.services import common
from tests.helpers.samples import LEDGER_XLSX

pytestmark = pytest.mark.django_db


def test_the_limits_of_a_sound_workbook_need_no_openpyxl_pass(monkeypatch):
    def no_load(*args, **kwargs):
        raise AssertionError("openpyxl was asked to count the workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", no_load)
    with open(LEDGER_XLSX, "rb") as fh:
        common.check_workbook_limits(fh)
        assert fh.tell() == 0


def test_over_a_limit_the_openpyxl_count_names_it(monkeypatch):
    monkeypatch.setattr(common, "WORKBOOK_MAX_ROWS", 50)
    with open(LEDGER_XLSX, "rb") as fh, pytest.raises(Exception) as caught:
        common.check_workbook_limits(fh)
    assert caught.value.get_codes() == {"file": ["too_many_rows"]}


def test_a_sheet_without_cell_references_is_left_to_openpyxl():
    out = io.BytesIO()
    with zipfile.ZipFile(LEDGER_XLSX) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b' r="A4"', b"")
            dst.writestr(item.filename, data)
    with zipfile.ZipFile(out) as zf:
        assert common._xlsx_extents(zf) is None
    with zipfile.ZipFile(LEDGER_XLSX) as zf:
        extents = common._xlsx_extents(zf)
    assert extents and max(rows for rows, _ in extents) >= 73


def test_bulk_insert_stores_what_bulk_create_stores(orgs):
    def hazard(n, **kw):
        return Hazard(enterprise=orgs.owner, number=f"YH-2026-9{n:04d}", title=f"隐患{n}", found_on=date(2026, 11, 2),
                      deadline=date(2026, 11, 30), funds_yuan=Decimal("1500.50"), checklist_items=[12, 3],
                      grade="major", ledger_seq=n, **kw)

    ours = [hazard(1), hazard(2)]
    bulk_insert(ours)
    theirs = Hazard.objects.bulk_create([hazard(3), hazard(4)])
    assert all(h.pk for h in ours) and ours[0].pk != ours[1].pk
    fields = [f.attname for f in Hazard._meta.concrete_fields if f.attname not in ("id", "number", "title",
                                                                                   "ledger_seq", "created_at",
                                                                                   "updated_at")]
    got = {h.pk: {f: getattr(h, f) for f in fields} for h in Hazard.objects.filter(pk__in=[o.pk for o in ours])}
    want = {h.pk: {f: getattr(h, f) for f in fields} for h in Hazard.objects.filter(pk__in=[o.pk for o in theirs])}
    assert list(got.values()) == list(want.values())
    stored = Hazard.objects.get(pk=ours[0].pk)
    assert (stored.title, stored.funds_yuan, stored.checklist_items, stored.created_at is not None) == (
        "隐患1", Decimal("1500.50"), [12, 3], True)
