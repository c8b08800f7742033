"""What every permit service shares: who may act on a permit, the row lock, the state check, the
audit record and the checks on people named on a permit.

Private to :mod:`special_ops.services` (the other modules import it; nothing outside does). A pure
rule's error becomes the API's coded error through the one mapper,
:func:`backend.core.errors.from_rule` (status, code, message and field come from the rule error).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from backend.accounts.models import Enterprise, Membership, Role, User
from backend.audit.services import audit_record
from backend.core.actors import Actor, actor_of, require_enterprise_member
from backend.core.errors import FieldError, Forbidden, from_rule
from backend.core.rules import RuleError
from special_ops.error_codes import PermitErrorCode as E
from special_ops.error_codes import PermitEvent
from special_ops.models import WorkPermit
from special_ops.rules.types import PermitAction, PermitState, check_state, next_state


def acting(actor: Actor | Any, permit: WorkPermit) -> Actor:
    """The :class:`Actor` of ``actor`` (a User is accepted and converted), which must belong to the
    permit's enterprise: anyone else gets 404 ``not_found`` (the permit does not exist for them)."""
    actor = actor_of(actor)
    require_enterprise_member(actor, permit.enterprise_id)
    return actor


def permits_for_update() -> QuerySet[WorkPermit]:
    """Permits under ``SELECT … FOR UPDATE`` (own rows only), with enterprise and risk point."""
    return WorkPermit.objects.select_for_update(of=("self",)).select_related("enterprise", "risk_point")


def permit_lock(permit: WorkPermit) -> WorkPermit:
    """The permit re-read under the row lock (:func:`permits_for_update`)."""
    return permits_for_update().get(pk=permit.pk)


def target_of(permit: WorkPermit, action: PermitAction, actor: Actor) -> PermitState:
    """The state ``action`` leads to from the permit's (locked) state for ``actor``'s role
    (rules.types.MACHINE). Raises Conflict 409 ``invalid_transition`` (also a lost race: the row,
    once locked, is no longer in a source state), Forbidden 403 ``role_not_allowed``."""
    try:
        return next_state(action, permit.state, None if actor.is_system else actor.role)
    except RuleError as exc:
        raise from_rule(exc) from exc


def require_state(permit: WorkPermit, action: str, allowed: frozenset[PermitState], message: str) -> None:
    """For an action that keeps the state: Conflict 409 ``invalid_transition`` unless the permit's
    (locked) state is in ``allowed``."""
    try:
        check_state(action, permit.state, allowed, message)
    except RuleError as exc:
        raise from_rule(exc) from exc


def record(actor: Actor, permit: WorkPermit, event: PermitEvent, from_state: str, reason: str = "", **payload: Any) -> None:
    """Append the permit's audit event (same transaction as the change)."""
    audit_record(actor=actor.user, action=event.value, obj=permit, enterprise=permit.enterprise_id,
                 from_state=from_state, to_state=permit.state, reason=reason, payload=payload)


# --- people --------------------------------------------------------------------------------------
def check_risk_point(enterprise: Enterprise, risk_point: Any) -> None:
    """400 ``does_not_exist`` on ``risk_point`` unless it is one of ``enterprise``'s."""
    if risk_point is not None and risk_point.enterprise_id != enterprise.pk:
        raise FieldError("风险点不存在。", code=E.DOES_NOT_EXIST, field="risk_point")


def check_member(enterprise: Enterprise | int, user: Any, field: str) -> None:
    """400 ``not_a_member`` on ``field`` unless ``user`` (None: nobody linked) is a member of ``enterprise``."""
    if user is not None and not Membership.objects.filter(user=user, enterprise=enterprise).exists():
        raise FieldError("该用户不是本企业成员。", code=E.NOT_A_MEMBER, field=field)


def signer(actor: Actor) -> User:
    """The user who signs for ``actor`` (a step, a measure confirmation, the briefing); 403
    ``role_not_allowed`` for an actor without one (the system never signs)."""
    if actor.user is None:
        raise Forbidden("须由具名用户签署。", code=E.ROLE_NOT_ALLOWED)
    return actor.user


def display_name(actor: Actor) -> str:
    """The name a signature records: the user's full name, else the username."""
    user = actor.user
    return (getattr(user, "full_name", "") or getattr(user, "username", "")).strip()


def same_person(actor: Actor, linked: Any, name: str) -> bool:
    """Whether ``actor`` is the person named on the permit: compare users when the person is linked,
    else compare names (contractors have no accounts)."""
    if linked is not None:
        return bool(linked.pk == actor.user_id)
    return bool(name.strip()) and name.strip() == display_name(actor)


def is_applicant_or_work_leader(actor: Actor, permit: WorkPermit) -> bool:
    """Whether ``actor`` is the permit's applicant or work leader: named (user, else name) on the
    permit, or whoever signed its ``work_leader`` step (a contractor's leader has no account).
    Such a person signs neither an approval nor the completion acceptance (DOMAIN.md §4 Roles,
    separation of duties)."""
    from special_ops.models import PermitApproval

    if same_person(actor, permit.applicant_user, permit.applicant_name) or same_person(
        actor, permit.work_leader_user, permit.work_leader_name
    ):
        return True
    return PermitApproval.objects.filter(permit=permit, step="work_leader", voided_at__isnull=True,
                                         signer_id=actor.user_id).exists()


def role_label(role: str) -> str:
    """Chinese name of an enterprise role code (管理员, 安全管理员, 主要负责人, 职工)."""
    try:
        return str(Role(role).label)
    except ValueError:
        return role
