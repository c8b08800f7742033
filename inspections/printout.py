"""The printable inspection record (检查记录) and, when rectification was ordered, the
责令限期整改指令书: HTML rendered to PDF with WeasyPrint (Noto Sans CJK SC), served by
``GET /api/v1/inspections/{id}/record.pdf`` to the inspecting regulator and the inspected enterprise.

The record: who inspected whom, when, against which checklist version; every checklist item with
its result and note; every finding (place, severity, deadline, the hazard it became, its status);
the conclusion and signature lines. The order (one page of its own) lists the findings ordered
rectified (those with a deadline — each is the enterprise's hazard, source ``inspector``), each with
its deadline, citing 《中华人民共和国安全生产法》第六十五条 (the regulator's power to order hidden
dangers removed within a deadline), and the remedies (行政复议 within 60 days, 行政复议法第二十条;
行政诉讼 within 6 months, 行政诉讼法第四十六条).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from inspections.models import Finding, Inspection, ItemResult

#: The clause the order rests on, printed in it.
ORDER_BASIS = "《中华人民共和国安全生产法》第六十五条"
#: The remedies printed at the foot of the order.
ORDER_REMEDIES = ("如不服本指令，可以依法在六十日内申请行政复议，或者在六个月内依法向人民法院提起行政诉讼，"
                  "但本指令不停止执行，法律另有规定的除外。")


def record_context(inspection: Inspection) -> dict:
    """Template context of one inspection (fresh reads: a handful of queries for one record)."""
    insp = (Inspection.objects.select_related("regulator", "enterprise", "template")
            .prefetch_related("inspectors").get(pk=inspection.pk))
    results = {r.item_code: r for r in ItemResult.objects.filter(inspection=insp)}
    items = [{"code": it["code"], "text": it["text"], "result": results.get(it["code"])}
             for it in insp.template.items]
    known = {it["code"] for it in insp.template.items}
    items += [{"code": code, "text": "", "result": r} for code, r in sorted(results.items()) if code not in known]
    findings = list(Finding.objects.filter(inspection=insp).select_related("hazard").order_by("id"))
    ordered = [f for f in findings if f.deadline is not None]
    inspectors = sorted(insp.inspectors.all(), key=lambda u: u.pk)
    return {
        "i": insp,
        "items": items,
        "findings": findings,
        "ordered": ordered,
        "inspectors": "、".join((u.full_name or u.username) for u in inspectors),
        "order_no": f"{(insp.started_at or insp.created_at).year}-{insp.pk:05d}",
        "order_basis": ORDER_BASIS,
        "order_remedies": ORDER_REMEDIES,
        "draft": insp.state != Inspection.State.CLOSED,
        "printed_at": timezone.localtime(),
    }


def record_html(inspection: Inspection) -> str:
    """The record's printable HTML (what :func:`record_pdf` renders)."""
    return render_to_string("inspections/record.html", record_context(inspection))


def record_pdf(inspection: Inspection) -> bytes:
    """PDF bytes of the record. Raises :class:`backend.core.fonts.FontMissing` without a CJK font."""
    from weasyprint import HTML

    from backend.core.fonts import require_cjk_font

    require_cjk_font()
    return HTML(string=record_html(inspection)).write_pdf()
