"""Permit types and the permit state machine (pure tables, no Django).

Sources: GB 30871-2022 §3/§4 (eight special operations, national type codes 1–8) [std];
DOMAIN.md §4 "Permit lifecycle" for the states and transitions [std/probable]; the permit-number
prefixes follow the pinyin initials used in samples/permits_sample.json (DH-…, SX-…) [config].
The transition table is a :class:`backend.core.states.StateMachine` with roles; the permit API
derives its per-action roles from it.
"""

from __future__ import annotations

from collections.abc import Mapping

from backend.core.rules import LabelledStrEnum
from backend.core.states import InvalidTransition, RoleNotAllowed, StateMachine, Transition

__all__ = [
    "ACTION_ROLES", "CONFLICT_STATES", "EDITABLE_STATES", "GAS_TEST_STATES", "LIVE_STATES", "MACHINE", "OPEN_STATES",
    "PERMIT_ROLES", "PREPARATION_STATES", "SYSTEM_ONLY", "TERMINAL_STATES", "TRANSITIONS", "InvalidTransition",
    "PermitAction", "PermitState", "PermitType", "RoleNotAllowed", "check_state", "next_state",
]


class PermitType(LabelledStrEnum):
    """The eight special operations of GB 30871-2022 (value = API code used in the JSON).

    ``label`` is the Chinese name (动火作业 …), ``national_code`` the national interface code 1–8
    (DOMAIN.md §4/§6) [std], ``number_prefix`` the permit-number prefix (DH, SX, …) [config]: the
    pinyin initials used in samples/permits_sample.json.
    """

    national_code: int
    number_prefix: str

    HOT_WORK = "hot_work", "动火作业", 1, "DH"
    CONFINED_SPACE = "confined_space", "受限空间作业", 2, "SX"
    BLINDING = "blinding", "盲板抽堵作业", 3, "MB"
    HEIGHT = "height", "高处作业", 4, "GC"
    LIFTING = "lifting", "吊装作业", 5, "DZ"
    TEMP_POWER = "temp_power", "临时用电作业", 6, "LD"
    EXCAVATION = "excavation", "动土作业", 7, "DT"
    ROAD_CLOSURE = "road_closure", "断路作业", 8, "DL"

    def _init_extra(self, national_code: int, number_prefix: str) -> None:
        self.national_code = national_code
        self.number_prefix = number_prefix

    @classmethod
    def from_national_code(cls, code: int) -> PermitType:
        """Type for a national code 1–8.

        Raises:
            ValueError: ``code`` is not 1–8.
        """
        for permit_type in cls:
            if permit_type.national_code == code:
                return permit_type
        raise ValueError(f"unknown national permit type code: {code!r}")


