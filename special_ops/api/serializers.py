"""Serializers of the permit API: request bodies (``*In``) and responses (``*Out``).

Input serializers validate shape only (lengths, ranges, per-type facts); the services decide. The
JSON shape of a permit body is the one of samples/permits_sample.json (``risk_point`` as an id).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.accounts.models import Role, User
from backend.core.api.fields import ChoiceLabelField
from backend.core.api.listing import PlannedListSerializer
from backend.core.api.permissions import caller_of, enterprise_writer
from compliance.models import RiskPoint
from special_ops import selectors
from special_ops.api.facts import FACTS_SERIALIZERS, FactsField
from special_ops.models import GasTest, PermitApproval, WorkPermit
from special_ops.rules.allowed import PERMIT_ACTION_CODES
from special_ops.rules.types import PermitType


# --- input ----------------------------------------------------------------------------------------
def _user_field() -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True, default=None)


class ApplicantIn(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    unit = serializers.CharField(max_length=100)
    user = _user_field()


class WorkUnitIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=WorkPermit.UnitKind.choices, default=WorkPermit.UnitKind.INTERNAL)


class WorkLeaderIn(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    user = _user_field()


class GuardianIn(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    cert_no = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    user = _user_field()


class WorkerIn(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    trade = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    cert_type = serializers.CharField(max_length=100, required=False, allow_blank=True, allow_null=True, default="")
    cert_no = serializers.CharField(max_length=50, required=False, allow_blank=True, allow_null=True, default="")
    user = _user_field()


class PermitIn(serializers.Serializer):
    """Create/update body (the shape of permits_sample.json cases, with ``risk_point`` as an id)."""

    type = serializers.ChoiceField(choices=[(t.value, t.label) for t in PermitType])
    permit_no = serializers.CharField(max_length=40, required=False, allow_blank=True)
    level_declared = serializers.CharField(max_length=10, required=False, allow_blank=True, allow_null=True)
    work_content = serializers.CharField(max_length=2000)
    location = serializers.CharField(max_length=200)
    lon = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, allow_null=True)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True)
    risk_point = serializers.PrimaryKeyRelatedField(queryset=RiskPoint.objects.all(), required=False, allow_null=True)
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField()
    applicant = ApplicantIn()
    work_unit = WorkUnitIn()
    maintenance = serializers.BooleanField(required=False, help_text="检维修作业（监管端可按 maintenance 筛选）")
    work_leader = WorkLeaderIn()
    guardian = GuardianIn()
    gas_analyst = serializers.CharField(max_length=50, required=False, allow_blank=True, allow_null=True)
    workers = WorkerIn(many=True, max_length=100)
    related_permits = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    risk_identification = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    facts = FactsField()

    def __init__(self, *args: Any, permit: WorkPermit | None = None, **kwargs: Any) -> None:
        self.permit = permit
        super().__init__(*args, **kwargs)

    def validate_type(self, value: str) -> str:
        if self.permit is not None and value != self.permit.type:
            raise serializers.ValidationError("作业类型不能修改。", code="immutable")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "facts" in attrs:
            ptype = attrs.get("type") or self.permit.type
            s = FACTS_SERIALIZERS[ptype](data=attrs["facts"], partial=self.partial)
            if not s.is_valid():
                raise serializers.ValidationError({"facts": s.errors})
            attrs["facts"] = dict(s.validated_data)
        return attrs

    def service_kwargs(self) -> dict[str, Any]:
        """Flatten to :func:`special_ops.services.permits.permit_create` / ``permit_update`` kwargs."""
        d = dict(self.validated_data)
        out: dict[str, Any] = {}
        for key in ("level_declared", "work_content", "location", "lon", "lat", "risk_point", "planned_start",
                    "planned_end", "risk_identification"):
            if key in d:
                out[key] = d[key] if d[key] is not None or key in ("lon", "lat", "risk_point") else ""
        people = {"applicant": {"name": "applicant_name", "unit": "applicant_unit", "user": "applicant_user"},
                  "work_unit": {"name": "work_unit", "kind": "work_unit_kind"},
                  "work_leader": {"name": "work_leader_name", "phone": "work_leader_phone", "user": "work_leader_user"},
                  "guardian": {"name": "guardian_name", "cert_no": "guardian_cert_no", "user": "guardian_user"}}
        for key, mapping in people.items():
            if key in d:
                out.update({target: d[key].get(src) for src, target in mapping.items()})
        if "gas_analyst" in d:
            out["gas_analyst_name"] = d["gas_analyst"] or ""
        if "maintenance" in d:
            out["is_maintenance"] = d["maintenance"]
        if "related_permits" in d:
            out["related_numbers"] = list(dict.fromkeys(d["related_permits"]))
        if "workers" in d:
            out["workers"] = [dict(w) for w in d["workers"]]
        if "facts" in d:
            out["detail"] = d["facts"]
        if "permit_no" in d:
            out["number"] = d["permit_no"]
        return out


class AssessIn(serializers.Serializer):
    """``POST /permits/assess/``: what the rules say about a job, without filing it — type, planned
    window, the type's ``facts`` (as in :class:`PermitIn`), optionally the declared level and workers."""

    type = serializers.ChoiceField(choices=[(t.value, t.label) for t in PermitType])
    level_declared = serializers.CharField(max_length=10, required=False, allow_blank=True, allow_null=True)
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField()
    workers = WorkerIn(many=True, max_length=100, required=False)
    facts = FactsField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        s = FACTS_SERIALIZERS[attrs["type"]](data=attrs["facts"])
        if not s.is_valid():
            raise serializers.ValidationError({"facts": s.errors})
        attrs["facts"] = dict(s.validated_data)
        return attrs


