"""The escalation sweep (DOMAIN.md §5 "Escalation ladder"): find hazards due for each ladder step
through the (state, deadline_at) index, record each step once per hazard, write the hazard event
and the notifications in the same transaction.

Run every minute by the worker (``shuangfang.escalation_sweep``) and by ``manage.py escalate``.
Idempotent: the unique (hazard, step) constraint and the hazard row lock make a second sweep, a
redelivered task or a second beat a no-op. Work is done in batches of ``BATCH_SIZE`` ids, keyset-
paginated on (deadline_at, id), one short transaction per hazard, so a killed worker leaves every
hazard either fully escalated for a step or not at all.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from backend.accounts.models import Role
from backend.accounts.selectors import members_with_role
from backend.audit.services import audit_record
from backend.notifications.models import Channel, Notification
from backend.notifications.services import notification_enqueue, notify_regulator_of
from compliance.error_codes import HazardEvent
from compliance.models import Hazard, HazardEscalation
from compliance.rules import escalation as ladder_rules
from compliance.rules.hazard_codes import HazardGrade
from compliance.rules.hazard_states import NOT_OVERDUE_STATES, HazardState

#: States a past deadline escalates in: reported, confirmed, rectifying (not pending_acceptance or later).
ESCALATING_STATES: tuple[str, ...] = tuple(s.value for s in HazardState if s not in NOT_OVERDUE_STATES)
BATCH_SIZE = 500

log = logging.getLogger(__name__)


def current_ladder() -> tuple[ladder_rules.LadderStep, ...]:
    """The deployment's ladder: DOMAIN.md §5 defaults with ``settings.ESCALATION_LADDER`` applied."""
    return ladder_rules.build_ladder(settings.ESCALATION_LADDER)


@dataclass
class SweepResult:
    """What one sweep did: hazards touched and steps recorded per step code."""

    hazards: int = 0
    steps: Counter = field(default_factory=Counter)
    notifications: int = 0
    failed: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        per_step = ", ".join(f"{code}={self.steps.get(code, 0)}" for code in ladder_rules.STEP_CODES)
        out = [f"escalated {self.hazards} hazard(s): {per_step}; {self.notifications} notification(s) written"]
        if self.failed:
            out.append(f"failed on hazard(s) {sorted(set(self.failed))} (see the log); the others were escalated")
        return out


# --- reads ------------------------------------------------------------------------------------
def due_hazards(step: ladder_rules.LadderStep, now: datetime) -> QuerySet[Hazard]:
    """Hazards due for ``step`` at ``now`` by their deadline and not yet escalated for it, ordered
    by (deadline_at, id): a range scan of the (state, deadline_at) index."""
    taken = HazardEscalation.objects.filter(hazard=OuterRef("pk"), step=step.code)
    return (
        Hazard.objects.filter(state__in=ESCALATING_STATES, deadline_at__lte=ladder_rules.cutoff(step, now))
        .filter(~Exists(taken))
        .order_by("deadline_at", "pk")
    )


def due_major_hazards(step: ladder_rules.LadderStep) -> QuerySet[Hazard]:
    """Open major hazards not yet escalated for a ``major_immediate`` step (whatever the deadline)."""
    taken = HazardEscalation.objects.filter(hazard=OuterRef("pk"), step=step.code)
    return (
        Hazard.objects.filter(state__in=ESCALATING_STATES, grade=HazardGrade.MAJOR.value)
        .filter(~Exists(taken))
        .order_by("pk")
    )


def _batches(qs: QuerySet[Hazard], *, by_deadline: bool, size: int) -> Iterator[list[int]]:
    """Keyset pages of ids of ``qs`` (never OFFSET; a row handled meanwhile drops out of the query)."""
    last: tuple[Any, int] | None = None
    while True:
        page = qs
        if last is not None:
            if by_deadline:
                page = page.filter(Q(deadline_at__gt=last[0]) | Q(deadline_at=last[0], pk__gt=last[1]))
            else:
                page = page.filter(pk__gt=last[1])
        rows = list(page.values_list("deadline_at", "pk")[:size])
        if not rows:
            return
        yield [pk for _, pk in rows]
        if len(rows) < size:
            return
        last = rows[-1]


# --- recipients -------------------------------------------------------------------------------
def _audience_users(hazard: Hazard, audience: str) -> list[Any]:
    ent = hazard.enterprise
    if audience == ladder_rules.AUDIENCE_RESPONSIBLE:
        if hazard.responsible_person_id:
            return [hazard.responsible_person]
        roles: tuple[str, ...] = (Role.SAFETY_OFFICER,)
    elif audience == ladder_rules.AUDIENCE_MANAGERS:
        roles = (Role.SAFETY_OFFICER, Role.ADMIN)
    elif audience == ladder_rules.AUDIENCE_PRINCIPALS:
        roles = (Role.PRINCIPAL,)
    else:
        return []
    return [m.user for m in members_with_role(ent, *roles).order_by("user_id")]


def _message(hazard: Hazard, step: ladder_rules.LadderStep, now: datetime | None = None) -> tuple[str, str]:
    deadline = hazard.deadline.isoformat() if hazard.deadline else "—"
    label = step.label
    due = step.due_at(hazard.deadline_at) if hazard.deadline_at is not None else None
    due_by_deadline = due is not None and now is not None and now >= due
    if step.major_immediate and hazard.grade == HazardGrade.MAJOR and not due_by_deadline:
        label = "重大隐患，报告监管部门"  # reported at once as major, not (yet) because it is overdue
    title = f"【{label}】{hazard.enterprise.name} {hazard.number}"
    body = f"{hazard.title}（部位：{hazard.location or '—'}；整改期限：{deadline}；责任人：{hazard.responsible_name or '—'}）"
    return title, body


