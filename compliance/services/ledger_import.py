"""Import of the hidden-danger ledger (隐患排查治理台账), data/README.md §3.

Import is idempotent: a row's key is (enterprise, 序号, 排查日期); a second import of the same
file reports every row ``unchanged``. Imported historical hazards keep their states and dates —
a hazard already closed (销号) or rejected keeps its terminal state whatever the row says — and
they are written directly (never run through the transitions) with one audit event per row.
Major hazards take their five commitments, judgement basis and 挂牌督办 from sheet 重大隐患五落实;
for them the sheet's 治理措施 supersedes the ledger's shorter 整改措施. Cell parsing is
:mod:`compliance.importers.ledger_parse`; the answer is the platform's one
:class:`backend.core.importing.ImportReport`. The export (same layout, re-importable) is
:func:`compliance.selectors.ledger_export_xlsx`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from backend.accounts.models import Enterprise
from backend.accounts.selectors import regulators_covering
from backend.audit.services import PendingEvent, audit_record_many
from backend.audit.updates import model_update
from backend.core.actors import Actor, actor_of
from backend.core.bulk import bulk_insert
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError
from backend.core.importing import ImportReport, Outcome, RowIssue, RowResult
from backend.core.rules import RuleError
from compliance.error_codes import HazardEvent
from compliance.error_codes import ImportErrorCode as Code
from compliance.importers.ledger_parse import (
    LedgerRow,
    MajorRow,
    is_immediate_mark,
    parse_grade,
    parse_ledger,
    parse_ledger_state,
    parse_source,
    parse_type,
)
from compliance.importers.xlsx_tables import text_of
from compliance.models import Hazard
from compliance.rules.deadlines import deadline_end
from compliance.rules.hazard_codes import HazardGrade, HazardSource, HazardTreatment, HazardType
from compliance.rules.hazard_states import TERMINAL_STATES, HazardState
from compliance.rules.major_hazard import MAJOR_HAZARD_CHECKLISTS
from compliance.services.common import check_workbook_limits, check_workbook_size, notify_majors
from compliance.services.hazards import hazard_numbers_allocate

#: States no import moves a hazard out of (hazard_states.TERMINAL_STATES: no transition leaves them).
TERMINAL_VALUES = frozenset(s.value for s in TERMINAL_STATES)
#: Fields an import sets and compares (``source_ref`` is provenance, set on create only).
IMPORT_FIELDS = (
    "title", "description", "location", "source", "source_detail", "hazard_type", "grade", "treatment", "state",
    "measures", "responsible_name", "funds_yuan", "deadline", "deadline_at", "completed_on", "acceptor_name",
    "accepted_on", "contingency_plan", "checklist_code", "checklist_version", "checklist_items", "major_basis",
    "supervised", "supervision_note", "supervised_by_id",
)

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ITEM_RE = re.compile(r"第([一二三四五六七八九十\d]+)[项条]")


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
    spec = MAJOR_HAZARD_CHECKLISTS["chem-2017"]
    return sorted(n for n in items if spec.item(n) is not None)


def _row_values(row: LedgerRow, major: MajorRow | None, regulator_id: int | None) -> dict[str, Any]:
    grade = parse_grade(row.grade_text) if row.grade_text else HazardGrade.GENERAL
    has_acceptance = bool(row.acceptor or row.accepted_date)
    values: dict[str, Any] = {
        "title": row.description[:200], "description": row.description, "location": row.location,
        "source": parse_source(row.source_text).value if row.source_text else HazardSource.OTHER.value,
        "source_detail": row.source_text[:50],
        "hazard_type": parse_type(row.type_text).value if row.type_text else HazardType.OTHER.value,
        "grade": (HazardGrade.MAJOR if major else grade).value,
        "treatment": (HazardTreatment.IMMEDIATE if row.immediate else HazardTreatment.DEADLINE).value,
        "state": parse_ledger_state(row.state_text, has_acceptance).value,
        "measures": row.measures, "responsible_name": row.responsible[:50], "funds_yuan": row.funds_yuan,
        "deadline": row.deadline, "deadline_at": deadline_end(row.deadline) if row.deadline else None,
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
            checklist_version=MAJOR_HAZARD_CHECKLISTS["chem-2017"].version if items else "",
            supervised=major.supervised, supervision_note=major.supervised_text[:100] if major.supervised else "",
            supervised_by_id=regulator_id if major.supervised else None,
        )
        values["deadline_at"] = deadline_end(values["deadline"]) if values["deadline"] else None
    return values


def _ref(sheet: str, excel_row: int) -> str:
    return f"{sheet}!第{excel_row}行" if excel_row else sheet


#: Ledger rows written together: one bulk INSERT of the new hazards, one locked append of their audit
#: events to the enterprise's chain, one outbox write (PERF.md §7; ≥ 1,000 rows/s, bounded memory).
IMPORT_BATCH = 500


class _Batch:
    """The pending writes of up to ``IMPORT_BATCH`` ledger rows, in row order.

    ``flush`` numbers the new hazards (one counter update per year), inserts them in multi-row INSERTs
    (:func:`backend.core.bulk.bulk_insert`), appends
    every row's audit event in row order under one chain-head lock (:func:`audit_record_many`: the
    same chain as one :func:`audit_record` per row) and writes the regulator notices of open majors
    in bulk (same idempotency keys as :func:`notify_major`, so a re-import adds none)."""

    def __init__(self, *, actor: Actor, enterprise: Enterprise, ref_name: str) -> None:
        self.actor, self.enterprise, self.ref_name = actor, enterprise, ref_name
        self.new: list[tuple[Hazard, dict[str, Any], RowResult]] = []
        self.events: list[PendingEvent] = []
        self.majors: list[Hazard] = []
        self.rows: list[RowResult] = []

    def create(self, row: LedgerRow, values: dict[str, Any], common: dict[str, Any]) -> None:
        hazard = Hazard(enterprise=self.enterprise, found_on=row.found_date, ledger_seq=row.seq,
                        source_ref=f"{self.ref_name}#序号{row.seq}"[:120], **values)
        result = RowResult(outcome=Outcome.CREATED, summary=f"序号{row.seq}", **common)
        self.new.append((hazard, values, result))
        self.events.append(PendingEvent(
            action=HazardEvent.IMPORT, obj=hazard, to_state=hazard.state,
            changes={k: [None, v] for k, v in values.items()},
            payload={"ledger_seq": row.seq, "source_ref": hazard.source_ref}))
        self.rows.append(result)
        self.maybe_major(hazard)

    def audit(self, event: PendingEvent) -> None:
        self.events.append(event)

    def maybe_major(self, hazard: Hazard) -> None:
        if hazard.grade == HazardGrade.MAJOR and hazard.state not in (HazardState.ACCEPTED, HazardState.CLOSED):
            self.majors.append(hazard)

    def full(self) -> bool:
        return len(self.events) >= IMPORT_BATCH

    def flush(self) -> None:
        by_year: dict[int, list[Hazard]] = {}
        for hazard, _, _ in self.new:
            by_year.setdefault(hazard.found_on.year, []).append(hazard)
        for year, hazards in sorted(by_year.items()):
            numbers = hazard_numbers_allocate(enterprise_id=self.enterprise.pk, year=year, count=len(hazards))
            for hazard, number in zip(hazards, numbers, strict=True):
                hazard.number = number
        bulk_insert([h for h, _, _ in self.new], batch_size=IMPORT_BATCH)
        for hazard, _, result in self.new:
            result.object_id = hazard.pk
            result.summary = f"{result.summary} {hazard.number}"
        audit_record_many(actor=self.actor.user, enterprise=self.enterprise.pk, events=self.events)
        notify_majors(self.enterprise, self.majors)
        self.new, self.events, self.majors = [], [], []


def _platform_hazards(enterprise: Enterprise, numbers: set[str]) -> dict[str, Hazard]:
    """The enterprise's platform-created hazards (no ledger 序号) among ``numbers``, locked, by number."""
    found: dict[str, Hazard] = {}
    wanted = sorted(numbers)
    for i in range(0, len(wanted), 500):
        for h in Hazard.objects.select_for_update().filter(enterprise=enterprise, ledger_seq__isnull=True,
                                                           number__in=wanted[i:i + 500]):
            found[h.number] = h
    return found


