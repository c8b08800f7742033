"""Reads of the report jobs (双报告): which reports an organization may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from backend.core.actors import actor_of
from inspections.reports.models import ReportJob


def reports_visible_to(actor: Any, queryset: QuerySet[ReportJob] | None = None) -> QuerySet[ReportJob]:
    """The reports ``actor``'s organization may see (``actor``: an Actor or a user): its own
    enterprise's; or, for a regulator, the enterprise reports in its jurisdiction (division-code
    prefix) and its own jurisdiction reports. Anyone else: none. With enterprise and regulator
    joined for the serializers."""
    a = actor_of(actor)
    qs = (queryset if queryset is not None else ReportJob.objects.all()).select_related("enterprise", "regulator")
    if a.enterprise_id is not None:
        return qs.filter(kind=ReportJob.Kind.ENTERPRISE, enterprise_id=a.enterprise_id)
    if a.regulator_id is not None:
        return qs.filter(
            Q(kind=ReportJob.Kind.ENTERPRISE, enterprise__division_code__startswith=a.jurisdiction)
            | Q(kind=ReportJob.Kind.JURISDICTION, regulator_id=a.regulator_id)
        )
    return qs.none()
