"""The jurisdiction read API (URLs kept at ``/api/v1/audit/…``): regulator members read the registers, hazards,
investigation tasks and permits of the enterprises in their jurisdiction, with the filters the
enterprise-facing endpoints have plus ``enterprise``, ``town`` and ``industry``; and a
per-enterprise summary computed in the database.

Read-only by construction: only GET/HEAD/OPTIONS are routed (other methods 403 ``read_only``
or 405), enterprise users get 403 ``regulator_only``, and an enterprise outside the jurisdiction
is 404 (the querysets are scoped by :func:`backend.core.api.scope_queryset`).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.accounts.models import Enterprise
from backend.core.api.permissions import READ_ONLY_REGULATOR_PERMISSIONS
from backend.core.api.viewsets import JurisdictionReadOnlyViewSet
from compliance.api.filters import (
    ControlMeasureFilter,
    HazardFilter,
    InvestigationTaskFilter,
    RiskEventFilter,
    RiskPointFilter,
)
from compliance.api.views.hazards import HazardViewSet
from compliance.api.views.investigation import InvestigationTaskViewSet
from compliance.api.views.register import ControlMeasureViewSet, RiskEventViewSet, RiskPointViewSet
from inspections.api.filters import with_jurisdiction_filters
from inspections.selectors import JurisdictionEnterpriseFilter, enterprises_with_summary, summary_of
from special_ops.api.filters import PermitFilter
from special_ops.api.views import PermitViewSet

READ_ONLY = ["get", "head", "options"]


class _JurisdictionReadOnly:
    # Regulator-only, read-only; everything else (scoping, serializers) from the base viewset.

    permission_classes = READ_ONLY_REGULATOR_PERMISSIONS
    http_method_names = READ_ONLY


class JurisdictionRiskPointViewSet(_JurisdictionReadOnly, RiskPointViewSet):
    """监管查阅：辖区企业的风险点（只读）。"""

    filterset_class = with_jurisdiction_filters(RiskPointFilter)


class JurisdictionRiskEventViewSet(_JurisdictionReadOnly, RiskEventViewSet):
    """监管查阅：辖区企业的风险事件（危险源）及评价（只读）。"""

    filterset_class = with_jurisdiction_filters(RiskEventFilter)


class JurisdictionControlMeasureViewSet(_JurisdictionReadOnly, ControlMeasureViewSet):
    """监管查阅：辖区企业的管控措施（只读）。"""

    filterset_class = with_jurisdiction_filters(ControlMeasureFilter)


class JurisdictionHazardViewSet(_JurisdictionReadOnly, HazardViewSet):
    """监管查阅：辖区企业的隐患（只读）。"""

    filterset_class = with_jurisdiction_filters(HazardFilter)


class JurisdictionPermitViewSet(_JurisdictionReadOnly, PermitViewSet):
    """监管查阅：辖区企业的特殊作业票（只读）。"""

    filterset_class = with_jurisdiction_filters(PermitFilter)


# --- investigation tasks ----------------------------------------------------------------------
class JurisdictionInvestigationTaskViewSet(_JurisdictionReadOnly, InvestigationTaskViewSet):
    """监管查阅：辖区企业的隐患排查任务（只读）。"""

    filterset_class = with_jurisdiction_filters(InvestigationTaskFilter)


# --- enterprises and their summary ---------------------------------------------------------
@extend_schema_serializer(component_name="AuditEnterprise")
class JurisdictionEnterpriseOut(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Enterprise
        fields = ("id", "name", "uscc", "division_code", "industry", "address", "lon", "lat", "principal",
                  "safety_director", "phone", "major_hazard_sources", "status", "status_display")
        read_only_fields = fields


@extend_schema_serializer(component_name="EnterpriseSummary")
class EnterpriseSummaryOut(serializers.Serializer):
    """``{id, name, division_code, industry, summary: {risk_points_by_level, hazards_by_state,
    hazards_overdue, major_hazards_open, permits_live}}`` (counts)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    division_code = serializers.CharField()
    industry = serializers.CharField()
    summary = serializers.SerializerMethodField()

    def get_summary(self, obj: Enterprise) -> dict:
        return summary_of(obj)


class JurisdictionEnterpriseViewSet(JurisdictionReadOnlyViewSet):
    """The jurisdiction's enterprises. Filters: ``town``, ``industry``, ``risk_level``, ``overdue``,
    ``major``, ``supervised``, ``q``, ``status``. ``GET summary/`` is the (filtered, paginated)
    summary of every enterprise in a constant number of queries; ``GET {id}/summary/`` one's."""

    serializer_class = JurisdictionEnterpriseOut
    filterset_class = JurisdictionEnterpriseFilter
    queryset = Enterprise.objects.all()
    enterprise_path = None  # the rows are enterprises: scoped by their own division code
    http_method_names = READ_ONLY
    ordering_fields = ("id", "name", "division_code", "industry")
    ordering = ("id",)

    @extend_schema(operation_id="v1_audit_enterprises_summary_list", summary="辖区企业汇总（分页，可筛选）",
                   responses=EnterpriseSummaryOut(many=True))
    @action(detail=False, methods=["get"], serializer_class=EnterpriseSummaryOut)
    def summary(self, request):
        qs = enterprises_with_summary(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(EnterpriseSummaryOut(page, many=True).data)

    @extend_schema(operation_id="v1_audit_enterprises_summary_detail", summary="单个企业的汇总")
    @action(detail=True, methods=["get"], url_path="summary", url_name="summary-detail",
            serializer_class=EnterpriseSummaryOut)
    def summary_detail(self, request, pk=None):
        ent = self.get_object()
        annotated = enterprises_with_summary(Enterprise.objects.filter(pk=ent.pk)).get()
        return Response(EnterpriseSummaryOut(annotated).data)
