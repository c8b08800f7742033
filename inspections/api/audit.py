"""The audit API (``/api/v1/audit/…``): regulator members read the registers, hazards,
investigation tasks and permits of the enterprises in their jurisdiction, with the filters the
enterprise-facing endpoints have plus ``enterprise``, ``town`` and ``industry``; and a
per-enterprise summary computed in the database.

Read-only by construction: only GET/HEAD/OPTIONS are routed (other methods 403 ``read_only``
or 405), enterprise users get 403 ``regulator_only``, and an enterprise outside the jurisdiction
is 404 (the querysets are scoped by :func:`backend.core.api.scope_queryset`).
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.accounts.models import Enterprise
from backend.core.api import ID_REGEX, StrictFilterSet, scope_queryset
from compliance.api.hazards import HazardFilter, HazardViewSet
from compliance.api.investigation import InvestigationTaskFilter, InvestigationTaskViewSet
from compliance.api.register import (
    ControlMeasureFilter,
    ControlMeasureViewSet,
    RiskEventFilter,
    RiskEventViewSet,
    RiskPointFilter,
    RiskPointViewSet,
)
from inspections.api.common import ReadOnlyRegulator
from inspections.filters import EnterpriseAuditFilter
from inspections.selectors import enterprises_with_summary, summary_of
from special_ops.api.permits import PermitFilter, PermitViewSet

READ_ONLY = ["get", "head", "options"]


def with_jurisdiction_filters(base: type[StrictFilterSet], path: str = "enterprise") -> type[StrictFilterSet]:
    """``base`` plus ``enterprise`` (id), ``town`` (division-code prefix) and ``industry``."""
    attrs = {
        "enterprise": django_filters.NumberFilter(field_name=f"{path}_id", min_value=1, max_value=2**62),
        "town": django_filters.CharFilter(field_name=f"{path}__division_code", lookup_expr="startswith", max_length=12),
        "industry": django_filters.CharFilter(field_name=f"{path}__industry", lookup_expr="icontains", max_length=50),
        "Meta": type("Meta", (base.Meta,), {}),
    }
    return type(f"Audit{base.__name__}", (base,), attrs)


class _AuditMixin:
    # Regulator-only, read-only; everything else (scoping, serializers) from the base viewset.

    permission_classes = [permissions.IsAuthenticated, ReadOnlyRegulator]
    http_method_names = READ_ONLY


class AuditRiskPointViewSet(_AuditMixin, RiskPointViewSet):
    """监管查阅：辖区企业的风险点（只读）。"""

    filterset_class = with_jurisdiction_filters(RiskPointFilter)


class AuditRiskEventViewSet(_AuditMixin, RiskEventViewSet):
    """监管查阅：辖区企业的风险事件（危险源）及评价（只读）。"""

    filterset_class = with_jurisdiction_filters(RiskEventFilter)


class AuditControlMeasureViewSet(_AuditMixin, ControlMeasureViewSet):
    """监管查阅：辖区企业的管控措施（只读）。"""

    filterset_class = with_jurisdiction_filters(ControlMeasureFilter)


class AuditHazardViewSet(_AuditMixin, HazardViewSet):
    """监管查阅：辖区企业的隐患（只读）。"""

    filterset_class = with_jurisdiction_filters(HazardFilter)


class AuditPermitViewSet(_AuditMixin, PermitViewSet):
    """监管查阅：辖区企业的特殊作业票（只读）。"""

    filterset_class = with_jurisdiction_filters(PermitFilter)


# --- investigation tasks ----------------------------------------------------------------------
class AuditInvestigationTaskViewSet(_AuditMixin, InvestigationTaskViewSet):
    """监管查阅：辖区企业的隐患排查任务（只读）。"""

    filterset_class = with_jurisdiction_filters(InvestigationTaskFilter)


# --- enterprises and their summary ---------------------------------------------------------
class AuditEnterpriseSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Enterprise
        fields = ("id", "name", "uscc", "division_code", "industry", "address", "lon", "lat", "principal",
                  "safety_director", "phone", "major_hazard_sources", "status", "status_display")
        read_only_fields = fields


class EnterpriseSummarySerializer(serializers.Serializer):
    """``{id, name, division_code, industry, summary: {risk_points_by_level, hazards_by_state,
    hazards_overdue, major_hazards_open, permits_live}}`` (counts)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    division_code = serializers.CharField()
    industry = serializers.CharField()
    summary = serializers.SerializerMethodField()

    def get_summary(self, obj: Enterprise) -> dict:
        return summary_of(obj)


class AuditEnterpriseViewSet(_AuditMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The jurisdiction's enterprises. Filters: ``town``, ``industry``, ``risk_level``, ``overdue``,
    ``major``, ``supervised``, ``q``, ``status``. ``GET summary/`` is the (filtered, paginated)
    summary of every enterprise in a constant number of queries; ``GET {id}/summary/`` one's."""

    serializer_class = AuditEnterpriseSerializer
    filterset_class = EnterpriseAuditFilter
    lookup_value_regex = ID_REGEX
    ordering_fields = ("id", "name", "division_code", "industry")
    ordering = ("id",)

    def get_queryset(self):
        return scope_queryset(Enterprise.objects.all(), self.request.user, None)

    @extend_schema(operation_id="v1_audit_enterprises_summary_list", summary="辖区企业汇总（分页，可筛选）")
    @action(detail=False, methods=["get"], serializer_class=EnterpriseSummarySerializer)
    def summary(self, request):
        qs = enterprises_with_summary(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(EnterpriseSummarySerializer(page, many=True).data)

    @extend_schema(operation_id="v1_audit_enterprises_summary_detail", summary="单个企业的汇总")
    @action(detail=True, methods=["get"], url_path="summary", url_name="summary-detail",
            serializer_class=EnterpriseSummarySerializer)
    def summary_detail(self, request, pk=None):
        ent = self.get_object()
        annotated = enterprises_with_summary(Enterprise.objects.filter(pk=ent.pk)).get()
        return Response(EnterpriseSummarySerializer(annotated).data)
