"""Inspections' part of the jurisdiction read API (URLs kept at ``/api/v1/audit/…``): the
enterprises of the regulator's jurisdiction and a per-enterprise summary computed in the database.

The registers, hazards and investigation tasks are read at ``audit/…`` from
:mod:`compliance.api.views.jurisdiction`, the permits from :mod:`special_ops.api.jurisdiction`:
each app serves its own data, on the kernel's :class:`backend.core.api.viewsets.JurisdictionReadOnly`.

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
from backend.core.api.viewsets import READ_ONLY_METHODS, JurisdictionReadOnlyViewSet
from inspections.selectors import JurisdictionEnterpriseFilter, enterprises_with_summary, summary_of


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
    http_method_names = READ_ONLY_METHODS
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
