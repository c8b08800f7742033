"""API of special-operation permits: ``/api/v1/permits/``.

* ``GET/POST /permits/``, ``GET/PATCH /permits/{id}/`` — no DELETE (permits are kept; ``cancel``).
* one POST per transition: ``submit``, ``approve`` ({step, opinion}: signs the current step),
  ``reject`` ({reason}), ``confirm-measures`` ({measures: [code]}), ``brief`` ({briefed_names}),
  ``start``, ``suspend`` ({reason}), ``resume``, ``complete``, ``accept`` ({opinion}), ``cancel`` ({reason}).
* ``GET/POST /permits/{id}/gas-tests/``; ``GET /permits/{id}/pdf/`` (printable permit).
* Filters: ``type``, ``state``, ``risk_point``, ``q`` (number/content/location) and ``live``.
  ``?live=true`` = state approved / in_progress / suspended AND planned window not over
  (``planned_end > now``) AND started or starting within 24 h (``planned_start < now + 24 h``):
  today's live operations plus the upcoming ones. Regulators list their jurisdiction's permits
  read-only through the same endpoint.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.accounts.models import Role, User
from backend.core.api import StrictFilterSet, TenantScopedViewSet, caller_enterprise
from compliance.models import RiskPoint
from special_ops.api.facts import FACTS_SERIALIZERS
from special_ops.models import DETAIL_ACCESSORS, GasTest, PermitApproval, PermitMeasureCheck, WorkPermit
from special_ops.rules.types import LIVE_STATES, PermitState, PermitType
from special_ops.services import permits as svc

LIVE_HORIZON = timedelta(hours=24)


# --- input ---------------------------------------------------------------------------------------
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


class PermitWriteSerializer(serializers.Serializer):
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
    work_leader = WorkLeaderIn()
    guardian = GuardianIn()
    gas_analyst = serializers.CharField(max_length=50, required=False, allow_blank=True, allow_null=True)
    workers = WorkerIn(many=True, max_length=100)
    related_permits = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=20)
    risk_identification = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    facts = serializers.DictField()

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

    def service_kwargs(self, enterprise_id: int) -> dict[str, Any]:
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
        if "related_permits" in d:
            out["related_numbers"] = list(dict.fromkeys(d["related_permits"]))
        if "workers" in d:
            out["workers"] = [dict(w) for w in d["workers"]]
        if "facts" in d:
            out["detail"] = d["facts"]
        if "permit_no" in d:
            out["number"] = d["permit_no"]
        return out


class GasReadingFlammable(serializers.Serializer):
    medium = serializers.CharField(max_length=50)
    lel_pct_vol = serializers.FloatField(min_value=0, max_value=100, required=False, allow_null=True)
    reading_pct_vol = serializers.FloatField(min_value=0, max_value=100)
    reading_pct_lel = serializers.FloatField(min_value=0, max_value=1000, required=False, allow_null=True)


class GasReadingToxic(serializers.Serializer):
    gas = serializers.CharField(max_length=50)
    formula = serializers.CharField(max_length=20, required=False, allow_blank=True)
    reading_ppm = serializers.FloatField(min_value=0, max_value=1_000_000)
    oel_ppm_approx = serializers.FloatField(min_value=0, required=False, allow_null=True)


class GasTestSerializer(serializers.ModelSerializer):
    """One sample: O2 %vol, flammables %vol with the medium's LEL (%vol), toxics ppm; verdict computed."""

    analyst = serializers.CharField(source="analyst_name", max_length=50)
    flammable = GasReadingFlammable(many=True, required=False, max_length=10)
    toxic = GasReadingToxic(many=True, required=False, max_length=10)
    o2_pct_vol = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                          required=False, allow_null=True)

    class Meta:
        model = GasTest
        fields = ("id", "sampled_at", "sample_point", "analyst", "analyst_user", "o2_pct_vol", "flammable", "toxic",
                  "passed", "failures", "created_at")
        read_only_fields = ("id", "passed", "failures", "created_at")


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
    measures = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1, max_length=50)


class BriefIn(serializers.Serializer):
    briefed_names = serializers.ListField(child=serializers.CharField(max_length=50), min_length=1, max_length=100)


