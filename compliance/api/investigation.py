"""API of investigation tasks (隐患排查任务): list with DB-computed ``overdue``, and one POST to
record a task's result (which may file a hazard)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.accounts.models import ENTERPRISE_ROLES
from backend.core.api import StrictFilterSet, TenantScopedViewSet
from compliance import selectors
from compliance.api.hazards import BOOL_CHOICES, HazardReportSerializer
from compliance.models import InvestigationRecord, InvestigationTask
from compliance.services import investigation as svc


class InvestigationRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvestigationRecord
        fields = ("id", "result", "note", "recorded_by", "recorded_at", "hazard")
        read_only_fields = fields


class InvestigationTaskSerializer(serializers.ModelSerializer):
    overdue = serializers.BooleanField(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    measure_text = serializers.CharField(source="measure.text", read_only=True)
    risk_point_code = serializers.CharField(source="risk_point.code", read_only=True)
    record = serializers.SerializerMethodField()

    class Meta:
        model = InvestigationTask
        fields = ("id", "enterprise", "measure", "measure_text", "risk_point", "risk_point_code", "source", "due_start",
                  "due_end", "state", "state_display", "overdue", "record", "created_at")
        read_only_fields = fields

    @extend_schema_field(InvestigationRecordSerializer(allow_null=True))
    def get_record(self, obj):
        try:
            return InvestigationRecordSerializer(obj.record).data
        except InvestigationRecord.DoesNotExist:
            return None


class RecordInputSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=InvestigationRecord.Result.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    hazard = HazardReportSerializer(required=False)


class InvestigationTaskFilter(StrictFilterSet):
    overdue = django_filters.ChoiceFilter(choices=BOOL_CHOICES, method="filter_overdue")
    measure = django_filters.NumberFilter(field_name="measure_id", min_value=1, max_value=2**62)
    risk_point = django_filters.NumberFilter(field_name="risk_point_id", min_value=1, max_value=2**62)
    due_after = django_filters.IsoDateTimeFilter(field_name="due_start", lookup_expr="gte")
    due_before = django_filters.IsoDateTimeFilter(field_name="due_start", lookup_expr="lt")

    class Meta:
        model = InvestigationTask
        fields = ("state", "measure", "risk_point", "source")

    def filter_overdue(self, qs, name, value):
        return qs.filter(overdue=value == "true")


class InvestigationTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Due checks of control measures; ``POST /investigation-tasks/{id}/record/`` records the result."""

    queryset = InvestigationTask.objects.all()
    serializer_class = InvestigationTaskSerializer
    filterset_class = InvestigationTaskFilter
    ordering_fields = ("id", "due_start", "due_end", "state", "overdue")
    ordering = ("due_start",)
    action_roles = {"record": set(ENTERPRISE_ROLES)}

    def base_queryset(self):
        return selectors.tasks_annotated()

    @extend_schema(request=RecordInputSerializer, responses={200: InvestigationTaskSerializer},
                   summary="记录排查结果（发现隐患时可同时上报）")
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        task = self.get_object()
        s = RecordInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        svc.investigation_task_record(actor=request.user, task=task, **s.validated_data)
        return Response(InvestigationTaskSerializer(self.get_queryset().get(pk=task.pk)).data)
