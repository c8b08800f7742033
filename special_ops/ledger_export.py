"""The permit ledger (作业票台账): the permits of a list, one row each, as an .xlsx.

A title row, then the header (frozen, with an autofilter), one row per permit in a stable order
(planned start, number, id) and a 填表人/审核人/日期 footer (:mod:`backend.core.spreadsheets`).
Written in openpyxl's write-only mode from a chunked queryset: memory stays bounded by
``EXPORT_CHUNK`` permits, not by the ledger. Every text cell goes through ``safe_row`` (no formula
from user text).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

import openpyxl
from django.db.models import QuerySet
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from backend.core.spreadsheets import safe_row, table_end, table_start
from backend.core.time import SHANGHAI, local_today
from special_ops.models import WorkPermit
from special_ops.rules.types import PermitState, PermitType

__all__ = ["PERMIT_LEDGER_HEADER", "permit_ledger_xlsx"]

PERMIT_LEDGER_SHEET = "作业票台账"
#: The columns of the permit ledger (GB 30871-2022 Appendix A permit fields an enterprise's 台账 keeps).
PERMIT_LEDGER_HEADER = ("序号", "作业票编号", "作业类型", "作业级别", "作业内容", "作业地点", "申请单位", "作业单位",
                        "作业负责人", "监护人", "计划开始", "计划结束", "实际开始", "完工时间", "验收时间", "状态",
                        "关联作业票")
#: Permits fetched per database round trip.
EXPORT_CHUNK = 2000
_TIME_FORMAT = "yyyy/m/d hh:mm"


def _local(value: datetime | None) -> datetime | None:
    """An aware time as Asia/Shanghai wall time without tzinfo (spreadsheets have no time zones)."""
    return value.astimezone(SHANGHAI).replace(tzinfo=None) if value else None


def permit_ledger_rows(qs: QuerySet[WorkPermit]) -> Iterator[list[Any]]:
    """The ledger cells of ``qs``, ordered by planned start, number and id, streamed in chunks."""
    for n, p in enumerate(qs.order_by("planned_start", "number", "id").iterator(chunk_size=EXPORT_CHUNK), start=1):
        yield [n, p.number, PermitType(p.type).label, p.get_level_display() or p.get_level_declared_display(), p.work_content, p.location,
               p.applicant_unit, p.work_unit, p.work_leader_name, p.guardian_name, _local(p.planned_start),
               _local(p.planned_end), _local(p.started_at), _local(p.completed_at), _local(p.accepted_at),
               PermitState(p.state).label, "、".join(p.related_numbers or [])]


def permit_ledger_xlsx(qs: QuerySet[WorkPermit], *, title: str = "") -> IO[bytes]:
    """The permits of ``qs`` as a 作业票台账 workbook: an open temporary file positioned at 0 (serve it
    with ``FileResponse``; deleted when closed). ``title`` heads the sheet (default 作业票台账)."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(PERMIT_LEDGER_SHEET)
    table_start(ws, header_row=2)
    for col, width in zip("ABCDEFGHIJKLMNOPQ", (6, 18, 12, 8, 36, 20, 16, 16, 10, 10, 16, 16, 16, 16, 16, 8, 20),
                          strict=True):
        ws.column_dimensions[col].width = width
    head = WriteOnlyCell(ws, value=safe_row([title or PERMIT_LEDGER_SHEET])[0])
    head.font = Font(bold=True, size=14)
    ws.append([head])
    header = []
    for text in PERMIT_LEDGER_HEADER:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    rows = 0
    for values in permit_ledger_rows(qs):
        out: list[Any] = []
        for v in safe_row(values):
            if isinstance(v, datetime):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = _TIME_FORMAT
                out.append(cell)
            else:
                out.append(v)
        ws.append(out)
        rows += 1
    table_end(ws, header_row=2, columns=len(PERMIT_LEDGER_HEADER), last_row=2 + rows, day=local_today())
    out_file = tempfile.TemporaryFile()
    wb.save(out_file)
    out_file.seek(0)
    return out_file
