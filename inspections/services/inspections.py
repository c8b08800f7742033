"""Inspections (执法检查, DOMAIN.md §5): checklist templates, planning, the checklist results and
findings of an inspection in progress (a finding ordered rectified becomes a hazard at the
enterprise), closing, and follow-ups (复查) of findings.

States and their guards: :data:`inspections.rules.states.INSPECTION_MACHINE`. Only the
inspection's own inspectors (≥ 2, of the planning regulator) take its steps (403 ``not_assigned``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Enterprise, Regulator, Role, User
from backend.audit.services import audit_record
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError, Forbidden, NotFound
from backend.core.time import local_today
from compliance.rules.hazard_codes import HazardSource
from compliance.services import hazards as hazard_services
from inspections.error_codes import InspectionErrorCode as Code
from inspections.error_codes import InspectionEvent
from inspections.models import Draw, Finding, FollowUp, Inspection, InspectionTemplate, ItemResult
from inspections.rules import checklists
from inspections.rules.states import FINDING_MACHINE, INSPECTION_MACHINE, InspectionState
from inspections.services.common import RegulatorActing, check, covered_enterprise, regulator_actor


# --- helpers --------------------------------------------------------------------------------
def _inspectors(regulator: Regulator, users: list[User | int], field: str = "inspectors") -> list[User]:
    """≥ 2 distinct users, each an inspector of ``regulator``; 400 naming ``field`` otherwise."""
    ids = sorted({u.pk if isinstance(u, User) else u for u in users})
    if len(ids) < 2:
        raise FieldError("执法检查须至少两名执法人员。", code=Code.TOO_FEW_INSPECTORS, field=field)
    found = list(User.objects.filter(pk__in=ids, membership__regulator=regulator, membership__role=Role.INSPECTOR))
    if len(found) != len(ids):
        raise FieldError("执法人员须为本部门的监管执法人员。", code=Code.NOT_INSPECTOR, field=field)
    return found


def template_for(code_version: tuple[str, str] | InspectionTemplate | None) -> InspectionTemplate:
    """The checklist template ``(code, version)`` (default :data:`checklists.DEFAULT_TEMPLATE`);
    400 ``does_not_exist`` naming ``template``."""
    if isinstance(code_version, InspectionTemplate):
        return code_version
    code, version = code_version or checklists.DEFAULT_TEMPLATE
    template_sync()
    try:
        return InspectionTemplate.objects.get(code=code, version=version)
    except InspectionTemplate.DoesNotExist:
        raise FieldError("检查表不存在。", code=Code.DOES_NOT_EXIST, field="template")


def _lock(inspection: Inspection | int) -> Inspection:
    return Inspection.objects.select_for_update(of=("self",)).select_related("enterprise", "template").get(
        pk=getattr(inspection, "pk", inspection))


def _step(actor: Any, inspection: Inspection, action: str) -> tuple[RegulatorActing, Inspection, str]:
    """Lock the inspection for ``action`` by one of its inspectors; returns the actor, the locked
    row and the state the action leads to. 403 ``regulator_only`` / ``not_assigned``; 409
    ``invalid_transition`` from a state the action does not leave (also a race lost to another step)."""
    a = regulator_actor(actor)
    insp = _lock(inspection)
    if not insp.inspectors.filter(pk=a.user.pk).exists():
        raise Forbidden("仅本次检查的执法人员可执行此操作。", code=Code.NOT_ASSIGNED)
    return a, insp, check(INSPECTION_MACHINE, action, insp.state)


# --- templates ------------------------------------------------------------------------------
def template_sync() -> int:
    """Create the checklist versions shipped in :mod:`inspections.rules.checklists` that are
    missing; returns how many were created. Existing versions are never changed."""
    created = 0
    for t in checklists.TEMPLATES:
        _, new = InspectionTemplate.objects.get_or_create(code=t["code"], version=t["version"],
                                                          defaults={"title": t["title"], "items": t["items"]})
        created += new
    return created


# --- inspections ----------------------------------------------------------------------------
def inspection_new(*, actor: RegulatorActing, regulator: Regulator, enterprise: Enterprise, planned_on: date,
                   inspectors: list[User], template: InspectionTemplate, kind: str, draw: Draw | None = None,
                   follow_up_of: Inspection | None = None, title: str = "") -> Inspection:
    """Create a planned inspection and its ``inspection.plan`` event (callers have checked the
    actor, enterprise, inspectors and template: :func:`inspection_create`, the draw service)."""
    insp = Inspection.objects.create(regulator=regulator, enterprise=enterprise, planned_on=planned_on, template=template,
                                     kind=kind, draw=draw, follow_up_of=follow_up_of, title=title, created_by=actor.user)
    insp.inspectors.set(inspectors)
    audit_record(actor=actor.user, action=InspectionEvent.PLAN, obj=insp, enterprise=enterprise, regulator=regulator,
                 to_state=InspectionState.PLANNED,
                 payload={"kind": kind, "draw": getattr(draw, "pk", None), "planned_on": planned_on,
                          "inspectors": sorted(u.pk for u in inspectors), "template": [template.code, template.version]})
    return insp


@transaction.atomic
def inspection_create(*, actor: Any, enterprise: Enterprise | int, planned_on: date, inspectors: list[User | int],
                      template: tuple[str, str] | None = None, title: str = "",
                      follow_up_of: Inspection | None = None) -> Inspection:
    """Plan an inspection (kind ``planned``, or ``follow_up`` when ``follow_up_of`` is given) of an
    enterprise in the actor's jurisdiction by ≥ 2 inspectors of the actor's regulator.

    400 ``too_few_inspectors``/``not_inspector`` (field ``inspectors``), ``does_not_exist``
    (``enterprise``/``template``/``follow_up_of``); 403 for non-regulator users."""
    a = regulator_actor(actor, {Role.ADMIN, Role.INSPECTOR})
    regulator = a.regulator
    ent = covered_enterprise(regulator, enterprise)
    users = _inspectors(regulator, inspectors)
    kind = Inspection.Kind.PLANNED
    if follow_up_of is not None:
        if follow_up_of.regulator_id != regulator.pk or follow_up_of.enterprise_id != ent.pk:
            raise FieldError("复查须针对本部门对该企业的检查。", code=Code.DOES_NOT_EXIST, field="follow_up_of")
        kind = Inspection.Kind.FOLLOW_UP
        template = template or checklists.FOLLOW_UP_TEMPLATE
    return inspection_new(actor=a, regulator=regulator, enterprise=ent, planned_on=planned_on, inspectors=users,
                          template=template_for(template), kind=kind, follow_up_of=follow_up_of, title=title)


@transaction.atomic
def inspection_start(*, actor: Any, inspection: Inspection) -> Inspection:
    """planned → in_progress, by one of its inspectors (403 ``not_assigned``; 409 ``invalid_transition``)."""
    a, insp, target = _step(actor, inspection, "start")
    old = insp.state
    insp.state, insp.started_at = target, timezone.now()
    insp.save(update_fields=("state", "started_at"))
    audit_record(actor=a.user, action=InspectionEvent.START, obj=insp, enterprise=insp.enterprise_id,
                 regulator=insp.regulator_id, from_state=old, to_state=insp.state)
    return insp


@transaction.atomic
def inspection_record_results(*, actor: Any, inspection: Inspection, results: list[dict[str, Any]]) -> list[ItemResult]:
    """Record (or correct) checklist item results ``[{"item_code", "result": pass|fail|na, "note"}]``
    of an inspection in progress. 400 ``unknown_item`` naming ``results``; 409 ``invalid_transition``."""
    a, insp, _ = _step(actor, inspection, "record")
    codes = {i["code"] for i in insp.template.items}
    out, now = [], timezone.now()
    for r in results:
        if r["item_code"] not in codes:
            raise FieldError(f"检查表中没有检查项 {r['item_code']}。", code=Code.UNKNOWN_ITEM, field="results")
        obj, _ = ItemResult.objects.update_or_create(
            inspection=insp, item_code=r["item_code"],
            defaults={"result": r["result"], "note": r.get("note", ""), "recorded_by": a.user, "recorded_at": now})
        out.append(obj)
    audit_record(actor=a.user, action=InspectionEvent.RECORD_RESULTS, obj=insp, enterprise=insp.enterprise_id,
                 regulator=insp.regulator_id,
                 payload={"results": [{"item_code": o.item_code, "result": o.result} for o in out]})
    return out


@transaction.atomic
def finding_add(*, actor: Any, inspection: Inspection, text: str, item_code: str = "", location: str = "",
                severity: str = Finding.Severity.GENERAL, deadline: date | None = None,
                order_rectification: bool = True) -> Finding:
    """Record a finding of an inspection in progress. With ``order_rectification`` (责令限期整改)
    it becomes a confirmed hazard at the enterprise (source ``inspector``, grade = severity,
    treatment ``deadline``) with the ordered ``deadline`` (required, not before today: 400 naming
    ``deadline``); the finding links to it. 400 ``unknown_item`` naming ``item_code``."""
    a, insp, _ = _step(actor, inspection, "record")
    if item_code and item_code not in {i["code"] for i in insp.template.items}:
        raise FieldError(f"检查表中没有检查项 {item_code}。", code=Code.UNKNOWN_ITEM, field="item_code")
    if not (text or "").strip():
        raise FieldError("须填写问题描述。", code=Code.REQUIRED, field="text")
    hazard = None
    if order_rectification:
        if deadline is None:
            raise FieldError("责令限期整改须给出整改期限。", code=Code.REQUIRED, field="deadline")
        if deadline < local_today():
            raise FieldError("整改期限不能早于今天。", code=Code.INVALID_DEADLINE, field="deadline")
        hazard = hazard_services.hazard_order(
            actor=a.user, enterprise=insp.enterprise, source=HazardSource.INSPECTOR.value, title=text.strip()[:200],
            description=text, location=location, grade=severity, deadline=deadline, found_on=local_today(),
            source_detail=f"执法检查 {insp.pk}"[:50])
    f = Finding.objects.create(inspection=insp, item_code=item_code, text=text, location=location, severity=severity,
                               deadline=deadline, hazard=hazard, created_by=a.user)
    audit_record(actor=a.user, action=InspectionEvent.FINDING_ADD, obj=f, enterprise=insp.enterprise_id,
                 regulator=insp.regulator_id,
                 payload={"inspection": insp.pk, "severity": severity, "deadline": deadline,
                          "hazard": getattr(hazard, "pk", None), "hazard_number": getattr(hazard, "number", None)})
    return f


@transaction.atomic
def inspection_close(*, actor: Any, inspection: Inspection, summary: str = "") -> Inspection:
    """in_progress → closed once every checklist item has a result (400 ``items_missing`` naming
    the first missing item code; 409 ``invalid_transition``). Its outcome is then published
    (public results list)."""
    a, insp, target = _step(actor, inspection, "close")
    done = set(insp.results.values_list("item_code", flat=True))
    missing = [i["code"] for i in insp.template.items if i["code"] not in done]
    if missing:
        raise FieldError(f"检查项 {missing[0]} 尚未记录结果。", code=Code.ITEMS_MISSING, field="results")
    old = insp.state
    insp.state, insp.closed_at, insp.summary = target, timezone.now(), summary
    insp.save(update_fields=("state", "closed_at", "summary"))
    audit_record(actor=a.user, action=InspectionEvent.CLOSE, obj=insp, enterprise=insp.enterprise_id,
                 regulator=insp.regulator_id, from_state=old, to_state=insp.state, reason=summary,
                 payload={"findings": insp.findings.count()})
    return insp


# --- follow-ups (复查) ------------------------------------------------------------------------
@transaction.atomic
def follow_up_record(*, actor: Any, finding: Finding, fixed: bool, note: str = "",
                     inspection: Inspection | None = None) -> FollowUp:
    """Record a follow-up (复查) of a finding by an inspector of the regulator: fixed or not.
    The finding's status follows (fixed / not_fixed); the hazard state at that moment is kept.
    ``inspection``, when given, is the follow-up inspection it was done in (same regulator and
    enterprise, 400 otherwise). 409 ``invalid_transition`` once a finding was confirmed fixed
    (:data:`~inspections.rules.states.FINDING_MACHINE`); inspectors only."""
    action = "confirm_fixed" if fixed else "confirm_not_fixed"
    a = regulator_actor(actor, FINDING_MACHINE.roles_for(action))
    regulator = a.regulator
    f = Finding.objects.select_for_update(of=("self",)).select_related("inspection", "hazard").get(pk=finding.pk)
    if f.inspection.regulator_id != regulator.pk:
        raise NotFound("检查发现不存在。", code=CoreErrorCode.NOT_FOUND)
    target = check(FINDING_MACHINE, action, f.status)
    if inspection is not None and (inspection.regulator_id != regulator.pk
                                   or inspection.enterprise_id != f.inspection.enterprise_id):
        raise FieldError("复查检查须为本部门对该企业的检查。", code=Code.DOES_NOT_EXIST, field="inspection")
    fu = FollowUp.objects.create(finding=f, inspection=inspection, fixed=fixed, note=note, checked_on=local_today(),
                                 hazard_state=f.hazard.state if f.hazard is not None else "", recorded_by=a.user)
    old, f.status = f.status, target
    f.save(update_fields=("status",))
    audit_record(actor=a.user, action=InspectionEvent.FOLLOW_UP, obj=f, enterprise=f.inspection.enterprise_id,
                 regulator=regulator.pk, from_state=old, to_state=f.status, reason=note,
                 payload={"follow_up": fu.pk, "hazard": f.hazard_id, "hazard_state": fu.hazard_state})
    return fu
