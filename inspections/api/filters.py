"""FilterSets of the regulator-side API (strict: an unknown or malformed filter is a 400). The
enterprise filter of the jurisdiction (shared with the draws) is
:class:`inspections.selectors.JurisdictionEnterpriseFilter`; the jurisdiction read API's
``enterprise``/``town``/``industry`` come from :func:`backend.core.api.filters.with_jurisdiction_filters`."""

from __future__ import annotations

import django_filters

from backend.core.api import StrictFilterSet
from inspections.models import (
    ConflictOfInterest,
    Draw,
    Finding,
    Inspection,
    InspectionTemplate,
    WhistleblowerReport,
)


class InspectionFilter(StrictFilterSet):
    state = django_filters.ChoiceFilter(choices=Inspection.State.choices())
    kind = django_filters.ChoiceFilter(choices=Inspection.Kind.choices)
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", min_value=1, max_value=2**62)
    draw = django_filters.NumberFilter(field_name="draw_id", min_value=1, max_value=2**62)
    planned_after = django_filters.DateFilter(field_name="planned_on", lookup_expr="gte")
    planned_before = django_filters.DateFilter(field_name="planned_on", lookup_expr="lte")

    class Meta:
        model = Inspection
        fields = ("state", "kind", "enterprise", "draw")


class FindingFilter(StrictFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Finding.Status.choices())
    severity = django_filters.ChoiceFilter(choices=Finding.Severity.choices)
    inspection = django_filters.NumberFilter(field_name="inspection_id", min_value=1, max_value=2**62)
    enterprise = django_filters.NumberFilter(field_name="inspection__enterprise_id", min_value=1, max_value=2**62)

    class Meta:
        model = Finding
        fields = ("status", "severity", "inspection", "enterprise")


class TemplateFilter(StrictFilterSet):
    code = django_filters.CharFilter(max_length=40)

    class Meta:
        model = InspectionTemplate
        fields = ("code",)


class DrawFilter(StrictFilterSet):
    planned_after = django_filters.DateFilter(field_name="planned_on", lookup_expr="gte")
    planned_before = django_filters.DateFilter(field_name="planned_on", lookup_expr="lte")

    class Meta:
        model = Draw
        fields = ("planned_after", "planned_before")


class ConflictFilter(StrictFilterSet):
    inspector = django_filters.NumberFilter(field_name="inspector_id", min_value=1, max_value=2**62)
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", min_value=1, max_value=2**62)

    class Meta:
        model = ConflictOfInterest
        fields = ("inspector", "enterprise")


class WhistleblowerReportFilter(StrictFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=WhistleblowerReport.Status.choices())

    class Meta:
        model = WhistleblowerReport
        fields = ("status",)


class PublicResultFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=Inspection.Kind.choices)

    class Meta:
        model = Inspection
        fields = ("kind",)


class PublicDrawFilter(StrictFilterSet):
    regulator = django_filters.NumberFilter(field_name="regulator_id", min_value=1, max_value=2**62)

    class Meta:
        model = Draw
        fields = ("regulator",)
