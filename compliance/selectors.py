"""Reads of the compliance app: querysets annotated in the database for list/filter/order.

``overdue`` is computed by the database relative to ``timezone.now()`` (so time-machine moves
it): a hazard is overdue when its ``deadline_at`` (end of the deadline day, Asia/Shanghai) has
passed and it is not pending acceptance or later (DOMAIN.md §3). A task is overdue when it is
still pending after its window's end.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from backend.audit.models import Event
from compliance.models import Hazard, InvestigationTask
from compliance.rules.hazards import NOT_OVERDUE_STATES


def hazard_overdue_q(now: datetime | None = None) -> Q:
    """The overdue condition as a Q over Hazard (usable in filters and sweeps over the
    (state, deadline_at) index)."""
    now = now or timezone.now()
    return Q(deadline_at__lt=now) & ~Q(state__in=[s.value for s in NOT_OVERDUE_STATES])


def hazards_annotated(now: datetime | None = None) -> QuerySet[Hazard]:
    """All hazards with ``overdue`` (bool) and ``photo_count`` annotations and the relations the
    list serializer reads."""
    return (
        Hazard.objects.select_related("enterprise", "risk_point", "control_measure", "reporter", "responsible_person",
                                      "acceptor", "rectified_by", "supervised_by")
        .annotate(
            overdue=Case(When(hazard_overdue_q(now), then=Value(True)), default=Value(False), output_field=BooleanField()),
            photo_count=Count("photos", distinct=True),
        )
    )


def task_overdue_q(now: datetime | None = None) -> Q:
    return Q(state=InvestigationTask.State.PENDING, due_end__lte=now or timezone.now())


def tasks_annotated(now: datetime | None = None) -> QuerySet[InvestigationTask]:
    """Investigation tasks with ``overdue`` and their measure, risk point and record."""
    return InvestigationTask.objects.select_related("measure", "risk_point", "record", "record__hazard").annotate(
        overdue=Case(When(task_overdue_q(now), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def hazard_events(hazard: Hazard) -> QuerySet[Event]:
    """The audit events of one hazard, oldest first (its readable history)."""
    return Event.objects.filter(object_type="compliance.hazard", object_id=str(hazard.pk)).order_by("created_at", "seq")
