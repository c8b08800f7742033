"""Serializers of hidden dangers: output, filing/report/plan/transition inputs, extensions, photos, events."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers

from backend.accounts.models import User
from backend.accounts.rules import KIND_LABELS
from backend.core.actors import role_label
from backend.core.api.fields import ChoiceLabelField
from backend.core.api.listing import PlannedListSerializer
from backend.core.api.openapi import BinaryFileField
from backend.core.api.permissions import caller_of, enterprise_writer
from compliance.models import (
    ControlMeasure,
    Hazard,
    HazardExtension,
    HazardPhoto,
    RiskPoint,
)
from compliance.models.hazards import (
    CAUSE_CHOICES,
    GRADE_CHOICES,
    SOURCE_CHOICES,
    TREATMENT_CHOICES,
    TYPE_CHOICES,
)
from compliance.rules.escalation import DEFAULT_LADDER
from compliance.rules.hazard_states import ALLOWED_ACTION_CODES, MACHINE
from compliance.rules.hazard_states import allowed_actions as hazard_allowed_actions
from compliance.rules.hazard_timeline import event_label, event_summary
from compliance.rules.major_hazard import MAJOR_HAZARD_CHECKLISTS


@extend_schema_serializer(component_name="Hazard")
class HazardOut(serializers.ModelSerializer):
    overdue = serializers.BooleanField(read_only=True)
    photo_count = serializers.IntegerField(read_only=True)
    state_display = ChoiceLabelField(Hazard, "state")
    grade_display = ChoiceLabelField(Hazard, "grade")
    risk_point_code = serializers.CharField(source="risk_point.code", read_only=True, default=None)
    responsible_person_name = serializers.SerializerMethodField()
    acceptor_display = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(
        help_text="调用者此刻可执行的操作（按状态机与角色计算；POST /hazards/{id}/<操作，下划线换为连字符>/）。"
                  "监管部门用户为空。五落实、督办销号等需更多事实的条件不在此判断，由操作本身返回 400/409。")

    class Meta:
        model = Hazard
        fields = (
            "id", "number", "title", "description", "location", "risk_point", "risk_point_code", "control_measure",
            "source", "source_detail", "hazard_type", "cause", "grade", "grade_display", "treatment", "state",
            "state_display", "found_on", "reporter", "responsible_person", "responsible_person_name", "responsible_name",
            "measures", "funds_yuan", "deadline", "deadline_at", "overdue", "contingency_plan", "extension_count",
            "checklist_code", "checklist_version", "checklist_items", "major_basis", "supervised", "supervised_by",
            "supervision_note", "regulator_signed_off_at", "rectified_by", "completed_on", "acceptor", "acceptor_display",
            "accepted_on", "accepted_at", "acceptance_comment", "reject_reason", "closed_at", "ledger_seq", "source_ref",
            "photo_count", "created_at", "updated_at", "allowed_actions",
        )
        read_only_fields = fields
        list_serializer_class = PlannedListSerializer

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": list(ALLOWED_ACTION_CODES)}})
    def get_allowed_actions(self, obj: Hazard) -> list[str]:
        actor = enterprise_writer(caller_of(self.context))
        if actor is None or obj.enterprise_id != actor.enterprise_id:
            return []
        uid = actor.user_id
        return hazard_allowed_actions(obj.state, obj.grade, actor.role,
                                      responsible=uid is not None and obj.responsible_person_id == uid,
                                      rectifier=uid is not None and obj.rectified_by_id == uid)

    def get_responsible_person_name(self, obj: Hazard) -> str:
        return str(obj.responsible_person) if obj.responsible_person_id else obj.responsible_name

    def get_acceptor_display(self, obj: Hazard) -> str:
        return str(obj.acceptor) if obj.acceptor_id else obj.acceptor_name


@extend_schema_serializer(component_name="HazardInput")
class HazardFileIn(serializers.Serializer):
    """Filing input (safety officer). The enterprise is the caller's, never read from the body."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    risk_point = serializers.PrimaryKeyRelatedField(queryset=RiskPoint.objects.all(), required=False, allow_null=True)
    control_measure = serializers.PrimaryKeyRelatedField(queryset=ControlMeasure.objects.select_related("risk_event"),
                                                         required=False, allow_null=True)
    source = serializers.ChoiceField(choices=SOURCE_CHOICES, required=False)
    source_detail = serializers.CharField(required=False, allow_blank=True, max_length=50)
    hazard_type = serializers.ChoiceField(choices=TYPE_CHOICES, required=False)
    cause = serializers.ChoiceField(choices=CAUSE_CHOICES, required=False, allow_blank=True)
    grade = serializers.ChoiceField(choices=GRADE_CHOICES, required=False)
    treatment = serializers.ChoiceField(choices=TREATMENT_CHOICES, required=False)
    found_on = serializers.DateField(required=False)
    responsible_person = serializers.PrimaryKeyRelatedField(queryset=User.objects.select_related("membership"),
                                                            required=False, allow_null=True)
    responsible_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    measures = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    funds_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    contingency_plan = serializers.CharField(required=False, allow_blank=True, max_length=5000)


