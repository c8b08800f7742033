"""``/api/v1/lift-records/``: lifts under 10 t done without a permit, each with its risk analysis and
measures (GB 30871-2022 Table B.1 note 3). GET list/detail, POST; no edit or delete (kept as records)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from backend.core.actors import require_enterprise
from backend.core.api import StrictFilterSet, TenantScopedViewSet
from special_ops.api.refusals import NamesRuleSet
from special_ops.models import LiftRiskRecord
from special_ops.rules.types import PERMIT_ROLES
from special_ops.services.lifts import lift_record_create


class LiftRecordIn(serializers.Serializer):
    load_t = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=9999)
    work_content = serializers.CharField(max_length=200)
    location = serializers.CharField(max_length=200)
    planned_at = serializers.DateTimeField()
    crane = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    risk_analysis = serializers.CharField(max_length=5000)
    measures = serializers.ListField(child=serializers.CharField(max_length=200), min_length=1, max_length=50)


class LiftRecordOut(serializers.ModelSerializer):
    class Meta:
        model = LiftRiskRecord
        fields = ("id", "load_t", "work_content", "location", "planned_at", "crane", "risk_analysis", "measures",
                  "recorded_by_name", "created_at")
        read_only_fields = fields


class LiftRecordFilter(StrictFilterSet):
    planned_from = django_filters.IsoDateTimeFilter(field_name="planned_at", lookup_expr="gte", label="作业时间起")
    planned_to = django_filters.IsoDateTimeFilter(field_name="planned_at", lookup_expr="lt", label="作业时间止（不含）")

    class Meta:
        model = LiftRiskRecord
        fields = ("planned_from", "planned_to")


class LiftRecordViewSet(NamesRuleSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """10 t 以下吊装风险分析记录 (lifts that skip the permit): list, detail, record one; a refusal names
    the enterprise's rule set."""

    queryset = LiftRiskRecord.objects.all()
    serializer_class = LiftRecordOut
    filterset_class = LiftRecordFilter
    write_roles = PERMIT_ROLES
    ordering = ("-planned_at", "id")
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=LiftRecordIn, responses={201: LiftRecordOut}, summary="记录 10 t 以下不办票吊装的风险分析与措施")
    def create(self, request, *args, **kwargs):
        enterprise = require_enterprise(self.actor)
        s = LiftRecordIn(data=request.data)
        s.is_valid(raise_exception=True)
        record = lift_record_create(actor=self.actor, enterprise=enterprise, **s.validated_data)
        return Response(LiftRecordOut(record).data, status=status.HTTP_201_CREATED)
