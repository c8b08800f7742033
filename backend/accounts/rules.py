"""Rules of organizations: the enterprise review state machine. Pure: no Django.

A self-registered enterprise is ``pending`` until a regulator admin whose jurisdiction covers its
division code approves or rejects it; a reviewed enterprise is never reviewed again (409
``invalid_transition``). Enterprises imported by a regulator are created ``approved``.
"""

from __future__ import annotations

from backend.core.states import StateMachine, Transition

PENDING, APPROVED, REJECTED, SUSPENDED = "pending", "approved", "rejected", "suspended"

#: Enterprise review (企业注册审核). Roles: the *regulator's* admin — the service checks that the
#: actor is a regulator member (403 ``not_regulator_admin``) and covers the enterprise (403
#: ``outside_jurisdiction``) before the table is consulted.
ENTERPRISE_REVIEW = StateMachine(
    "enterprise_review",
    {
        "approve": Transition({PENDING}, APPROVED, roles={"admin"}),
        "reject": Transition({PENDING}, REJECTED, roles={"admin"}),
    },
    labels={PENDING: "待审核", APPROVED: "已通过", REJECTED: "已驳回", SUSPENDED: "已停用"},
    action_labels={"approve": "审核通过", "reject": "驳回"},
)
