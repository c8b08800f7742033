"""API of special-operation permits: ``/api/v1/permits/``.

* ``GET/POST /permits/``, ``GET/PATCH /permits/{id}/`` — no DELETE (permits are kept; ``cancel``).
* one POST per transition: ``submit``, ``approve`` ({step, opinion}: signs the current step),
  ``reject`` ({reason}), ``confirm-measures`` ({measures: [code]}), ``brief`` ({briefed_names}),
  ``start``, ``suspend`` ({reason}), ``resume``, ``complete``, ``accept`` ({opinion}), ``cancel`` ({reason}).
* ``GET/POST /permits/{id}/gas-tests/``; ``GET /permits/{id}/pdf/`` (printable permit).
* Filters (:mod:`special_ops.api.filters`): ``type``, ``state``, ``risk_point``, ``q`` and ``live``
  (:func:`special_ops.selectors.permits_live_q`). Regulators list their jurisdiction's permits
  read-only through the same endpoint.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.actors import require_enterprise
from backend.core.api import TenantScopedViewSet, roles_from, validated
from special_ops import selectors
from special_ops.api.filters import PermitFilter
from special_ops.api.refusals import NamesRuleSet
from special_ops.api.serializers import (
    ApproveIn,
    AssessIn,
    AssessOut,
    BriefIn,
    GasTestIn,
    GasTestOut,
    MeasuresIn,
    OpinionIn,
    OptionalReasonIn,
    PermitIn,
    PermitListOut,
    PermitOut,
    ReasonIn,
)
from special_ops.models import WorkPermit
from special_ops.printout import permit_pdf
from special_ops.rules.types import ACTION_ROLES, MACHINE, PERMIT_ROLES
from special_ops.services import approvals, assessment, execution, gas, permits


# --- viewset -------------------------------------------------------------------------------------
class PermitViewSet(NamesRuleSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Special-operation permits (特殊作业票): list/detail, apply and edit, one POST per transition,
    gas tests and the printable permit. Regulators read their jurisdiction's permits only. Every
    refusal (400/409) names the enterprise's rule set (message and ``details.rule_set``)."""

    queryset = WorkPermit.objects.all()
    serializer_class = PermitOut
    filterset_class = PermitFilter
    ordering_fields = ("id", "planned_start", "planned_end", "number", "state", "type")
    ordering = ("-planned_start",)
    http_method_names = ["get", "post", "patch", "head", "options"]
    # One role table: the permit state machine's roles plus those of the actions that keep the state.
    write_roles = PERMIT_ROLES
    action_roles = roles_from(MACHINE, extra={
        "create": ACTION_ROLES["create"], "assess": ACTION_ROLES["create"], "partial_update": ACTION_ROLES["update"],
        "confirm_measures": ACTION_ROLES["confirm_measures"], "brief": ACTION_ROLES["brief"],
        "gas_tests": ACTION_ROLES["gas_test"],
    })

    def base_queryset(self) -> QuerySet[WorkPermit]:
        return selectors.permit_list_queryset() if self.action == "list" else selectors.permit_detail_queryset()

    def get_serializer_class(self):
        return PermitListOut if self.action == "list" else PermitOut

    def _out(self, permit: WorkPermit, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=permit.pk)
        return Response(PermitOut(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=PermitIn, responses={201: PermitOut}, summary="申请作业票（草稿）")
    def create(self, request, *args, **kwargs):
        enterprise = require_enterprise(self.actor)
        s = PermitIn(data=request.data)
        s.is_valid(raise_exception=True)
        permit = permits.permit_create(actor=self.actor, enterprise=enterprise, type=s.validated_data["type"],
                                       **s.service_kwargs())
        return self._out(permit, status.HTTP_201_CREATED)

    @extend_schema(request=AssessIn, responses={200: AssessOut},
                   summary="评估作业（不办票）：计算级别、适用规则、全部升级理由、有效期上限和审批人")
    @action(detail=False, methods=["post"])
    def assess(self, request):
        enterprise = require_enterprise(self.actor)
        body = validated(AssessIn, request.data)
        result = assessment.preview(enterprise=enterprise, permit_type=body["type"], facts=body["facts"],
                                    planned_start=body["planned_start"], planned_end=body["planned_end"],
                                    level_declared=body.get("level_declared"),
                                    workers=[dict(w) for w in body.get("workers", [])])
        return Response(AssessOut(result).data)

    @extend_schema(request=PermitIn, responses={200: PermitOut},
                   summary="修改作业票（部分字段；作业类型不可改）")
    def partial_update(self, request, *args, **kwargs):
        permit = self.get_object()
        s = PermitIn(data=request.data, partial=True, permit=permit)
        s.is_valid(raise_exception=True)
        values = s.service_kwargs()
        values.pop("number", None)
        permit = permits.permit_update(actor=self.actor, permit=permit, **values)
        return self._out(permit)

    # transitions -----------------------------------------------------------------------------
    @extend_schema(request=None, responses={200: PermitOut}, summary="提交审批（无请求体）")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._out(approvals.permit_submit(actor=self.actor, permit=self.get_object()))

    @extend_schema(request=ApproveIn, responses={200: PermitOut}, summary="签署当前审批环节（step + opinion）")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        permit = self.get_object()
        body = validated(ApproveIn, request.data)
        return self._out(approvals.permit_approve_step(actor=self.actor, permit=permit, **body))

    @extend_schema(request=ReasonIn, responses={200: PermitOut}, summary="驳回作业票")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        permit = self.get_object()
        return self._out(approvals.permit_reject(actor=self.actor, permit=permit, **validated(ReasonIn, request.data)))

    @extend_schema(request=MeasuresIn, responses={200: PermitOut}, summary="确认安全措施（措施编码列表）")
    @action(detail=True, methods=["post"], url_path="confirm-measures")
    def confirm_measures(self, request, pk=None):
        permit = self.get_object()
        body = validated(MeasuresIn, request.data)
        return self._out(approvals.permit_confirm_measures(actor=self.actor, permit=permit, measure_codes=body["measures"],
                                                           not_applicable=body["not_applicable"]))

    @extend_schema(request=BriefIn, responses={200: PermitOut}, summary="安全交底（被交底人姓名）")
    @action(detail=True, methods=["post"])
    def brief(self, request, pk=None):
        permit = self.get_object()
        return self._out(approvals.permit_brief(actor=self.actor, permit=permit, **validated(BriefIn, request.data)))

    @extend_schema(request=None, responses={200: PermitOut}, summary="开始作业（无请求体）")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._out(execution.permit_start(actor=self.actor, permit=self.get_object()))

    @extend_schema(request=OptionalReasonIn, responses={200: PermitOut}, summary="暂停作业")
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        permit = self.get_object()
        return self._out(execution.permit_suspend(actor=self.actor, permit=permit, **validated(OptionalReasonIn, request.data)))

    @extend_schema(request=None, responses={200: PermitOut}, summary="恢复作业（无请求体）")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._out(execution.permit_resume(actor=self.actor, permit=self.get_object()))

    @extend_schema(request=None, responses={200: PermitOut}, summary="作业完工（无请求体）")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._out(execution.permit_complete(actor=self.actor, permit=self.get_object()))

    @extend_schema(request=OpinionIn, responses={200: PermitOut}, summary="完工验收")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        permit = self.get_object()
        return self._out(execution.permit_accept(actor=self.actor, permit=permit, **validated(OpinionIn, request.data)))

    @extend_schema(request=ReasonIn, responses={200: PermitOut}, summary="取消作业票")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        permit = self.get_object()
        return self._out(execution.permit_cancel(actor=self.actor, permit=permit, **validated(ReasonIn, request.data)))

    # gas tests and printout ------------------------------------------------------------------
    @extend_schema(methods=["GET"], request=None, responses={200: GasTestOut(many=True)}, summary="气体分析记录")
    @extend_schema(methods=["POST"], request=GasTestIn, responses={201: GasTestOut},
                   summary="登记一次气体分析（合格判定由系统计算）")
    @action(detail=True, methods=["get", "post"], url_path="gas-tests", pagination_class=None)
    def gas_tests(self, request, pk=None):
        permit = self.get_object()
        if request.method == "GET":
            return Response(GasTestOut(selectors.gas_tests_of(permit), many=True).data)
        data = validated(GasTestIn, request.data)
        data["flammable"] = [dict(x) for x in data.get("flammable", [])]
        data["toxic"] = [dict(x) for x in data.get("toxic", [])]
        test = gas.gas_test_record(actor=self.actor, permit=permit, **data)
        return Response(GasTestOut(test).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={(200, "application/pdf"): OpenApiResponse(
        response=OpenApiTypes.BINARY, description="可打印的作业票 PDF")}, summary="下载作业票 PDF")
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        from backend.core.fonts import FontMissing, pdf_unavailable
        permit = self.get_object()
        try:
            pdf = permit_pdf(permit)
        except FontMissing as exc:  # this server lacks the CJK font: 503 cjk_font_missing, not a 500
            raise pdf_unavailable(exc) from exc
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{permit.number}.pdf"'
        return response
