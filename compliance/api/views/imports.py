"""Import jobs: ``GET /api/v1/import-jobs/`` and ``/import-jobs/{id}/`` (big uploads run by the worker).

A register (``POST /risk-register/import/``) or ledger (``POST /hazards/import/``) upload of more
than ``IMPORT_JOB_ROW_THRESHOLD`` rows answers 202 with its job; poll the job for its state, progress
and, when done, the report. Tenancy as the register and the hazards: an enterprise's members see
their jobs, a regulator's members their jurisdiction's (read-only), anyone else 404.
"""

from __future__ import annotations

from typing import Any

import django_filters
from rest_framework import mixins, status
from rest_framework.response import Response

from backend.core.api import StrictFilterSet, TenantScopedViewSet
from compliance.api.serializers.imports import ImportJobOut
from compliance.models import ImportJob
from compliance.services.import_jobs import import_job_submit, import_job_threshold, workbook_rows


class ImportJobFilter(StrictFilterSet):
    state = django_filters.MultipleChoiceFilter(choices=ImportJob.State.choices(), distinct=False)
    kind = django_filters.MultipleChoiceFilter(choices=ImportJob.Kind.choices, distinct=False)

    class Meta:
        model = ImportJob
        fields = ("state", "kind")


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Import jobs of the caller's enterprise (regulators: their jurisdiction's), newest first."""

    queryset = ImportJob.objects.all()
    serializer_class = ImportJobOut
    filterset_class = ImportJobFilter
    ordering_fields = ("id", "created_at", "state")
    ordering = ("-created_at", "-id")

    def base_queryset(self):
        return ImportJob.objects.select_related("requested_by")


def as_job_if_big(request: Any, *, kind: str, enterprise: Any, upload: Any, options: dict[str, Any]) -> Response | None:
    """202 with a new import job when ``upload`` has more than ``IMPORT_JOB_ROW_THRESHOLD`` rows and
    is not a preview (``dry_run`` stays synchronous); None when the request should import at once."""
    if options.get("dry_run"):
        return None
    rows = workbook_rows(upload)
    if rows <= import_job_threshold():
        return None
    job = import_job_submit(actor=request.user, enterprise=enterprise, kind=kind, upload=upload,
                            mapping=options.get("mapping"), rows=rows)
    return Response(ImportJobOut(job).data, status=status.HTTP_202_ACCEPTED)
