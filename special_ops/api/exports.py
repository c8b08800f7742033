"""``GET /api/v1/permits/export/``: the permit ledger (作业票台账) of the permit list, with its filters.

The same scoping and filters as ``GET /permits/`` (:class:`special_ops.api.filters.PermitFilter`):
an enterprise's members export their own permits, a regulator's members their jurisdiction's
(read-only). The workbook is :func:`special_ops.ledger_export.permit_ledger_xlsx`.
"""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.utils import extend_schema

from backend.core.api import TenantScopedViewSet
from backend.core.api.openapi import binary_response
from special_ops.api.filters import PermitFilter
from special_ops.ledger_export import permit_ledger_xlsx
from special_ops.models import WorkPermit

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PermitLedgerExportView(TenantScopedViewSet):
    """The filtered permit list as a 作业票台账 workbook (header frozen, autofilter, footer, rows by
    planned start, number and id)."""

    queryset = WorkPermit.objects.all()
    filterset_class = PermitFilter
    ordering = ("planned_start", "number", "id")
    http_method_names = ["get", "head", "options"]

    @extend_schema(request=None, summary="导出作业票台账（xlsx，筛选同作业票列表）", responses={
        (200, XLSX_MEDIA_TYPE): binary_response(XLSX_MEDIA_TYPE, "作业票台账")})
    def list(self, request, *args, **kwargs):
        qs = self.filter_queryset(self.get_queryset())
        return FileResponse(permit_ledger_xlsx(qs), as_attachment=True, filename="permit-ledger.xlsx",
                            content_type=XLSX_MEDIA_TYPE)
