"""What the caller may do on a permit now: the permit state machine's roles, the step the caller
may sign, and the separation of duties (GB 30871-2022 §4; DOMAIN.md §4 Roles). Pure: no Django.

The console shows only these actions; the services still check everything (a blocker such as
unconfirmed measures or a stale gas test answers the action's own 400/409).
"""

from __future__ import annotations

from dataclasses import dataclass

from special_ops.rules.approvals import (
    PHASE_ACCEPTANCE,
    PHASE_APPROVAL,
    PHASE_PRE_START,
    ROLE_SAFETY_OFFICER,
    ApprovalStep,
)
from special_ops.rules.types import (
    ACTION_ROLES,
    EDITABLE_STATES,
    GAS_TEST_STATES,
    MACHINE,
    PREPARATION_STATES,
    PermitAction,
    PermitState,
)

#: Actions whose signer is a step's role (not the machine's role list).
_SIGNED = frozenset({PermitAction.APPROVE, PermitAction.REJECT, PermitAction.ACCEPT, PermitAction.EXPIRE})
#: The actions that keep the state, with the states they apply in (the services' require_state).
_STATE_KEEPING: tuple[tuple[str, str, frozenset[PermitState]], ...] = (
    ("partial_update", "update", EDITABLE_STATES), ("confirm_measures", "confirm_measures", PREPARATION_STATES),
    ("brief", "brief", PREPARATION_STATES), ("gas_tests", "gas_test", GAS_TEST_STATES),
)
#: Every code :func:`allowed_actions` may list (view action names).
PERMIT_ACTION_CODES: tuple[str, ...] = (
    *(str(a) for a in MACHINE.transitions if a != PermitAction.EXPIRE), *(c for c, _, _ in _STATE_KEEPING),
)
_SIGN_PHASE = {PermitState.SUBMITTED: PHASE_APPROVAL, PermitState.APPROVED: PHASE_PRE_START}


@dataclass(frozen=True)
class PermitCaller:
    """Who the caller is to this permit: ``role`` (enterprise role), ``applicant_or_leader`` (named
    applicant or work leader, or the signer of its work-leader step), ``leader_user`` (the permit's
    linked work-leader user is the caller: True, another user: False, none linked: None)."""

    role: str
    applicant_or_leader: bool
    leader_user: bool | None


def may_sign(step: ApprovalStep, caller: PermitCaller) -> bool:
    """Whether ``caller`` may sign ``step``: holds its role; the work-leader confirmation by the linked
    work leader (anyone of the role when none is linked); any other step never by the applicant or
    the work leader (separation of duties, GB 30871-2022 §4.9)."""
    if caller.role != step.role:
        return False
    if step.code == "work_leader":
        return caller.leader_user is not False
    return not caller.applicant_or_leader


def allowed_actions(state: PermitState | str, caller: PermitCaller | None,
                    current: ApprovalStep | None) -> tuple[list[str], str | None]:
    """``(actions, sign_step)`` for ``caller`` on a permit in ``state`` whose next unsigned step of
    its phase is ``current`` (None: nothing to sign). ``caller`` None (a regulator member, an
    unapproved enterprise): ``([], None)``. ``actions`` are view action names in table order
    (``approve`` is the POST /approve/ of ``sign_step``); ``sign_step`` the code of the step the
    caller may sign now (approval or pre-start phase), else None."""
    if caller is None:
        return [], None
    st = PermitState(state)
    out: list[str] = []
    sign: str | None = None
    for action, t in MACHINE.transitions.items():
        if action not in _SIGNED and st in t.sources and (t.roles is None or caller.role in t.roles):
            out.append(str(action))
    if st == PermitState.SUBMITTED and (caller.role == ROLE_SAFETY_OFFICER or
                                        (current is not None and caller.role == current.role)):
        out.append(str(PermitAction.REJECT))
    if current is not None and current.phase == _SIGN_PHASE.get(st) and may_sign(current, caller):
        out.append(str(PermitAction.APPROVE))
        sign = current.code
    if st == PermitState.COMPLETED and current is not None and current.phase == PHASE_ACCEPTANCE \
            and caller.role == current.role and not caller.applicant_or_leader:
        out.append(str(PermitAction.ACCEPT))
    for view_action, rule_action, states in _STATE_KEEPING:
        if st in states and caller.role in ACTION_ROLES[rule_action]:
            out.append(view_action)
    return out, sign
