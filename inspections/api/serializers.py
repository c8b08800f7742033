"""Serializers of the regulator-side API: the read shapes (``*Serializer``, named as the OpenAPI
components the clients use) and the request bodies (``*In``). Shapes only: the services decide."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from backend.core.api.openapi import BinaryFileField
from backend.core.errors import FieldError
from compliance.models.hazards import GRADE_CHOICES
from inspections.error_codes import InspectionErrorCode as Code
from inspections.models import (
    ConflictOfInterest,
    Draw,
    Finding,
    FollowUp,
    Inspection,
    InspectionTemplate,
    ItemResult,
    WhistleblowerReport,
)
from inspections.services.draws import MAX_DRAW


@extend_schema_serializer(component_name="Template")
class TemplateOut(serializers.ModelSerializer):
    class Meta:
        model = InspectionTemplate
        fields = ("id", "code", "version", "title", "items")
        read_only_fields = fields


@extend_schema_serializer(component_name="ItemResult")
class ItemResultOut(serializers.ModelSerializer):
    class Meta:
        model = ItemResult
        fields = ("item_code", "result", "note", "recorded_by", "recorded_at")
        read_only_fields = fields


@extend_schema_serializer(component_name="FollowUp")
class FollowUpOut(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ("id", "finding", "inspection", "fixed", "note", "hazard_state", "checked_on", "recorded_by", "created_at")
        read_only_fields = fields


@extend_schema_serializer(component_name="Finding")
class FindingOut(serializers.ModelSerializer):
    hazard_number = serializers.CharField(source="hazard.number", read_only=True, default=None)
    hazard_state = serializers.CharField(source="hazard.state", read_only=True, default=None)
    hazard_supervised = serializers.BooleanField(source="hazard.supervised", read_only=True, default=None)
    #: When the supervising regulator confirmed the accepted hazard (督办销号); null before (or without a hazard).
    hazard_signed_off_at = serializers.DateTimeField(source="hazard.regulator_signed_off_at", read_only=True,
                                                     default=None, allow_null=True)
    follow_ups = FollowUpOut(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = ("id", "inspection", "item_code", "text", "location", "severity", "deadline", "hazard", "hazard_number",
                  "hazard_state", "hazard_supervised", "hazard_signed_off_at", "status", "follow_ups", "created_by",
                  "created_at")
        read_only_fields = fields


@extend_schema_serializer(component_name="Inspection")
class InspectionOut(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    template = TemplateOut(read_only=True)
    results = ItemResultOut(many=True, read_only=True)
    findings = FindingOut(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ("id", "regulator", "enterprise", "enterprise_name", "kind", "draw", "follow_up_of", "title",
                  "planned_on", "state", "inspectors", "template", "results", "findings", "summary", "started_at",
                  "closed_at", "created_by", "created_at")
        read_only_fields = fields


@extend_schema_serializer(component_name="InspectionCreate")
class InspectionCreateIn(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=2**62)
    planned_on = serializers.DateField()
    inspectors = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), max_length=20)
    template_code = serializers.CharField(max_length=40, required=False)
    template_version = serializers.CharField(max_length=20, required=False)
    title = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    follow_up_of = serializers.IntegerField(min_value=1, max_value=2**62, required=False)


class ResultIn(serializers.Serializer):
    item_code = serializers.CharField(max_length=20)
    result = serializers.ChoiceField(choices=ItemResult.Result.choices)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ResultsIn(serializers.Serializer):
    results = ResultIn(many=True, allow_empty=False)


class FindingIn(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    item_code = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    severity = serializers.ChoiceField(choices=Finding.Severity.choices, default=Finding.Severity.GENERAL)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    order_rectification = serializers.BooleanField(default=True)


class SummaryIn(serializers.Serializer):
    summary = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class FollowUpIn(serializers.Serializer):
    fixed = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    inspection = serializers.IntegerField(min_value=1, max_value=2**62, required=False)


# --- draws and conflicts --------------------------------------------------------------------
@extend_schema_serializer(component_name="Draw")
class DrawOut(serializers.ModelSerializer):
    class Meta:
        model = Draw
        fields = ("id", "regulator", "title", "filter", "n", "seed", "weighted", "candidates", "weights", "roster",
                  "conflicts", "result", "planned_on", "created_by", "created_at", "published_at")
        read_only_fields = fields


@extend_schema_serializer(component_name="DrawVerify")
class DrawVerifyOut(serializers.Serializer):
    """Answer of a draw's re-run (documentation only)."""

    identical = serializers.BooleanField(help_text="重算结果与存档结果一致")
    result = serializers.JSONField(help_text="重算结果")
    stored = serializers.JSONField(help_text="存档结果")


class DrawIn(serializers.Serializer):
    n = serializers.IntegerField(min_value=1, max_value=MAX_DRAW)
    planned_on = serializers.DateField()
    filter = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)
    weighted = serializers.BooleanField(default=False)
    title = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)

    def validate(self, attrs):
        # The seed is drawn by the server (secrets.randbits(64)) and stored for verification: a caller
        # who could choose it could search for a seed that picks — or spares — an enterprise.
        if "seed" in self.initial_data:
            raise FieldError("随机种子由系统生成，不能指定。", code=Code.SEED_NOT_ALLOWED, field="seed")
        return attrs


class ConflictSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConflictOfInterest
        fields = ("id", "inspector", "enterprise", "reason", "declared_by", "created_at")
        read_only_fields = ("id", "declared_by", "created_at")


# --- whistleblower ------------------------------------------------------------------------
@extend_schema_serializer(component_name="WhistleblowerReport")
class WhistleblowerReportOut(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = WhistleblowerReport
        fields = ("id", "enterprise", "enterprise_name", "location", "division_code", "description", "contact", "status",
                  "status_display", "resolution", "inspection", "hazard", "photos", "created_at", "updated_at")
        read_only_fields = fields

    def get_photos(self, obj: WhistleblowerReport) -> list[dict]:
        return [{"id": p.pk, "content_type": p.content_type, "size": p.size} for p in obj.photos.all()]


class AcceptIn(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    enterprise = serializers.IntegerField(min_value=1, max_value=2**62, required=False)


class WhistleblowerRejectIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class OpenInspectionIn(serializers.Serializer):
    planned_on = serializers.DateField()
    inspectors = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), max_length=20)


class CreateHazardIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deadline = serializers.DateField()
    grade = serializers.ChoiceField(choices=GRADE_CHOICES, default="general")


# --- public ---------------------------------------------------------------------------------
@extend_schema_serializer(component_name="PublicResult")
class PublicResultOut(serializers.ModelSerializer):
    """A closed inspection's published outcome: no inspector names, no user ids."""

    enterprise_name = serializers.CharField(source="enterprise.name")
    regulator_name = serializers.CharField(source="regulator.name")
    kind_display = serializers.CharField(source="get_kind_display")
    findings = serializers.IntegerField(source="finding_count")
    fixed = serializers.IntegerField(source="fixed_count")
    all_fixed = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = ("id", "enterprise_name", "regulator_name", "kind", "kind_display", "planned_on", "closed_at", "findings",
                  "fixed", "all_fixed")
        read_only_fields = fields

    def get_all_fixed(self, obj: Inspection) -> bool:
        return obj.fixed_count == obj.finding_count


class PublicDrawResultOut(serializers.Serializer):
    """A closed inspection of a published draw: the enterprise and the outcome, no person."""

    enterprise_name = serializers.CharField()
    closed_at = serializers.DateTimeField()
    findings = serializers.IntegerField(help_text="发现问题数")
    fixed = serializers.IntegerField(help_text="已整改数")
    all_fixed = serializers.BooleanField()


class PublicDrawOut(serializers.ModelSerializer):
    """A published 双随机 draw (双随机、一公开): who drew, when, seed and sizes, and the outcomes of its
    closed inspections. No inspector names or ids, no candidate list, no inspection still open."""

    regulator_name = serializers.CharField(source="regulator.name")
    candidates_count = serializers.SerializerMethodField(help_text="候选企业数")
    inspections_planned = serializers.SerializerMethodField(help_text="抽中企业数（计划检查数）")
    results = serializers.SerializerMethodField()

    class Meta:
        model = Draw
        fields = ("id", "regulator_name", "title", "n", "seed", "weighted", "candidates_count", "inspections_planned",
                  "planned_on", "created_at", "published_at", "results")
        read_only_fields = fields

    def get_candidates_count(self, obj: Draw) -> int:
        return len(obj.candidates)

    def get_inspections_planned(self, obj: Draw) -> int:
        return len(obj.result)

    @extend_schema_field(PublicDrawResultOut(many=True))
    def get_results(self, obj: Draw) -> list[dict]:
        return [{"enterprise_name": i.enterprise.name, "closed_at": i.closed_at, "findings": i.finding_count,
                 "fixed": i.fixed_count, "all_fixed": i.fixed_count == i.finding_count}
                for i in obj.closed_inspections]  # type: ignore[attr-defined]  # prefetched to_attr


class PublicReportIn(serializers.Serializer):
    """An anonymous report: ``description`` and at least one of ``enterprise_name`` / ``location``
    (stated in the schema as ``allOf: [{anyOf: …}]``)."""

    description = serializers.CharField(max_length=5000, help_text="举报内容（必填）")
    enterprise_name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True,
                                            help_text="被举报单位名称（与 location 至少填一项）；与已登记企业名称一致时按该企业所在区划受理")
    location = serializers.CharField(max_length=200, required=False, default="", allow_blank=True,
                                     help_text="位置（与 enterprise_name 至少填一项）")
    division_code = serializers.CharField(max_length=12, required=False, default="", allow_blank=True,
                                          help_text="所在行政区划代码（6/9/12 位）；enterprise_name 不是已登记企业名称时必填"
                                                    "（400 division_required / unknown_division）")
    contact = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    photos = serializers.ListField(child=BinaryFileField(allow_empty_file=False), required=False, default=list)


@extend_schema_serializer(component_name="PublicReportCreated")
class PublicReportCreatedOut(serializers.Serializer):
    """Answer to an anonymous report (documentation only)."""

    code = serializers.CharField(help_text="查询码：仅此一次返回，请妥善保存")
    status = serializers.ChoiceField(choices=WhistleblowerReport.Status.choices())
    status_display = serializers.CharField()


@extend_schema_serializer(component_name="PublicReportStatus")
class PublicReportStatusOut(serializers.Serializer):
    """A report's status as the public sees it (documentation only)."""

    status = serializers.ChoiceField(choices=WhistleblowerReport.Status.choices())
    status_display = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
