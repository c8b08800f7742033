"""The hazard lifecycle (DOMAIN.md §3): states, the transition table with its roles, the guards
that need more facts (five commitments, regulator sign-off), and the states and roles of the
actions that do not change the state (plan, judgement, extension request, photos).

The table is a :class:`backend.core.states.StateMachine`; services call :func:`check_transition`
and :func:`check_blockers`, and the hazard API derives its per-action roles from
:data:`MACHINE` and :data:`ACTION_ROLES` — one role table. Pure: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.core.rules import LabelledStrEnum, RuleError
from backend.core.states import InvalidTransition, RoleNotAllowed, StateMachine, Transition
from compliance.error_codes import HazardErrorCode
from compliance.rules.assessment import UnknownChoice
from compliance.rules.commitments import FIVE_COMMITMENTS, missing_commitments
from compliance.rules.hazard_codes import HazardGrade, to_member

__all__ = [
    "ACTION_ROLES", "EVERYONE", "EXTENSION_STATES", "JUDGEABLE_STATES", "MACHINE", "MANAGERS", "NOT_OVERDUE_STATES",
    "OPEN_STATES", "PHOTO_STATES", "PLAN_STATES", "REASON_REQUIRED_ACTIONS", "ROLE_OVERRIDES_BY_GRADE",
    "TERMINAL_STATES", "TRANSITIONS", "UNCLOSED_STATES", "ALLOWED_ACTION_CODES", "EnterpriseRole", "allowed_actions", "HazardState", "InvalidTransition", "RoleNotAllowed",
    "FiveCommitmentsIncomplete", "RegulatorSignoffRequired", "Transition", "allowed_roles", "check_blockers", "check_state", "check_transition",
    "transition_blockers",
]


class HazardState(LabelledStrEnum):
    """Our hazard lifecycle (DOMAIN.md §3). ``national_code`` is the national ``dangerState``
    for export (rectifying 0, pending_acceptance 1, accepted/closed 9) or None where the
    national scheme has no state (reported, confirmed, rejected)."""

    national_code: int | None

    REPORTED = "reported", "已上报", None
    CONFIRMED = "confirmed", "已确认", None
    RECTIFYING = "rectifying", "整改中", 0
    PENDING_ACCEPTANCE = "pending_acceptance", "待验收", 1
    ACCEPTED = "accepted", "已验收", 9
    CLOSED = "closed", "已销号", 9
    REJECTED = "rejected", "已驳回", None

    def _init_extra(self, national_code: int | None) -> None:
        self.national_code = national_code


#: Not yet fixed and verified. ``accepted`` (verified, awaiting 销号) is neither open nor terminal.
OPEN_STATES: frozenset[HazardState] = frozenset(
    {
        HazardState.REPORTED,
        HazardState.CONFIRMED,
        HazardState.RECTIFYING,
        HazardState.PENDING_ACCEPTANCE,
    }
)
#: No transition leaves these.
TERMINAL_STATES: frozenset[HazardState] = frozenset({HazardState.CLOSED, HazardState.REJECTED})
#: Not yet 销号: every state outside the terminal set (accepted included — verified, awaiting 销号).
#: THE count of 未销号隐患, on the enterprise 工作台 and on the regulator's map alike.
UNCLOSED_STATES: frozenset[HazardState] = frozenset(set(HazardState) - TERMINAL_STATES)
#: States in which a past deadline does not make a hazard overdue: pending_acceptance and later,
#: and rejected (DOMAIN.md §3 "Deadline semantics").
NOT_OVERDUE_STATES: frozenset[HazardState] = frozenset(
    {
        HazardState.PENDING_ACCEPTANCE,
        HazardState.ACCEPTED,
        HazardState.CLOSED,
        HazardState.REJECTED,
    }
)


class EnterpriseRole(LabelledStrEnum):
    """Roles of enterprise users that act on hazards (the values of ``accounts.Role``)."""

    ADMIN = "admin", "企业管理员"
    SAFETY_OFFICER = "safety_officer", "安全管理员"
    PRINCIPAL = "principal", "主要负责人"
    EMPLOYEE = "employee", "职工"


#: Managers grade, accept and close; whoever fixes may start and submit [config].
MANAGERS: frozenset[str] = frozenset({EnterpriseRole.ADMIN, EnterpriseRole.SAFETY_OFFICER, EnterpriseRole.PRINCIPAL})
EVERYONE: frozenset[str] = MANAGERS | {EnterpriseRole.EMPLOYEE}

_S = HazardState

#: The hazard state machine: action → Transition(sources, target, roles). DOMAIN.md §3;
#: roles [config]: managers grade, accept and close; whoever fixes may start and submit.
MACHINE = StateMachine(
    "hazard",
    {
        "confirm": Transition({_S.REPORTED}, _S.CONFIRMED, MANAGERS),
        "reject": Transition({_S.REPORTED}, _S.REJECTED, MANAGERS),
        "start_rectification": Transition({_S.CONFIRMED}, _S.RECTIFYING, EVERYONE),
        "submit_for_acceptance": Transition({_S.RECTIFYING}, _S.PENDING_ACCEPTANCE, EVERYONE),
        "accept": Transition({_S.PENDING_ACCEPTANCE}, _S.ACCEPTED, MANAGERS),
        "fail_acceptance": Transition({_S.PENDING_ACCEPTANCE}, _S.RECTIFYING, MANAGERS),
        "close": Transition({_S.ACCEPTED}, _S.CLOSED, MANAGERS),
    },
    labels={s.value: s.label for s in HazardState},
    action_labels={"confirm": "确认", "reject": "驳回", "start_rectification": "开始整改",
                   "submit_for_acceptance": "提交验收", "accept": "验收", "fail_acceptance": "验收不通过",
                   "close": "销号"},
)
#: The table itself (``{action: Transition}``).
TRANSITIONS: Mapping[str, Transition] = MACHINE.transitions

#: Actions that must record why (DOMAIN.md §3: rejection and failed acceptance carry a reason).
REASON_REQUIRED_ACTIONS: frozenset[str] = frozenset({"reject", "fail_acceptance"})

#: Narrower roles for an action on a given grade: a major hazard is accepted by the enterprise
#: principal (DOMAIN.md §3; data/README.md §3, 序号 16).
ROLE_OVERRIDES_BY_GRADE: Mapping[tuple[str, HazardGrade], frozenset[str]] = {
    ("accept", HazardGrade.MAJOR): frozenset({EnterpriseRole.PRINCIPAL}),
}

#: States in which the rectification plan (five commitments) may be edited.
PLAN_STATES: frozenset[HazardState] = frozenset({_S.CONFIRMED, _S.RECTIFYING})
#: States in which a hazard may still be judged against a major-hazard checklist.
JUDGEABLE_STATES: frozenset[HazardState] = frozenset({_S.REPORTED, _S.CONFIRMED, _S.RECTIFYING})
#: States in which the responsible person may ask for a later deadline.
EXTENSION_STATES: frozenset[HazardState] = frozenset({_S.CONFIRMED, _S.RECTIFYING})
#: States in which photos may be added (any but closed and rejected).
PHOTO_STATES: frozenset[HazardState] = frozenset(HazardState) - TERMINAL_STATES

#: Roles of the hazard actions that are not transitions (``create`` is filing a graded hazard,
#: ``report`` an employee's report). The view's ``action_roles`` is this plus ``MACHINE``'s roles.
ACTION_ROLES: Mapping[str, frozenset[str]] = {
    "create": MANAGERS,
    "report": EVERYONE,
    "plan": MANAGERS,
    "tick_checklist": MANAGERS,
    "request_extension": EVERYONE,  # the service lets only the responsible person through
    "photos": EVERYONE,
    "import_ledger": MANAGERS,
}


class FiveCommitmentsIncomplete(RuleError):
    """A major hazard lacks some of its five commitments (400 ``five_commitments_incomplete``;
    ``field`` is the first missing one, ``details["missing"]`` all of them in table order)."""

    default_code = "five_commitments_incomplete"
    default_message = "重大隐患须落实“五落实”后方可整改。"


class RegulatorSignoffRequired(RuleError):
    """A supervised hazard is closed before its regulator signed off (409 ``regulator_signoff_required``)."""

    default_code = "regulator_signoff_required"
    default_message = "挂牌督办的隐患须经监管部门确认后方可销号。"
    status = 409


def allowed_roles(action: str, grade: HazardGrade | str | None = None) -> frozenset[str]:
    """Roles that may perform ``action`` on a hazard of ``grade`` (None: the general rule).
    Raises ``UnknownChoice`` (field "action") for an action not in ``TRANSITIONS``."""
    if action not in TRANSITIONS:
        raise UnknownChoice("action", action, TRANSITIONS)
    if grade is not None:
        override = ROLE_OVERRIDES_BY_GRADE.get((action, to_member(HazardGrade, grade, "grade")))
        if override is not None:
            return override
    roles = TRANSITIONS[action].roles
    return roles if roles is not None else EVERYONE


def check_transition(
    action: str,
    state: HazardState | str,
    role: EnterpriseRole | str,
    *,
    grade: HazardGrade | str | None = None,
) -> HazardState:
    """The state ``action`` leads to from ``state`` when performed by ``role``.

    Raises ``UnknownChoice`` (unknown action/state/role, 400), ``RoleNotAllowed`` (403, field
    "role"; code "principal_required" when a manager tries to accept a major hazard) and
    ``InvalidTransition`` (409 "invalid_transition", field "state"). Guards that need more facts
    (five commitments, regulator sign-off) are in ``check_blockers``. Source: DOMAIN.md §3."""
    roles = allowed_roles(action, grade)
    current = to_member(HazardState, state, "state")
    actor = to_member(EnterpriseRole, role, "role")
    if actor not in roles:
        if actor in (TRANSITIONS[action].roles or ()):
            raise RoleNotAllowed("重大隐患须由企业主要负责人验收。", code=HazardErrorCode.PRINCIPAL_REQUIRED, action=action,
                                 role=str(actor))
        raise RoleNotAllowed(f"角色「{actor.label}」无权执行此操作（{MACHINE.action_label(action)}）。",
                             action=action, role=str(actor))
    return HazardState(MACHINE.check(action, current))


def check_state(action: str, state: HazardState | str, allowed: frozenset[HazardState]) -> None:
    """For an action that keeps the state (plan, judgement, extension, photo): raise
    ``InvalidTransition`` (409) unless ``state`` is in ``allowed``."""
    current = to_member(HazardState, state, "state")
    if current not in allowed:
        raise InvalidTransition(f"隐患处于“{current.label}”状态，不能执行该操作。", action=action, state=str(current))


def transition_blockers(
    action: str,
    *,
    grade: HazardGrade | str,
    commitments: Mapping[str, Any] | None = None,
    regulator_supervised: bool = False,
    regulator_signed_off: bool = False,
) -> list[str]:
    """Codes of the conditions that still block ``action`` on a hazard of ``grade``; [] if none.

    - "five_commitments_incomplete": a major hazard cannot enter rectifying before its five
      commitments are all given (see ``missing_commitments`` for which).
    - "regulator_signoff_required": a hazard under a regulator's 挂牌督办 order cannot be closed
      without that regulator's sign-off — whatever its grade now (supervision is ordered for a
      major hazard; regrading it afterwards does not lift the regulator's order).
    Source: DOMAIN.md §3, 安全生产法 2021 §41."""
    level = to_member(HazardGrade, grade, "grade")
    blockers: list[str] = []
    if level is HazardGrade.MAJOR and action == "start_rectification" and missing_commitments(commitments or {}):
        blockers.append("five_commitments_incomplete")
    if action == "close" and regulator_supervised and not regulator_signed_off:
        blockers.append("regulator_signoff_required")
    return blockers


def check_blockers(
    action: str,
    *,
    grade: HazardGrade | str,
    commitments: Mapping[str, Any] | None = None,
    regulator_supervised: bool = False,
    regulator_signed_off: bool = False,
) -> None:
    """Raise the first of ``transition_blockers``: ``FiveCommitmentsIncomplete`` (400, field = the
    first missing commitment) or ``RegulatorSignoffRequired`` (409)."""
    blockers = transition_blockers(action, grade=grade, commitments=commitments,
                                   regulator_supervised=regulator_supervised, regulator_signed_off=regulator_signed_off)
    if "five_commitments_incomplete" in blockers:
        missing = missing_commitments(commitments or {})
        label = dict(FIVE_COMMITMENTS)[missing[0]]
        raise FiveCommitmentsIncomplete(f"重大隐患须落实“五落实”后方可整改，缺少：{label}。", field=missing[0],
                                        missing=missing)
    if "regulator_signoff_required" in blockers:
        raise RegulatorSignoffRequired()


#: The actions that keep the state, with the states they apply in and who may take them (the
#: service checks the same: PLAN_STATES, JUDGEABLE_STATES, EXTENSION_STATES, PHOTO_STATES).
_STATE_KEEPING: tuple[tuple[str, frozenset[HazardState]], ...] = (
    ("plan", PLAN_STATES), ("tick_checklist", JUDGEABLE_STATES), ("request_extension", EXTENSION_STATES),
    ("photos", PHOTO_STATES),
)
#: Every code :func:`allowed_actions` may list (the API schema's enum).
ALLOWED_ACTION_CODES: tuple[str, ...] = (*MACHINE.transitions, *(a for a, _ in _STATE_KEEPING))
#: Actions only the assigned responsible person may take when the caller is an employee
#: (request_extension: whatever the role).
_RESPONSIBLE_ONLY: frozenset[str] = frozenset({"start_rectification", "submit_for_acceptance"})


def allowed_actions(state: HazardState | str, grade: HazardGrade | str, role: str | None, *,
                    responsible: bool = False, rectifier: bool = False) -> list[str]:
    """The hazard actions an enterprise member of ``role`` may take now (the console shows only these).

    ``state``/``grade``: the hazard's; ``responsible``: the caller is the assigned responsible person
    (an employee starts and submits only their own hazards; only the responsible person asks for an
    extension); ``rectifier``: the caller submitted the rectification (they neither accept nor fail
    it). Transitions (MACHINE, with the major-hazard acceptance by the principal) in table order,
    then ``plan``, ``tick_checklist``, ``request_extension``, ``photos``. Guards that need more facts
    (five commitments, regulator sign-off) are not applied: the action then answers its 400/409.
    A role outside the enterprise roles (a regulator member) gets []. Source: DOMAIN.md §3."""
    if role not in EVERYONE:
        return []
    current = to_member(HazardState, state, "state")
    out: list[str] = []
    for action in MACHINE.actions_from(current):
        if role not in allowed_roles(action, grade):
            continue
        if action in _RESPONSIBLE_ONLY and role == EnterpriseRole.EMPLOYEE and not responsible:
            continue
        if action in ("accept", "fail_acceptance") and rectifier:
            continue
        out.append(action)
    for action, states in _STATE_KEEPING:
        if current in states and role in ACTION_ROLES[action] and (action != "request_extension" or responsible):
            out.append(action)
    return out
