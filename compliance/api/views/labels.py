"""``GET /api/v1/risk-points/labels.pdf`` — the printable A4 sheet of risk-point QR labels
(compliance.labels), for the enterprise's own points, filtered like ``/risk-points/`` (``level``,
``kind``, ``department``, ``q`` …). The QR code is the console's ``<origin>/m/scan/<point id>``:
origin = ``REPORTS_PUBLIC_BASE_URL`` when set, else the request's scheme and host."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from backend.core.actors import actor_of, require_enterprise
from backend.core.api.openapi import binary_response
from backend.core.errors import FieldError
from backend.core.fonts import FontMissing, pdf_unavailable
from compliance.api.filters import RiskPointFilter
from compliance.error_codes import RegisterErrorCode
from compliance.labels import MAX_LABELS, labels_pdf
from compliance.models import RiskPoint


def console_origin(request) -> str:
    """Where the console is served: ``REPORTS_PUBLIC_BASE_URL`` (the public origin) or this request's."""
    base = (getattr(settings, "REPORTS_PUBLIC_BASE_URL", "") or "").rstrip("/")
    return base or f"{request.scheme}://{request.get_host()}"


class RiskPointLabelsView(APIView):
    """风险点二维码标签（A4，可打印）。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="打印风险点二维码标签（A4 PDF，每页 21 枚；筛选同风险点列表）",
                   description="企业成员；监管部门用户 403 enterprise_only。二维码内容为控制台扫码页 <origin>/m/scan/<风险点 id>，"
                               "扫码后列出该风险点今日待排查任务（GET /investigation-tasks/?risk_point=<id>&due_on=<今天>）。"
                               "超过 504 枚 400 too_many_labels；无中文字体 503 cjk_font_missing。",
                   responses={(200, "application/pdf"): binary_response("application/pdf", "风险点二维码标签")})
    def get(self, request):
        enterprise = require_enterprise(actor_of(request))
        base = RiskPoint.objects.filter(enterprise=enterprise).annotate(
            flagged_count=Count("events", filter=Q(events__flagged=True), distinct=True))
        f = RiskPointFilter(request.query_params, queryset=base, request=request)
        if not f.is_valid():  # unknown parameters: StrictFilterSet's 400 unknown_filter; bad values:
            raise ValidationError(f.errors)  # 400 naming the filter, as the list answers
        points = list(f.qs.order_by("code", "id")[: MAX_LABELS + 1])
        if len(points) > MAX_LABELS:
            raise FieldError(f"一次最多打印 {MAX_LABELS} 枚标签，请按等级或部门筛选。", code=RegisterErrorCode.TOO_MANY_LABELS, field="level")
        try:
            pdf = labels_pdf(points, origin=console_origin(request), enterprise_name=enterprise.name)
        except FontMissing as exc:
            raise pdf_unavailable(exc) from exc
        resp = HttpResponse(pdf, content_type="application/pdf")
        resp["Content-Disposition"] = 'inline; filename="risk-point-labels.pdf"'
        return resp
