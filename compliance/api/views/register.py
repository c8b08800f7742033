"""The risk register: risk points, risk events and control measures (CRUD through the register
services), and the register workbook import and export."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import FileResponse
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.accounts.models import ENTERPRISE_ROLES
from backend.core.api import TenantScopedViewSet, caller_enterprise, scope_queryset
from backend.core.api.inputs import validated
from backend.core.api.openapi import ImportReportSerializer, binary_response
from backend.core.errors import FieldError
from compliance.api.filters import ControlMeasureFilter, RiskEventFilter, RiskPointFilter
from compliance.api.import_options import DRY_RUN_PARAM, import_options
from compliance.api.serializers.imports import ImportJobOut
from compliance.api.serializers.register import (
    ControlMeasureOut,
    RegisterUploadIn,
    RiskAssessIn,
    RiskAssessmentOut,
    RiskEventOut,
    RiskPointDetailOut,
    RiskPointOut,
)
from compliance.api.views.imports import as_job_if_big
from compliance.error_codes import RegisterErrorCode
from compliance.models import (
    ControlMeasure,
    RiskEvent,
    RiskPoint,
)
from compliance.register_export import register_export_xlsx
from compliance.rules import assessment
from compliance.services import register
from compliance.services.register_import import register_import


class _CrudViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, mixins.DestroyModelMixin, TenantScopedViewSet):
    # CRUD whose writes go through the register services (never ``serializer.save()``).

    def _scoped_parent(self, model, pk_field: str, value):
        """A parent object named in the body, scoped to the caller (400 when it is not theirs)."""
        obj = scope_queryset(model.objects.all(), self.request.user, "enterprise").filter(pk=getattr(value, "pk", value)).first()
        if obj is None:
            raise FieldError("对象不存在。", code=RegisterErrorCode.DOES_NOT_EXIST, field=pk_field)
        return obj


class RiskPointViewSet(_CrudViewSet):
    """Risk points (风险点) with their derived four-colour level; detail includes events and measures."""

    queryset = RiskPoint.objects.all()
    serializer_class = RiskPointOut
    filterset_class = RiskPointFilter
    ordering_fields = ("id", "code", "name", "level", "kind", "department", "updated_at")
    ordering = ("code",)

    def base_queryset(self):
        qs = RiskPoint.objects.annotate(
            event_count=Count("events", distinct=True),
            flagged_count=Count("events", filter=Q(events__flagged=True), distinct=True),
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("events", queryset=RiskEvent.objects.prefetch_related("measures")))
        return qs

    def get_serializer_class(self):
        return RiskPointDetailOut if self.action == "retrieve" else RiskPointOut

    def create(self, request, *args, **kwargs):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        point = register.risk_point_create(actor=request.user, enterprise=caller_enterprise(request), **s.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=point.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        point = self.get_object()
        s = self.get_serializer(point, data=request.data, partial=partial)
        s.is_valid(raise_exception=True)
        register.risk_point_update(actor=request.user, point=point, **s.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=point.pk)).data)

    def perform_destroy(self, instance):
        register.risk_point_delete(actor=self.request.user, point=instance)


class RiskEventViewSet(_CrudViewSet):
    """Risk events (危险源) with their assessment; level computed by the rules, never accepted from input."""

    queryset = RiskEvent.objects.all()
    serializer_class = RiskEventOut
    filterset_class = RiskEventFilter
    ordering_fields = ("id", "score", "level", "seq", "risk_point")
    # assessing writes nothing: every enterprise role may ask (regulators get 403 read_only)
    action_roles = {"assess": ENTERPRISE_ROLES}

    def base_queryset(self):
        return RiskEvent.objects.prefetch_related("measures")

    @extend_schema(request=RiskAssessIn, responses={200: RiskAssessmentOut},
                   summary="试算风险评价（LEC/LS/MES，不保存）：返回分值、等级、颜色与判定理由")
    @action(detail=False, methods=["post"])
    def assess(self, request):
        """Assess without writing: the same rule code the register writes with
        (``compliance.services.register.compute_assessment`` over ``compliance.rules.assessment``).
        Body ``{method, l, e, c | l, s | m, e, s, direct_major?, direct_major_reason?}``; answers
        ``{score, level, level_label, colour, direct_major, reasons}``. 400 ``off_scale`` naming the
        input (l/e/c/s/m) for a value not on its scale, ``required`` for a missing input or a
        direct 重大 without reason. Enterprise members only (403 ``read_only`` for regulators).
        Source: DOMAIN.md §2."""
        caller_enterprise(request)
        data = validated(RiskAssessIn, request.data)
        score, level = register.compute_assessment(data)
        result = assessment.assess(data["method"], {k: data.get(k) for k in register.INPUTS[data["method"]]})
        reason = data.get("direct_major_reason") if data.get("direct_major") else None
        risk = assessment.RiskLevel(level)
        return Response(RiskAssessmentOut({
            "score": score, "level": risk.value, "level_label": risk.label, "colour": risk.colour,
            "direct_major": bool(reason), "reasons": assessment.assessment_reasons(data["method"], data, result, reason),
        }).data)

    def create(self, request, *args, **kwargs):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        point = self._scoped_parent(RiskPoint, "risk_point", data.pop("risk_point"))
        event = register.risk_event_create(actor=request.user, point=point, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        event = self.get_object()
        s = self.get_serializer(event, data=request.data, partial=partial)
        s.is_valid(raise_exception=True)
        # a different risk_point is refused by the service (400 immutable, break-it D21)
        register.risk_event_update(actor=request.user, event=event, **s.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data)

    def perform_destroy(self, instance):
        register.risk_event_delete(actor=self.request.user, event=instance)


class ControlMeasureViewSet(_CrudViewSet):
    """Control measures (管控措施) of risk events, with their investigation check cycle."""

    queryset = ControlMeasure.objects.all()
    serializer_class = ControlMeasureOut
    filterset_class = ControlMeasureFilter
    ordering_fields = ("id", "category", "risk_event")

    def create(self, request, *args, **kwargs):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        event = self._scoped_parent(RiskEvent, "risk_event", data.pop("risk_event"))
        m = register.control_measure_create(actor=request.user, event=event, **data)
        return Response(self.get_serializer(m).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        measure = self.get_object()
        s = self.get_serializer(measure, data=request.data, partial=partial)
        s.is_valid(raise_exception=True)
        # a different risk_event is refused by the service (400 immutable, break-it D21)
        m = register.control_measure_update(actor=request.user, measure=measure, **s.validated_data)
        return Response(self.get_serializer(m).data)

    def perform_destroy(self, instance):
        register.control_measure_delete(actor=self.request.user, measure=instance)


@extend_schema_serializer(component_name="RegisterUpload")


class RegisterImportView(mixins.CreateModelMixin, TenantScopedViewSet):
    """Import a risk-register workbook (multipart ``file``, ≤ 10 MB) into the caller's enterprise;
    answers the per-row report (created / updated / unchanged / rejected, flagged rows with reasons)."""

    queryset = RiskPoint.objects.none()
    serializer_class = RegisterUploadIn

    @extend_schema(request={"multipart/form-data": RegisterUploadIn},
                   responses={200: ImportReportSerializer, 202: ImportJobOut},
                   summary="导入风险分级管控清单（multipart：file，≤ 10 MB；超过 IMPORT_JOB_ROW_THRESHOLD 行时 202 返回导入任务）",
                   parameters=[DRY_RUN_PARAM])
    def create(self, request, *args, **kwargs):
        s = RegisterUploadIn(data=request.data)
        s.is_valid(raise_exception=True)
        upload = s.validated_data["file"]
        options = import_options(request)
        enterprise = caller_enterprise(request)
        job = as_job_if_big(request, kind="register", enterprise=enterprise, upload=upload, options=options)
        if job is not None:
            return job
        report = register_import(actor=request.user, enterprise=enterprise, source=upload, **options)
        return Response(report.as_dict(), status=status.HTTP_200_OK)


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegisterExportView(TenantScopedViewSet):
    """The caller's risk register (风险分级管控清单) as an .xlsx: one sheet per point kind in the
    standard column set, header frozen with an autofilter, rows by point code and 序号, a
    填表人/审核人/日期 footer; the register import reads it back unchanged. Enterprise members only (403 ``enterprise_only`` otherwise)."""

    queryset = RiskPoint.objects.none()
    http_method_names = ["get", "head", "options"]

    @extend_schema(request=None, summary="导出风险分级管控清单（xlsx）", responses={
        (200, XLSX_MEDIA_TYPE): binary_response(XLSX_MEDIA_TYPE, "风险分级管控清单")})
    def list(self, request, *args, **kwargs):
        enterprise = caller_enterprise(request)
        return FileResponse(register_export_xlsx(enterprise), as_attachment=True, filename="risk-register.xlsx",
                            content_type=XLSX_MEDIA_TYPE)
