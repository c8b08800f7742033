"""The regulators' feed of 作业前报告 (pre-work reports): ``GET /api/v1/audit/prework-reports/``.

Every permit of the jurisdiction reported to the regulator on approval
(:mod:`special_ops.rules.prework`), with the permit filters (``type``, ``level``, ``maintenance``
检维修, ``contractor`` 外包, ``state`` …) plus ``enterprise``, ``town``, ``industry`` and ``date``
(YYYY-MM-DD, Asia/Shanghai; default today): the reports whose planned work window overlaps that
day. Read-only, regulator members only (enterprise users 403 ``regulator_only``); another
jurisdiction's report is 404. Each row is the permit (list shape) with ``prework_reported_at``
and ``prework_reasons`` (``table`` / ``contractor`` / ``holiday``).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from backend.core.api.permissions import READ_ONLY_REGULATOR_PERMISSIONS
from special_ops.api.filters import PermitFilter
from special_ops.api.views import PermitViewSet
from special_ops.models import WorkPermit


def day_overlap(qs: QuerySet[WorkPermit], day) -> QuerySet[WorkPermit]:
    """Permits whose planned window [start, end) overlaps the local day ``day``."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return qs.filter(planned_start__lt=start + timedelta(days=1), planned_end__gt=start)


class PreworkReportFilter(PermitFilter):
    """The permit filters, the jurisdiction read API's three (``enterprise``, ``town``, ``industry``)
    and ``date``."""

    enterprise = django_filters.NumberFilter(field_name="enterprise_id", min_value=1, max_value=2**62)
    town = django_filters.CharFilter(field_name="enterprise__division_code", lookup_expr="startswith", max_length=12)
    industry = django_filters.CharFilter(field_name="enterprise__industry", lookup_expr="icontains", max_length=50)
    date = django_filters.DateFilter(method="filter_date", label="作业日期（默认今天）")

    class Meta(PermitFilter.Meta):
        fields = (*PermitFilter.Meta.fields, "enterprise", "town", "industry", "date")

    def filter_date(self, qs: QuerySet[WorkPermit], name: str, value) -> QuerySet[WorkPermit]:
        return day_overlap(qs, value)


class JurisdictionPreworkReportViewSet(PermitViewSet):
    """监管查阅：辖区企业的作业前报告（按作业日期，默认今天）。"""

    permission_classes = READ_ONLY_REGULATOR_PERMISSIONS
    http_method_names = ["get", "head", "options"]
    filterset_class = PreworkReportFilter

    def base_queryset(self) -> QuerySet[WorkPermit]:
        return super().base_queryset().filter(prework_reported_at__isnull=False)

    def filter_queryset(self, queryset: QuerySet[WorkPermit]) -> QuerySet[WorkPermit]:
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and not self.request.query_params.get("date"):
            queryset = day_overlap(queryset, timezone.localdate())
        return queryset
