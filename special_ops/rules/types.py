"""Permit types and the permit state machine (pure tables, no Django).

Sources: GB 30871-2022 §3/§4 (eight special operations, national type codes 1–8) [std];
DOMAIN.md §4 "Permit lifecycle" for the states and transitions [std/probable]; the permit-number
prefixes follow the pinyin initials used in shared/data/permits_sample.json (DH-…, SX-…) [config].
"""

from __future__ import annotations

from enum import StrEnum

from .errors import RuleError


class PermitType(StrEnum):
    """The eight special operations of GB 30871-2022 (value = API code used in the JSON).

    ``label`` is the Chinese name (动火作业 …), ``national_code`` the national interface code 1–8
    (DOMAIN.md §4/§6) [std], ``number_prefix`` the permit-number prefix (DH, SX, …) [config].
    """

    HOT_WORK = "hot_work"
    CONFINED_SPACE = "confined_space"
    BLINDING = "blinding"
    HEIGHT = "height"
    LIFTING = "lifting"
    TEMP_POWER = "temp_power"
    EXCAVATION = "excavation"
    ROAD_CLOSURE = "road_closure"

    @property
    def label(self) -> str:
        """Chinese name, e.g. ``动火作业``."""
        return PERMIT_TYPE_TABLE[self][1]

    @property
    def national_code(self) -> int:
        """National type code 1–8 (GB 30871-2022 order)."""
        return PERMIT_TYPE_TABLE[self][0]

    @property
    def number_prefix(self) -> str:
        """Permit-number prefix, e.g. ``DH`` for 动火 (``DH-20261201-01``)."""
        return PERMIT_TYPE_TABLE[self][2]

    @classmethod
    def from_national_code(cls, code: int) -> PermitType:
        """Type for a national code 1–8.

        Raises:
            ValueError: ``code`` is not 1–8.
        """
        for permit_type, (national, _label, _prefix) in PERMIT_TYPE_TABLE.items():
            if national == code:
                return permit_type
        raise ValueError(f"unknown national permit type code: {code!r}")


#: type → (national code, Chinese label, permit-number prefix). GB 30871-2022; DOMAIN.md §4 [std].
PERMIT_TYPE_TABLE: dict[PermitType, tuple[int, str, str]] = {
    PermitType.HOT_WORK: (1, "动火作业", "DH"),
    PermitType.CONFINED_SPACE: (2, "受限空间作业", "SX"),
    PermitType.BLINDING: (3, "盲板抽堵作业", "MB"),
    PermitType.HEIGHT: (4, "高处作业", "GC"),
    PermitType.LIFTING: (5, "吊装作业", "DZ"),
    PermitType.TEMP_POWER: (6, "临时用电作业", "LD"),
    PermitType.EXCAVATION: (7, "动土作业", "DT"),
    PermitType.ROAD_CLOSURE: (8, "断路作业", "DL"),
}


class PermitState(StrEnum):
    """States of a work permit (DOMAIN.md §4 "Permit lifecycle"); ``label`` is Chinese."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        """Chinese name, e.g. ``作业中``."""
        return STATE_LABELS[self]


STATE_LABELS: dict[PermitState, str] = {
    PermitState.DRAFT: "草稿",
    PermitState.SUBMITTED: "已提交",
    PermitState.APPROVED: "已批准",
    PermitState.IN_PROGRESS: "作业中",
    PermitState.SUSPENDED: "已暂停",
    PermitState.COMPLETED: "已完工",
    PermitState.ACCEPTED: "已验收",
    PermitState.REJECTED: "已驳回",
    PermitState.CANCELLED: "已取消",
    PermitState.EXPIRED: "已过期",
}

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


class PermitAction(StrEnum):
    """Workflow commands; each is one endpoint/service (STYLE.md "Workflow commands")."""

    SUBMIT = "submit"
    APPROVE = "approve"  # the final approval step signs; earlier steps do not change the state
    REJECT = "reject"
    START = "start"
    SUSPEND = "suspend"
    RESUME = "resume"
    COMPLETE = "complete"
    ACCEPT = "accept"
    CANCEL = "cancel"
    EXPIRE = "expire"


#: Chinese names of the workflow commands, for messages.
ACTION_LABELS: dict[str, str] = {
    "submit": "提交", "approve": "审批", "reject": "驳回", "start": "开始作业", "suspend": "暂停作业",
    "resume": "恢复作业", "complete": "完工", "accept": "验收", "cancel": "取消", "expire": "过期",
}


_S = PermitState

#: action → (allowed source states, target state). DOMAIN.md §4 lifecycle [std]; the cancel and
#: expire sources are [config]: an in-progress job must be suspended (work stopped) before it is
#: cancelled, and a submitted permit whose window has passed expires as well.
TRANSITIONS: dict[PermitAction, tuple[frozenset[PermitState], PermitState]] = {
    PermitAction.SUBMIT: (frozenset({_S.DRAFT}), _S.SUBMITTED),
    PermitAction.APPROVE: (frozenset({_S.SUBMITTED}), _S.APPROVED),
    PermitAction.REJECT: (frozenset({_S.SUBMITTED}), _S.REJECTED),
    PermitAction.START: (frozenset({_S.APPROVED}), _S.IN_PROGRESS),
    PermitAction.SUSPEND: (frozenset({_S.IN_PROGRESS}), _S.SUSPENDED),
    PermitAction.RESUME: (frozenset({_S.SUSPENDED}), _S.IN_PROGRESS),
    PermitAction.COMPLETE: (frozenset({_S.IN_PROGRESS}), _S.COMPLETED),
    PermitAction.ACCEPT: (frozenset({_S.COMPLETED}), _S.ACCEPTED),
    PermitAction.CANCEL: (frozenset({_S.DRAFT, _S.SUBMITTED, _S.APPROVED, _S.SUSPENDED}), _S.CANCELLED),
    PermitAction.EXPIRE: (frozenset({_S.SUBMITTED, _S.APPROVED, _S.IN_PROGRESS, _S.SUSPENDED}), _S.EXPIRED),
}


class InvalidTransition(RuleError):
    """The action is not allowed from the permit's current state. Code ``invalid_transition``."""

    default_code = "invalid_transition"
    default_message = "当前状态不允许此操作。"


def next_state(action: PermitAction | str, current: PermitState | str) -> PermitState:
    """Target state of ``action`` taken from ``current`` (DOMAIN.md §4 lifecycle).

    Args:
        action: a ``PermitAction`` or its string value (``"start"``).
        current: a ``PermitState`` or its string value.

    Raises:
        ValueError: unknown action or state string.
        InvalidTransition (``invalid_transition``): ``current`` is not a source state of ``action``.
    """
    action, current = PermitAction(action), PermitState(current)
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise InvalidTransition(
            f"“{current.label}”状态不能执行“{ACTION_LABELS.get(action.value, action.value)}”。", action=action.value, state=current.value
        )
    return target
