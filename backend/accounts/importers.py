"""Import of enterprise lists (the ``enterprises.csv`` layout) into approved enterprises."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction

from backend.accounts.csv_parse import CsvHeaderError, EnterpriseRow, parse_enterprises_csv
from backend.accounts.error_codes import AccountsErrorCode
from backend.accounts.models import Division, Regulator
from backend.accounts.services import enterprise_upsert_from_import
from backend.core.errors import FieldError
from backend.core.importing import ImportReport, RowResult


def _known_division(code: str) -> bool:
    known = code if len(code) <= 9 else code[:9]
    return Division.objects.filter(code=known).exists()


def enterprises_import(
    *, source: str | IO[bytes], actor: Any | None = None, regulator: Regulator | None = None, progress: Any = None
) -> ImportReport:
    """Create or update enterprises from a CSV; returns the per-row report (line numbers count the header as 1).

    Rows with an invalid USCC (GB 32100-2015 checksum), a missing or unknown division code, or bad
    numbers are rejected with the field and reason; a ``regulator`` may only import enterprises of
    its jurisdiction. Idempotent: re-importing the same file reports every row ``unchanged``.
    Raises FieldError(field="file") when the header lacks a required column.
    """
    try:
        parsed = parse_enterprises_csv(source, _known_division)
    except (CsvHeaderError, UnicodeDecodeError) as exc:
        raise FieldError(f"无法读取企业名单：{exc}", code="invalid_file", field="file")
    report = ImportReport(source=str(getattr(source, "name", source)))
    for row in progress(parsed) if progress else parsed:
        where = {"ref": f"第{row.line}行", "row": row.line, "summary": row.name}
        if not isinstance(row, EnterpriseRow):
            report.add(RowResult.rejected(code=row.code, message=row.message, field=row.field, **where))
            continue
        if regulator is not None and not row.division_code.startswith(regulator.jurisdiction):
            report.add(RowResult.rejected(code=AccountsErrorCode.OUTSIDE_JURISDICTION, message="不在本部门管辖范围内",
                                          field="division_code", **where))
            continue
        with transaction.atomic():
            ent, outcome = enterprise_upsert_from_import(row=row, actor=actor)
        report.add(RowResult(outcome=outcome, object_id=ent.pk, **where))
    return report
