"""Import jobs (``/api/v1/import-jobs/``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from backend.core.api.openapi import ImportReportSerializer
from compliance.models import ImportJob
from compliance.services.import_jobs import import_job_progress


@extend_schema_serializer(component_name="ImportJob")
class ImportJobOut(serializers.ModelSerializer):
    """A big import run by the worker: ``state`` pending → running → done (``report``, the same
    report a small upload answers at once) or failed (``error``); progress ``rows_done`` of
    ``rows_total`` (all rows of the file, title and header rows included)."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    rows_done = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()
    requested_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ("id", "kind", "kind_display", "state", "state_display", "filename", "rows_total", "rows_done",
                  "report", "error", "requested_by", "requested_by_name", "created_at", "started_at", "finished_at")
        read_only_fields = fields

    def get_rows_done(self, job: ImportJob) -> int:
        return import_job_progress(job)

    @extend_schema_field(ImportReportSerializer(allow_null=True))
    def get_report(self, job: ImportJob) -> dict | None:
        return job.report

    def get_requested_by_name(self, job: ImportJob) -> str:
        return str(job.requested_by) if job.requested_by_id else ""
