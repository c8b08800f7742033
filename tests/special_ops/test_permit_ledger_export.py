"""``GET /api/v1/permits/export/``: the 作业票台账 of the permit list, with its filters and scoping."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from backend.core.time import SHANGHAI
from tests.factories.special_ops import WorkPermitFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/permits/export/"


def _rows(response):
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb["作业票台账"]
    return ws, [r for r in ws.iter_rows(min_row=3, values_only=True)]


def test_permit_ledger_export_filters_orders_and_scopes(api, orgs):
    late = WorkPermitFactory(enterprise=orgs.owner, work_content="=cmd|' /C calc'!A0",
                             planned_start=dt.datetime(2026, 11, 26, 8, 0, tzinfo=SHANGHAI),
                             planned_end=dt.datetime(2026, 11, 26, 12, 0, tzinfo=SHANGHAI))
    early = WorkPermitFactory(enterprise=orgs.owner)
    WorkPermitFactory(enterprise=orgs.owner, type="confined_space", detail=None)
    WorkPermitFactory(enterprise=orgs.outsider)
    r = api(orgs.officer).get(URL, {"type": "hot_work"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws, rows = _rows(r)
    assert [c.value for c in ws[2]][:4] == ["序号", "作业票编号", "作业类型", "作业级别"]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:Q4"
    data, footer = rows[:2], rows[-1]
    assert [(d[0], d[1], d[2], d[3]) for d in data] == [(1, early.number, "动火作业", "二级"),
                                                        (2, late.number, "动火作业", "二级")]
    assert data[0][10] == dt.datetime(2026, 11, 25, 8, 0)  # Shanghai wall time
    assert data[1][4].startswith("'=")  # formula-neutral
    assert str(footer[0]).startswith("填表人：")
    # all types without the filter; another enterprise sees only its own; the regulator its jurisdiction
    assert len([x for x in _rows(api(orgs.officer).get(URL))[1] if isinstance(x[0], int)]) == 3
    assert len([x for x in _rows(api(orgs.outsider_officer).get(URL))[1] if isinstance(x[0], int)]) == 1
    assert len([x for x in _rows(api(orgs.inspector).get(URL))[1] if isinstance(x[0], int)]) == 3
    assert api(orgs.officer).get(URL, {"bogus": "1"}).status_code == 400
