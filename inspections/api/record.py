"""``GET /api/v1/inspections/{id}/record.pdf``: the inspection record (检查记录, with the
责令限期整改指令书 when rectification was ordered, :mod:`inspections.printout`).

Readable by the members of the inspecting regulator and of the inspected enterprise (any role);
anyone else gets 404, as for an id that does not exist. A planned inspection (not started) has no
record yet: 409 ``inspection_not_started``. Without a CJK font on the server: 503 ``cjk_font_missing``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.views import APIView

from backend.core.actors import actor_of
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import Conflict, NotFound
from inspections.error_codes import InspectionErrorCode as Code
from inspections.models import Inspection
from inspections.printout import record_pdf


def readable_inspections(user) -> QuerySet[Inspection]:
    """The inspections ``user`` may print: its regulator's own, or those of its enterprise."""
    actor = actor_of(user)
    if actor.is_regulator:
        return Inspection.objects.filter(regulator_id=actor.regulator_id)
    if actor.is_enterprise:
        return Inspection.objects.filter(enterprise_id=actor.enterprise_id)
    return Inspection.objects.none()


class InspectionRecordPdfView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="v1_inspections_record_pdf", summary="下载检查记录 PDF（含责令限期整改指令书）",
                   responses={(200, "application/pdf"): OpenApiResponse(
                       response=OpenApiTypes.BINARY, description="检查记录（及责令限期整改指令书）PDF")})
    def get(self, request, pk: int):
        """The record of inspection ``pk`` as a PDF (regulator's own inspections, or the caller's
        enterprise's). 404 ``not_found``; 409 ``inspection_not_started``; 503 ``cjk_font_missing``."""
        from backend.core.fonts import FontMissing, pdf_unavailable

        insp = readable_inspections(request.user).filter(pk=pk).first()
        if insp is None:
            raise NotFound("检查不存在。", code=CoreErrorCode.NOT_FOUND)
        if insp.state == Inspection.State.PLANNED:
            raise Conflict("检查尚未开始，尚无检查记录。", code=Code.NOT_STARTED)
        try:
            pdf = record_pdf(insp)
        except FontMissing as exc:  # this server lacks the CJK font: 503 cjk_font_missing, not a 500
            raise pdf_unavailable(exc) from exc
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="inspection-{insp.pk}-record.pdf"'
        return response
