"""Investigation tasks (隐患排查任务): list with DB-computed ``overdue``, and one POST to record a
task's result (which may file a hazard)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.api import TenantScopedViewSet
from backend.core.api.inputs import validated
from compliance import selectors
from compliance.api.filters import InvestigationTaskFilter
from compliance.api.serializers.investigation import (
    InvestigationTaskOut,
    TaskRecordIn,
)
from compliance.models import (
    InvestigationTask,
)
from compliance.rules.hazard_states import EVERYONE
from compliance.services import investigation


class InvestigationTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Due checks of control measures; ``POST /investigation-tasks/{id}/record/`` records the result."""

    queryset = InvestigationTask.objects.all()
    serializer_class = InvestigationTaskOut
    filterset_class = InvestigationTaskFilter
    ordering_fields = ("id", "due_start", "due_end", "state", "overdue")
    ordering = ("due_start",)
    action_roles = {"record": EVERYONE}  # any enterprise member records a check

    def base_queryset(self):
        return selectors.tasks_annotated()

    @extend_schema(request=TaskRecordIn, responses={200: InvestigationTaskOut},
                   summary="记录排查结果（发现隐患时可同时上报）")
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        task = self.get_object()
        investigation.investigation_task_record(actor=request.user, task=task,
                                                **validated(TaskRecordIn, request.data))
        return Response(InvestigationTaskOut(self.get_queryset().get(pk=task.pk)).data)
