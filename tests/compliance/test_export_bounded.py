"""BREAKIT D10: the ledger exports never hold the whole ledger in memory.

The 70 hazards of the sample ledger are exported with ``EXPORT_CHUNK = 5``: at no moment are more
than two chunks of ``Hazard`` instances alive (counted with weak references from ``post_init``), in
the CSV stream and in the write-only workbook; the answer streams (``StreamingHttpResponse`` /
``FileResponse``) instead of one ``bytes`` body.
"""

from __future__ import annotations

import csv
import io
import weakref

import openpyxl
import pytest
from django.db.models.signals import post_init

from compliance import selectors
from compliance.importers.ledger_parse import LEDGER_SHEET, MAJOR_SHEET
from compliance.models import Hazard
from compliance.services.ledger_import import ledger_import
from tests.helpers.samples import LEDGER_XLSX

pytestmark = pytest.mark.django_db
URL = "/api/v1/hazards/export/"


@pytest.fixture
def live_hazards(monkeypatch):
    """``peak()`` → the most ``Hazard`` instances alive at once since the fixture started."""
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 5)
    alive: weakref.WeakSet = weakref.WeakSet()
    peak = [0]

    def seen(sender, instance, **kwargs):
        alive.add(instance)
        peak[0] = max(peak[0], len(alive))

    post_init.connect(seen, sender=Hazard, weak=False)
    yield lambda: peak[0]
    post_init.disconnect(seen, sender=Hazard)


@pytest.fixture
def ledger(orgs):
    ledger_import(actor=orgs.officer, enterprise=orgs.owner, source=LEDGER_XLSX)
    assert Hazard.objects.filter(enterprise=orgs.owner).count() == 70


def test_csv_export_streams_and_holds_at_most_two_chunks(api, orgs, ledger, live_hazards):
    r = api(orgs.officer).get(URL, {"format": "csv"})
    assert r.status_code == 200 and r.streaming
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 71 and [row[0] for row in rows[1:4]] == ["1", "2", "3"]
    assert live_hazards() <= 10


def test_xlsx_export_is_written_to_disk_and_holds_at_most_two_chunks(api, orgs, ledger, live_hazards):
    r = api(orgs.officer).get(URL, {"format": "xlsx"})
    assert r.status_code == 200 and r.streaming
    assert r["Content-Disposition"] == 'attachment; filename="hazard-ledger.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    ledger_sheet, major_sheet = wb[LEDGER_SHEET], wb[MAJOR_SHEET]
    assert ledger_sheet.max_row == 3 + 70 + 2  # then a blank row and the 填表人/审核人/日期 footer
    assert [ledger_sheet.cell(row=4 + i, column=1).value for i in range(3)] == [1, 2, 3]
    assert ledger_sheet.cell(row=4, column=2).number_format == "yyyy/m/d"
    assert [c.value for c in major_sheet["B"][2:4]] == [16, 45]  # the two majors, with their ledger 序号
    assert "A1:P1" in {str(m) for m in ledger_sheet.merged_cells.ranges}
    assert live_hazards() <= 10


def test_with_the_whole_ledger_loaded_the_probe_would_see_it(orgs, ledger, live_hazards):
    """The probe itself: ``list()`` of the ledger has all 70 alive at once."""
    hazards = list(Hazard.objects.filter(enterprise=orgs.owner))
    assert live_hazards() == 70 and len(hazards) == 70
