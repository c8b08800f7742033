"""The daily 安全风险研判与承诺 (issue 14 point 15).

``/api/v1/risk-commitments/``: the enterprise's signed commitments (regulators: their
jurisdiction's, read-only); ``POST`` — the principal signs today's (``units_running``,
``units_stopped``, ``note``; 403 ``principal_only`` for other roles, 409 ``already_committed``);
``GET prefill/`` — today's figures from the platform (enterprise members).
``/api/v1/audit/risk-commitment-status/?date=`` (regulators): every approved enterprise of the
jurisdiction with whether it has committed that day (default today), filter ``committed``.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.models import Enterprise, Role
from backend.core.actors import actor_of, require_enterprise
from backend.core.api import StrictFilterSet, TenantScopedViewSet, validated
from backend.core.api.viewsets import scope_queryset
from backend.core.errors import FieldError, Forbidden
from compliance.models import DailyRiskCommitment
from compliance.services import daily_commitment


class CommitmentOut(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = DailyRiskCommitment
        fields = ("id", "enterprise", "enterprise_name", "day", "units_running", "units_stopped", "snapshot", "note",
                  "signer_name", "signed_at")
        read_only_fields = fields


class CommitmentIn(serializers.Serializer):
    units_running = serializers.IntegerField(min_value=0, max_value=10000)
    units_stopped = serializers.IntegerField(min_value=0, max_value=10000, required=False, default=0)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CommitmentFilter(StrictFilterSet):
    day = django_filters.DateFilter()
    day_from = django_filters.DateFilter(field_name="day", lookup_expr="gte")
    day_to = django_filters.DateFilter(field_name="day", lookup_expr="lte")
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", min_value=1, max_value=2**62)

    class Meta:
        model = DailyRiskCommitment
        fields = ("day", "day_from", "day_to", "enterprise")


class DailyCommitmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                             TenantScopedViewSet):
    """安全风险研判与承诺：企业每日由主要负责人签署；监管端只读。"""

    queryset = DailyRiskCommitment.objects.select_related("enterprise")
    serializer_class = CommitmentOut
    filterset_class = CommitmentFilter
    ordering_fields = ("id", "day", "signed_at")
    ordering = ("-day", "id")
    write_roles = frozenset({Role.PRINCIPAL, Role.ADMIN, Role.SAFETY_OFFICER})  # the service admits the principal

    @extend_schema(request=CommitmentIn, responses={201: CommitmentOut}, summary="主要负责人签署今日安全承诺")
    def create(self, request, *args, **kwargs):
        data = validated(CommitmentIn, request.data)
        c = daily_commitment.commitment_sign(actor=self.actor, **data)
        return Response(CommitmentOut(c).data, status=status.HTTP_201_CREATED)


class CommitmentPrefillView(APIView):
    """今日研判数据（由平台数据预填）：企业成员。"""

    @extend_schema(responses={200: dict}, summary="今日研判数据（由平台数据预填）")
    def get(self, request):
        if request.query_params:
            bad = sorted(request.query_params)[0]
            raise FieldError(f"未知的筛选参数：{bad}。", code="unknown_filter", field=bad)
        ent = require_enterprise(actor_of(request))
        return Response(daily_commitment.commitment_prefill(ent, timezone.localdate()))


class CommitmentStatusView(APIView):
    """监管端：辖区企业当日是否已签署安全风险研判与承诺。"""

    @extend_schema(parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD（默认今天）"),
                               OpenApiParameter("committed", bool)],
                   responses={200: dict}, summary="辖区企业当日承诺情况")
    def get(self, request):
        actor = actor_of(request)
        if not actor.is_regulator:
            raise Forbidden("仅监管部门可查看。", code="regulator_only")
        unknown = sorted(set(request.query_params) - {"date", "committed"})
        if unknown:
            raise FieldError(f"未知的筛选参数：{unknown[0]}。", code="unknown_filter", field=unknown[0])
        day = validated(_StatusQuery, request.query_params).get("date") or timezone.localdate()
        committed_q = DailyRiskCommitment.objects.filter(enterprise=OuterRef("pk"), day=day)
        qs = (scope_queryset(Enterprise.objects.filter(status=Enterprise.Status.APPROVED), actor, None)
              .annotate(committed=Exists(committed_q)).order_by("id"))
        flag = request.query_params.get("committed")
        if flag is not None:
            value = validated(_StatusQuery, {"committed": flag})["committed"]
            qs = qs.filter(committed=value)
        signed = {c.enterprise_id: c for c in DailyRiskCommitment.objects.filter(day=day, enterprise__in=qs)}
        rows = [{"enterprise": e.pk, "name": e.name, "division_code": e.division_code, "committed": e.committed,
                 "signer_name": signed[e.pk].signer_name if e.pk in signed else "",
                 "signed_at": signed[e.pk].signed_at if e.pk in signed else None} for e in qs]
        done = sum(1 for r in rows if r["committed"])
        return Response({"date": day.isoformat(), "deadline_hour": daily_commitment.deadline_hour(),
                         "committed": done, "missing": len(rows) - done, "results": rows})


class _StatusQuery(serializers.Serializer):
    date = serializers.DateField(required=False)
    committed = serializers.BooleanField(required=False)