def _already_reported_as_major(hazard: Hazard, step: ladder_rules.LadderStep, now: datetime) -> bool:
    """True when ``step`` is the major-hazard "at once" regulator step and the hazard services have
    already written the regulator's major-hazard report (key ``hazard:<id>:major:…``)."""
    if not (step.major_immediate and hazard.grade == HazardGrade.MAJOR):
        return False
    due = step.due_at(hazard.deadline_at) if hazard.deadline_at is not None else None
    due_by_deadline = due is not None and now >= due
    return not due_by_deadline and Notification.objects.filter(
        idempotency_key__startswith=f"hazard:{hazard.pk}:major:").exists()


def _notify(hazard: Hazard, step: ladder_rules.LadderStep, now: datetime | None = None) -> int:
    """Write the step's outbox rows (keys ``hazard:<id>:esc:<step>:<recipient>``); returns how many."""
    title, body = _message(hazard, step, now)
    kind = f"hazard.escalation.{step.code}"
    payload = {"hazard_id": hazard.pk, "number": hazard.number, "enterprise_id": hazard.enterprise_id,
               "step": step.code, "deadline": hazard.deadline.isoformat() if hazard.deadline else None,
               "grade": hazard.grade}
    base = f"hazard:{hazard.pk}:esc:{step.code}"
    if step.audience == ladder_rules.AUDIENCE_REGULATOR:
        return len(notify_regulator_of(enterprise=hazard.enterprise, key=base, kind=kind, title=title, body=body,
                                       payload=payload))
    users = _audience_users(hazard, step.audience)
    count = 0
    if not users:  # nobody in that role: the enterprise's in-app inbox, so nothing is lost
        notification_enqueue(key=f"{base}:ent{hazard.enterprise_id}", kind=kind, title=title, body=body,
                             payload=payload, enterprise=hazard.enterprise)
        return 1
    for user in users:
        notification_enqueue(key=f"{base}:user{user.pk}", kind=kind, title=title, body=body, payload=payload, user=user)
        count += 1
        if user.email:
            notification_enqueue(key=f"{base}:user{user.pk}:email", kind=kind, title=title, body=body,
                                 payload=payload, user=user, channel=Channel.EMAIL)
            count += 1
    return count


# --- writes -----------------------------------------------------------------------------------
@transaction.atomic
def hazard_escalate(*, hazard_id: int, now: datetime,
                    ladder: tuple[ladder_rules.LadderStep, ...] | None = None) -> tuple[list[str], int]:
    """Take every ladder step due at ``now`` for one hazard that is not recorded yet, in order.

    Locks the hazard row, re-reads its state and recorded steps, then per step: inserts the
    ``HazardEscalation`` row (a concurrent duplicate is skipped), writes the outbox rows and the
    audit event ``hazard.escalate``. Returns (step codes taken, notifications written)."""
    ladder = ladder if ladder is not None else current_ladder()
    hazard = (Hazard.objects.select_for_update(of=("self",)).select_related("enterprise", "responsible_person")
              .filter(pk=hazard_id).first())
    if hazard is None or hazard.state not in ESCALATING_STATES:
        return [], 0
    done = set(HazardEscalation.objects.filter(hazard=hazard).values_list("step", flat=True))
    steps = ladder_rules.due_steps(hazard.deadline_at, now, major=hazard.grade == HazardGrade.MAJOR,
                                   done=done, ladder=ladder)
    taken: list[str] = []
    written = 0
    for step in steps:
        try:
            with transaction.atomic():
                esc = HazardEscalation.objects.create(hazard=hazard, step=step.code, at=now,
                                                      due_at=step.due_at(hazard.deadline_at))
        except IntegrityError:  # recorded by a concurrent sweep
            continue
        if _already_reported_as_major(hazard, step, now):
            n = 0  # hazard_file/confirm/tick already told the regulator in their transaction: never twice
        elif step.offset < timedelta(0) and hazard.deadline_at is not None and now >= hazard.deadline_at:
            n = 0  # a pre-deadline reminder found only after the deadline: the overdue notice says it all
        else:
            n = _notify(hazard, step, now)
        HazardEscalation.objects.filter(pk=esc.pk).update(notified=n)
        audit_record(actor=None, action=HazardEvent.ESCALATE, obj=hazard, enterprise=hazard.enterprise_id,
                     reason=step.label,
                     payload={"step": step.code, "due_at": esc.due_at.isoformat() if esc.due_at else None,
                              "at": now.isoformat(), "notifications": n})
        taken.append(step.code)
        written += n
    return taken, written


def escalation_sweep(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """One pass of the ladder at ``now`` (default: the current time): for each step in order, the
    due hazards in keyset batches of ``batch_size``; each hazard gets all its due steps at once."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    ladder = current_ladder()
    result = SweepResult()
    seen: set[int] = set()
    for step in ladder:
        sources = [(due_hazards(step, now), True)]
        if step.major_immediate:
            sources.append((due_major_hazards(step), False))
        for qs, by_deadline in sources:
            for ids in _batches(qs, by_deadline=by_deadline, size=batch_size):
                for pk in ids:
                    try:
                        taken, written = hazard_escalate(hazard_id=pk, now=now, ladder=ladder)
                    except Exception:  # one bad row must not stop the ladder for every other hazard
                        log.exception("escalation of hazard %s failed", pk)
                        result.failed.append(pk)
                        continue
                    if taken and pk not in seen:
                        seen.add(pk)
                        result.hazards += 1
                    result.steps.update(taken)
                    result.notifications += written
    return result