# --- output --------------------------------------------------------------------------------------
class PermitListSerializer(serializers.ModelSerializer):
    type_display = serializers.CharField(source="get_type_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    permit_no = serializers.CharField(source="number", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    risk_point_code = serializers.CharField(source="risk_point.code", read_only=True, default=None)
    facts = serializers.SerializerMethodField()

    class Meta:
        model = WorkPermit
        fields = ("id", "permit_no", "enterprise", "enterprise_name", "type", "type_display", "state", "state_display",
                  "level", "level_display", "level_declared", "level_computed", "work_content", "location", "risk_point",
                  "risk_point_code", "planned_start", "planned_end", "work_unit", "work_leader_name", "guardian_name",
                  "facts", "updated_at")
        read_only_fields = fields

    def get_facts(self, obj: WorkPermit) -> dict[str, Any]:
        return svc.facts_of(obj)


class PermitDetailSerializer(PermitListSerializer):
    applicant = serializers.SerializerMethodField()
    work_leader = serializers.SerializerMethodField()
    guardian = serializers.SerializerMethodField()
    workers = serializers.SerializerMethodField()
    chain = serializers.SerializerMethodField()
    current_step = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()
    briefing = serializers.SerializerMethodField()
    gas_tests = GasTestSerializer(many=True, read_only=True)

    class Meta(PermitListSerializer.Meta):
        fields = (*PermitListSerializer.Meta.fields, "level_reasons", "extra_approval", "applicant", "work_unit_kind",
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
            for s in svc.chain_of(o)
        ]

    def get_current_step(self, o: WorkPermit) -> str | None:
        step = svc.current_step(o, set(self._signed(o)))
        return step.code if step else None

    def get_measures(self, o: WorkPermit) -> list[dict]:
        done = {m.measure_code: m for m in o.active_measures}
        return [{"code": m.code, "text": m.text, "confirmed": m.code in done,
                 "confirmed_by_name": getattr(done.get(m.code), "confirmed_by_name", ""),
                 "confirmed_at": getattr(done.get(m.code), "confirmed_at", None)} for m in svc.measures_of(o)]

    def get_briefing(self, o: WorkPermit) -> dict:
        return {"briefer_name": o.briefer_name, "briefer_user": o.briefer_user_id, "briefed_names": o.briefed_names,
                "briefed_at": o.briefed_at}


# --- filters -------------------------------------------------------------------------------------
class PermitFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=100, label="编号/内容/地点搜索")
    type = django_filters.MultipleChoiceFilter(choices=[(t.value, t.label) for t in PermitType])
    state = django_filters.MultipleChoiceFilter(choices=[(s.value, s.label) for s in PermitState])
    risk_point = django_filters.NumberFilter(field_name="risk_point_id", min_value=1, max_value=2**62)
    live = django_filters.BooleanFilter(method="filter_live", label="当前及 24 小时内的作业")

    class Meta:
        model = WorkPermit
        fields = ("q", "type", "state", "risk_point", "live")

    def filter_q(self, qs, name, value):
        return qs.filter(Q(number__icontains=value) | Q(work_content__icontains=value) | Q(location__icontains=value))

    def filter_live(self, qs, name, value):
        now = timezone.now()
        live = Q(state__in=[s.value for s in LIVE_STATES], planned_end__gt=now, planned_start__lt=now + LIVE_HORIZON)
        return qs.filter(live) if value else qs.exclude(live)


