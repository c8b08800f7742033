"""Reads of the compliance app: querysets annotated in the database for list/filter/order.

``overdue`` is computed by the database relative to ``timezone.now()`` (so time-machine moves
it): a hazard is overdue when its ``deadline_at`` (end of the deadline day, Asia/Shanghai) has
passed and it is not pending acceptance or later (DOMAIN.md §3). A task is overdue when it is
still pending after its window's end.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import openpyxl
from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from backend.audit.models import Event
from backend.core.spreadsheets import safe_cell, safe_row, table_end, table_start
from backend.core.time import local_today
from compliance.importers.ledger_parse import IMMEDIATE_MARK, LEDGER_EXPORT_LABELS, LEDGER_SHEET, MAJOR_SHEET
from compliance.models import Hazard, HazardPhoto, InvestigationTask
from compliance.models.hazards import OVERDUE_STATE_VALUES
from compliance.rules.hazard_codes import HazardGrade, HazardSource, HazardTreatment, HazardType
from compliance.rules.hazard_states import UNCLOSED_STATES, HazardState

#: Column headers of the two ledger sheets, as the sample ledger writes them (data/README.md §3).
LEDGER_HEADER = ("序号", "排查日期", "排查类型", "隐患部位", "隐患描述", "隐患级别", "隐患类别", "整改措施", "整改责任人",
                 "整改资金(元)", "整改期限", "整改完成日期", "验收人", "验收日期", "状态", "平台编号")
MAJOR_HEADER = ("序号", "台账序号", "隐患名称", "判定依据", "治理措施", "责任人", "治理资金(元)", "治理时限",
                "应急预案及防范措施", "挂牌督办", "治理状态")


#: The 未销号 states' codes in the state table's order (the hazard list's ``?state=`` for the figure).
UNCLOSED_STATE_VALUES: tuple[str, ...] = tuple(s.value for s in HazardState if s in UNCLOSED_STATES)


def hazard_unclosed_q() -> Q:
    """The one definition of an open hazard (未销号隐患) as a Q over Hazard: ``state IN
    UNCLOSED_STATE_VALUES`` — not yet closed (销号) nor rejected (DOMAIN.md §3; accepted counts,
    it still awaits 销号). Used by the enterprise 工作台 and the regulator's risk map."""
    return Q(state__in=UNCLOSED_STATE_VALUES)


def hazard_overdue_q(now: datetime | None = None) -> Q:
    """The overdue condition as a Q over Hazard: ``state IN (reported, confirmed, rectifying) AND
    deadline_at < now`` — the states not in ``NOT_OVERDUE_STATES``, written positively so the
    (state, deadline_at) index and the partial open-state list indexes serve it (issue 18)."""
    now = now or timezone.now()
    return Q(state__in=OVERDUE_STATE_VALUES, deadline_at__lt=now)


def photo_count_subquery() -> Coalesce:
    """The number of photos of the outer hazard, as a correlated subquery (evaluated for the rows of
    the page only; a ``Count`` join would group every matching row before the LIMIT)."""
    photos = HazardPhoto.objects.filter(hazard=OuterRef("pk")).order_by().values("hazard").annotate(n=Count("id"))
    return Coalesce(Subquery(photos.values("n"), output_field=IntegerField()), 0)


def hazards_annotated(now: datetime | None = None) -> QuerySet[Hazard]:
    """All hazards with ``overdue`` (bool) and ``photo_count`` (int, a correlated subquery)
    annotations and the relations the serializer reads (risk point code, the responsible person's
    and the acceptor's names): no GROUP BY, so a page costs its own rows (issue 18)."""
    return (
        Hazard.objects.select_related("risk_point", "responsible_person", "acceptor")
        .annotate(
            overdue=Case(When(hazard_overdue_q(now), then=Value(True)), default=Value(False), output_field=BooleanField()),
            photo_count=photo_count_subquery(),
        )
    )


