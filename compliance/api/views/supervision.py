"""Hazards of the jurisdiction as the regulator supervises them (挂牌督办, ``/api/v1/hazard-supervision/``):
list/detail and the two regulator steps, each calling :mod:`compliance.services.supervision`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.api.inputs import validated
from backend.core.api.viewsets import RegulatorScopedViewSet
from compliance import selectors
from compliance.api.filters import SupervisedHazardFilter
from compliance.api.serializers.hazards import HazardOut
from compliance.api.serializers.supervision import SignoffIn, SuperviseIn
from compliance.models import Hazard
from compliance.services import supervision


class SupervisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegulatorScopedViewSet):
    """Hazards of the jurisdiction as the regulator supervises them (挂牌督办): list/detail with
    ``?supervised=``/``grade``, ``POST {id}/supervise/`` and ``POST {id}/signoff/``."""
    # Bodies: supervise {note} (≤ 100), signoff {comment} (≤ 500); each answers the hazard (Hazard).
    # (The docstring is the OpenAPI description clients see: kept word for word.)

    queryset = Hazard.objects.all()
    scope = "jurisdiction"
    serializer_class = HazardOut
    ordering_fields = ("id", "deadline_at", "state")

    filterset_class = SupervisedHazardFilter

    def base_queryset(self):
        return selectors.hazards_annotated()

    def _out(self, hazard: Hazard) -> Response:
        return Response(HazardOut(self.get_queryset().get(pk=hazard.pk)).data)

    @extend_schema(request=SuperviseIn, responses={200: HazardOut}, summary="挂牌督办")
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        data = validated(SuperviseIn, request.data)
        return self._out(supervision.hazard_supervise(actor=self.actor, hazard=self.get_object(), note=data["note"]))

    @extend_schema(request=SignoffIn, responses={200: HazardOut}, summary="督办销号")
    @action(detail=True, methods=["post"])
    def signoff(self, request, pk=None):
        data = validated(SignoffIn, request.data)
        return self._out(supervision.hazard_regulator_signoff(actor=self.actor, hazard=self.get_object(),
                                                              comment=data["comment"]))
