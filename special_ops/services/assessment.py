"""What the rules say about a permit: its level, validity and certificates from the declared facts,
its conflicts with the enterprise's other open permits, and the risk-point approval raise.

Applies :mod:`special_ops.rules` (levels GB 30871-2022 §5.2/§5.5/§5.6, validity, certificates,
conflicts) to request values and stored rows; a refused rule becomes the API's coded error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from backend.core.errors import FieldError, from_rule
from backend.core.rules import RuleError
from special_ops import selectors
from special_ops.error_codes import PermitErrorCode as E
from special_ops.models import WorkPermit
from special_ops.rules import approvals as approval_rules
from special_ops.rules.conflicts import assert_no_conflicts
from special_ops.rules.levels import (
    HotWorkLevel,
    PermitLevel,
    check_declared_level,
    height_level_from_facts,
    hot_work_level,
    lifting_level,
    parse_declared_level,
    stricter,
)
from special_ops.rules.levels import (
    check_work_period as check_hot_work_period,
)
from special_ops.rules.types import PermitType
from special_ops.rules.validity import TEMP_POWER_FED_TYPES, check_temp_power_validity, check_validity
from special_ops.rules.windows import require_window

#: Risk-point levels that add one approval step (DOMAIN.md §4 [config]).
EXTRA_APPROVAL_RISK_LEVELS = frozenset({"major", "high"})


@dataclass(frozen=True)
class Assessment:
    """What the rules say about a permit's declared facts: levels as API codes ('' = none)."""

    declared: str
    computed: str
    level: str
    reasons: list[str]


def assess(
    *, permit_type: str, facts: Mapping[str, Any], planned_start: datetime, planned_end: datetime,
    level_declared: str | None, workers: Iterable[Mapping[str, Any]], enterprise_id: int | None = None,
) -> Assessment:
    """Compute the level from the facts and check declared level, validity and certificates.

    Sources: rules.levels (GB 30871-2022 §5.2/§5.5/§5.6), rules.validity, rules.approvals
    (certificates). Raises FieldError 400 with the rule's code and field, e.g. ``height_below_2m_no_permit``
    (field ``height_m``), ``hot_work_level_below_computed`` (field ``level_declared``),
    ``validity_exceeded`` (``planned_end``), ``certificate_missing`` (``workers``); temporary power
    (GB 30871-2022 §10.8): ``facts.special_case`` needs ``facts.special_case_reason``
    (``special_case_reason_required``), ``facts.feeds_permit_no`` names a hot-work or confined-space
    permit of ``enterprise_id`` (``fed_permit_not_found``) whose window bounds this one.
    """
    facts = {k: selectors.plain(v) for k, v in facts.items()}
    ptype = PermitType(permit_type)
    try:
        require_window(planned_start, planned_end)
        reasons: list[str] = []
        computed: PermitLevel | None = None
        if ptype is PermitType.HOT_WORK:
            computed, reasons = hot_work_level(facts, planned_start, planned_end)
        elif ptype is PermitType.HEIGHT:
            computed = height_level_from_facts(facts)
        elif ptype is PermitType.LIFTING:
            computed = lifting_level(facts.get("load_t"))
        declared = parse_declared_level(ptype, level_declared)
        check_declared_level(ptype, declared, computed, reasons)
        effective = stricter(declared, computed)
        if ptype is PermitType.TEMP_POWER:
            _check_temp_power(facts, planned_start, planned_end, enterprise_id)
        else:
            check_validity(ptype, effective, planned_start, planned_end)
        approval_rules.check_certificates(list(workers))
    except RuleError as exc:
        raise from_rule(exc) from exc
    return Assessment(
        declared.value if declared else "", computed.value if computed else "", effective.value if effective else "",
        reasons,
    )


