"""Serializers of the risk register: risk points (with detail), risk events, control measures, import upload."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema_serializer,
)
from rest_framework import serializers

from backend.core.api.openapi import BinaryFileField
from compliance.error_codes import RegisterErrorCode
from compliance.models import (
    ControlMeasure,
    RiskEvent,
    RiskPoint,
)
from compliance.rules.assessment import DIRECT_MAJOR_REASONS, RiskLevel

DIRECT_MAJOR_CHOICES = list(DIRECT_MAJOR_REASONS.items())


@extend_schema_serializer(component_name="ControlMeasure")
class ControlMeasureOut(serializers.ModelSerializer):
    class Meta:
        model = ControlMeasure
        fields = ("id", "risk_event", "category", "text", "responsible_person", "control_level", "check_cycle",
                  "check_cycle_unit", "day_type", "created_at")
        read_only_fields = ("id", "created_at")


@extend_schema_serializer(component_name="ControlMeasureBrief")
class ControlMeasureBriefOut(serializers.ModelSerializer):
    class Meta:
        model = ControlMeasure
        fields = ("id", "category", "text", "control_level", "check_cycle", "check_cycle_unit")
        read_only_fields = fields


@extend_schema_serializer(component_name="RiskEvent")
class RiskEventOut(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    measures = ControlMeasureBriefOut(many=True, read_only=True)
    accident_types = serializers.ListField(child=serializers.CharField(max_length=20), required=False, max_length=20)
    direct_major_reason = serializers.ChoiceField(choices=DIRECT_MAJOR_CHOICES, required=False, allow_blank=True)

    class Meta:
        model = RiskEvent
        fields = (
            "id", "risk_point", "seq", "step", "standard", "description", "accident_types", "accident_consequence", "method",
            "l", "e", "c", "s", "m", "score", "level", "level_display", "direct_major", "direct_major_reason", "residual_level", "control_level",
            "department", "responsible_person", "written_score", "written_level", "flagged", "flag_reason", "measures",
            "created_at", "updated_at",
        )
        read_only_fields = ("id", "score", "level", "level_display", "written_score", "written_level", "flagged",
                            "flag_reason", "measures", "created_at", "updated_at")


@extend_schema_serializer(component_name="RiskPoint")
class RiskPointOut(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    colour = serializers.SerializerMethodField()
    event_count = serializers.IntegerField(read_only=True)
    flagged_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RiskPoint
        fields = (
            "id", "code", "name", "kind", "location", "department", "responsible_person", "control_level",
            "is_major_hazard_source", "mhs_principal", "mhs_technical", "mhs_operational", "lon", "lat", "level",
            "level_display", "colour", "residual_level", "needs_reassessment", "reassessment_reason", "event_count",
            "flagged_count", "created_at", "updated_at",
        )
        read_only_fields = ("id", "level", "level_display", "colour", "needs_reassessment", "reassessment_reason",
                            "event_count", "flagged_count", "created_at", "updated_at")

    def get_colour(self, obj: RiskPoint) -> str | None:
        return RiskLevel(obj.level).colour if obj.level else None

    def validate(self, attrs):
        if attrs.get("is_major_hazard_source"):
            missing = [f for f in ("mhs_principal", "mhs_technical", "mhs_operational") if not attrs.get(f)]
            if missing and self.instance is None:
                raise serializers.ValidationError({missing[0]: ["重大危险源须指定包保责任人。"]}, code=RegisterErrorCode.REQUIRED)
        return attrs


@extend_schema_serializer(component_name="RiskPointDetail")
class RiskPointDetailOut(RiskPointOut):
    events = RiskEventOut(many=True, read_only=True)

    class Meta(RiskPointOut.Meta):
        fields = (*RiskPointOut.Meta.fields, "events")


@extend_schema_serializer(component_name="RegisterUpload")
class RegisterUploadIn(serializers.Serializer):
    file = BinaryFileField(max_length=200, allow_empty_file=False)


_SCORE_INPUT = {"max_digits": 6, "decimal_places": 2, "required": False, "allow_null": True}


@extend_schema_serializer(component_name="RiskAssessIn")
class RiskAssessIn(serializers.Serializer):
    """An assessment to compute (nothing is stored): ``method`` lec (l, e, c), ls (l, s) or mes (m, e, s),
    the method's inputs on their scales, and optionally ``direct_major`` with its reason."""

    method = serializers.ChoiceField(choices=RiskEvent.Method.choices)
    l = serializers.DecimalField(**_SCORE_INPUT)  # noqa: E741
    e = serializers.DecimalField(**_SCORE_INPUT)
    c = serializers.DecimalField(**_SCORE_INPUT)
    s = serializers.DecimalField(**_SCORE_INPUT)
    m = serializers.DecimalField(**_SCORE_INPUT)
    direct_major = serializers.BooleanField(required=False, default=False)
    direct_major_reason = serializers.ChoiceField(choices=DIRECT_MAJOR_CHOICES, required=False, allow_blank=True)


@extend_schema_serializer(component_name="RiskAssessment")
class RiskAssessmentOut(serializers.Serializer):
    """The computed assessment: ``score`` (D or R), ``level`` code with ``level_label`` and ``colour``,
    ``direct_major`` (the level was forced to 重大) and ``reasons`` (the product, the band, the direct rule)."""

    score = serializers.DecimalField(max_digits=10, decimal_places=2)
    level = serializers.ChoiceField(choices=[(m.value, m.label) for m in RiskLevel])
    level_label = serializers.CharField()
    colour = serializers.CharField()
    direct_major = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
