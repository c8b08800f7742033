"""双随机 draws (+ verify) and the declared conflicts of interest (回避) of the caller's regulator
(:mod:`inspections.services.draws`, :mod:`inspections.services.conflicts`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.api.inputs import validated
from backend.core.api.viewsets import RegulatorScopedViewSet
from inspections.api.filters import ConflictFilter, DrawFilter
from inspections.api.serializers import ConflictSerializer, DrawIn, DrawOut, DrawVerifyOut
from inspections.models import ConflictOfInterest, Draw
from inspections.rules.states import DRAW_ROLES
from inspections.services import conflicts as conflict_services
from inspections.services import draws as draw_services


class DrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegulatorScopedViewSet):
    """双随机 draws of the caller's regulator. ``POST`` (regulator admin) draws and plans the
    inspections; ``POST {id}/verify/`` re-runs from the stored snapshots → ``{identical, result}``;
    ``POST {id}/publish/`` (regulator admin) puts it on the public results page."""

    queryset = Draw.objects.all()
    scope = "regulator"
    serializer_class = DrawOut
    filterset_class = DrawFilter
    regulator_roles = {"create": DRAW_ROLES, "publish": DRAW_ROLES}
    ordering_fields = ("id", "created_at")
    ordering = ("-created_at",)

    @extend_schema(request=DrawIn, responses={201: DrawOut},
                   summary="双随机抽取并生成检查计划（监管管理员）")
    def create(self, request):
        data = validated(DrawIn, request.data)
        d = draw_services.draw_create(actor=self.actor, **data)
        return Response(DrawOut(d).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: DrawOut}, summary="公开抽查结果（双随机、一公开；监管管理员）")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the draw on ``GET /public/draws/`` (its closed inspections' outcomes, no person).
        403 for non-admins; 409 ``already_published``."""
        d = draw_services.draw_publish(actor=self.actor, draw=self.get_object())
        return Response(DrawOut(d).data)

    @extend_schema(request=None, responses={200: DrawVerifyOut}, summary="按存档快照重算抽取，核验结果")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        d = self.get_object()
        rerun = draw_services.draw_rerun(d)
        return Response({"identical": rerun == d.result, "result": rerun, "stored": d.result})


class ConflictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegulatorScopedViewSet):
    """Declared conflicts of interest (回避) of the caller's regulator; ``POST`` declares one."""

    queryset = ConflictOfInterest.objects.all()
    scope = "regulator"
    serializer_class = ConflictSerializer
    filterset_class = ConflictFilter

    @extend_schema(request=ConflictSerializer, responses={201: ConflictSerializer}, summary="登记回避关系")
    def create(self, request):
        s = ConflictSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        c = conflict_services.conflict_declare(actor=self.actor, inspector=s.validated_data["inspector"],
                                 enterprise=s.validated_data["enterprise"], reason=s.validated_data["reason"])
        return Response(ConflictSerializer(c).data, status=status.HTTP_201_CREATED)
