"""Compatibility re-exports: the hidden-danger rules now live one concept per module.

- codes (grade, treatment, source, type, cause): :mod:`compliance.rules.hazard_codes`
- lifecycle, roles and transition guards: :mod:`compliance.rules.hazard_states`
- deadlines, overdue, date range, extension caps: :mod:`compliance.rules.deadlines`
- five commitments: :mod:`compliance.rules.commitments`
- major-hazard checklists: :mod:`compliance.rules.major_hazard`
- reassessment trigger: :mod:`compliance.rules.reassessment`
- ledger cell parsers: :mod:`compliance.importers.ledger_parse`

Import from those modules; this one is kept only while other apps still import the old path.
"""

from __future__ import annotations

from compliance.rules.commitments import FIVE_COMMITMENTS, Commitment, missing_commitments
from compliance.rules.deadlines import (
    EXTENSION_CAPS,
    MAX_DEADLINE_HORIZON_DAYS,
    SHANGHAI,
    deadline_end,
    deadline_within_horizon,
    extension_allowed,
    is_overdue,
)
from compliance.rules.hazard_codes import (
    HazardCause,
    HazardGrade,
    HazardSource,
    HazardTreatment,
    HazardType,
    NationalCoded,
)
from compliance.rules.hazard_states import (
    NOT_OVERDUE_STATES,
    OPEN_STATES,
    REASON_REQUIRED_ACTIONS,
    TERMINAL_STATES,
    TRANSITIONS,
    EnterpriseRole,
    HazardState,
    InvalidTransition,
    RoleNotAllowed,
    allowed_roles,
    check_transition,
    transition_blockers,
)
from compliance.rules.major_hazard import MAJOR_HAZARD_CHECKLISTS, Checklist, ChecklistItem, judge_major
from compliance.rules.reassessment import REASSESSMENT_TRIGGER, needs_reassessment

__all__ = [
    "EXTENSION_CAPS", "FIVE_COMMITMENTS", "MAJOR_HAZARD_CHECKLISTS", "MAX_DEADLINE_HORIZON_DAYS", "NOT_OVERDUE_STATES",
    "OPEN_STATES", "REASON_REQUIRED_ACTIONS", "REASSESSMENT_TRIGGER", "SHANGHAI", "TERMINAL_STATES", "TRANSITIONS",
    "Checklist", "ChecklistItem", "Commitment", "EnterpriseRole", "HazardCause", "HazardGrade", "HazardSource",
    "HazardState", "HazardTreatment", "HazardType", "InvalidTransition", "NationalCoded", "RoleNotAllowed",
    "allowed_roles", "check_transition", "deadline_end", "deadline_within_horizon", "extension_allowed", "is_overdue",
    "judge_major", "missing_commitments", "needs_reassessment", "transition_blockers",
]