@extend_schema_serializer(component_name="HazardReport")
class HazardReportIn(serializers.Serializer):
    """An employee's report (职工查身边隐患)."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    risk_point = serializers.PrimaryKeyRelatedField(queryset=RiskPoint.objects.all(), required=False, allow_null=True)
    hazard_type = serializers.ChoiceField(choices=TYPE_CHOICES, required=False)
    found_on = serializers.DateField(required=False)
    client_key = serializers.CharField(required=False, max_length=64, help_text=(
        "幂等键（与请求头 Idempotency-Key 二选一，建议 UUID）：同一用户 24 小时内以同一键重复提交，返回首次上报的隐患（200）"))


@extend_schema_serializer(component_name="HazardConfirmIn")
class HazardConfirmIn(HazardFileIn):
    title = serializers.CharField(max_length=200, required=False)


@extend_schema_serializer(component_name="HazardPlanIn")
class HazardPlanIn(serializers.Serializer):
    """The rectification plan / five commitments (五落实) of a hazard."""

    measures = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    responsible_person = serializers.PrimaryKeyRelatedField(queryset=User.objects.select_related("membership"),
                                                            required=False, allow_null=True)
    responsible_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    funds_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True)
    contingency_plan = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    deadline = serializers.DateField(required=False, allow_null=True)


@extend_schema_serializer(component_name="HazardReasonIn")
class HazardReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


@extend_schema_serializer(component_name="HazardCommentIn")
class HazardCommentIn(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="HazardChecklistIn")
class HazardChecklistIn(serializers.Serializer):
    checklist = serializers.ChoiceField(choices=sorted(MAJOR_HAZARD_CHECKLISTS))
    items = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=9999), max_length=50,
                                  help_text="条款编号（2017：1–20；令第10号：条 × 100 + 项，如 1103）")


@extend_schema_serializer(component_name="ExtensionRequest")
class ExtensionRequestIn(serializers.Serializer):
    new_deadline = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


@extend_schema_serializer(component_name="ExtensionDecision")
class ExtensionDecisionIn(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="HazardExtension")
class HazardExtensionOut(serializers.ModelSerializer):
    class Meta:
        model = HazardExtension
        fields = ("id", "hazard", "requested_by", "requested_at", "old_deadline", "new_deadline", "reason", "status",
                  "decided_by", "decided_at", "decision_comment", "regulator_approved")
        read_only_fields = fields


@extend_schema_serializer(component_name="HazardPhoto")
class HazardPhotoOut(serializers.ModelSerializer):
    class Meta:
        model = HazardPhoto
        fields = ("id", "hazard", "kind", "content_type", "size", "original_name", "uploaded_by", "created_at")
        read_only_fields = fields


@extend_schema_serializer(component_name="PhotoUpload")
class PhotoUploadIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HazardPhoto.Kind.choices)
    file = BinaryFileField(allow_empty_file=False)


@extend_schema_serializer(component_name="Event")
class HazardEventOut(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_label = serializers.CharField()
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    reason = serializers.CharField()
    changes = serializers.JSONField()
    payload = serializers.JSONField()


#: Hazard field name → its Chinese verbose name (the timeline's "修改：…").
HAZARD_FIELD_LABELS = {f.name: str(f.verbose_name) for f in Hazard._meta.get_fields() if hasattr(f, "verbose_name")}
#: Timeline key → {enum code → Chinese label}: the summary shows enum values by their labels.
TIMELINE_VALUE_LABELS = {
    "kind": {str(k): str(v) for k, v in HazardPhoto.Kind.choices},
    "step": {s.code: s.label for s in DEFAULT_LADDER},
    "grade": {str(k): str(v) for k, v in GRADE_CHOICES},
    "treatment": {str(k): str(v) for k, v in TREATMENT_CHOICES},
    "checklist": {code: c.title for code, c in MAJOR_HAZARD_CHECKLISTS.items()},
    "rule_set": dict(KIND_LABELS),
}
#: How the timeline names the platform itself (an event without a user: sweeps, imports by the system).
SYSTEM_ACTOR = "系统"


@extend_schema_serializer(component_name="HazardTimelineEntry")
class HazardTimelineOut(serializers.Serializer):
    """One step of a hazard's timeline (an audit event, oldest first)."""

    id = serializers.IntegerField()
    at = serializers.DateTimeField(source="created_at", help_text="时间（UTC，控制台按 Asia/Shanghai 显示）")
    action = serializers.CharField(help_text="审计动作代码，如 hazard.confirm")
    action_display = serializers.SerializerMethodField(help_text="动作中文名")
    actor = serializers.IntegerField(source="actor_id", allow_null=True, help_text="操作人用户 id；系统为 null")
    actor_name = serializers.SerializerMethodField(help_text="操作人姓名（无操作人的系统事件：系统）")
    actor_role = serializers.SerializerMethodField(help_text="操作人角色代码（系统为 null）")
    actor_role_display = serializers.SerializerMethodField(help_text="操作人角色中文名（系统事件为空）")
    organization = serializers.SerializerMethodField(help_text="操作人所属单位名称")
    from_state = serializers.CharField(help_text="原状态（不变状态的动作为空）")
    from_state_display = serializers.SerializerMethodField()
    to_state = serializers.CharField(help_text="新状态（不变状态的动作为空）")
    to_state_display = serializers.SerializerMethodField()
    reason = serializers.CharField(help_text="理由/意见")
    summary = serializers.SerializerMethodField(
        help_text="中文摘要：上报/登记事件列主要字段，其他事件列修改的字段与附加信息（时间按 Asia/Shanghai）")
    changes = serializers.JSONField(help_text="变更字段 {字段: [原值, 新值]}")
    payload = serializers.JSONField(help_text="附加数据")

    def get_action_display(self, e) -> str:
        return event_label(e.action)

    def _membership(self, e):
        return getattr(e.actor, "membership", None) if e.actor_id else None

    def get_actor_name(self, e) -> str:
        if e.actor_id is None:
            return SYSTEM_ACTOR
        return (e.actor.full_name or e.actor.username) if e.actor else e.actor_label

    def get_actor_role(self, e) -> str | None:
        m = self._membership(e)
        return m.role if m is not None else None

    def get_actor_role_display(self, e) -> str:
        m = self._membership(e)
        return role_label(m.role) if m is not None else ""

    def get_organization(self, e) -> str:
        m = self._membership(e)
        if m is None:
            return ""
        org = m.enterprise if m.enterprise_id else m.regulator
        return org.name if org is not None else ""

    def get_from_state_display(self, e) -> str:
        return MACHINE.label(e.from_state) if e.from_state else ""

    def get_to_state_display(self, e) -> str:
        return MACHINE.label(e.to_state) if e.to_state else ""

    def get_summary(self, e) -> str:
        return event_summary(e.action, e.changes, e.payload, HAZARD_FIELD_LABELS, TIMELINE_VALUE_LABELS)


@extend_schema_serializer(component_name="LedgerUpload")
class LedgerUploadIn(serializers.Serializer):
    file = BinaryFileField(allow_empty_file=False)