def task_overdue_q(now: datetime | None = None) -> Q:
    return Q(state=InvestigationTask.State.PENDING, due_end__lte=now or timezone.now())


def tasks_annotated(now: datetime | None = None) -> QuerySet[InvestigationTask]:
    """Investigation tasks with ``overdue`` and their measure, risk point and record."""
    return InvestigationTask.objects.select_related("measure", "risk_point", "record", "record__hazard").annotate(
        overdue=Case(When(task_overdue_q(now), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def hazard_events(hazard: Hazard) -> QuerySet[Event]:
    """The audit events of one hazard, oldest first (its readable history)."""
    return Event.objects.filter(object_type="compliance.hazard", object_id=str(hazard.pk)).order_by("created_at", "seq")


# --- ledger export (隐患排查治理台账; re-imports to the same data) ------------------------------
def _state_label(h: Hazard) -> str:
    if h.state == HazardState.ACCEPTED:
        return "已整改"
    if h.state == HazardState.RECTIFYING and getattr(h, "overdue", False):
        return "逾期未整改"
    return LEDGER_EXPORT_LABELS[HazardState(h.state)]


def _source_text(h: Hazard) -> str:
    return h.source_detail or HazardSource(h.source).label


def _acceptor(h: Hazard) -> str:
    return h.acceptor_name or (str(h.acceptor) if h.acceptor_id else "")


def _responsible(h: Hazard) -> str:
    return h.responsible_name or (str(h.responsible_person) if h.responsible_person_id else "")


def _money(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


#: Hazards fetched per database round trip by the exports: memory stays bounded by this, not by the ledger.
EXPORT_CHUNK = 2000


def ledger_rows(qs: QuerySet[Hazard]) -> Iterator[tuple[int, Hazard, list[Any]]]:
    """``(序号, hazard, ledger-sheet cells)`` of ``qs`` in ledger order, streamed (``EXPORT_CHUNK`` hazards
    per fetch, never the whole ledger in memory); hazards without a ledger 序号 get the next numbers
    after the highest one (values as stored: sanitised only when written)."""
    qs = qs.select_related("enterprise", "supervised_by", "acceptor", "responsible_person")
    next_seq = qs.aggregate(top=Max("ledger_seq"))["top"] or 0
    for h in qs.order_by("ledger_seq", "found_on", "id").iterator(chunk_size=EXPORT_CHUNK):
        if h.ledger_seq:
            seq = h.ledger_seq
        else:
            next_seq += 1
            seq = next_seq
        yield seq, h, ledger_cells(seq, h)


def ledger_cells(seq: int, h: Hazard) -> list[Any]:
    """The ledger-sheet cells of one hazard under ``LEDGER_HEADER`` (values as stored; sanitised only
    when written). The last, 平台编号, is the hazard's number: a platform-created hazard (no ledger
    序号) is found again by it when the export is re-imported into the same enterprise."""
    deadline: Any = IMMEDIATE_MARK if h.treatment == HazardTreatment.IMMEDIATE else h.deadline
    return [
        seq, h.found_on, _source_text(h), h.location, h.description or h.title, f"{HazardGrade(h.grade).label}隐患",
        HazardType(h.hazard_type).label, h.measures, _responsible(h), _money(h.funds_yuan), deadline,
        h.completed_on, _acceptor(h), h.accepted_on, _state_label(h), h.number,
    ]


def major_cells(n: int, seq: int, h: Hazard) -> list[Any]:
    """The 重大隐患五落实 cells of one major hazard under ``MAJOR_HEADER`` (``n``: its row number,
    ``seq``: its ledger 序号)."""
    supervised = h.supervision_note or (f"{h.supervised_by.name}挂牌督办" if h.supervised and h.supervised_by
                                        else ("挂牌督办" if h.supervised else "否"))
    return [n, seq, h.title, h.major_basis, h.measures, _responsible(h), _money(h.funds_yuan), h.deadline,
            h.contingency_plan, supervised, HazardState(h.state).label]


def _dated(ws: Any, values: list[Any]) -> list[Any]:
    """Write-only cells of ``values``; dates shown ``yyyy/m/d``."""
    out = []
    for v in values:
        if isinstance(v, date):
            cell = WriteOnlyCell(ws, value=v)
            cell.number_format = "yyyy/m/d"
            out.append(cell)
        else:
            out.append(v)
    return out


def ledger_export_xlsx(qs: QuerySet[Hazard]) -> IO[bytes]:
    """The hazards of ``qs`` as a 隐患排查治理台账 workbook (both sheets): an open temporary file
    positioned at 0 holding the .xlsx (serve it with ``FileResponse``; it is deleted when closed).
    Each sheet: header frozen, autofilter over header and rows, a 填表人/审核人/日期 footer; rows in
    ledger order (序号, 排查日期, id).

    Bounded memory (BREAKIT D10): openpyxl's write-only mode streams each sheet to disk and the hazards
    are read ``EXPORT_CHUNK`` at a time, in one pass (both sheets are appended together). Every text
    cell goes through ``backend.core.spreadsheets.safe_cell``: no formulas from user text, no control
    characters (which would make openpyxl refuse the whole file)."""
    names = sorted(set(qs.order_by().values_list("enterprise__name", flat=True).distinct()))
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(LEDGER_SHEET)
    ms = wb.create_sheet(MAJOR_SHEET)
    for col, width in zip("ABCDEFGHIJKLMNOP", (6, 12, 14, 16, 40, 10, 8, 36, 10, 10, 12, 12, 10, 12, 10, 16), strict=True):
        ws.column_dimensions[col].width = width
    title = WriteOnlyCell(ws, value=safe_cell(f"{'、'.join(names)}隐患排查治理台账"))
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(horizontal="center")
    today = local_today()
    table_start(ws, header_row=3)
    table_start(ms, header_row=2)
    ws.append([title])
    ws.append([f"导出日期：{today.year}年{today.month}月{today.day}日"])
    header = []
    for text in LEDGER_HEADER:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    ws.merged_cells.add(f"A1:{get_column_letter(len(LEDGER_HEADER))}1")
    ws.merged_cells.add(f"A2:{get_column_letter(len(LEDGER_HEADER))}2")
    ms.append(["重大事故隐患治理情况（五落实）"])
    ms.merged_cells.add(f"A1:{get_column_letter(len(MAJOR_HEADER))}1")
    ms.append(list(MAJOR_HEADER))
    n = rows = 0
    for seq, h, values in ledger_rows(qs):
        ws.append(_dated(ws, safe_row(values)))
        rows += 1
        if h.grade != HazardGrade.MAJOR:
            continue
        n += 1
        ms.append(_dated(ms, safe_row(major_cells(n, seq, h))))
    table_end(ws, header_row=3, columns=len(LEDGER_HEADER), last_row=3 + rows, day=today)
    table_end(ms, header_row=2, columns=len(MAJOR_HEADER), last_row=2 + n, day=today)
    out = tempfile.TemporaryFile()
    wb.save(out)
    out.seek(0)
    return out


def ledger_export_csv(qs: QuerySet[Hazard]) -> Iterator[bytes]:
    """The ledger sheet as CSV (UTF-8 with BOM, as Excel's "CSV UTF-8"), streamed one row at a time
    (serve it with ``StreamingHttpResponse``); dates ``yyyy-mm-dd``; cells sanitised like the workbook's."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def line(values: Any) -> bytes:
        buf.seek(0)
        buf.truncate()
        w.writerow(values)
        return buf.getvalue().encode("utf-8")

    yield "\ufeff".encode() + line(LEDGER_HEADER)
    for _, _, values in ledger_rows(qs):
        yield line(safe_row("" if v is None else (v.isoformat() if isinstance(v, date) else v) for v in values))
