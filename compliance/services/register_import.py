"""Import of a risk register workbook (DB37/T 2882-style 作业活动 LEC / 设备设施 LS sheets).

One data row = one risk event of a risk point, with up to five control measures. The importer
never trusts a written score or level: it computes both from the inputs (DOMAIN.md §2) and flags
the row for review when what was written disagrees. Re-importing the same file changes nothing:
events are keyed by (risk point, sheet, 序号).
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.db import transaction

from backend.accounts.models import Enterprise
from backend.audit.services import audit_record
from backend.core.actors import Actor, actor_of
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError
from backend.core.importing import ImportReport, RowIssue, RowResult
from compliance.error_codes import ImportErrorCode, RegisterEvent
from compliance.importers.register_parse import RegisterRow, parse_register
from compliance.models import ControlMeasure, RiskEvent, RiskPoint
from compliance.rules import assessment as rules
from compliance.rules.accident_types import parse_accident_names
from compliance.services.common import check_workbook_limits, check_workbook_size
from compliance.services.register import risk_point_recompute_level

KIND_BY_PARSER = {"equipment": RiskPoint.Kind.FACILITY, "activity": RiskPoint.Kind.ACTIVITY, "place": RiskPoint.Kind.PLACE}


def _flag_reason(row: RegisterRow, score: Decimal, level: rules.RiskLevel) -> str:
    """Why a row's written values disagree with the computed ones ('' when they agree)."""
    reasons = []
    if row.written_score is not None and Decimal(row.written_score) != score:
        reasons.append(f"登记风险值 {row.written_score} 与计算值 {score.normalize():f} 不一致")
    written = rules.parse_written_level(row.written_level_text)
    if row.written_level_text and written is None:
        reasons.append(f"无法识别登记的风险等级“{row.written_level_text}”")
    elif written is not None and written != level:
        reasons.append(f"登记风险等级“{row.written_level_text}”与计算等级“{level.label}”不一致")
    return "；".join(reasons)


def _event_values(row: RegisterRow, method: str, score: Decimal, level: rules.RiskLevel, flag: str) -> dict[str, Any]:
    control = rules.parse_control_level(row.control_level_text)
    if row.control_level_text and control is None:  # an unknown enumeration is refused, never dropped
        raise rules.RuleError(f"管控层级无法识别：{row.control_level_text}（应为公司级/车间级/班组级/岗位级）",
                              code=CoreErrorCode.INVALID_CHOICE, field="control_level")
    return {
        "seq": row.seq,
        "step": row.step,
        "standard": row.standard,
        "description": row.event,
        "accident_types": parse_accident_names(row.accident_names_text) if row.accident_names_text else [],
        "accident_consequence": row.accident_notes[:200],
        "method": method,
        "l": row.inputs.get("l"), "e": row.inputs.get("e"), "c": row.inputs.get("c"),
        "s": row.inputs.get("s"), "m": row.inputs.get("m"),
        "score": score,
        "level": str(level),
        "control_level": str(control) if control else "",
        "department": row.department,
        "responsible_person": row.responsible,
        "written_score": row.written_score,
        "written_level": row.written_level_text,
        "flagged": bool(flag),
        "flag_reason": flag[:200],
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b) or (a is None and b is None)
    return a == b


def _upsert_row(*, actor: Actor, enterprise: Enterprise, sheet: str, method: str, row: RegisterRow) -> RowResult:
    ref = f"{sheet}!第{row.excel_row}行"
    try:
        result = rules.assess(method, row.inputs)
        values_flag = _flag_reason(row, result.score, result.level)
        values = _event_values(row, method, result.score, result.level, values_flag)
    except rules.RuleError as exc:
        return RowResult.rejected(ref=ref, sheet=sheet, row=row.excel_row, code=exc.code, message=exc.message,
                                  field=exc.field)
    kind = KIND_BY_PARSER.get(row.point_kind, RiskPoint.Kind.PLACE)
    with transaction.atomic():
        point, point_created = RiskPoint.objects.select_for_update().get_or_create(
            enterprise=enterprise, code=(row.point_code or row.point_name)[:30],
            defaults={"name": row.point_name, "kind": kind, "location": row.location, "department": row.department},
        )
        source_ref = f"{sheet}#{row.seq if row.seq is not None else row.excel_row}"
        event = RiskEvent.objects.filter(risk_point=point, source_ref=source_ref).first()
        if event is None:  # the same event under another sheet/序号 (e.g. our own export re-imported)
            event = RiskEvent.objects.filter(risk_point=point, step=row.step, description=row.event).first()
        wanted_measures = sorted((cat, text) for cat, text in row.measures.items())
        if event is None:
            event = RiskEvent.objects.create(enterprise=enterprise, risk_point=point, source_ref=source_ref, **values)
            ControlMeasure.objects.bulk_create(
                [ControlMeasure(enterprise=enterprise, risk_event=event, category=cat, text=text,
                                responsible_person=row.responsible, control_level=values["control_level"])
                 for cat, text in wanted_measures]
            )
            outcome, changes = "created", {k: [None, v] for k, v in values.items()}
        else:
            changes = {k: [getattr(event, k), v] for k, v in values.items() if not _same(getattr(event, k), v)}
            current = sorted(event.measures.values_list("category", "text"))
            if current != wanted_measures:
                changes["measures"] = [current, wanted_measures]
                event.measures.all().delete()
                ControlMeasure.objects.bulk_create(
                    [ControlMeasure(enterprise=enterprise, risk_event=event, category=cat, text=text,
                                    responsible_person=row.responsible, control_level=values["control_level"])
                     for cat, text in wanted_measures]
                )
            for k, v in values.items():
                setattr(event, k, v)
            if changes:
                event.save()
            outcome = "updated" if changes else "unchanged"
        if outcome != "unchanged":
            audit_record(actor=actor.user, action=RegisterEvent(f"risk_event.import_{outcome}"), obj=event,
                         enterprise=enterprise,
                         changes=changes, payload={"ref": ref, "point_created": point_created})
    flags = [RowIssue(code=ImportErrorCode.VALUES_DISAGREE, message=values_flag)] if values_flag else []
    return RowResult(outcome=outcome, ref=ref, sheet=sheet, row=row.excel_row, summary=f"{row.point_code} {row.event[:30]}",
                     object_id=event.pk, changed=sorted(changes) if outcome == "updated" else [], flags=flags)


