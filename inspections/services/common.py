"""What every regulator-side service checks first: the acting regulator, the enterprise it may
touch, the state machine's verdict (mapped onto the API's errors once, here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.accounts.models import Enterprise, Regulator, User
from backend.core.actors import Actor, actor_of, require_regulator
from backend.core.errors import FieldError, from_rule
from backend.core.rules import RuleError
from backend.core.states import StateMachine
from inspections.error_codes import InspectionErrorCode as Code
from inspections.selectors import jurisdiction_enterprises


@dataclass(frozen=True)
class RegulatorActing:
    """A regulator member acting: the :class:`Actor`, its regulator, its user (never None here) and role."""

    actor: Actor
    regulator: Regulator
    user: User
    role: str | None


def regulator_actor(actor: Any, roles: frozenset[str] | set[str] | None = None) -> RegulatorActing:
    """The acting regulator member (holding one of ``roles`` when given).

    ``actor``: an :class:`Actor` or a user. 403 ``regulator_only`` / ``role_not_allowed``."""
    a = actor_of(actor)
    regulator = require_regulator(a, roles)
    assert a.user is not None  # a regulator actor has a membership, hence a user
    return RegulatorActing(actor=a, regulator=regulator, user=a.user, role=a.role)


def covered_enterprise(regulator: Regulator, enterprise: Enterprise | int, field: str = "enterprise") -> Enterprise:
    """The enterprise (an instance or an id given as input) if ``regulator``'s jurisdiction covers
    it; else 400 ``does_not_exist`` naming ``field`` (an input, not the object of the request)."""
    pk = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
    ent = jurisdiction_enterprises(regulator).filter(pk=pk).first()
    if ent is None:
        raise FieldError("企业不存在或不在管辖范围内。", code=Code.DOES_NOT_EXIST, field=field)
    return ent


def check(machine: StateMachine, action: str, state: str, role: str | None = None) -> str:
    """``machine.check`` with its rule errors as API errors (409 ``invalid_transition``, 403
    ``role_not_allowed``). Returns the target state."""
    try:
        return machine.check(action, state, role)
    except RuleError as exc:
        raise from_rule(exc) from exc
