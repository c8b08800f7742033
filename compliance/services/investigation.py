"""Investigation tasks (隐患排查任务) from control measures' check cycles, and their results.

The windows of a cycle are the rule :func:`compliance.rules.investigation_cycles.measure_slots`;
generation is idempotent through the unique (measure, due_start) constraint. DOMAIN.md §3
"Investigation tasks".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from backend.accounts.models import Enterprise
from backend.audit.services import audit_record
from backend.core.actors import Actor, actor_of, require_enterprise_member, require_user
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import Conflict, FieldError
from compliance.error_codes import InvestigationErrorCode, InvestigationEvent
from compliance.models import ControlMeasure, Hazard, InvestigationRecord, InvestigationTask
from compliance.rules.hazard_states import ACTION_ROLES
from compliance.rules.investigation_cycles import measure_slots
from compliance.services.hazards import hazard_file, hazard_report

#: Upper bound of slots generated per measure in one call (a 1-hour cycle over a year is 8,760).
MAX_SLOTS_PER_MEASURE = 10_000


@transaction.atomic
def investigation_tasks_generate(*, start: datetime, end: datetime, enterprise: Enterprise | None = None) -> int:
    """Create the due tasks of every measure with a check cycle whose window starts in
    [start, end) (aware datetimes); returns how many were created. Running it twice creates
    nothing new. 400 ``invalid_window`` for naive or reversed bounds."""
    if timezone.is_naive(start) or timezone.is_naive(end) or end <= start:
        raise FieldError("时间窗口无效。", code=InvestigationErrorCode.INVALID_WINDOW, field="end")
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
def investigation_task_record(*, actor: Actor | Any, task: InvestigationTask, result: str, note: str = "",
                              hazard: dict[str, Any] | None = None) -> InvestigationRecord:
    """Record the result of ``task``: ``normal``, ``hazard_found`` or ``not_checked``.

    ``hazard_found`` needs ``hazard`` (at least ``title``; 400 ``required`` naming ``hazard``) and
    creates a Hazard linked to the task's measure and risk point (source: the task's source):
    filed (confirmed) when the actor is a safety manager, otherwise reported for confirmation.
    409 ``invalid_transition`` when the task was already recorded (a concurrent second record
    loses); 404 for a foreign task."""
    actor = actor_of(actor)
    task = InvestigationTask.objects.select_for_update().get(pk=task.pk)
    require_enterprise_member(actor, task.enterprise_id, not_found="排查任务不存在。")
    if result not in InvestigationRecord.Result.values:
        raise FieldError("排查结果无效。", code=CoreErrorCode.INVALID_CHOICE, field="result")
    if task.state != InvestigationTask.State.PENDING:
        raise Conflict("该任务已记录结果。", code=InvestigationErrorCode.INVALID_TRANSITION)
    found: Hazard | None = None
    if result == InvestigationRecord.Result.HAZARD_FOUND:
        if not hazard or not hazard.get("title"):
            raise FieldError("发现隐患时须填写隐患名称。", code=InvestigationErrorCode.REQUIRED, field="hazard")
        values = {**hazard, "control_measure": task.measure, "risk_point": task.risk_point}
        enterprise = task.risk_point.enterprise
        file_or_report = hazard_file if actor.role in ACTION_ROLES["create"] else hazard_report
        found = file_or_report(actor=actor, enterprise=enterprise, source=task.source, **values)
    now = timezone.now()
    record = InvestigationRecord.objects.create(task=task, result=result, note=note, recorded_by=require_user(actor),
                                                recorded_at=now, hazard=found)
    InvestigationTask.objects.filter(pk=task.pk).update(state=InvestigationTask.State.DONE)
    audit_record(actor=actor.user, action=InvestigationEvent.RECORD, obj=task, enterprise=task.enterprise_id,
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
