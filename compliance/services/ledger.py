"""Import and export of the hidden-danger ledger (隐患排查治理台账), data/README.md §3.

Import is idempotent: a row's key is (enterprise, 序号, 排查日期); a second import of the same
file reports every row ``unchanged``. Imported historical hazards keep their states and dates —
they are written directly (never run through the transitions) with one audit event per row.
Major hazards take their five commitments, judgement basis and 挂牌督办 from sheet 重大隐患五落实;
for them the sheet's 治理措施 supersedes the ledger's shorter 整改措施.

Export writes the same column layout (both sheets), so an exported workbook re-imports to the
same data.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import IO, Any

import openpyxl
from django.db import transaction
from django.db.models import QuerySet
from openpyxl.styles import Alignment, Font

from backend.accounts.models import Enterprise
from backend.accounts.selectors import regulators_covering
from backend.audit.services import audit_record
from backend.core.clock import local_today
from compliance.importers.ledger_parse import LEDGER_SHEET, LedgerRow, MajorRow, parse_ledger
from compliance.models import Hazard
from compliance.rules import hazards as rules
from compliance.rules.assessment import RuleError
from compliance.rules.hazards import HazardGrade, HazardState, HazardTreatment
from compliance.services.hazards import _notify_major, hazard_number_allocate

LEDGER_HEADER = ("序号", "排查日期", "排查类型", "隐患部位", "隐患描述", "隐患级别", "隐患类别", "整改措施", "整改责任人",
                 "整改资金(元)", "整改期限", "整改完成日期", "验收人", "验收日期", "状态")
MAJOR_HEADER = ("序号", "台账序号", "隐患名称", "判定依据", "治理措施", "责任人", "治理资金(元)", "治理时限",
                "应急预案及防范措施", "挂牌督办", "治理状态")

#: Fields an import sets and compares (``source_ref`` is provenance, set on create only).
IMPORT_FIELDS = (
    "title", "description", "location", "source", "source_detail", "hazard_type", "grade", "treatment", "state",
    "measures", "responsible_name", "funds_yuan", "deadline", "deadline_at", "completed_on", "acceptor_name",
    "accepted_on", "contingency_plan", "checklist_code", "checklist_version", "checklist_items", "major_basis",
    "supervised", "supervision_note", "supervised_by_id",
)

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ITEM_RE = re.compile(r"第([一二三四五六七八九十\d]+)[项条]")


@dataclass
class RowReport:
    """Outcome of one ledger row: created / updated / unchanged / rejected (with reason)."""

    seq: int | None
    excel_row: int
    status: str
    hazard_id: int | None = None
    number: str = ""
    reason: str = ""
    changed: list[str] = field(default_factory=list)


@dataclass
class LedgerReport:
    rows: list[RowReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.count("created"), "updated": self.count("updated"), "unchanged": self.count("unchanged"),
            "rejected": self.count("rejected"), "errors": self.errors, "rows": [asdict(r) for r in self.rows],
        }


def _cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text)


def checklist_items_from_basis(basis: str) -> list[int]:
    """Item numbers of the 2017 checklist named in a 判定依据 text ("…第十二项…" → [12])."""
    items = {n for m in _ITEM_RE.finditer(basis or "") if (n := _cn_number(m.group(1)))}
    spec = rules.MAJOR_HAZARD_CHECKLISTS["chem-2017"]
    return sorted(n for n in items if spec.item(n) is not None)


def _row_values(row: LedgerRow, major: MajorRow | None, regulator_id: int | None) -> dict[str, Any]:
    grade = rules.parse_grade(row.grade_text) if row.grade_text else HazardGrade.GENERAL
    has_acceptance = bool(row.acceptor or row.accepted_date)
    values: dict[str, Any] = {
        "title": row.description[:200], "description": row.description, "location": row.location,
        "source": rules.parse_source(row.source_text).value if row.source_text else rules.HazardSource.OTHER.value,
        "source_detail": row.source_text[:50],
        "hazard_type": rules.parse_type(row.type_text).value if row.type_text else rules.HazardType.OTHER.value,
        "grade": (HazardGrade.MAJOR if major else grade).value,
        "treatment": (HazardTreatment.IMMEDIATE if row.immediate else HazardTreatment.DEADLINE).value,
        "state": rules.parse_ledger_state(row.state_text, has_acceptance).value,
        "measures": row.measures, "responsible_name": row.responsible[:50], "funds_yuan": row.funds_yuan,
        "deadline": row.deadline, "deadline_at": rules.deadline_end(row.deadline) if row.deadline else None,
        "completed_on": row.completed_date, "acceptor_name": row.acceptor[:50], "accepted_on": row.accepted_date,
        "contingency_plan": "", "checklist_code": "", "checklist_version": "", "checklist_items": [], "major_basis": "",
        "supervised": False, "supervision_note": "", "supervised_by_id": None,
    }
    if major is not None:
        items = checklist_items_from_basis(major.basis)
        values.update(
            title=(major.name or row.description)[:200], major_basis=major.basis,
            measures=major.measures or row.measures, responsible_name=(major.responsible or row.responsible)[:50],
            funds_yuan=major.funds_yuan if major.funds_yuan is not None else row.funds_yuan,
            deadline=major.deadline or row.deadline, contingency_plan=major.contingency_plan,
            checklist_code="chem-2017" if items else "", checklist_items=items,
            checklist_version=rules.MAJOR_HAZARD_CHECKLISTS["chem-2017"].version if items else "",
            supervised=major.supervised, supervision_note=major.supervised_text[:100] if major.supervised else "",
            supervised_by_id=regulator_id if major.supervised else None,
        )
        values["deadline_at"] = rules.deadline_end(values["deadline"]) if values["deadline"] else None
    return values


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return Decimal(str(a)) == Decimal(str(b))
    return a == b


@transaction.atomic
def ledger_import(*, actor: Any, enterprise: Enterprise, source: str | PathLike[str] | IO[bytes]) -> LedgerReport:
    """Import a 隐患排查治理台账 workbook into ``enterprise``; returns the per-row report.

    ``source`` is a path or a binary file (an upload). Every row is created, updated (fields that
    differ are listed), unchanged, or rejected with the parser's/mapper's reason; unreadable files
    give ``errors``. Majors still open notify the regulator (idempotent outbox key). Callable from
    the demo loader: ``ledger_import(actor=None, enterprise=ent, source=path)``."""
    report = LedgerReport()
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        parsed = parse_ledger(source)
    except Exception as exc:  # openpyxl raises many types for a non-workbook
        report.errors.append(f"无法读取工作簿：{type(exc).__name__}")
        return report
    ref_name = Path(getattr(source, "name", None) or str(source)).name[:80]
    row_problems: dict[int, list[str]] = {}
    for p in parsed.problems:
        if p.excel_row == 0 or p.sheet != LEDGER_SHEET:
            report.errors.append(f"{p.sheet} 第{p.excel_row}行：{p.message}" if p.excel_row else p.message)
        else:
            row_problems.setdefault(p.excel_row, []).append(p.message)
    for excel_row, messages in row_problems.items():
        report.rows.append(RowReport(seq=None, excel_row=excel_row, status="rejected", reason="；".join(messages)))
    majors = {m.ledger_seq: m for m in parsed.majors}
    regs = regulators_covering(enterprise)
    regulator_id = regs[0].pk if regs else None
    existing = {(h.ledger_seq, h.found_on): h for h in Hazard.objects.select_for_update().filter(
        enterprise=enterprise, ledger_seq__isnull=False)}
    for row in parsed.rows:
        try:
            values = _row_values(row, majors.get(row.seq), regulator_id)
        except RuleError as exc:
            report.rows.append(RowReport(seq=row.seq, excel_row=row.excel_row, status="rejected", reason=exc.message))
            continue
        hazard = existing.get((row.seq, row.found_date))
        if hazard is None:
            hazard = Hazard.objects.create(
                enterprise=enterprise, number=hazard_number_allocate(enterprise_id=enterprise.pk, year=row.found_date.year),
                found_on=row.found_date, ledger_seq=row.seq, source_ref=f"{ref_name}#序号{row.seq}"[:120], **values,
            )
            audit_record(actor=actor, action="hazard.import", obj=hazard, enterprise=enterprise.pk, to_state=hazard.state,
                         changes={k: [None, v] for k, v in values.items()},
                         payload={"ledger_seq": row.seq, "source_ref": hazard.source_ref})
            report.rows.append(RowReport(seq=row.seq, excel_row=row.excel_row, status="created", hazard_id=hazard.pk,
                                         number=hazard.number))
        else:
            changes = {k: [getattr(hazard, k), v] for k, v in values.items() if not _same(getattr(hazard, k), v)}
            if changes:
                old_state = hazard.state
                for k, v in values.items():
                    setattr(hazard, k, v)
                hazard.save()
                audit_record(actor=actor, action="hazard.import_update", obj=hazard, enterprise=enterprise.pk,
                             from_state=old_state if "state" in changes else "",
                             to_state=hazard.state if "state" in changes else "", changes=changes,
                             payload={"ledger_seq": row.seq, "source_ref": f"{ref_name}#序号{row.seq}"})
            report.rows.append(RowReport(seq=row.seq, excel_row=row.excel_row, status="updated" if changes else "unchanged",
                                         hazard_id=hazard.pk, number=hazard.number, changed=sorted(changes)))
        if hazard.grade == HazardGrade.MAJOR and hazard.state not in (HazardState.ACCEPTED, HazardState.CLOSED):
            _notify_major(hazard)
    report.rows.sort(key=lambda r: r.excel_row)
    return report


# --- export ---------------------------------------------------------------------------------
def _state_label(h: Hazard) -> str:
    if h.state == HazardState.ACCEPTED:
        return "已整改"
    if h.state == HazardState.RECTIFYING and getattr(h, "overdue", False):
        return "逾期未整改"
    return rules.LEDGER_EXPORT_LABELS[HazardState(h.state)]


def _source_text(h: Hazard) -> str:
    return h.source_detail or rules.HazardSource(h.source).label


def _acceptor(h: Hazard) -> str:
    return h.acceptor_name or (str(h.acceptor) if h.acceptor_id else "")


def _responsible(h: Hazard) -> str:
    return h.responsible_name or (str(h.responsible_person) if h.responsible_person_id else "")


def _money(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


def _ledger_rows(qs: QuerySet[Hazard]) -> list[tuple[int, Hazard, list[Any]]]:
    hazards = list(qs.order_by("ledger_seq", "found_on", "id"))
    next_seq = max([h.ledger_seq or 0 for h in hazards], default=0)
    out = []
    for h in hazards:
        if h.ledger_seq:
            seq = h.ledger_seq
        else:
            next_seq += 1
            seq = next_seq
        deadline: Any = rules.IMMEDIATE_MARK if h.treatment == HazardTreatment.IMMEDIATE else h.deadline
        out.append((seq, h, [
            seq, h.found_on, _source_text(h), h.location, h.description or h.title, f"{HazardGrade(h.grade).label}隐患",
            rules.HazardType(h.hazard_type).label, h.measures, _responsible(h), _money(h.funds_yuan), deadline,
            h.completed_on, _acceptor(h), h.accepted_on, _state_label(h),
        ]))
    return out


def ledger_export_xlsx(qs: QuerySet[Hazard]) -> bytes:
    """The hazards of ``qs`` as a 隐患排查治理台账 workbook (both sheets), bytes of an .xlsx."""
    rows = _ledger_rows(qs)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "隐患排查治理台账"
    names = sorted({h.enterprise.name for _, h, _ in rows})
    ws.append([f"{'、'.join(names) or ''}隐患排查治理台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LEDGER_HEADER))
    today = local_today()
    ws.append([f"导出日期：{today.year}年{today.month}月{today.day}日"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(LEDGER_HEADER))
    ws.append(list(LEDGER_HEADER))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for _, _, values in rows:
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy/m/d"
    for col, width in zip("ABCDEFGHIJKLMNO", (6, 12, 14, 16, 40, 10, 8, 36, 10, 10, 12, 12, 10, 12, 10), strict=True):
        ws.column_dimensions[col].width = width

    ms = wb.create_sheet("重大隐患五落实")
    ms.append(["重大事故隐患治理情况（五落实）"])
    ms.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(MAJOR_HEADER))
    ms.append(list(MAJOR_HEADER))
    n = 0
    for seq, h, _ in rows:
        if h.grade != HazardGrade.MAJOR:
            continue
        n += 1
        supervised = h.supervision_note or (f"{h.supervised_by.name}挂牌督办" if h.supervised and h.supervised_by_id
                                            else ("挂牌督办" if h.supervised else "否"))
        ms.append([n, seq, h.title, h.major_basis, h.measures, _responsible(h), _money(h.funds_yuan), h.deadline,
                   h.contingency_plan, supervised, HazardState(h.state).label])
        for cell in ms[ms.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy/m/d"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_export_csv(qs: QuerySet[Hazard]) -> bytes:
    """The ledger sheet as CSV (UTF-8 with BOM, as Excel's "CSV UTF-8"); dates ``yyyy-mm-dd``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(LEDGER_HEADER)
    for _, _, values in _ledger_rows(qs):
        w.writerow(["" if v is None else (v.isoformat() if isinstance(v, date) else v) for v in values])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
