"""The state machines of the regulator side (DOMAIN.md §5), on :class:`backend.core.states.StateMachine`.

- An inspection (执法检查): ``planned`` → ``in_progress`` → ``closed``. Results and findings are
  recorded only while it is in progress (the ``record`` row keeps the state). Any regulator role
  may act; the service also requires the caller to be one of the inspection's inspectors.
- A finding's follow-up (复查): ``open`` | ``not_fixed`` → ``fixed`` | ``not_fixed`` by an inspector;
  ``fixed`` is final (a confirmed fix is not re-checked).
- A whistleblower report (吹哨人举报): ``received`` → ``accepted`` | ``rejected``; ``accepted`` →
  ``rejected`` | ``inspection_opened`` | ``hazard_created``; triaged by a regulator admin or inspector.

A wrong state is ``invalid_transition`` (409); a wrong role ``role_not_allowed`` (403). Pure: the
role values are those of ``backend.accounts.models.Role``.
"""

from __future__ import annotations

from backend.core.rules import LabelledStrEnum
from backend.core.states import StateMachine, Transition

#: Regulator roles (``backend.accounts.models.Role`` values).
REGULATOR_ADMIN = "admin"
INSPECTOR = "inspector"
REGULATOR_ROLES = frozenset({REGULATOR_ADMIN, INSPECTOR})
#: Who runs a 双随机 draw (DOMAIN.md §5): the regulator admin (the API and the service read this).
DRAW_ROLES = frozenset({REGULATOR_ADMIN})


class InspectionState(LabelledStrEnum):
    PLANNED = "planned", "待检查"
    IN_PROGRESS = "in_progress", "检查中"
    CLOSED = "closed", "已结束"


class FindingStatus(LabelledStrEnum):
    OPEN = "open", "待复查"
    FIXED = "fixed", "已整改"
    NOT_FIXED = "not_fixed", "未整改"


class WhistleblowerStatus(LabelledStrEnum):
    RECEIVED = "received", "已接收"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"
    INSPECTION_OPENED = "inspection_opened", "已安排检查"
    HAZARD_CREATED = "hazard_created", "已责令企业整改"


_I = InspectionState
INSPECTION_MACHINE = StateMachine(
    "inspection",
    {
        "start": Transition({_I.PLANNED}, _I.IN_PROGRESS),
        "record": Transition({_I.IN_PROGRESS}, _I.IN_PROGRESS),  # results and findings
        "close": Transition({_I.IN_PROGRESS}, _I.CLOSED),
    },
    labels=_I.labels(),
    action_labels={"start": "开始检查", "record": "记录检查结果", "close": "结束检查"},
)

_F = FindingStatus
FINDING_MACHINE = StateMachine(
    "finding",
    {
        "confirm_fixed": Transition({_F.OPEN, _F.NOT_FIXED}, _F.FIXED, roles={INSPECTOR}),
        "confirm_not_fixed": Transition({_F.OPEN, _F.NOT_FIXED}, _F.NOT_FIXED, roles={INSPECTOR}),
    },
    labels=_F.labels(),
    action_labels={"confirm_fixed": "复查确认已整改", "confirm_not_fixed": "复查确认未整改"},
)

_W = WhistleblowerStatus
WHISTLEBLOWER_MACHINE = StateMachine(
    "whistleblower_report",
    {
        "accept": Transition({_W.RECEIVED}, _W.ACCEPTED, roles=REGULATOR_ROLES),
        "reject": Transition({_W.RECEIVED, _W.ACCEPTED}, _W.REJECTED, roles=REGULATOR_ROLES),
        "open_inspection": Transition({_W.ACCEPTED}, _W.INSPECTION_OPENED, roles=REGULATOR_ROLES),
        "create_hazard": Transition({_W.ACCEPTED}, _W.HAZARD_CREATED, roles=REGULATOR_ROLES),
    },
    labels=_W.labels(),
    action_labels={"accept": "受理", "reject": "不予受理", "open_inspection": "立案检查", "create_hazard": "登记隐患"},
)
