"""Inspections of the caller's regulator (plan, start, results, findings, close), their findings'
follow-ups (复查) and the checklist templates. Each workflow step is one POST action calling one
service (:mod:`inspections.services.inspections`); a foreign object is 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.api.inputs import validated
from backend.core.api.permissions import roles_from
from backend.core.api.viewsets import RegulatorScopedViewSet
from backend.core.errors import FieldError
from inspections.api.filters import FindingFilter, InspectionFilter, TemplateFilter
from inspections.api.serializers import (
    FindingIn,
    FindingOut,
    FollowUpIn,
    FollowUpOut,
    InspectionCreateIn,
    InspectionOut,
    ResultsIn,
    SummaryIn,
    TemplateOut,
)
from inspections.error_codes import InspectionErrorCode as Code
from inspections.models import Finding, Inspection, InspectionTemplate
from inspections.rules.states import FINDING_MACHINE
from inspections.services import inspections as inspection_services


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegulatorScopedViewSet):
    """Inspections of the caller's regulator. ``POST`` plans one (≥ 2 inspectors);
    ``start``, ``results``, ``findings``, ``close`` are its steps (assigned inspectors only)."""

    queryset = Inspection.objects.all()
    scope = "regulator"
    serializer_class = InspectionOut
    filterset_class = InspectionFilter
    ordering_fields = ("id", "planned_on", "state")
    ordering = ("-planned_on",)

    def base_queryset(self):
        return (Inspection.objects.select_related("enterprise", "template")
                .prefetch_related("inspectors", "results", "findings__hazard", "findings__follow_ups"))

    def _out(self, insp: Inspection, code: int = status.HTTP_200_OK) -> Response:
        return Response(InspectionOut(self.get_queryset().get(pk=insp.pk)).data, status=code)

    @extend_schema(request=InspectionCreateIn, responses={201: InspectionOut},
                   summary="计划一次检查（至少 2 名检查人员）")
    def create(self, request):
        data = validated(InspectionCreateIn, request.data)
        template = None
        if data.get("template_code"):
            template = (data["template_code"], data.get("template_version") or "")
        follow_up_of = None
        if data.get("follow_up_of"):
            follow_up_of = Inspection.objects.filter(pk=data["follow_up_of"], regulator_id=self.regulator_id).first()
            if follow_up_of is None:
                raise FieldError("被复查的检查不存在。", code=Code.DOES_NOT_EXIST, field="follow_up_of")
        insp = inspection_services.inspection_create(actor=self.actor, enterprise=data["enterprise"], planned_on=data["planned_on"],
                                     inspectors=data["inspectors"], template=template, title=data["title"],
                                     follow_up_of=follow_up_of)
        return self._out(insp, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InspectionOut}, summary="开始检查（无请求体）")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._out(inspection_services.inspection_start(actor=self.actor, inspection=self.get_object()))

    @extend_schema(request=ResultsIn, responses={200: InspectionOut}, summary="记录检查表条目结果")
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        data = validated(ResultsIn, request.data)
        insp = self.get_object()
        inspection_services.inspection_record_results(actor=self.actor, inspection=insp, results=data["results"])
        return self._out(insp)

    @extend_schema(request=FindingIn, responses={201: FindingOut},
                   summary="登记检查发现的问题（可同时责令整改）")
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        data = validated(FindingIn, request.data)
        f = inspection_services.finding_add(actor=self.actor, inspection=self.get_object(), **data)
        return Response(FindingOut(Finding.objects.select_related("hazard").get(pk=f.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=SummaryIn, responses={200: InspectionOut}, summary="结束检查")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = validated(SummaryIn, request.data)
        return self._out(inspection_services.inspection_close(actor=self.actor, inspection=self.get_object(), summary=data["summary"]))


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegulatorScopedViewSet):
    """Findings of the caller's regulator's inspections; ``POST {id}/follow-up/`` records a 复查."""

    queryset = Finding.objects.all()
    scope = "regulator"
    regulator_path = "inspection__regulator"
    # follow-up performs confirm_fixed / confirm_not_fixed: same roles (the machine's table)
    regulator_roles = roles_from(FINDING_MACHINE, actions={"follow_up": "confirm_fixed"})
    serializer_class = FindingOut
    filterset_class = FindingFilter
    ordering_fields = ("id", "deadline", "status")

    def base_queryset(self):
        return Finding.objects.select_related("hazard").prefetch_related("follow_ups")

    @extend_schema(request=FollowUpIn, responses={201: FollowUpOut}, summary="记录复查结果")
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        data = validated(FollowUpIn, request.data)
        inspection = None
        if data.get("inspection"):
            inspection = Inspection.objects.filter(pk=data["inspection"], regulator_id=self.regulator_id).first()
            if inspection is None:
                raise FieldError("复查检查不存在。", code=Code.DOES_NOT_EXIST, field="inspection")
        fu = inspection_services.follow_up_record(actor=self.actor, finding=self.get_object(), fixed=data["fixed"], note=data["note"],
                                  inspection=inspection)
        return Response(FollowUpOut(fu).data, status=status.HTTP_201_CREATED)


class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegulatorScopedViewSet):
    """The checklist template versions (read-only)."""

    serializer_class = TemplateOut
    filterset_class = TemplateFilter
    queryset = InspectionTemplate.objects.all()
    scope = "public"  # shipped checklists: the same for every regulator (members only, see permissions)
    ordering = ("code", "version")
