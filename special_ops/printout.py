"""The printable permit: HTML template rendered to PDF with WeasyPrint (Noto Sans CJK SC).

Layout follows the permit forms of GB 30871-2022 附录 (header with number, type and level; the job;
people; gas analysis table; safety measures with confirmers; briefing; signatures in chain order).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from special_ops import selectors
from special_ops.models import PermitApproval, PermitMeasureCheck, WorkPermit, detail_of
from special_ops.rules.calendar import DAY_TYPE_ALIASES


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
            value = getattr(detail, f"get_{f.name}_display")() if f.choices else getattr(detail, f.name)
            if f.name == "day_type" and value in DAY_TYPE_ALIASES:
                value = DAY_TYPE_ALIASES[value].label  # the calendar's own name (工作日 / 公休日 / 节假日)
            if isinstance(value, bool):
                value = "是" if value else "否"
            elif isinstance(value, list):
                value = "、".join(map(str, value)) or "—"
            facts.append((f.verbose_name, value if value not in (None, "") else "—"))
    return {
        "p": permit,
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
    html = render_to_string("special_ops/permit.html", permit_context(permit))
    return HTML(string=html).write_pdf()
