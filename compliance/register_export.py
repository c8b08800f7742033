"""Export of the risk register (风险分级管控清单) in the standard column set — re-importable.

One sheet per point kind (作业活动 / 设备设施 / 场所区域), split by method when a kind mixes them
(``设备设施(LEC)``); a one-row header in the standard wording, frozen, with an autofilter; rows in a
stable order (point code, then 序号, then id); a 填表人/审核人/日期 footer. The importer reads it back to
the same points, levels and flags: score and level are exported as the enterprise *wrote* them when
it did (a flagged event's re-import is flagged again), else as computed.
Every text cell goes through :func:`backend.core.spreadsheets.safe_row`.
"""

from __future__ import annotations

import functools
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import IO, Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from backend.core.spreadsheets import safe_row, table_end, table_start
from backend.core.time import local_today
from compliance.models import RiskEvent, RiskPoint
from compliance.rules.accident_types import DEFAULT_STANDARD, names_in
from compliance.rules.assessment import ControlLevel, RiskLevel

__all__ = ["register_export_xlsx"]

_MEASURES = (("engineering", "工程技术措施"), ("management", "管理措施"), ("training", "培训教育措施"),
             ("ppe", "个体防护措施"), ("emergency", "应急处置措施"))
_FACTORS = {"lec": ("L", "E", "C", "D"), "ls": ("L", "S", "R"), "mes": ("M", "E", "S", "R")}
_KIND_ORDER = (RiskPoint.Kind.ACTIVITY, RiskPoint.Kind.FACILITY, RiskPoint.Kind.PLACE)


def _header(method: str) -> list[str]:
    step = "作业步骤" if method == "lec" else "检查项目"
    event = "危险源或潜在事件" if method == "lec" else "不符合标准情况及后果"
    return ["序号", "风险点编号", "风险点名称", "风险点类型", "区域位置", step, "标准", event, "可能导致的事故类型",
            *_FACTORS[method], "风险等级", *(h for _, h in _MEASURES), "管控层级", "责任单位", "责任人"]


def _number(v: Any) -> Any:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


#: The accident-type standard of the export under way (the enterprise's ``accident_standard``).
_STANDARD: ContextVar[str] = ContextVar("register_export_accident_standard", default=DEFAULT_STANDARD)


def _in_enterprise_standard(export: Callable[[Any], IO[bytes]]) -> Callable[[Any], IO[bytes]]:
    """Run an export of ``enterprise`` with its accident-type standard (GB 6441-1986 or -2025)."""
    @functools.wraps(export)
    def run(enterprise: Any) -> IO[bytes]:
        token = _STANDARD.set(getattr(enterprise, "accident_standard", DEFAULT_STANDARD) or DEFAULT_STANDARD)
        try:
            return export(enterprise)
        finally:
            _STANDARD.reset(token)
    return run


def _accidents(e: RiskEvent) -> str:
    """The 可能导致的事故类型 cell: the names in the enterprise's GB 6441 standard (mapped where the table
    of :mod:`compliance.rules.accident_types` maps them, else kept and marked with their standard), the
    consequence after them in brackets (``物体打击、火灾（人员受伤）``) — the importer reads it back to the
    same names and consequence."""
    names = "、".join(names_in(e.accident_types or [], _STANDARD.get()))
    return f"{names}（{e.accident_consequence}）" if e.accident_consequence else names


def _row(seq: int, e: RiskEvent, measures: dict[str, str]) -> list[Any]:
    p = e.risk_point
    letters = _FACTORS[e.method]
    inputs = [_number(getattr(e, x.lower())) for x in letters[:-1]]
    score = e.written_score if e.written_score is not None else e.score
    level = e.written_level or f"{RiskLevel(e.level).label}风险"
    control = ControlLevel(e.control_level).label if e.control_level else ""
    return [seq, p.code, p.name, RiskPoint.Kind(p.kind).label, p.location, e.step, e.standard, e.description,
            _accidents(e), *inputs, _number(score), level,
            *(measures.get(k, "/") for k, _ in _MEASURES), control, e.department or p.department,
            e.responsible_person]


#: Risk events fetched per database round trip (with their measures): memory stays bounded by this.
EXPORT_CHUNK = 2000


@_in_enterprise_standard
def register_export_xlsx(enterprise: Any) -> IO[bytes]:
    """The enterprise's register as an .xlsx: an open temporary file positioned at 0 (deleted on close).

    Written in openpyxl's write-only mode, each sheet's events read ``EXPORT_CHUNK`` at a time with
    their measures (bounded memory whatever the register's size)."""
    events = RiskEvent.objects.filter(enterprise=enterprise)
    groups = set(events.order_by().values_list("risk_point__kind", "method").distinct())
    kinds_with_methods: dict[str, set[str]] = defaultdict(set)
    for kind, method in groups:
        kinds_with_methods[kind].add(method)
    wb = openpyxl.Workbook(write_only=True)
    today = local_today()
    for kind in _KIND_ORDER:
        for method in sorted(kinds_with_methods.get(kind, ())):
            label = RiskPoint.Kind(kind).label
            name = label if len(kinds_with_methods[kind]) == 1 else f"{label}({method.upper()})"
            rows = (events.filter(risk_point__kind=kind, method=method).select_related("risk_point")
                    .prefetch_related("measures").order_by("risk_point__code", "seq", "id"))
            _write_sheet(wb, name, method, rows.iterator(chunk_size=EXPORT_CHUNK), today)
    if not wb.worksheets:
        _write_sheet(wb, "作业活动", "lec", iter(()), today)
    out = tempfile.TemporaryFile()
    wb.save(out)
    out.seek(0)
    return out


def _write_sheet(wb: Any, name: str, method: str, events: Iterator[RiskEvent], today: Any) -> None:
    ws = wb.create_sheet(name)
    table_start(ws, header_row=1)
    header = _header(method)
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)
    n = 0
    for n, e in enumerate(events, start=1):
        measures = {m.category: m.text for m in e.measures.all()}
        ws.append(safe_row(_row(e.seq or n, e, measures)))
    table_end(ws, header_row=1, columns=len(header), last_row=1 + n, day=today)
