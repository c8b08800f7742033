"""The printable permit: HTML template rendered to PDF with WeasyPrint (Noto Sans CJK SC).

Layout follows the permit forms of GB 30871-2022 附录A (表A.1 动火 … 表A.8 断路, numbered by the type's
national code): number, level, 作业申请单位 and 作业申请时间 (submitted), the job and its people, the
planned and the actual start/end, the type's own facts (labels, never codes), the gas-analysis table
with its 合格标准 row, the safety measures with the 是否涉及 column and their confirmers, the briefing
and the signatures in chain order. Tables repeat their header rows on continuation pages and never
split a row (tests/special_ops/test_permit_layout.py).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from special_ops import selectors
from special_ops.models import PermitApproval, PermitMeasureCheck, WorkPermit, detail_of
from special_ops.rules.approvals import APPROVAL_RAISE_SITUATIONS
from special_ops.rules.calendar import DAY_TYPE_ALIASES
from special_ops.rules.gas import gas_criteria
from special_ops.rules.levels import HEIGHT_HAZARD_FACTORS
from special_ops.rules.types import PermitType

#: Detail fields stored as code lists: each code printed as its Chinese text, under this label.
CODE_LIST_FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    "hazard_factors": ("危险因素（GB/T 3608）", HEIGHT_HAZARD_FACTORS),
    "approval_situations": ("审批提级情形（表B.2）", APPROVAL_RAISE_SITUATIONS),
}


def form_number(permit_type: str) -> str:
    """The permit's form in GB 30871-2022 附录A: ``A.<national code>`` (动火 A.1 … 断路 A.8)."""
    return f"A.{PermitType(permit_type).national_code}"


def form_title(permit_type: str) -> str:
    """The form's title as the standard prints it: 动火安全作业票 … 断路安全作业票."""
    return PermitType(permit_type).label.removesuffix("作业") + "安全作业票"


def permit_context(permit: WorkPermit) -> dict:
    """Template context of one permit (fresh reads; a single permit, so a handful of queries)."""
    approvals = {a.step: a for a in PermitApproval.objects.filter(permit=permit, voided_at__isnull=True)}
    checks = {m.measure_code: m for m in PermitMeasureCheck.objects.filter(permit=permit, voided_at__isnull=True)}
    detail = detail_of(permit)
    facts = []
    if detail is not None:
        for f in detail._meta.concrete_fields:
            if f.name == "permit":
                continue
            label = f.verbose_name
            value = getattr(detail, f"get_{f.name}_display")() if f.choices else getattr(detail, f.name)
            if f.name in CODE_LIST_FIELDS:
                label, texts = CODE_LIST_FIELDS[f.name]
                value = [texts.get(code, code) for code in value or ()]
            if f.name == "day_type" and value in DAY_TYPE_ALIASES:
                value = DAY_TYPE_ALIASES[value].label  # the calendar's own name (工作日 / 公休日 / 节假日)
            if isinstance(value, bool):
                value = "是" if value else "否"
            elif isinstance(value, list):
                value = "、".join(map(str, value)) or "—"
            facts.append((label, value if value not in (None, "") else "—"))
    enriched = bool(getattr(detail, "oxygen_enriched_declared", False))
    return {
        "p": permit,
        "form": form_number(permit.type),
        "title": form_title(permit.type),
        "gas_criteria": gas_criteria(permit.type, enriched),
        "facts": facts,
        "workers": list(permit.workers.all()),
        "gas_tests": list(selectors.gas_tests_of(permit)),
        "measures": [(m, checks.get(m.code)) for m in selectors.measures_of(permit)],
        "chain": [(s, approvals.get(s.code)) for s in selectors.chain_of(permit)],
        "printed_at": timezone.localtime(),
    }


def permit_pdf(permit: WorkPermit) -> bytes:
    """PDF bytes of the permit. Raises :class:`backend.core.fonts.FontMissing` if no CJK font is installed."""
    from weasyprint import HTML

    from backend.core.fonts import require_cjk_font

    require_cjk_font()
    return HTML(string=permit_html(permit)).write_pdf()


def permit_html(permit: WorkPermit) -> str:
    """The permit's printable HTML (what :func:`permit_pdf` renders)."""
    return render_to_string("special_ops/permit.html", permit_context(permit))
