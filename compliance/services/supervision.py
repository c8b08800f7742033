"""挂牌督办 (regulator supervision) of hidden dangers and the regulator's sign-off before closure.

DOMAIN.md §3: "Closing a major hazard needs acceptance by the enterprise principal and, where the
regulator ordered it (挂牌督办), regulator sign-off". Only a major hazard is put under supervision;
the sign-off guard itself (``rules.hazard_states.transition_blockers``) applies to any supervised
hazard, so a hazard regraded after the order still needs the regulator who ordered it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Role
from backend.core.actors import Actor, actor_of, covers, require_regulator
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import Conflict, FieldError, Forbidden, NotFound
from compliance.error_codes import HazardErrorCode as Code
from compliance.error_codes import HazardEvent
from compliance.models import Hazard
from compliance.rules.hazard_codes import HazardGrade
from compliance.rules.hazard_states import TERMINAL_STATES, HazardState
from compliance.services.common import hazard_lock, hazard_record

#: Regulator roles that order supervision and sign it off.
SUPERVISOR_ROLES = frozenset({Role.ADMIN, Role.INSPECTOR})


@transaction.atomic
def hazard_supervise(*, actor: Actor | Any, hazard: Hazard | int, note: str = "") -> Hazard:
    """The actor's regulator puts a major hazard under supervision (挂牌督办).

    ``actor``: a regulator member (admin or inspector) whose jurisdiction covers the hazard's
    enterprise; the supervising regulator is the actor's. ``note`` is kept (≤ 100 chars) and goes
    into the audit event ``hazard.supervise``.
    Errors: 403 ``regulator_only`` / ``role_not_allowed``; 404 outside the jurisdiction; 400
    ``not_major`` (field ``hazard``); 409 ``invalid_transition`` for a closed or rejected hazard;
    409 ``already_supervised``. Source: DOMAIN.md §3, 安全生产法 2021 §41."""
    actor = actor_of(actor)
    require_regulator(actor, SUPERVISOR_ROLES)
    h = hazard_lock(hazard)
    if not covers(actor, h.enterprise.division_code):
        raise NotFound("隐患不存在。", code=CoreErrorCode.NOT_FOUND)
    if h.grade != HazardGrade.MAJOR:
        raise FieldError("仅重大隐患可挂牌督办。", code=Code.NOT_MAJOR, field="hazard")
    if h.state in TERMINAL_STATES:
        raise Conflict("隐患已销号或已驳回。", code=Code.INVALID_TRANSITION)
    if h.supervised:
        raise Conflict("该隐患已挂牌督办。", code=Code.ALREADY_SUPERVISED)
    h.supervised, h.supervised_by_id, h.supervision_note = True, actor.regulator_id, (note or "")[:100]
    h.save(update_fields=("supervised", "supervised_by", "supervision_note", "updated_at"))
    hazard_record(actor, h, HazardEvent.SUPERVISE, reason=note, regulator=actor.regulator_id)
    return h


@transaction.atomic
def hazard_regulator_signoff(*, actor: Actor | Any, hazard: Hazard | int, comment: str = "") -> Hazard:
    """The supervising regulator signs off a supervised hazard after its acceptance (挂牌督办销号确认).

    Errors: 404 when the actor is not a regulator member covering the enterprise; 403
    ``role_not_allowed``; 403 ``not_supervisor`` when another regulator ordered the supervision;
    409 ``not_supervised``; 409 ``invalid_transition`` unless the hazard is ``accepted``;
    409 ``already_signed_off``. Writes the audit event ``hazard.regulator_signoff``."""
    actor = actor_of(actor)
    h = hazard_lock(hazard)
    if not covers(actor, h.enterprise.division_code):
        raise NotFound("隐患不存在。", code=CoreErrorCode.NOT_FOUND)
    require_regulator(actor, SUPERVISOR_ROLES)
    if not h.supervised:
        raise Conflict("该隐患未挂牌督办。", code=Code.NOT_SUPERVISED)
    if h.supervised_by_id and h.supervised_by_id != actor.regulator_id:
        raise Forbidden("仅督办部门可确认销号。", code=Code.NOT_SUPERVISOR)
    if h.state != HazardState.ACCEPTED:
        raise Conflict("隐患验收后方可确认销号。", code=Code.INVALID_TRANSITION)
    if h.regulator_signed_off_at is not None:
        raise Conflict("已确认。", code=Code.ALREADY_SIGNED_OFF)
    h.regulator_signed_off_at, h.regulator_signed_off_by = timezone.now(), actor.user
    h.save(update_fields=("regulator_signed_off_at", "regulator_signed_off_by", "updated_at"))
    hazard_record(actor, h, HazardEvent.REGULATOR_SIGNOFF, reason=comment, regulator=actor.regulator_id)
    return h
