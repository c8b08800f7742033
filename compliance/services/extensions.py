"""Deadline extensions (延期申请) of hidden dangers: requested by the responsible person, decided by
someone else — an enterprise manager, or a regulator covering the enterprise (whose approval is
the regulator approval a major hazard needs) — and capped per grade
(``compliance.rules.deadlines.EXTENSION_CAPS``). DOMAIN.md §3 "Deadline semantics" [config]."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.core.actors import Actor, actor_of, covers, require_user
from backend.core.errors import Conflict, FieldError, Forbidden, from_rule
from backend.core.rules import RuleError
from backend.core.time import local_today
from compliance.error_codes import HazardErrorCode as Code
from compliance.error_codes import HazardEvent
from compliance.models import Hazard, HazardExtension
from compliance.rules.deadlines import (
    check_date_in_range,
    deadline_end,
    deadline_within_horizon,
    extension_allowed,
)
from compliance.rules.hazard_codes import HazardGrade
from compliance.rules.hazard_states import EXTENSION_STATES, MANAGERS, check_state
from compliance.services.common import hazard_lock, hazard_member, hazard_record


@transaction.atomic
def hazard_request_extension(*, actor: Actor | Any, hazard: Hazard | int, new_deadline: date,
                             reason: str) -> HazardExtension:
    """The responsible person asks for a later deadline (403 ``not_responsible`` for anyone else).

    409 ``invalid_transition`` unless confirmed/rectifying; 409 ``extension_pending`` when one is
    pending; 400 ``required`` (reason), ``invalid_deadline`` (not after the current deadline),
    ``deadline_too_far``/``date_out_of_range`` naming ``new_deadline``."""
    actor = actor_of(actor)
    hazard = hazard_lock(hazard)
    hazard_member(actor, hazard)
    if hazard.responsible_person_id is None or hazard.responsible_person_id != actor.user_id:
        raise Forbidden("只有整改责任人可以申请延期。", code=Code.NOT_RESPONSIBLE)
    try:
        check_state("request_extension", hazard.state, EXTENSION_STATES)
        check_date_in_range(new_deadline, "new_deadline")
    except RuleError as exc:
        raise from_rule(exc) from exc
    if not (reason or "").strip():
        raise FieldError("请说明延期理由。", code=Code.REQUIRED, field="reason")
    if hazard.deadline and new_deadline <= hazard.deadline:
        raise FieldError("新期限须晚于原整改期限。", code=Code.INVALID_DEADLINE, field="new_deadline")
    if not deadline_within_horizon(new_deadline, local_today()):
        raise FieldError("整改期限过远（不得超过五年）。", code=Code.DEADLINE_TOO_FAR, field="new_deadline")
    if HazardExtension.objects.filter(hazard=hazard, status=HazardExtension.Status.PENDING).exists():
        raise Conflict("已有待审批的延期申请。", code=Code.EXTENSION_PENDING)
    ext = HazardExtension.objects.create(hazard=hazard, requested_by=require_user(actor), old_deadline=hazard.deadline,
                                         new_deadline=new_deadline, reason=reason)
    hazard_record(actor, hazard, HazardEvent.REQUEST_EXTENSION, reason=reason,
                  payload={"extension_id": ext.pk, "old": hazard.deadline, "new": new_deadline})
    return ext


@transaction.atomic
def hazard_decide_extension(*, actor: Actor | Any, extension: HazardExtension, approve: bool,
                            comment: str = "") -> HazardExtension:
    """Approve or refuse a pending extension.

    The decider is not the requester (403 ``approver_is_requester``) and is an enterprise manager,
    or — for a major hazard only — a regulator member covering the enterprise (whose approval counts
    as regulator approval; 404 for anyone else). A general hazard's extension is the enterprise's own
    decision (DOMAIN.md §3: capped at one, no regulator route): a regulator member gets 403
    ``extension_decided_by_enterprise`` (BREAKIT D24). Approval is capped by ``rules.deadlines.extension_allowed`` (general
    once; major never without the regulator) → 409 ``extension_cap_reached``. 409
    ``invalid_transition`` when already decided."""
    actor = actor_of(actor)
    ext = HazardExtension.objects.select_for_update(of=("self",)).get(pk=extension.pk)
    hazard = hazard_lock(ext.hazard_id)
    regulator = covers(actor, hazard.enterprise.division_code)
    if not regulator:
        hazard_member(actor, hazard, MANAGERS)
    elif hazard.grade != HazardGrade.MAJOR:
        raise Forbidden("一般隐患的延期由企业安全管理人员审批。", code=Code.EXTENSION_DECIDED_BY_ENTERPRISE)
    if ext.status != HazardExtension.Status.PENDING:
        raise Conflict("该申请已审批。", code=Code.INVALID_TRANSITION)
    if ext.requested_by_id == actor.user_id:
        raise Forbidden("审批人不能是申请人。", code=Code.APPROVER_IS_REQUESTER)
    changes: dict[str, list[Any]] = {}
    if approve:
        if not extension_allowed(hazard.grade, hazard.extension_count, regulator_approved=regulator):
            raise Conflict("延期次数已达上限（重大隐患延期须经监管部门批准）。", code=Code.EXTENSION_CAP_REACHED)
        changes = {"deadline": [hazard.deadline, ext.new_deadline]}
        hazard.deadline, hazard.deadline_at = ext.new_deadline, deadline_end(ext.new_deadline)
        hazard.extension_count += 1
        hazard.save(update_fields=("deadline", "deadline_at", "extension_count", "updated_at"))
    ext.status = HazardExtension.Status.APPROVED if approve else HazardExtension.Status.REJECTED
    ext.decided_by, ext.decided_at, ext.decision_comment, ext.regulator_approved = (
        actor.user, timezone.now(), comment, regulator)
    ext.save()
    hazard_record(actor, hazard, HazardEvent.APPROVE_EXTENSION if approve else HazardEvent.REJECT_EXTENSION,
                  reason=comment, changes=changes, payload={"extension_id": ext.pk})
    return ext
