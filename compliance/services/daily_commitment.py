"""The daily 安全风险研判与承诺 (issue 14 point 15): the platform's figures for a day (prefill), the
principal's signature, who has and has not committed, and the escalation of a missing commitment.

A commitment is for the enterprise's local day (Asia/Shanghai). It is signed once, by a member with
the ``principal`` role (主要负责人); the figures the platform holds are stored with it as signed.
A commitment still missing at ``settings.RISK_COMMITMENT_DEADLINE_HOUR`` (default 9, local time)
notifies the jurisdiction's regulators and the enterprise's principals through the outbox, once per
enterprise and day (idempotency key ``commitment:{enterprise}:{day}:missing``), like an overdue item.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from backend.accounts.models import Enterprise, Role
from backend.accounts.selectors import members_with_role
from backend.audit.models import Event
from backend.audit.services import audit_record
from backend.core.actors import Actor, actor_of, require_enterprise
from backend.core.errors import Conflict, Forbidden
from backend.notifications.services import notification_enqueue, notify_regulator_of
from compliance.error_codes import CommitmentErrorCode as Code
from compliance.error_codes import CommitmentEvent
from compliance.models import DailyRiskCommitment, Hazard, RiskPoint
from compliance.rules.hazard_codes import HazardGrade
from compliance.rules.hazard_states import TERMINAL_STATES, HazardState

#: Hazard states that no longer count as open for the commitment (closed, rejected, accepted).
_NOT_OPEN = tuple(s.value for s in TERMINAL_STATES) + (HazardState.ACCEPTED.value,)
#: Permit states of operations that are not planned any more.
_PERMIT_DROPPED = ("rejected", "cancelled")


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def commitment_prefill(enterprise: Enterprise, day: date) -> dict[str, Any]:
    """The platform's figures for ``enterprise`` on ``day``: ``{"day", "operations": {type: {level:
    n}}, "operations_total", "major_hazard_sources" (the enterprise's count and the 重大危险源 risk
    points), "major_hazards_open", "units": [risk-point names]}``. Operations are the permits whose
    planned window overlaps the day, neither rejected nor cancelled ("" level for types without one)."""
    start, end = _day_bounds(day)
    ops: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # special_ops sits above compliance (layers): the permits are read through the reverse relation.
    permits = (enterprise.permits.filter(planned_start__lt=end, planned_end__gt=start)
               .exclude(state__in=_PERMIT_DROPPED).values_list("type", "level"))
    total = 0
    for ptype, level in permits:
        ops[ptype][level or ""] += 1
        total += 1
    points = RiskPoint.objects.filter(enterprise=enterprise)
    return {
        "day": day.isoformat(),
        "operations": {t: dict(levels) for t, levels in sorted(ops.items())},
        "operations_total": total,
        "major_hazard_sources": {"declared": enterprise.major_hazard_sources,
                                 "points": list(points.filter(is_major_hazard_source=True)
                                                .order_by("code").values_list("name", flat=True))},
        "major_hazards_open": Hazard.objects.filter(enterprise=enterprise, grade=HazardGrade.MAJOR.value)
                                    .exclude(state__in=_NOT_OPEN).count(),
        "units": list(points.order_by("code").values_list("name", flat=True)[:200]),
    }


@transaction.atomic
def commitment_sign(*, actor: Actor | Any, units_running: int, units_stopped: int = 0, note: str = "",
                    day: date | None = None) -> DailyRiskCommitment:
    """The principal signs the enterprise's commitment for ``day`` (default: today, local). Stores the
    prefill figures with it and appends ``risk_commitment.sign``. Errors: 403 ``enterprise_only``,
    ``principal_only``; 409 ``already_committed`` (signed before, or a concurrent signature won)."""
    actor = actor_of(actor)
    enterprise = require_enterprise(actor)
    user = actor.user
    if user is None or actor.role != Role.PRINCIPAL:
        raise Forbidden("安全风险研判与承诺须由企业主要负责人签署。", code=Code.PRINCIPAL_ONLY)
    day = day or timezone.localdate()
    if DailyRiskCommitment.objects.filter(enterprise=enterprise, day=day).exists():
        raise Conflict(f"{day:%Y-%m-%d} 的安全风险研判与承诺已签署。", code=Code.ALREADY_COMMITTED)
    snapshot = commitment_prefill(enterprise, day)
    try:
        with transaction.atomic():
            c = DailyRiskCommitment.objects.create(
                enterprise=enterprise, day=day, units_running=units_running, units_stopped=units_stopped,
                snapshot=snapshot, note=note, signed_by=user, signer_name=user.full_name or user.username,
                signed_at=timezone.now())
    except IntegrityError:
        raise Conflict(f"{day:%Y-%m-%d} 的安全风险研判与承诺已签署。", code=Code.ALREADY_COMMITTED) from None
    audit_record(actor=actor, action=CommitmentEvent.SIGN, obj=c, enterprise=enterprise,
                 payload={"day": day.isoformat(), "units_running": units_running, "units_stopped": units_stopped,
                          "operations_total": snapshot["operations_total"],
                          "major_hazards_open": snapshot["major_hazards_open"]})
    return c


def deadline_hour() -> int:
    """The local hour by which the day's commitment is due (``RISK_COMMITMENT_DEADLINE_HOUR``, default 9)."""
    return int(getattr(settings, "RISK_COMMITMENT_DEADLINE_HOUR", 9))


def escalate_missing_commitments(now: datetime | None = None) -> int:
    """Notify, once per enterprise and day, the regulators covering and the principals of every
    approved enterprise without today's commitment once the local time is past :func:`deadline_hour`.
    Returns how many enterprises were escalated by this run (0 before the hour). Idempotent."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < deadline_hour():
        return 0
    day = local.date()
    escalated = Event.objects.filter(action=CommitmentEvent.MISSING, enterprise=OuterRef("pk"),
                                     payload__day=day.isoformat())
    missing = (Enterprise.objects.filter(status=Enterprise.Status.APPROVED)
               .exclude(risk_commitments__day=day).exclude(Exists(escalated)).order_by("id"))
    count = 0
    for ent_id in list(missing.values_list("id", flat=True)):
        with transaction.atomic():
            # the enterprise row lock serializes concurrent sweeps: one escalation per enterprise and day
            ent = Enterprise.objects.select_for_update().get(pk=ent_id)
            if DailyRiskCommitment.objects.filter(enterprise=ent, day=day).exists() or _escalated_before(ent, day):
                continue
            key = f"commitment:{ent.pk}:{day.isoformat()}:missing"
            title = f"未按时签署安全承诺：{ent.name} {day:%Y-%m-%d}"
            body = f"截至 {deadline_hour()}:00 尚未签署当日安全风险研判与承诺。"
            payload = {"enterprise_id": ent.pk, "day": day.isoformat(), "deadline_hour": deadline_hour()}
            for m in members_with_role(ent, Role.PRINCIPAL):
                notification_enqueue(key=f"{key}:user{m.user_id}", kind="risk_commitment_missing", title=title,
                                     body=body, payload=payload, user=m.user)
            notify_regulator_of(enterprise=ent, key=key, kind="risk_commitment_missing", title=title, body=body,
                                payload=payload)
            audit_record(actor=None, action=CommitmentEvent.MISSING, enterprise=ent, object_type="enterprise",
                         object_id=ent.pk, payload=payload)
            count += 1
    return count


def _escalated_before(ent: Enterprise, day: date) -> bool:
    return Event.objects.filter(action=CommitmentEvent.MISSING, enterprise=ent,
                                payload__day=day.isoformat()).exists()