class ReasonOut(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    clause = serializers.CharField()


class ApproverOut(serializers.Serializer):
    step = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()


class AssessOut(serializers.Serializer):
    """The assessment of ``POST /permits/assess/``: levels as API codes ('' = the type has none), the
    rule set that applied, every reason the level was raised (code, Chinese text, clause), the
    validity cap in hours (null = none) and the approver the permit would get."""

    type = serializers.CharField()
    rule_set = serializers.CharField()
    level_declared = serializers.CharField(allow_blank=True)
    level_computed = serializers.CharField(allow_blank=True)
    level = serializers.CharField(allow_blank=True)
    level_display = serializers.CharField(allow_blank=True)
    reasons = ReasonOut(many=True)
    validity_max_hours = serializers.FloatField(allow_null=True)
    approver = ApproverOut(allow_null=True)


class GasFlammableIn(serializers.Serializer):
    medium = serializers.CharField(max_length=50)
    lel_pct_vol = serializers.FloatField(min_value=0, max_value=100, required=False, allow_null=True)
    reading_pct_vol = serializers.FloatField(min_value=0, max_value=100)
    reading_pct_lel = serializers.FloatField(min_value=0, max_value=1000, required=False, allow_null=True)


class GasToxicIn(serializers.Serializer):
    gas = serializers.CharField(max_length=50)
    formula = serializers.CharField(max_length=20, required=False, allow_blank=True)
    reading_ppm = serializers.FloatField(min_value=0, max_value=1_000_000)
    oel_ppm_approx = serializers.FloatField(min_value=0, required=False, allow_null=True)


class GasTestIn(serializers.ModelSerializer):
    """One sample: O2 %vol, flammables %vol with the medium's LEL (%vol), toxics ppm."""

    analyst = serializers.CharField(source="analyst_name", max_length=50)
    flammable = GasFlammableIn(many=True, required=False, max_length=10)
    toxic = GasToxicIn(many=True, required=False, max_length=10)
    o2_pct_vol = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                          required=False, allow_null=True)

    class Meta:
        model = GasTest
        fields = ("sampled_at", "sample_point", "analyst", "analyst_user", "o2_pct_vol", "flammable", "toxic")


class GasTestOut(GasTestIn):
    """A recorded sample with the verdict the platform computed (``passed``, ``failures`` [{code, message}])."""

    class Meta(GasTestIn.Meta):
        fields = ("id", *GasTestIn.Meta.fields, "passed", "failures", "created_at")
        read_only_fields = fields


class ApproveIn(serializers.Serializer):
    step = serializers.CharField(max_length=40)
    opinion = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class OptionalReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OpinionIn(serializers.Serializer):
    opinion = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MeasuresIn(serializers.Serializer):
    """Measure codes confirmed (``measures``) and marked 不涉及 (``not_applicable``); at least one."""

    measures = serializers.ListField(child=serializers.CharField(max_length=40), max_length=50, required=False,
                                     default=list)
    not_applicable = serializers.ListField(child=serializers.CharField(max_length=40), max_length=50, required=False,
                                           default=list, help_text="标记为“不涉及”的措施编码（标准规定必须落实的措施除外）")


class BriefIn(serializers.Serializer):
    briefed_names = serializers.ListField(child=serializers.CharField(max_length=50), min_length=1, max_length=100)