def preview(*, enterprise: Any, permit_type: str, facts: Mapping[str, Any], planned_start: datetime,
            planned_end: datetime, level_declared: str | None, workers: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """What :func:`assess` says about a job of ``enterprise`` without filing it (``POST /permits/assess/``):
    ``{type, rule_set, level_declared, level_computed, level, level_display, reasons: [{code, text,
    clause}], validity_max_hours, approver: {step, name, role} | None}``. Raises the same coded 400s
    as filing (a refused rule is the answer)."""
    from special_ops.models import PermitApproverSetting
    from special_ops.rules.levels import HOT_WORK_REASON_CLAUSES, HOT_WORK_REASONS, level_enum_of
    from special_ops.rules.validity import TEMP_POWER_SPECIAL_MAX, max_validity

    result = assess(permit_type=permit_type, facts=facts, planned_start=planned_start, planned_end=planned_end,
                    level_declared=level_declared, workers=workers, enterprise_id=enterprise.pk)
    ptype = PermitType(permit_type)
    level = level_enum_of(ptype, result.level)
    plain_facts = {k: selectors.plain(v) for k, v in facts.items()}
    cap: timedelta | None
    step: approval_rules.ApprovalStep | None
    if ptype is PermitType.TEMP_POWER and plain_facts.get("feeds_permit_no"):
        fed = WorkPermit.objects.get(enterprise=enterprise, number=plain_facts["feeds_permit_no"])
        cap = fed.planned_end - fed.planned_start
    elif ptype is PermitType.TEMP_POWER and plain_facts.get("special_case"):
        cap = TEMP_POWER_SPECIAL_MAX
    else:
        cap = max_validity(ptype, level)
    if ptype is PermitType.HOT_WORK and plain_facts.get("isolated_unit") and result.level == "second":
        step = approval_rules.isolated_unit_approver(str(plain_facts.get("isolated_unit_approver") or ""))
    else:
        overrides = {row.level: (row.approver_name, row.role)
                     for row in PermitApproverSetting.objects.filter(enterprise=enterprise, type=ptype.value)}
        step = approval_rules.approver_for(ptype, level, plain_facts.get("approval_situations") or (), overrides)
        if step is None:
            step = next((s for s in approval_rules.APPROVAL_CHAINS[(ptype, level)] if s.code == "approver"), None)
    rule_set = getattr(getattr(enterprise, "rule_set", None), "name", "") or "GB 30871-2022"
    return {
        "type": ptype.value, "rule_set": rule_set, "level_declared": result.declared,
        "level_computed": result.computed, "level": result.level, "level_display": level.label if level else "",
        "reasons": [{"code": c, "text": HOT_WORK_REASONS.get(c, c),
                     "clause": f"GB 30871-2022 {HOT_WORK_REASON_CLAUSES.get(c, '')}".strip()} for c in result.reasons],
        "validity_max_hours": round(cap.total_seconds() / 3600, 2) if cap is not None else None,
        "approver": {"step": step.code, "name": step.name, "role": step.role} if step else None,
    }


def _check_temp_power(facts: Mapping[str, Any], start: datetime, end: datetime, enterprise_id: int | None) -> None:
    special = facts.get("special_case") is True
    if special and not str(facts.get("special_case_reason") or "").strip():
        raise FieldError("临时用电申报特殊情况（有效期至 30 天）须说明理由。", code=E.SPECIAL_CASE_REASON_REQUIRED,
                         field="facts.special_case_reason")
    number = str(facts.get("feeds_permit_no") or "").strip()
    fed = None
    if number:
        fed = WorkPermit.objects.filter(enterprise_id=enterprise_id or 0, number=number,
                                        type__in=[t.value for t in TEMP_POWER_FED_TYPES]).first()
        if fed is None:
            raise FieldError(f"未找到本企业编号为“{number}”的动火或受限空间作业票。", code=E.FED_PERMIT_NOT_FOUND,
                             field="facts.feeds_permit_no")
    check_temp_power_validity(start, end, special,
                              (fed.planned_start, fed.planned_end) if fed else None,
                              f"{fed.get_type_display()} {fed.number}" if fed else "")


def assess_stored(permit: WorkPermit) -> Assessment:
    """:func:`assess` on the permit as stored (facts, window, declared level, workers)."""
    return assess(permit_type=permit.type, facts=selectors.facts_of(permit), planned_start=permit.planned_start,
                  planned_end=permit.planned_end, level_declared=permit.level_declared,
                  workers=selectors.workers_of(permit), enterprise_id=permit.enterprise_id)


def check_work_period(permit: WorkPermit, at: datetime, action: str) -> None:
    """Hot work: the work period starting or resuming at ``at`` must not need a higher level than the
    permit's (night, rest day, holiday — GB 30871-2022 §5.1.1, judged per work period,
    :func:`special_ops.rules.levels.first_work_period`). Other types: nothing. Raises FieldError 400
    ``hot_work_upgrade_required``."""
    if permit.type != PermitType.HOT_WORK:
        return
    try:
        check_hot_work_period(selectors.facts_of(permit), HotWorkLevel(permit.level), at, action)
    except RuleError as exc:
        raise from_rule(exc) from exc


def check_conflicts(permit: WorkPermit) -> None:
    """Raise Conflict 409 (code of the first conflict, message naming the other permit) when the
    permit conflicts with another filed, unfinished permit of its enterprise (rules.conflicts)."""
    try:
        new = selectors.snapshot_of(permit)
        assert_no_conflicts(new, selectors.concurrent_snapshots(permit, new))
    except RuleError as exc:
        raise from_rule(exc) from exc


def set_extra_approval(permit: WorkPermit) -> None:
    """Fix the approval chain's variable parts at submit: one more approval step when the permit's
    risk point is 重大/较大 (DOMAIN.md §4 [config]), and the approver of a height or lifting permit
    (GB 30871-2022 Table B.1 per level, the enterprise's ``PermitApproverSetting``, raised by a declared
    Table B.2 situation) — stored so that a later settings change does not move a chain being signed."""
    point = permit.risk_point if permit.risk_point_id else None
    permit.extra_approval = point is not None and point.level in EXTRA_APPROVAL_RISK_LEVELS
    step = selectors.live_approver_step(permit)
    permit.approver_step = {"code": step.code, "name": step.name, "role": step.role} if step else {}