class _DryRun(Exception):
    """Raised inside the import's transaction to roll a preview back."""


def register_import(*, actor: Actor | Any, enterprise: Enterprise, source: str | IO[bytes], progress: Any = None,
                    dry_run: bool = False, mapping: dict[str, Any] | None = None) -> ImportReport:
    """Import a register workbook (.xlsx/.xls/.csv) into ``enterprise``; returns the per-row report.

    Rows whose inputs are off-scale or unparseable are rejected with the field and reason; rows whose
    written score/level disagree with the computed ones are imported with the computed values and
    flagged. Each row is its own transaction (a rejected row leaves nothing half-written). After the
    import every touched risk point's level is the highest level of its events. ``report.detected``
    says which sheets were used or skipped (why), their header rows, column mapping, unmapped headers,
    the point-kind source and the rows skipped as not data. ``dry_run=True`` does all of it and
    writes nothing (``report.dry_run``). ``mapping`` (``{"sheet": …, "columns": {field: header}}``)
    overrides detected columns.
    Raises PayloadTooLarge (413 ``file_too_large``) for an upload over 10 MB, FieldError (400 ``invalid_file``, field ``file``) when the file is not a readable
    workbook or holds no register sheet (the sheets seen and why each was skipped are named), 400
    ``missing_column`` naming the column and the headers found when a data sheet lacks a required
    column, 400 ``invalid_mapping`` for a mapping naming an unknown field or header.
    """
    actor = actor_of(actor)
    check_workbook_size(source)
    check_workbook_limits(source)
    try:
        parsed = parse_register(source, mapping=mapping)
    except KeyError as exc:
        raise FieldError(f"列映射无效：{exc.args[0]}", code=CoreErrorCode.INVALID_CHOICE, field="mapping")
    except Exception as exc:  # openpyxl/xlrd raise many types for a non-workbook
        raise FieldError(f"无法读取风险分级管控清单：{exc.__class__.__name__}", code=ImportErrorCode.INVALID_FILE,
                         field="file")
    if not parsed.sheets:
        seen = "；".join(f"{n}（{why}）" for n, why in parsed.skipped_reasons.items()) or "无工作表"
        raise FieldError(f"工作簿中没有风险分级管控清单工作表（需含 L/E/C、L/S 或 M/E/S 评价列）；看到：{seen}",
                         code=ImportErrorCode.INVALID_FILE, field="file")
    for sheet in parsed.sheets:
        missing = [p for p in sheet.problems if p.code == "missing_column"]
        if missing:
            raise FieldError(f"工作表“{sheet.name}”{missing[0].message}；找到的表头：{'、'.join(sheet.headers)}",
                             code=ImportErrorCode.MISSING_COLUMN, field=missing[0].field)
    report = ImportReport(source=str(getattr(source, "name", source)), dry_run=dry_run)
    report.detected = {"sheets": [s.layout() for s in parsed.sheets],
                       "skipped_sheets": [{"sheet": n, "reason": why} for n, why in parsed.skipped_reasons.items()]}
    try:
        with transaction.atomic():
            _import_sheets(actor, enterprise, parsed, report, progress)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _import_sheets(actor: Actor, enterprise: Enterprise, parsed: Any, report: ImportReport, progress: Any) -> None:
    for sheet in parsed.sheets:
        for problem in sheet.problems:
            report.add(RowResult.rejected(ref=f"{sheet.name}!第{problem.excel_row}行", sheet=sheet.name,
                                          row=problem.excel_row, code=problem.code, message=problem.message,
                                          field=problem.field))
        rows = progress(sheet.rows, desc=sheet.name) if progress else sheet.rows
        for row in rows:
            report.add(_upsert_row(actor=actor, enterprise=enterprise, sheet=sheet.name, method=sheet.method, row=row))
    report.rows.sort(key=lambda r: (r.sheet, r.row or 0))
    for point in RiskPoint.objects.filter(enterprise=enterprise):
        risk_point_recompute_level(point)
