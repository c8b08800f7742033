"""Filters of ``/api/v1/permits/``: ``q`` (number/content/location), ``type``, ``state``,
``risk_point``, ``live`` (:func:`special_ops.selectors.permits_live_q`), ``level``, ``maintenance``
(检维修), ``contractor`` (外包) and ``prework_reported`` (作业前报告已发出). Unknown parameters are a
400 (StrictFilterSet)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from backend.core.api import StrictFilterSet
from special_ops.models import LEVEL_CHOICES, WorkPermit
from special_ops.rules.types import PermitState, PermitType
from special_ops.selectors import permits_live_q


class PermitFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=100, label="编号/内容/地点搜索")
    # distinct=False: no to-many join to de-duplicate (the default adds SELECT DISTINCT)
    type = django_filters.MultipleChoiceFilter(choices=[(t.value, t.label) for t in PermitType], distinct=False)
    state = django_filters.MultipleChoiceFilter(choices=[(s.value, s.label) for s in PermitState], distinct=False)
    risk_point = django_filters.NumberFilter(field_name="risk_point_id", min_value=1, max_value=2**62)
    live = django_filters.BooleanFilter(method="filter_live", label="当前及 24 小时内的作业")
    maintenance = django_filters.BooleanFilter(field_name="is_maintenance", label="检维修作业")
    contractor = django_filters.BooleanFilter(method="filter_contractor", label="外包（承包商）作业")
    level = django_filters.MultipleChoiceFilter(choices=LEVEL_CHOICES, label="管理级别", distinct=False)
    prework_reported = django_filters.BooleanFilter(field_name="prework_reported_at", lookup_expr="isnull",
                                                    exclude=True, label="已作业前报告")

    class Meta:
        model = WorkPermit
        fields = ("q", "type", "state", "risk_point", "live", "maintenance", "contractor", "level", "prework_reported")

    def filter_contractor(self, qs: QuerySet[WorkPermit], name: str, value: bool) -> QuerySet[WorkPermit]:
        contractor = Q(work_unit_kind=WorkPermit.UnitKind.CONTRACTOR)
        return qs.filter(contractor) if value else qs.exclude(contractor)

    def filter_q(self, qs: QuerySet[WorkPermit], name: str, value: str) -> QuerySet[WorkPermit]:
        return qs.filter(Q(number__icontains=value) | Q(work_content__icontains=value) | Q(location__icontains=value))

    def filter_live(self, qs: QuerySet[WorkPermit], name: str, value: bool) -> QuerySet[WorkPermit]:
        live = permits_live_q(timezone.now())
        return qs.filter(live) if value else qs.exclude(live)