# --- viewset -------------------------------------------------------------------------------------
class PermitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Special-operation permits (特殊作业票): list/detail, apply and edit, one POST per transition,
    gas tests and the printable permit. Regulators read their jurisdiction's permits only."""

    queryset = WorkPermit.objects.all()
    serializer_class = PermitDetailSerializer
    filterset_class = PermitFilter
    ordering_fields = ("id", "planned_start", "planned_end", "number", "state", "type")
    ordering = ("-planned_start",)
    http_method_names = ["get", "post", "patch", "head", "options"]
    write_roles = frozenset({Role.ADMIN, Role.SAFETY_OFFICER, Role.PRINCIPAL, Role.EMPLOYEE})

    def base_queryset(self):
        qs = WorkPermit.objects.select_related("enterprise", "risk_point", *DETAIL_ACCESSORS)
        if self.action == "list":
            return qs
        return qs.prefetch_related(
            "workers", "gas_tests",
            Prefetch("approvals", queryset=PermitApproval.objects.filter(voided_at__isnull=True), to_attr="active_approvals"),
            Prefetch("measure_checks", queryset=PermitMeasureCheck.objects.filter(voided_at__isnull=True), to_attr="active_measures"),
        )

    def get_serializer_class(self):
        return PermitListSerializer if self.action == "list" else PermitDetailSerializer

    def _out(self, permit: WorkPermit, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=permit.pk)
        return Response(PermitDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        s = serializer_class(data=self.request.data)
        s.is_valid(raise_exception=True)
        return dict(s.validated_data)

    @extend_schema(request=PermitWriteSerializer, responses={201: PermitDetailSerializer}, summary="申请作业票（草稿）")
    def create(self, request, *args, **kwargs):
        enterprise = caller_enterprise(request)
        s = PermitWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        values = s.service_kwargs(enterprise.pk)
        permit = svc.permit_create(actor=request.user, enterprise=enterprise, type=s.validated_data["type"], **values)
        return self._out(permit, status.HTTP_201_CREATED)

    @extend_schema(request=PermitWriteSerializer, responses={200: PermitDetailSerializer},
                   summary="修改作业票（部分字段；作业类型不可改）")
    def partial_update(self, request, *args, **kwargs):
        permit = self.get_object()
        s = PermitWriteSerializer(data=request.data, partial=True, permit=permit)
        s.is_valid(raise_exception=True)
        values = s.service_kwargs(permit.enterprise_id)
        values.pop("number", None)
        permit = svc.permit_update(actor=request.user, permit=permit, **values)
        return self._out(permit)

    # transitions -----------------------------------------------------------------------------
    @extend_schema(request=None, responses={200: PermitDetailSerializer}, summary="提交审批（无请求体）")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._out(svc.permit_submit(actor=request.user, permit=self.get_object()))

    @extend_schema(request=ApproveIn, responses={200: PermitDetailSerializer}, summary="签署当前审批环节（step + opinion）")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        permit = self.get_object()
        body = self._body(ApproveIn)
        return self._out(svc.permit_approve_step(actor=request.user, permit=permit, **body))

    @extend_schema(request=ReasonIn, responses={200: PermitDetailSerializer}, summary="驳回作业票")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        permit = self.get_object()
        return self._out(svc.permit_reject(actor=request.user, permit=permit, **self._body(ReasonIn)))

    @extend_schema(request=MeasuresIn, responses={200: PermitDetailSerializer}, summary="确认安全措施（措施编码列表）")
    @action(detail=True, methods=["post"], url_path="confirm-measures")
    def confirm_measures(self, request, pk=None):
        permit = self.get_object()
        body = self._body(MeasuresIn)
        return self._out(svc.permit_confirm_measures(actor=request.user, permit=permit, measure_codes=body["measures"]))

    @extend_schema(request=BriefIn, responses={200: PermitDetailSerializer}, summary="安全交底（被交底人姓名）")
    @action(detail=True, methods=["post"])
    def brief(self, request, pk=None):
        permit = self.get_object()
        return self._out(svc.permit_brief(actor=request.user, permit=permit, **self._body(BriefIn)))

    @extend_schema(request=None, responses={200: PermitDetailSerializer}, summary="开始作业（无请求体）")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._out(svc.permit_start(actor=request.user, permit=self.get_object()))

    @extend_schema(request=OptionalReasonIn, responses={200: PermitDetailSerializer}, summary="暂停作业")
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        permit = self.get_object()
        return self._out(svc.permit_suspend(actor=request.user, permit=permit, **self._body(OptionalReasonIn)))

    @extend_schema(request=None, responses={200: PermitDetailSerializer}, summary="恢复作业（无请求体）")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._out(svc.permit_resume(actor=request.user, permit=self.get_object()))

    @extend_schema(request=None, responses={200: PermitDetailSerializer}, summary="作业完工（无请求体）")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._out(svc.permit_complete(actor=request.user, permit=self.get_object()))

    @extend_schema(request=OpinionIn, responses={200: PermitDetailSerializer}, summary="完工验收")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        permit = self.get_object()
        return self._out(svc.permit_accept(actor=request.user, permit=permit, **self._body(OpinionIn)))

    @extend_schema(request=ReasonIn, responses={200: PermitDetailSerializer}, summary="取消作业票")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        permit = self.get_object()
        return self._out(svc.permit_cancel(actor=request.user, permit=permit, **self._body(ReasonIn)))

    # gas tests and printout ------------------------------------------------------------------
    @extend_schema(methods=["GET"], request=None, responses={200: GasTestSerializer(many=True)}, summary="气体分析记录")
    @extend_schema(methods=["POST"], request=GasTestSerializer, responses={201: GasTestSerializer},
                   summary="登记一次气体分析（合格判定由系统计算）")
    @action(detail=True, methods=["get", "post"], url_path="gas-tests")
    def gas_tests(self, request, pk=None):
        permit = self.get_object()
        if request.method == "GET":
            tests = GasTest.objects.filter(permit=permit).order_by("sampled_at", "id")
            return Response(GasTestSerializer(tests, many=True).data)
        s = GasTestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        data["flammable"] = [dict(x) for x in data.get("flammable", [])]
        data["toxic"] = [dict(x) for x in data.get("toxic", [])]
        test = svc.gas_test_record(actor=request.user, permit=permit, **data)
        return Response(GasTestSerializer(test).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={(200, "application/pdf"): OpenApiResponse(
        response=OpenApiTypes.BINARY, description="可打印的作业票 PDF")}, summary="下载作业票 PDF")
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        from special_ops.printout import permit_pdf

        permit = self.get_object()
        response = HttpResponse(permit_pdf(permit), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{permit.number}.pdf"'
        return response
