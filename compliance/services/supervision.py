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

from backend.accounts.models import Membership, Role
from backend.accounts.selectors import regulator_covers
from backend.audit.services import audit_record
from backend.core.errors import Conflict, FieldError, Forbidden, NotFound
from compliance.models import Hazard
from compliance.rules.hazards import TERMINAL_STATES, HazardGrade, HazardState

#: Regulator roles that order supervision and sign it off.
SUPERVISOR_ROLES = frozenset({Role.ADMIN, Role.INSPECTOR})


def _regulator_member(actor: Any) -> Membership:
    """The actor's regulator membership with a supervising role; 403 ``regulator_only`` / ``role_not_allowed``."""
    try:
        m = actor.membership
    except (Membership.DoesNotExist, AttributeError):
        m = None
    if m is None or m.regulator_id is None:
        raise Forbidden("仅监管部门用户可执行此操作。", code="regulator_only")
    if m.role not in SUPERVISOR_ROLES:
        raise Forbidden(f"角色「{Role(m.role).label}」无权执行此操作。", code="role_not_allowed")
    return m


def _lock(hazard: Hazard | int) -> Hazard:
    pk = getattr(hazard, "pk", hazard)
    found = Hazard.objects.select_for_update(of=("self",)).select_related("enterprise").filter(pk=pk).first()
    if found is None:
        raise NotFound("隐患不存在。", code="not_found")
    return found


@transaction.atomic
def hazard_supervise(*, actor: Any, hazard: Hazard | int, note: str = "") -> Hazard:
    """The actor's regulator puts a major hazard under supervision (挂牌督办).

    ``actor``: a regulator member (admin or inspector) whose jurisdiction covers the hazard's
    enterprise; the supervising regulator is the actor's. ``note`` is kept (≤ 100 chars) and goes
    into the audit event ``hazard.supervise``.
    Errors: 403 ``regulator_only`` / ``role_not_allowed``; 404 outside the jurisdiction; 400
    ``not_major`` (field ``hazard``); 409 ``invalid_transition`` for a closed or rejected hazard;
    409 ``already_supervised``. Source: DOMAIN.md §3, 安全生产法 2021 §41."""
    m = _regulator_member(actor)
    h = _lock(hazard)
    if not regulator_covers(m.regulator, h.enterprise):
        raise NotFound("隐患不存在。", code="not_found")
    if h.grade != HazardGrade.MAJOR:
        raise FieldError("仅重大隐患可挂牌督办。", code="not_major", field="hazard")
    if h.state in TERMINAL_STATES:
        raise Conflict("隐患已销号或已驳回。", code="invalid_transition")
    if h.supervised:
        raise Conflict("该隐患已挂牌督办。", code="already_supervised")
    h.supervised, h.supervised_by_id, h.supervision_note = True, m.regulator_id, (note or "")[:100]
    h.save(update_fields=("supervised", "supervised_by", "supervision_note", "updated_at"))
    audit_record(actor=actor, action="hazard.supervise", obj=h, enterprise=h.enterprise_id,
                 regulator=m.regulator_id, reason=note)
    return h


@transaction.atomic
def hazard_regulator_signoff(*, actor: Any, hazard: Hazard | int, comment: str = "") -> Hazard:
    """The supervising regulator signs off a supervised hazard after its acceptance (挂牌督办销号确认).

    Errors: 404 when the actor is not a regulator member covering the enterprise; 403
    ``role_not_allowed``; 403 ``not_supervisor`` when another regulator ordered the supervision;
    409 ``not_supervised``; 409 ``invalid_transition`` unless the hazard is ``accepted``;
    409 ``already_signed_off``. Writes the audit event ``hazard.regulator_signoff``."""
    h = _lock(hazard)
    try:
        m = _regulator_member(actor)
    except Forbidden as exc:
        if exc.code == "regulator_only":
            raise NotFound("隐患不存在。", code="not_found") from exc
        raise
    if not regulator_covers(m.regulator, h.enterprise):
        raise NotFound("隐患不存在。", code="not_found")
    if not h.supervised:
        raise Conflict("该隐患未挂牌督办。", code="not_supervised")
    if h.supervised_by_id and h.supervised_by_id != m.regulator_id:
        raise Forbidden("仅督办部门可确认销号。", code="not_supervisor")
    if h.state != HazardState.ACCEPTED:
        raise Conflict("隐患验收后方可确认销号。", code="invalid_transition")
    if h.regulator_signed_off_at is not None:
        raise Conflict("已确认。", code="already_signed_off")
    h.regulator_signed_off_at, h.regulator_signed_off_by = timezone.now(), actor
    h.save(update_fields=("regulator_signed_off_at", "regulator_signed_off_by", "updated_at"))
    audit_record(actor=actor, action="hazard.regulator_signoff", obj=h, enterprise=h.enterprise_id,
                 regulator=m.regulator_id, reason=comment)
    return h
