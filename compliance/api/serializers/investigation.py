"""Serializers of investigation tasks and their records."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from backend.core.api.fields import ChoiceLabelField
from backend.core.api.listing import PlannedListSerializer
from compliance.api.serializers.hazards import HazardReportIn
from compliance.models import InvestigationRecord, InvestigationTask
from compliance.models.hazards import TREATMENT_CHOICES


@extend_schema_serializer(component_name="InvestigationRecord")
class InvestigationRecordOut(serializers.ModelSerializer):
    class Meta:
        model = InvestigationRecord
        fields = ("id", "result", "note", "recorded_by", "recorded_at", "hazard")
        read_only_fields = fields


@extend_schema_serializer(component_name="InvestigationTask")
class InvestigationTaskOut(serializers.ModelSerializer):
    overdue = serializers.BooleanField(read_only=True)
    state_display = ChoiceLabelField(InvestigationTask, "state")
    measure_text = serializers.CharField(source="measure.text", read_only=True)
    risk_point_code = serializers.CharField(source="risk_point.code", read_only=True)
    record = serializers.SerializerMethodField()

    class Meta:
        model = InvestigationTask
        fields = ("id", "enterprise", "measure", "measure_text", "risk_point", "risk_point_code", "source", "due_start",
                  "due_end", "state", "state_display", "overdue", "record", "created_at")
        read_only_fields = fields
        list_serializer_class = PlannedListSerializer

    @extend_schema_field(InvestigationRecordOut(allow_null=True))
    def get_record(self, obj):
        try:
            return InvestigationRecordOut(obj.record).data
        except InvestigationRecord.DoesNotExist:
            return None


@extend_schema_serializer(component_name="TaskHazardInput")
class TaskHazardIn(HazardReportIn):
    """The hazard found by an investigation task: a report's fields plus, for a safety manager (who
    files it confirmed at once), the treatment and deadline a confirmed hazard needs (限期整改 needs a
    ``deadline``: 400 ``required`` naming ``deadline`` otherwise). An employee's report ignores them
    (the officer sets them on confirming)."""

    treatment = serializers.ChoiceField(choices=TREATMENT_CHOICES, required=False)
    deadline = serializers.DateField(required=False, allow_null=True)


@extend_schema_serializer(component_name="RecordInput")
class TaskRecordIn(serializers.Serializer):
    result = serializers.ChoiceField(choices=InvestigationRecord.Result.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    hazard = TaskHazardIn(required=False)
