"""FilterSets of the compliance API (one per model, on the strict base: an unknown filter is a 400)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from backend.core.api import StrictFilterSet
from compliance.due import tasks_due_on_q
from compliance.models import (
    ControlMeasure,
    Hazard,
    HazardExtension,
    InvestigationTask,
    RiskEvent,
    RiskPoint,
)
from compliance.models.hazards import (
    GRADE_CHOICES,
    SOURCE_CHOICES,
    STATE_CHOICES,
    TREATMENT_CHOICES,
    TYPE_CHOICES,
)
from compliance.models.register import CONTROL_LEVEL_CHOICES, LEVEL_CHOICES
from compliance.selectors import hazard_overdue_q, task_overdue_q

BOOL_CHOICES = [("true", "是"), ("false", "否")]


class RiskPointFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="编号/名称/位置搜索", max_length=100)
    level = django_filters.MultipleChoiceFilter(choices=LEVEL_CHOICES, distinct=False)
    control_level = django_filters.ChoiceFilter(choices=CONTROL_LEVEL_CHOICES)
    department = django_filters.CharFilter(max_length=100)
    flagged = django_filters.BooleanFilter(method="filter_flagged", label="含待复核事件")

    class Meta:
        model = RiskPoint
        fields = ("kind", "level", "control_level", "department", "is_major_hazard_source", "needs_reassessment")

    def filter_q(self, qs, name, value):
        return qs.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(location__icontains=value))

    def filter_flagged(self, qs, name, value):
        return qs.filter(flagged_count__gt=0) if value else qs.filter(flagged_count=0)


class RiskEventFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="描述搜索", max_length=100)
    level = django_filters.MultipleChoiceFilter(choices=LEVEL_CHOICES)
    risk_point = django_filters.NumberFilter(field_name="risk_point_id", min_value=1, max_value=2**62)
    control_level = django_filters.ChoiceFilter(choices=CONTROL_LEVEL_CHOICES)
    department = django_filters.CharFilter(max_length=100)

    class Meta:
        model = RiskEvent
        fields = ("method", "level", "flagged", "risk_point", "control_level", "department", "direct_major")

    def filter_q(self, qs, name, value):
        return qs.filter(Q(description__icontains=value) | Q(step__icontains=value))


class ControlMeasureFilter(StrictFilterSet):
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", max_length=100)
    risk_event = django_filters.NumberFilter(field_name="risk_event_id", min_value=1, max_value=2**62)
    control_level = django_filters.ChoiceFilter(choices=CONTROL_LEVEL_CHOICES)

    class Meta:
        model = ControlMeasure
        fields = ("category", "risk_event", "control_level", "check_cycle_unit")


class HazardFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=100, label="编号/名称/部位搜索")
    # distinct=False: no to-many join to de-duplicate (django-filter's default adds SELECT DISTINCT
    # over every column to the page and its count)
    state = django_filters.MultipleChoiceFilter(choices=STATE_CHOICES, distinct=False)
    grade = django_filters.ChoiceFilter(choices=GRADE_CHOICES)
    source = django_filters.MultipleChoiceFilter(choices=SOURCE_CHOICES, distinct=False)
    hazard_type = django_filters.MultipleChoiceFilter(choices=TYPE_CHOICES, distinct=False)
    treatment = django_filters.ChoiceFilter(choices=TREATMENT_CHOICES)
    risk_point = django_filters.NumberFilter(field_name="risk_point_id", min_value=1, max_value=2**62)
    control_measure = django_filters.NumberFilter(field_name="control_measure_id", min_value=1, max_value=2**62)
    overdue = django_filters.ChoiceFilter(choices=BOOL_CHOICES, method="filter_overdue", label="是否逾期")
    supervised = django_filters.BooleanFilter()
    found_after = django_filters.DateFilter(field_name="found_on", lookup_expr="gte")
    found_before = django_filters.DateFilter(field_name="found_on", lookup_expr="lte")
    deadline_before = django_filters.DateFilter(field_name="deadline", lookup_expr="lte")

    class Meta:
        model = Hazard
        fields = ("state", "grade", "source", "hazard_type", "treatment", "risk_point", "control_measure", "supervised")

    def filter_overdue(self, qs, name, value):
        """The overdue condition itself (index-servable), not the ``overdue`` annotation's CASE."""
        return qs.filter(hazard_overdue_q()) if value == "true" else qs.exclude(hazard_overdue_q())

    def filter_q(self, qs, name, value):
        return qs.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(location__icontains=value)
                         | Q(description__icontains=value))


class HazardExtensionFilter(StrictFilterSet):
    """``?status=pending&status=…`` and ``?hazard=<id>``."""

    status = django_filters.MultipleChoiceFilter(choices=HazardExtension.Status.choices, distinct=False)
    hazard = django_filters.NumberFilter(field_name="hazard_id", min_value=1, max_value=2**62)

    class Meta:
        model = HazardExtension
        fields = ("status", "hazard")


class InvestigationTaskFilter(StrictFilterSet):
    overdue = django_filters.ChoiceFilter(choices=BOOL_CHOICES, method="filter_overdue")
    measure = django_filters.NumberFilter(field_name="measure_id", min_value=1, max_value=2**62)
    risk_point = django_filters.NumberFilter(field_name="risk_point_id", min_value=1, max_value=2**62)
    due_after = django_filters.IsoDateTimeFilter(field_name="due_start", lookup_expr="gte")
    due_before = django_filters.IsoDateTimeFilter(field_name="due_start", lookup_expr="lt")
    due_on = django_filters.DateFilter(method="filter_due_on", label="当日应排查（待排查且时间窗与该日相交）")

    class Meta:
        model = InvestigationTask
        fields = ("state", "measure", "risk_point", "source")

    def filter_overdue(self, qs, name, value):
        return qs.filter(task_overdue_q()) if value == "true" else qs.exclude(task_overdue_q())

    def filter_due_on(self, qs, name, value):
        return qs.filter(tasks_due_on_q(value))


class SupervisedHazardFilter(StrictFilterSet):
    """The regulator's supervision list (``/api/v1/hazard-supervision/``): ``supervised``, ``grade``, ``enterprise``."""

    supervised = django_filters.BooleanFilter()
    grade = django_filters.ChoiceFilter(choices=GRADE_CHOICES)
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", min_value=1, max_value=2**62)

    class Meta:
        model = Hazard
        fields = ("supervised", "grade", "enterprise")
