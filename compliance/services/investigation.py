"""Investigation tasks (隐患排查任务) from control measures' check cycles, and their results.

Slots are anchored to fixed points so any two windows agree on them (generation is idempotent,
enforced by the unique (measure, due_start) constraint): hours from local midnight, days from
2000-01-03, months from January 2000, years from 2000 — all Asia/Shanghai. Hour and day cycles
honour the measure's day type (a slot is generated only on matching days); month and year
cycles ignore it. DOMAIN.md §3 "Investigation tasks".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from backend.accounts.models import Enterprise
from backend.audit.services import audit_record
from backend.core.errors import Conflict, FieldError
from compliance.models import ControlMeasure, Hazard, InvestigationRecord, InvestigationTask
from compliance.rules.hazards import SHANGHAI
from compliance.rules.workcalendar import matches_day_type
from compliance.services import hazards as hazard_svc

_DAY_ANCHOR = date(2000, 1, 3)
#: Upper bound of slots generated per measure in one call (a 1-hour cycle over a year is 8,760).
MAX_SLOTS_PER_MEASURE = 10_000


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def measure_slots(measure: ControlMeasure, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The (due_start, due_end) windows of ``measure`` whose start lies in [start, end)."""
    n, unit = measure.check_cycle, measure.check_cycle_unit
    if not n or not unit:
        return
    first_day = start.astimezone(SHANGHAI).date()
    last_day = end.astimezone(SHANGHAI).date()
    if unit == "hour":
        day = first_day
        while day <= last_day:
            if matches_day_type(day, measure.day_type):
                t = _local_midnight(day)
                while t.date() == day:
                    if start <= t < end:
                        yield t, t + timedelta(hours=n)
                    t = (t + timedelta(hours=n)).astimezone(SHANGHAI)
            day += timedelta(days=1)
    elif unit == "day":
        offset = (first_day - _DAY_ANCHOR).days % n
        day = first_day + timedelta(days=(n - offset) % n)
        while day <= last_day:
            t = _local_midnight(day)
            if start <= t < end and matches_day_type(day, measure.day_type):
                yield t, _local_midnight(day + timedelta(days=n))
            day += timedelta(days=n)
    elif unit in ("month", "year"):
        step = n if unit == "month" else 12 * n
        month = date(first_day.year, first_day.month, 1)
        while month <= last_day:
            index = (month.year - 2000) * 12 + month.month - 1
            if index % step == 0:
                t = _local_midnight(month)
                if start <= t < end:
                    yield t, _local_midnight(_add_months(month, step))
            month = _add_months(month, 1)


@transaction.atomic
def investigation_tasks_generate(*, start: datetime, end: datetime, enterprise: Enterprise | None = None) -> int:
    """Create the due tasks of every measure with a check cycle whose window starts in
    [start, end) (aware datetimes); returns how many were created. Running it twice creates
    nothing new. 400 ``invalid_window`` for naive or reversed bounds."""
    if timezone.is_naive(start) or timezone.is_naive(end) or end <= start:
        raise FieldError("时间窗口无效。", code="invalid_window", field="end")
    measures = ControlMeasure.objects.filter(check_cycle__isnull=False).exclude(check_cycle_unit="").select_related(
        "risk_event")
    if enterprise is not None:
        measures = measures.filter(enterprise=enterprise)
    created = 0
    for measure in measures.iterator(chunk_size=500):
        existing = set(InvestigationTask.objects.filter(measure=measure, due_start__gte=start, due_start__lt=end)
                       .values_list("due_start", flat=True))
        new = []
        for i, (s, e) in enumerate(measure_slots(measure, start, end)):
            if i >= MAX_SLOTS_PER_MEASURE:
                break
            if s not in existing:
                new.append(InvestigationTask(enterprise_id=measure.enterprise_id, measure=measure,
                                             risk_point_id=measure.risk_event.risk_point_id, due_start=s, due_end=e))
        InvestigationTask.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        created += len(new)
    return created