def _as_exported(hazard: Hazard, regulator_id: int | None) -> dict[str, Any]:
    """The values a re-import of the platform's own ledger export of ``hazard`` gives: what the
    ledger shows of it. A platform-created hazard found again by its 平台编号 keeps everything the
    ledger does not show (its title, people, photos …) and changes only where the file differs."""
    from compliance.selectors import ledger_cells, major_cells

    cells: list[Any] = [text_of(c) if isinstance(c, str) else c for c in ledger_cells(0, hazard)]
    (_, found, source, location, description, grade, kind, measures, responsible, funds, deadline, completed,
     acceptor, accepted, state, _) = cells
    immediate = is_immediate_mark(deadline)
    money = None if funds is None else Decimal(str(funds))
    row = LedgerRow(excel_row=0, seq=0, found_date=found, source_text=source, location=location,
                    description=description, grade_text=grade, type_text=kind, measures=measures,
                    responsible=responsible, funds_yuan=money, deadline=found if immediate else deadline,
                    immediate=immediate, completed_date=completed, acceptor=acceptor, accepted_date=accepted,
                    state_text=state, number=hazard.number)
    major = None
    if hazard.grade == HazardGrade.MAJOR:
        m: list[Any] = [text_of(c) if isinstance(c, str) else c for c in major_cells(0, 0, hazard)]
        major = MajorRow(excel_row=0, ledger_seq=0, name=m[2], basis=m[3], measures=m[4], responsible=m[5],
                         funds_yuan=money, deadline=m[7], contingency_plan=m[8], supervised=hazard.supervised,
                         supervised_text=m[9], state_text=m[10])
    return _row_values(row, major, regulator_id)


