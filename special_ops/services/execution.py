"""The work on site (DOMAIN.md §4 "Permit lifecycle"): start, suspend, resume, complete, the
completion acceptance (完工验收) and cancel.

Each service locks the permit, checks its state (409 ``invalid_transition``), applies the gates
(window, pre-start checks, gas, conflicts, acceptance role) and appends an audit event.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backend.core.actors import Actor
from backend.core.errors import FieldError, Forbidden
from special_ops import selectors
from special_ops.error_codes import PermitErrorCode as E
from special_ops.error_codes import PermitEvent
from special_ops.models import PermitApproval, WorkPermit
from special_ops.rules import approvals as approval_rules
from special_ops.rules.types import PermitAction
from special_ops.services.assessment import check_conflicts, check_work_period
from special_ops.services.common import (
    acting,
    display_name,
    is_applicant_or_work_leader,
    permit_lock,
    record,
    role_label,
    signer,
    target_of,
)
from special_ops.services.gas import check_resume_gas, check_start_gas


@transaction.atomic
def permit_start(*, actor: Actor, permit: WorkPermit) -> WorkPermit:
    """approved → in_progress, now, inside the planned window, with the pre-start checks signed,
    a passing gas test ≤ 30 min old where the type needs one, and no conflict; hot work starting at
    night, on a rest day or a holiday needs a permit at the upgraded level (judged per work period).
    Raises FieldError ``outside_window``, ``hot_work_upgrade_required``, ``pre_start_check_missing``, the gas codes
    (``gas_test_missing``, ``gas_test_stale``, ``o2_out_of_range`` …); Conflict 409 conflicts."""
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    from_state, target = permit.state, target_of(permit, PermitAction.START, actor)
    now = timezone.now()
    if not permit.planned_start <= now < permit.planned_end:
        raise FieldError("不在作业票的计划作业时间内。", code=E.OUTSIDE_WINDOW, field="planned_start")
    step = selectors.current_step(permit)
    if step is not None:
        raise FieldError(f"作业前须完成“{step.name}”。", code=E.PRE_START_CHECK_MISSING, field="step")
    check_work_period(permit, now, "开始作业")
    check_start_gas(permit, now)
    check_conflicts(permit)
    permit.state, permit.started_at = target, now
    permit.save()
    record(actor, permit, PermitEvent.START, from_state)
    return permit


@transaction.atomic
def permit_suspend(*, actor: Actor, permit: WorkPermit, reason: str = "", now: datetime | None = None) -> WorkPermit:
    """in_progress → suspended (work stopped; the interruption clock starts)."""
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    from_state, target = permit.state, target_of(permit, PermitAction.SUSPEND, actor)
    permit.state, permit.suspended_at, permit.suspend_reason = target, now or timezone.now(), reason[:200]
    permit.save()
    record(actor, permit, PermitEvent.SUSPEND, from_state, reason=reason)
    return permit


@transaction.atomic
def permit_resume(*, actor: Actor, permit: WorkPermit) -> WorkPermit:
    """suspended → in_progress, inside the window, past the per-work-period upgrade check (hot work
    resuming at night, on a rest day or a holiday: ``hot_work_upgrade_required``) and the gas gate
    (:func:`.gas.check_resume_gas`). Raises FieldError ``gas_retest_required``, the failure codes, ``outside_window``."""
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    from_state, target = permit.state, target_of(permit, PermitAction.RESUME, actor)
    now = timezone.now()
    if now >= permit.planned_end:
        raise FieldError("作业票已超过计划结束时间。", code=E.OUTSIDE_WINDOW, field="planned_end")
    check_work_period(permit, now, "恢复作业")
    check_resume_gas(permit, now)
    permit.state, permit.suspended_at = target, None
    permit.save()
    record(actor, permit, PermitEvent.RESUME, from_state)
    return permit


@transaction.atomic
def permit_complete(*, actor: Actor, permit: WorkPermit) -> WorkPermit:
    """in_progress → completed (work finished on site)."""
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    from_state, target = permit.state, target_of(permit, PermitAction.COMPLETE, actor)
    permit.state, permit.completed_at = target, timezone.now()
    permit.save()
    record(actor, permit, PermitEvent.COMPLETE, from_state)
    return permit


@transaction.atomic
def permit_accept(*, actor: Actor, permit: WorkPermit, opinion: str = "") -> WorkPermit:
    """completed → accepted: the caller signs the completion-acceptance step(s) (完工验收) and must hold
    their role; the applicant and the work leader (named, or who signed the work-leader step) never
    accept their own job (DOMAIN.md §4 Roles, separation of duties).
    Raises Forbidden ``role_not_allowed``, ``separation_of_duties``; Conflict ``invalid_transition``."""
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    from_state, target = permit.state, target_of(permit, PermitAction.ACCEPT, actor)
    if is_applicant_or_work_leader(actor, permit):
        raise Forbidden("完工验收须由作业申请人、作业负责人以外的人员签署。", code=E.SEPARATION_OF_DUTIES)
    now = timezone.now()
    signed = selectors.signed_steps(permit)
    for step in selectors.chain_of(permit):
        if step.phase != approval_rules.PHASE_ACCEPTANCE or step.code in signed:
            continue
        if actor.role != step.role:
            raise Forbidden(f"“{step.name}”须由“{role_label(step.role)}”签署。", code=E.ROLE_NOT_ALLOWED)
        PermitApproval.objects.create(permit=permit, step=step.code, step_name=step.name, role=step.role, signer=signer(actor),
                                      signer_name=display_name(actor), opinion=opinion, signed_at=now)
    permit.state, permit.accepted_at = target, now
    permit.save()
    record(actor, permit, PermitEvent.ACCEPT, from_state, opinion=opinion)
    return permit


@transaction.atomic
def permit_cancel(*, actor: Actor, permit: WorkPermit, reason: str) -> WorkPermit:
    """draft/submitted/approved/suspended → cancelled (never deleted). Raises FieldError ``required``."""
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    from_state, target = permit.state, target_of(permit, PermitAction.CANCEL, actor)
    if not reason.strip():
        raise FieldError("取消须说明理由。", code=E.REQUIRED, field="reason")
    permit.state, permit.closed_reason = target, reason[:200]
    permit.save()
    record(actor, permit, PermitEvent.CANCEL, from_state, reason=reason)
    return permit
