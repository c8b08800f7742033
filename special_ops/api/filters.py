"""Filters of ``/api/v1/permits/``: ``q`` (number/content/location), ``type``, ``state``,
``risk_point`` and ``live`` (:func:`special_ops.selectors.permits_live_q`). Unknown parameters are a
400 (StrictFilterSet)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from backend.core.api import StrictFilterSet
from special_ops.models import WorkPermit
from special_ops.rules.types import PermitState, PermitType
from special_ops.selectors import permits_live_q


class PermitFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=100, label="编号/内容/地点搜索")
    type = django_filters.MultipleChoiceFilter(choices=[(t.value, t.label) for t in PermitType])
    state = django_filters.MultipleChoiceFilter(choices=[(s.value, s.label) for s in PermitState])
    risk_point = django_filters.NumberFilter(field_name="risk_point_id", min_value=1, max_value=2**62)
    live = django_filters.BooleanFilter(method="filter_live", label="当前及 24 小时内的作业")

    class Meta:
        model = WorkPermit
        fields = ("q", "type", "state", "risk_point", "live")

    def filter_q(self, qs: QuerySet[WorkPermit], name: str, value: str) -> QuerySet[WorkPermit]:
        return qs.filter(Q(number__icontains=value) | Q(work_content__icontains=value) | Q(location__icontains=value))

    def filter_live(self, qs: QuerySet[WorkPermit], name: str, value: bool) -> QuerySet[WorkPermit]:
        live = permits_live_q(timezone.now())
        return qs.filter(live) if value else qs.exclude(live)