class _DryRun(Exception):
    """Raised inside the import's transaction to roll a preview back."""


def ledger_import(*, actor: Actor | Any, enterprise: Enterprise, source: str | PathLike[str] | IO[bytes],
                  dry_run: bool = False, mapping: dict[str, Any] | None = None,
                  on_progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import a 隐患排查治理台账 (.xlsx/.xls/.csv) into ``enterprise``; see :func:`_ledger_import`.

    ``dry_run=True`` runs the whole import in a transaction that is rolled back: the report is the
    one a commit would give (``report.dry_run`` set), nothing is written and no regulator is
    notified. ``mapping`` (``{"sheet": …, "columns": {field: header}}``) overrides detected columns
    (400 ``invalid_choice`` field ``mapping`` for an unknown field or header). A ledger sheet
    missing a required column is a 400 ``missing_column`` naming it and the headers found; a file
    with no ledger sheet a 400 ``invalid_file`` naming the sheets seen. ``on_progress(rows_done,
    rows_total)`` is called after each batch of ``IMPORT_BATCH`` rows is written (import jobs)."""
    try:
        with transaction.atomic():
            report = _ledger_import(actor=actor, enterprise=enterprise, source=source, mapping=mapping,
                                    on_progress=on_progress)
            report.dry_run = dry_run
            if dry_run:
                raise _DryRun(report)
    except _DryRun as stop:
        return stop.args[0]
    return report


def _ledger_import(*, actor: Actor | Any, enterprise: Enterprise, source: str | PathLike[str] | IO[bytes],
                   mapping: dict[str, Any] | None = None,
                   on_progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import a 隐患排查治理台账 workbook into ``enterprise``; returns the per-row report.

    ``source`` is a path or a binary file (an upload, ≤ 10 MB: 413 ``file_too_large``). Every ledger row is ``created``,
    ``updated`` (``changed`` lists the fields), ``unchanged``, or ``rejected`` with the parser's
    errors (``{field, code, message}``); problems of the file as a whole (unreadable workbook,
    missing sheet or column, a bad row of the major-hazard sheet) are ``report.errors``. Majors
    still open notify the regulator (idempotent outbox key). Callable from the demo loader:
    ``ledger_import(actor=SYSTEM, enterprise=ent, source=path)``."""
    actor = actor_of(actor)
    check_workbook_size(source)
    check_workbook_limits(source)
    report = ImportReport(source=Path(str(getattr(source, "name", None) or source)).name)
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        parsed = parse_ledger(source, mapping=mapping)
    except KeyError as exc:
        raise FieldError(f"列映射无效：{exc.args[0]}", code=CoreErrorCode.INVALID_CHOICE, field="mapping")
    except Exception as exc:  # openpyxl raises many types for a non-workbook
        report.errors.append(RowIssue(Code.INVALID_FILE, f"无法读取工作簿：{type(exc).__name__}", "file"))
        return report
    for p in parsed.problems:
        if p.code == "missing_column" and p.sheet == parsed.ledger_sheet:
            raise FieldError(f"工作表“{p.sheet}”{p.message}", code=Code.MISSING_COLUMN, field=p.field)
        if p.code == "missing_sheet":
            raise FieldError(p.message, code=Code.INVALID_FILE, field="file")
    LEDGER_SHEET = parsed.ledger_sheet  # noqa: N806 - the sheet actually read
    report.detected = {"sheets": list(parsed.layouts),
                       "skipped_sheets": [{"sheet": n, "reason": why} for n, why in parsed.skipped_sheets.items()]}
    ref_name = report.source[:80]
    row_problems: dict[int, list[RowIssue]] = {}
    for p in parsed.problems:
        if p.excel_row == 0 or p.sheet != LEDGER_SHEET:
            where = f"{p.sheet} 第{p.excel_row}行：" if p.excel_row else ""
            report.errors.append(RowIssue(p.code, where + p.message, p.field or None))
        else:
            row_problems.setdefault(p.excel_row, []).append(RowIssue(p.code, p.message, p.field or None))
    rows: list[RowResult] = [
        RowResult(outcome=Outcome.REJECTED, ref=_ref(LEDGER_SHEET, excel_row), sheet=LEDGER_SHEET, row=excel_row,
                  errors=issues)
        for excel_row, issues in row_problems.items()
    ]
    majors = {m.ledger_seq: m for m in parsed.majors}
    regs = regulators_covering(enterprise)
    regulator_id = regs[0].pk if regs else None
    # Imports into one enterprise serialize on its row (BREAKIT D13): a parallel import waits here, then
    # reads the ledger the first one committed and finds its rows unchanged (no duplicate-key 500).
    Enterprise.objects.select_for_update().values_list("pk", flat=True).get(pk=enterprise.pk)
    existing = {(h.ledger_seq, h.found_on): h for h in Hazard.objects.select_for_update().filter(
        enterprise=enterprise, ledger_seq__isnull=False)}
    by_number = _platform_hazards(enterprise, {r.number for r in parsed.rows if r.number})
    batch = _Batch(actor=actor, enterprise=enterprise, ref_name=ref_name)
    total = len(parsed.rows)
    for done, row in enumerate(parsed.rows, start=1):
        common: dict[str, Any] = {"ref": _ref(LEDGER_SHEET, row.excel_row), "sheet": LEDGER_SHEET, "row": row.excel_row}
        try:
            values = _row_values(row, majors.get(row.seq), regulator_id)
        except RuleError as exc:
            rows.append(RowResult(outcome=Outcome.REJECTED, summary=f"序号{row.seq}", errors=[RowIssue.of(exc)],
                                  **common))
            continue
        hazard = existing.get((row.seq, row.found_date))
        platform = by_number.get(row.number) if hazard is None and row.number else None
        if platform is not None and platform.found_on == row.found_date:
            hazard = platform
            # what the ledger shows of a platform-created hazard: only what the file says otherwise changes
            shown = _as_exported(hazard, regulator_id)
            values = {k: v for k, v in values.items() if v != shown[k]}
        if hazard is None:
            batch.create(row, values, common)
        else:
            if hazard.state in TERMINAL_VALUES:  # no transition leaves 销号/驳回, an older ledger's state neither
                values.pop("state", None)
            old_state = hazard.state
            hazard, changes = model_update(instance=hazard, data=values)
            if changes:
                batch.audit(PendingEvent(
                    action=HazardEvent.IMPORT_UPDATE, obj=hazard, from_state=old_state if "state" in changes else "",
                    to_state=hazard.state if "state" in changes else "", changes=changes,
                    payload={"ledger_seq": row.seq, "source_ref": f"{ref_name}#序号{row.seq}"}))
            batch.rows.append(RowResult(outcome=Outcome.UPDATED if changes else Outcome.UNCHANGED,
                                        summary=f"序号{row.seq} {hazard.number}", object_id=hazard.pk,
                                        changed=sorted(changes), **common))
            batch.maybe_major(hazard)
        if batch.full():
            batch.flush()
            if on_progress is not None:
                on_progress(done, total)
    batch.flush()
    if on_progress is not None:
        on_progress(total, total)
    rows.extend(batch.rows)
    for r in sorted(rows, key=lambda r: r.row or 0):
        report.add(r)
    return report