# --- output --------------------------------------------------------------------------------------
class PermitListOut(serializers.ModelSerializer):
    """A permit in a list: identity, type, state, level, window and the type facts."""

    type_display = ChoiceLabelField(WorkPermit, "type")
    state_display = ChoiceLabelField(WorkPermit, "state")
    level_display = ChoiceLabelField(WorkPermit, "level")
    permit_no = serializers.CharField(source="number", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    risk_point_code = serializers.CharField(source="risk_point.code", read_only=True, default=None)
    facts = serializers.SerializerMethodField()
    maintenance = serializers.BooleanField(source="is_maintenance", read_only=True, help_text="检维修作业")
    contractor = serializers.SerializerMethodField(help_text="外包（承包商）作业：work_unit.kind = contractor")
    allowed_actions = serializers.SerializerMethodField(
        help_text="调用者此刻可执行的操作（状态机、签署环节的角色与职责分离；POST /permits/{id}/<操作>/，"
                  "partial_update 即 PATCH，gas_tests 即 POST gas-tests/）。监管部门用户为空。"
                  "气体分析时效、措施未确认等条件不在此判断，由操作本身返回 400/409。")
    sign_step = serializers.SerializerMethodField(
        help_text="调用者此刻可签署的审批环节代码（approve 的 step），无则为 null。")

    class Meta:
        model = WorkPermit
        fields = ("id", "permit_no", "enterprise", "enterprise_name", "type", "type_display", "state", "state_display",
                  "level", "level_display", "level_declared", "level_computed", "work_content", "location", "risk_point",
                  "risk_point_code", "planned_start", "planned_end", "work_unit", "work_leader_name", "guardian_name",
                  "facts", "updated_at", "maintenance", "contractor", "prework_reported_at", "prework_reasons",
                  "allowed_actions", "sign_step")
        read_only_fields = fields
        list_serializer_class = PlannedListSerializer

    def _allowed(self, obj: WorkPermit) -> tuple[list[str], str | None]:
        cache = self.context.setdefault("_allowed", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.permit_allowed(obj, enterprise_writer(caller_of(self.context)))
        return cache[obj.pk]

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": list(PERMIT_ACTION_CODES)}})
    def get_allowed_actions(self, obj: WorkPermit) -> list[str]:
        return self._allowed(obj)[0]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_sign_step(self, obj: WorkPermit) -> str | None:
        return self._allowed(obj)[1]

    def get_facts(self, obj: WorkPermit) -> dict[str, Any]:
        return selectors.facts_of(obj)

    def get_contractor(self, obj: WorkPermit) -> bool:
        return obj.work_unit_kind == WorkPermit.UnitKind.CONTRACTOR


class PermitOut(PermitListOut):
    """The whole permit: people, workers, the approval chain with its signatures, the safety
    measures, the briefing and the gas tests."""

    applicant = serializers.SerializerMethodField()
    work_leader = serializers.SerializerMethodField()
    guardian = serializers.SerializerMethodField()
    workers = serializers.SerializerMethodField()
    chain = serializers.SerializerMethodField()
    current_step = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()
    briefing = serializers.SerializerMethodField()
    gas_tests = GasTestOut(many=True, read_only=True)

    class Meta(PermitListOut.Meta):
        fields = (*PermitListOut.Meta.fields, "level_reasons", "extra_approval", "applicant", "work_unit_kind",
                  "work_leader", "guardian", "gas_analyst_name", "workers", "lon", "lat", "related_numbers",
                  "risk_identification", "chain", "current_step", "measures", "briefing", "gas_tests",
                  "submitted_at", "approved_at", "started_at", "suspended_at", "suspend_reason", "completed_at",
                  "accepted_at", "closed_reason", "created_at")
        read_only_fields = fields

    def get_applicant(self, o: WorkPermit) -> dict:
        return {"name": o.applicant_name, "unit": o.applicant_unit, "user": o.applicant_user_id}

    def get_work_leader(self, o: WorkPermit) -> dict:
        return {"name": o.work_leader_name, "phone": o.work_leader_phone, "user": o.work_leader_user_id}

    def get_guardian(self, o: WorkPermit) -> dict:
        return {"name": o.guardian_name, "cert_no": o.guardian_cert_no, "user": o.guardian_user_id}

    def get_workers(self, o: WorkPermit) -> list[dict]:
        return [{"name": w.name, "trade": w.trade, "cert_type": w.cert_type, "cert_no": w.cert_no, "user": w.user_id}
                for w in o.workers.all()]

    def _signed(self, o: WorkPermit) -> dict[str, PermitApproval]:
        return {a.step: a for a in o.active_approvals}

    def get_chain(self, o: WorkPermit) -> list[dict]:
        signed = self._signed(o)
        return [
            {"step": s.code, "name": s.name, "role": s.role, "role_display": Role(s.role).label, "phase": s.phase,
             "signed": s.code in signed, "signer": getattr(signed.get(s.code), "signer_id", None),
             "signer_name": getattr(signed.get(s.code), "signer_name", ""),
             "opinion": getattr(signed.get(s.code), "opinion", ""),
             "signed_at": getattr(signed.get(s.code), "signed_at", None)}
            for s in selectors.chain_of(o)
        ]

    def get_current_step(self, o: WorkPermit) -> str | None:
        step = selectors.current_step(o, set(self._signed(o)))
        return step.code if step else None

    def get_measures(self, o: WorkPermit) -> list[dict]:
        done = {m.measure_code: m for m in o.active_measures}
        return [{"code": m.code, "text": m.text, "mandatory": m.mandatory, "confirmed": m.code in done,
                 "applicable": getattr(done.get(m.code), "applicable", None),
                 "confirmed_by_name": getattr(done.get(m.code), "confirmed_by_name", ""),
                 "confirmed_at": getattr(done.get(m.code), "confirmed_at", None)} for m in selectors.measures_of(o)]

    def get_briefing(self, o: WorkPermit) -> dict:
        return {"briefer_name": o.briefer_name, "briefer_user": o.briefer_user_id, "briefed_names": o.briefed_names,
                "briefed_at": o.briefed_at}
