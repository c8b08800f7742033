"""Printable QR labels of the risk points (巡检 issue 15 §6): an A4 sheet, one label per point with its
name, number, four-colour level and a QR code of the console's scan page ``<origin>/m/scan/<point id>``
(scanning opens the point's due investigation tasks: ``GET /api/v1/investigation-tasks/?risk_point=<id>&due_on=<today>``).

Rendered with WeasyPrint from ``compliance/risk_point_labels.html``; the QR helper is the reports'
(:func:`backend.core.qr.qr_data_uri`). 3 × 7 labels (63.5 × 38.1 mm, the common A4 label stock)
per page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from backend.core.qr import qr_data_uri
from compliance.models import RiskPoint
from compliance.rules.assessment import RiskLevel
from compliance.rules.colours import level_colour

#: At most this many labels in one sheet (24 pages).
MAX_LABELS = 504
#: Labels per A4 page (3 columns × 7 rows).
PER_PAGE = 21


def scan_url(origin: str, point_id: int) -> str:
    """The console's scan page of a risk point: ``<origin>/m/scan/<id>`` (``origin`` without a trailing slash)."""
    return f"{origin.rstrip('/')}/m/scan/{point_id}"


def labels_context(points: Iterable[RiskPoint], *, origin: str, enterprise_name: str) -> dict[str, Any]:
    labels = []
    for p in points:
        _colour, colour_label, hex_ = level_colour(p.level)
        url = scan_url(origin, p.pk)
        band = f"{colour_label}色 · {RiskLevel(p.level).label}风险" if p.level else "未评估"
        labels.append({"code": p.code, "name": p.name, "location": p.location, "url": url, "qr": qr_data_uri(url),
                       "band": band, "hex": hex_, "dark_text": hex_ in ("#FFFF00", "#FFA500"),
                       "major_source": p.is_major_hazard_source})
    pages = [labels[i:i + PER_PAGE] for i in range(0, len(labels), PER_PAGE)] or [[]]
    return {"pages": pages, "enterprise_name": enterprise_name, "printed_at": timezone.localtime()}


def labels_html(points: Iterable[RiskPoint], *, origin: str, enterprise_name: str) -> str:
    return render_to_string("compliance/risk_point_labels.html",
                            labels_context(points, origin=origin, enterprise_name=enterprise_name))


def labels_pdf(points: Iterable[RiskPoint], *, origin: str, enterprise_name: str) -> bytes:
    """PDF bytes of the label sheet. Raises :class:`backend.core.fonts.FontMissing` without a CJK font."""
    from weasyprint import HTML

    from backend.core.fonts import require_cjk_font

    require_cjk_font()
    return HTML(string=labels_html(points, origin=origin, enterprise_name=enterprise_name)).write_pdf()
