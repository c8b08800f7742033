"""Major hazards (重大事故隐患): judgement against the official checklists and the report to the
regulator (安全生产法 2021 §41: a major hazard is reported at once). DOMAIN.md §3."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from backend.core.actors import Actor, actor_of
from backend.core.errors import FieldError, from_rule
from backend.core.rules import RuleError
from compliance.error_codes import HazardErrorCode as Code
from compliance.error_codes import HazardEvent
from compliance.models import Hazard
from compliance.rules.commitments import missing_commitments
from compliance.rules.hazard_codes import HazardGrade
from compliance.rules.hazard_states import ACTION_ROLES, JUDGEABLE_STATES, HazardState, check_state
from compliance.rules.major_hazard import MAJOR_HAZARD_CHECKLISTS, basis_of, check_applicable, judge_major
from compliance.services.common import (
    hazard_commitments,
    hazard_lock,
    hazard_member,
    hazard_record,
    notify_major,
)


@transaction.atomic
def hazard_tick_checklist(*, actor: Actor | Any, hazard: Hazard | int, checklist: str,
                          items: list[int | str]) -> Hazard:
    """Tick items of a major-hazard judgement checklist (e.g. ``chem-2017``, 安监总管三〔2017〕121号).

    Any ticked item makes the hazard major (recording the items, the checklist and its version)
    and notifies the regulator in this transaction; a hazard in rectification without its five
    commitments goes back to ``confirmed`` until they are set. Managers only (403). 400
    ``unknown_item`` / ``invalid_choice`` naming ``items``/``checklist``, ``required`` (no item),
    ``checklist_mismatch``, ``checklist_not_applicable`` (a checklist outside the enterprise's rule set
    — a 工贸 plant ticking ``chem-2017`` — naming the checklist and the rule set that applied); 409 ``invalid_transition`` for a hazard accepted, closed or rejected."""
    actor = actor_of(actor)
    hazard = hazard_lock(hazard)
    hazard_member(actor, hazard, ACTION_ROLES["tick_checklist"])
    rule_set = hazard.enterprise.rule_set
    try:
        check_state("tick_checklist", hazard.state, JUDGEABLE_STATES)
        check_applicable(checklist, rule_set.checklists, rule_set.name)
        is_major, ticked = judge_major(checklist, items)
    except RuleError as exc:
        raise from_rule(exc, field="checklist" if exc.field == "checklist" else None) from exc
    if not is_major:
        raise FieldError("请至少勾选一项。", code=Code.REQUIRED, field="items")
    if hazard.checklist_code and hazard.checklist_code != checklist:
        raise FieldError("该隐患已按其他判定标准判定。", code=Code.CHECKLIST_MISMATCH, field="checklist")
    spec = MAJOR_HAZARD_CHECKLISTS[checklist]
    old_items, was_major = list(hazard.checklist_items), hazard.grade == HazardGrade.MAJOR
    hazard.checklist_items = sorted(set(old_items) | {i.no for i in ticked})
    hazard.checklist_code, hazard.checklist_version, hazard.grade = checklist, spec.version, HazardGrade.MAJOR.value
    hazard.major_basis = basis_of(spec, hazard.checklist_items)
    from_state = hazard.state
    if hazard.state == HazardState.RECTIFYING and missing_commitments(hazard_commitments(hazard)):
        # Judged major mid-rectification without its five commitments (DOMAIN.md §3): the judgement
        # stands and is reported, and rectification goes back to confirmed until they are set.
        hazard.state = HazardState.CONFIRMED.value
    hazard.save()
    moved = hazard.state != from_state
    hazard_record(actor, hazard, HazardEvent.TICK_CHECKLIST, from_state=from_state if moved else "",
                  to_state=hazard.state if moved else "",
                  reason="判定为重大隐患，须落实“五落实”后继续整改" if moved else "",
                  changes={"checklist_items": [old_items, hazard.checklist_items],
                           **({"grade": ["general", "major"]} if not was_major else {})},
                  payload={"checklist": checklist, "version": spec.version, "rule_set": rule_set.kind})
    if not was_major:
        notify_major(hazard)
    return hazard
