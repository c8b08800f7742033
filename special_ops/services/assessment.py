"""What the rules say about a permit: its level, validity and certificates from the declared facts,
its conflicts with the enterprise's other open permits, and the risk-point approval raise.

Applies :mod:`special_ops.rules` (levels GB 30871-2022 §5.2/§5.5/§5.6, validity, certificates,
conflicts) to request values and stored rows; a refused rule becomes the API's coded error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
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


def _check_temp_power(facts: Mapping[str, Any], start: datetime, end: datetime, enterprise_id: int | None) -> None:
    special = facts.get("special_case") is True
    if special and not str(facts.get("special_case_reason") or "").strip():
        raise FieldError("临时用电申报特殊情况（有效期至 30 天）须说明理由。", code=E.SPECIAL_CASE_REASON_REQUIRED,
                         field="facts.special_case_reason")
    number = str(facts.get("feeds_permit_no") or "").strip()
    fed = None
    if number:
        fed = WorkPermit.objects.filter(enterprise_id=enterprise_id, number=number,
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
        assert_no_conflicts(selectors.snapshot_of(permit), selectors.concurrent_snapshots(permit))
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