@transaction.atomic
def investigation_task_record(*, actor: Any, task: InvestigationTask, result: str, note: str = "",
                              hazard: dict[str, Any] | None = None) -> InvestigationRecord:
    """Record the result of ``task``: ``normal``, ``hazard_found`` or ``not_checked``.

    ``hazard_found`` needs ``hazard`` (at least ``title``) and creates a Hazard linked to the
    task's measure and risk point (source: the task's source): filed (confirmed) when the actor is
    a safety manager, otherwise reported for confirmation. 409 ``state_conflict`` when the task
    was already recorded (a concurrent second record loses); 404 for a foreign task."""
    task = InvestigationTask.objects.select_for_update().get(pk=task.pk)
    hazard_svc.actor_role(actor, task.enterprise_id)
    if result not in InvestigationRecord.Result.values:
        raise FieldError("排查结果无效。", code="invalid_choice", field="result")
    if task.state != InvestigationTask.State.PENDING:
        raise Conflict("该任务已记录结果。", code="state_conflict")
    found: Hazard | None = None
    if result == InvestigationRecord.Result.HAZARD_FOUND:
        if not hazard or not hazard.get("title"):
            raise FieldError("发现隐患时须填写隐患名称。", code="required", field="hazard")
        values = {**hazard, "control_measure": task.measure, "risk_point": task.risk_point}
        role = hazard_svc.actor_role(actor, task.enterprise_id)
        enterprise = task.risk_point.enterprise
        if role in hazard_svc.MANAGER_ROLES:
            found = hazard_svc.hazard_file(actor=actor, enterprise=enterprise, source=task.source, **values)
        else:
            found = hazard_svc.hazard_report(actor=actor, enterprise=enterprise, source=task.source, **values)
    now = timezone.now()
    record = InvestigationRecord.objects.create(task=task, result=result, note=note, recorded_by=actor,
                                                recorded_at=now, hazard=found)
    InvestigationTask.objects.filter(pk=task.pk).update(state=InvestigationTask.State.DONE)
    audit_record(actor=actor, action="investigation_task.record", obj=task, enterprise=task.enterprise_id,
                 from_state="pending", to_state="done", payload={"result": result, "hazard_id": found.pk if found else None})
    return record


#: How far ahead the hourly sweep generates tasks, and how far back it reports overdue ones.
GENERATE_AHEAD = timedelta(days=2)
OVERDUE_LOOKBACK = timedelta(days=7)
OVERDUE_BATCH = 500


def investigation_tasks_sweep_generate(*, now: datetime | None = None) -> int:
    """Hourly sweep: generate every enterprise's tasks whose window starts between the start of
    today (Asia/Shanghai) and ``now + GENERATE_AHEAD``; idempotent. Returns how many were created."""
    now = now or timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return investigation_tasks_generate(start=start, end=now + GENERATE_AHEAD)


def investigation_tasks_notify_overdue(*, now: datetime | None = None) -> int:
    """Hourly sweep: notify the enterprise once for each task whose window ended unchecked in the last
    ``OVERDUE_LOOKBACK`` (in-app; idempotency key ``investigation_task:<id>:overdue``), through the
    (state, due_end) index, at most ``OVERDUE_BATCH`` per run; tasks already notified are skipped in
    the query, so the next run takes the next batch. Returns how many notifications were new."""
    from backend.notifications.models import Notification
    from backend.notifications.services import notification_enqueue

    now = now or timezone.now()
    created = 0
    notified = Notification.objects.filter(idempotency_key=Concat(
        Value("investigation_task:"), Cast(OuterRef("pk"), CharField()), Value(":overdue")))
    tasks = (InvestigationTask.objects.filter(state=InvestigationTask.State.PENDING, due_end__lte=now,
                                              due_end__gt=now - OVERDUE_LOOKBACK)
             .exclude(Exists(notified))
             .select_related("measure", "risk_point", "enterprise").order_by("due_end", "id")[:OVERDUE_BATCH])
    for task in tasks:
        with transaction.atomic():
            _, new = notification_enqueue(
                key=f"investigation_task:{task.pk}:overdue", kind="investigation_task_overdue",
                title=f"排查任务逾期：{task.risk_point.code} {task.risk_point.name}",
                body=f"管控措施“{task.measure.text[:60]}”的排查任务已于 {timezone.localtime(task.due_end):%Y-%m-%d %H:%M} 到期未完成。",
                payload={"task_id": task.pk, "risk_point_id": task.risk_point_id}, enterprise=task.enterprise,
            )
        created += int(new)
    return created