class PermitState(LabelledStrEnum):
    """States of a work permit (DOMAIN.md §4 "Permit lifecycle"); ``label`` is Chinese."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    APPROVED = "approved", "已批准"
    IN_PROGRESS = "in_progress", "作业中"
    SUSPENDED = "suspended", "已暂停"
    COMPLETED = "completed", "已完工"
    ACCEPTED = "accepted", "已验收"
    REJECTED = "rejected", "已驳回"
    CANCELLED = "cancelled", "已取消"
    EXPIRED = "expired", "已过期"


#: Closed for good: no transition leaves these states.
TERMINAL_STATES: frozenset[PermitState] = frozenset(
    {PermitState.ACCEPTED, PermitState.REJECTED, PermitState.CANCELLED, PermitState.EXPIRED}
)
#: Everything not terminal (a draft and a completed-but-not-accepted permit are still open).
OPEN_STATES: frozenset[PermitState] = frozenset(set(PermitState) - TERMINAL_STATES)
#: Approved and not finished: the permit authorises (or will authorise) work on site right now.
LIVE_STATES: frozenset[PermitState] = frozenset(
    {PermitState.APPROVED, PermitState.IN_PROGRESS, PermitState.SUSPENDED}
)
#: States that take part in conflict checks (guardian, pipeline, 30 m, linking): filed and the work
#: not finished. Drafts are not filed (they are checked when submitted); a completed permit has
#: released its guardian and plant [config].
CONFLICT_STATES: frozenset[PermitState] = frozenset({PermitState.SUBMITTED} | LIVE_STATES)


class PermitAction(LabelledStrEnum):
    """Workflow commands; each is one endpoint/service (STYLE.md "Workflow commands"). ``label``:
    the Chinese verb, for messages."""

    SUBMIT = "submit", "提交"
    APPROVE = "approve", "审批"  # the final approval step signs; earlier steps do not change the state
    REJECT = "reject", "驳回"
    START = "start", "开始作业"
    SUSPEND = "suspend", "暂停作业"
    RESUME = "resume", "恢复作业"
    COMPLETE = "complete", "完工"
    ACCEPT = "accept", "验收"
    CANCEL = "cancel", "取消"
    EXPIRE = "expire", "过期"


#: Enterprise roles that act on permits (the values of ``backend.accounts.Role``; every member may
#: file and drive a permit — who may *sign* a step is the step's role, rules.approvals) [config].
PERMIT_ROLES: frozenset[str] = frozenset({"admin", "safety_officer", "principal", "employee"})
#: Nobody but the platform (the expiry sweep acts as the system actor, which passes no role).
SYSTEM_ONLY: frozenset[str] = frozenset()

_S = PermitState

#: The permit state machine: action → Transition(sources, target, roles). DOMAIN.md §4 lifecycle
#: [std]; the cancel and expire sources are [config]: an in-progress job must be suspended (work
#: stopped) before it is cancelled, and a submitted permit whose window has passed expires as well.
#: ``approve``/``reject``/``accept`` are open to any role here: the service checks the role of the
#: step being signed (rules.approvals chains).
MACHINE = StateMachine(
    "permit",
    {
        PermitAction.SUBMIT: Transition({_S.DRAFT}, _S.SUBMITTED, PERMIT_ROLES),
        PermitAction.APPROVE: Transition({_S.SUBMITTED}, _S.APPROVED),
        PermitAction.REJECT: Transition({_S.SUBMITTED}, _S.REJECTED),
        PermitAction.START: Transition({_S.APPROVED}, _S.IN_PROGRESS, PERMIT_ROLES),
        PermitAction.SUSPEND: Transition({_S.IN_PROGRESS}, _S.SUSPENDED, PERMIT_ROLES),
        PermitAction.RESUME: Transition({_S.SUSPENDED}, _S.IN_PROGRESS, PERMIT_ROLES),
        PermitAction.COMPLETE: Transition({_S.IN_PROGRESS}, _S.COMPLETED, PERMIT_ROLES),
        PermitAction.ACCEPT: Transition({_S.COMPLETED}, _S.ACCEPTED),
        PermitAction.CANCEL: Transition({_S.DRAFT, _S.SUBMITTED, _S.APPROVED, _S.SUSPENDED}, _S.CANCELLED, PERMIT_ROLES),
        PermitAction.EXPIRE: Transition({_S.SUBMITTED, _S.APPROVED, _S.IN_PROGRESS, _S.SUSPENDED}, _S.EXPIRED,
                                        SYSTEM_ONLY),
    },
    labels=PermitState.labels(),
    action_labels=PermitAction.labels(),
)
#: The table itself (``{action: Transition}``).
TRANSITIONS: Mapping[str, Transition] = MACHINE.transitions

#: States of the actions that keep the state (no transition): editing the permit (an edit after
#: submission voids the signatures and returns it to ``submitted``), confirming measures and the
#: briefing (before the final approval), recording a gas test (filed and not finished).
EDITABLE_STATES: frozenset[PermitState] = frozenset({_S.DRAFT, _S.SUBMITTED, _S.APPROVED})
PREPARATION_STATES: frozenset[PermitState] = frozenset({_S.SUBMITTED})
GAS_TEST_STATES: frozenset[PermitState] = frozenset({_S.SUBMITTED, _S.APPROVED, _S.IN_PROGRESS, _S.SUSPENDED})
#: Roles of the permit actions that are not transitions; the API's ``action_roles`` is this plus
#: :data:`MACHINE`'s roles (:func:`backend.core.api.permissions.roles_from`).
ACTION_ROLES: Mapping[str, frozenset[str]] = {
    "create": PERMIT_ROLES, "update": PERMIT_ROLES, "confirm_measures": PERMIT_ROLES, "brief": PERMIT_ROLES,
    "gas_test": PERMIT_ROLES,
}


def next_state(action: PermitAction | str, current: PermitState | str, role: str | None = None) -> PermitState:
    """Target state of ``action`` taken from ``current`` by ``role`` (None: not checked — the
    system, or an action whose signer the service checks) (DOMAIN.md §4 lifecycle).

    Raises:
        ValueError: unknown action or state string.
        RoleNotAllowed (``role_not_allowed``, 403): ``role`` may not take the action.
        InvalidTransition (``invalid_transition``, 409): ``current`` is not a source state of
            ``action``; ``details`` = ``{"action", "state"}``.
    """
    action, current = PermitAction(action), PermitState(current)
    return PermitState(MACHINE.check(action, current, role))


def check_state(action: str, current: PermitState | str, allowed: frozenset[PermitState], message: str) -> None:
    """For an action that keeps the state (edit, measures, briefing, gas test): raise
    InvalidTransition (409 ``invalid_transition``) with ``message`` unless ``current`` is in ``allowed``."""
    if PermitState(current) not in allowed:
        raise InvalidTransition(message, action=action, state=str(current))
