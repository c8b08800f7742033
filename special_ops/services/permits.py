"""Filing and editing special-operation permits (GB 30871-2022; DOMAIN.md §4): create, update,
permit numbers.

A permit is created as a draft with its type detail and workers; an edit after submission voids
every signature and sends it back to ``submitted`` ("Any change … after approval needs a new
approval"). Transitions live in :mod:`.approvals` and :mod:`.execution`, gas tests in :mod:`.gas`,
the scheduled sweeps in :mod:`.sweeps`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import Enterprise
from backend.audit.services import audit_record
from backend.audit.updates import model_update
from backend.core.actors import Actor, actor_of, require_enterprise_member
from backend.core.errors import FieldError
from special_ops import selectors
from special_ops.error_codes import PermitErrorCode as E
from special_ops.error_codes import PermitEvent
from special_ops.models import (
    DETAIL_ACCESSORS,
    DETAIL_MODELS,
    PermitApproval,
    PermitMeasureCheck,
    PermitWorker,
    WorkPermit,
)
from special_ops.rules.types import EDITABLE_STATES, PermitState, PermitType
from special_ops.services.assessment import assess, check_conflicts, set_extra_approval
from special_ops.services.common import acting, check_member, check_risk_point, permit_lock, require_state

S = PermitState

#: Fields of WorkPermit a create/update may set (people are names + optional user links).
PERMIT_FIELDS = (
    "level_declared", "applicant_name", "applicant_user", "applicant_unit", "work_unit", "work_unit_kind",
    "work_content", "location", "lon", "lat", "risk_point", "planned_start", "planned_end", "related_numbers",
    "risk_identification", "work_leader_name", "work_leader_phone", "work_leader_user", "guardian_name",
    "guardian_cert_no", "guardian_user", "gas_analyst_name", "is_maintenance",
)
#: Users linked on the permit, each checked to be a member of its enterprise.
LINKED_USERS = ("applicant_user", "work_leader_user", "guardian_user")


# --- numbers -----------------------------------------------------------------------------------
def _allocate_number(enterprise: Enterprise, permit_type: str, planned_start: datetime) -> str:
    prefix = f"{PermitType(permit_type).number_prefix}-{timezone.localtime(planned_start):%Y%m%d}-"
    existing = WorkPermit.objects.filter(enterprise=enterprise, number__startswith=prefix).values_list("number", flat=True)
    seqs = [int(n[len(prefix):]) for n in existing if n[len(prefix):].isdigit()]
    return f"{prefix}{max(seqs, default=0) + 1:02d}"


def _check_number(enterprise: Enterprise, permit_type: str, number: str) -> None:
    prefix = PermitType(permit_type).number_prefix + "-"
    if not number.startswith(prefix):
        raise FieldError(f"作业票编号须以“{prefix}”开头。", code=E.NUMBER_PREFIX, field="permit_no")
    if WorkPermit.objects.filter(enterprise=enterprise, number=number).exists():
        raise FieldError("作业票编号已存在。", code=E.DUPLICATE, field="permit_no")


# --- create / update -----------------------------------------------------------------------------
def _write_children(permit: WorkPermit, detail: Mapping[str, Any] | None, workers: list[Mapping[str, Any]] | None) -> None:
    if detail is not None:
        model = DETAIL_MODELS[permit.type]
        model.objects.update_or_create(permit=permit, defaults=dict(detail))  # type: ignore[attr-defined]
        for accessor in DETAIL_ACCESSORS:  # drop the cached reverse one-to-one
            permit._state.fields_cache.pop(accessor, None)
    if workers is not None:
        permit.workers.all().delete()
        PermitWorker.objects.bulk_create(
            [PermitWorker(permit=permit, **{k: w.get(k) or ("" if k != "user" else None)
                                            for k in ("name", "trade", "cert_type", "cert_no", "user")})
             for w in workers]
        )


@transaction.atomic
def permit_create(
    *, actor: Actor, enterprise: Enterprise, type: str, detail: Mapping[str, Any], workers: list[Mapping[str, Any]],
    number: str = "", **values: Any,
) -> WorkPermit:
    """Create a draft permit with its type detail and workers.

    ``detail``: the per-type fields (validated by the type's serializer); ``workers``: [{name, trade,
    cert_type, cert_no, user}]; ``number``: the permit number (allocated as
    ``<prefix>-<yyyymmdd of planned start>-<nn>`` when blank). Runs :func:`assess` (coded 400s).
    Raises FieldError ``duplicate``/``number_prefix`` (``permit_no``), ``not_a_member``; NotFound
    when ``actor`` is not a member of ``enterprise``.
    """
    actor = actor_of(actor)
    require_enterprise_member(actor, enterprise.pk)
    data = {k: v for k, v in values.items() if k in PERMIT_FIELDS}
    check_risk_point(enterprise, data.get("risk_point"))
    for field in LINKED_USERS:
        check_member(enterprise, data.get(field), field)
    for i, w in enumerate(workers):
        check_member(enterprise, w.get("user"), f"workers[{i}].user")
    result = assess(permit_type=type, facts=detail, planned_start=data["planned_start"], planned_end=data["planned_end"],
                    level_declared=data.get("level_declared"), workers=workers, enterprise_id=enterprise.pk)
    if number:
        _check_number(enterprise, type, number)
    else:
        number = _allocate_number(enterprise, type, data["planned_start"])
    data.update(level_declared=result.declared, level_computed=result.computed, level=result.level,
                level_reasons=result.reasons)
    try:
        with transaction.atomic():
            permit = WorkPermit.objects.create(enterprise=enterprise, number=number, type=type, created_by=actor.user, **data)
    except IntegrityError:
        raise FieldError("作业票编号已存在。", code=E.DUPLICATE, field="permit_no") from None
    _write_children(permit, detail, workers)
    audit_record(actor=actor.user, action=PermitEvent.CREATE.value, obj=permit, enterprise=enterprise, to_state=permit.state,
                 changes={k: [None, getattr(v, "pk", v)] for k, v in {**data, "number": number, "type": type}.items()},
                 payload={"detail": {k: selectors.plain(v) for k, v in detail.items()},
                          "workers": [w.get("name") for w in workers]})
    return permit


def _void_signatures(permit: WorkPermit, now: datetime) -> int:
    n = PermitApproval.objects.filter(permit=permit, voided_at__isnull=True).update(voided_at=now)
    n += PermitMeasureCheck.objects.filter(permit=permit, voided_at__isnull=True).update(voided_at=now)
    if permit.briefed_at:
        permit.briefer_name, permit.briefer_user, permit.briefed_names, permit.briefed_at = "", None, [], None
        n += 1
    return n


@transaction.atomic
def permit_update(
    *, actor: Actor, permit: WorkPermit, detail: Mapping[str, Any] | None = None,
    workers: list[Mapping[str, Any]] | None = None, **values: Any,
) -> WorkPermit:
    """Edit a draft, submitted or approved permit (content, place, window, scope, people, facts).

    A change to a submitted or approved permit voids every signature (approvals, measure checks,
    briefing) and puts it back to ``submitted``; conflicts are checked again. Type and number do not
    change. Raises Conflict 409 ``invalid_transition`` in other states; the :func:`assess` 400s;
    NotFound for an actor of another enterprise.
    """
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    require_state(permit, "update", EDITABLE_STATES, f"“{permit.get_state_display()}”状态的作业票不能修改。")
    data = {k: v for k, v in values.items() if k in PERMIT_FIELDS}
    if "risk_point" in data:
        check_risk_point(permit.enterprise, data["risk_point"])
    for field in LINKED_USERS:
        if field in data:
            check_member(permit.enterprise, data[field], field)
    old_detail, old_workers = selectors.facts_of(permit), selectors.workers_of(permit)
    merged_detail = {**old_detail, **(detail or {})}
    merged_workers = workers if workers is not None else old_workers
    start, end = data.get("planned_start", permit.planned_start), data.get("planned_end", permit.planned_end)
    declared = data.get("level_declared", permit.level_declared)
    result = assess(permit_type=permit.type, facts=merged_detail, planned_start=start, planned_end=end,
                    level_declared=declared, workers=merged_workers, enterprise_id=permit.enterprise_id)
    data.update(level_declared=result.declared, level_computed=result.computed, level=result.level,
                level_reasons=result.reasons)
    permit, changes = model_update(instance=permit, data=data, save=False)
    if detail is not None and any(old_detail.get(k) != selectors.plain(v) for k, v in detail.items()):
        changes["detail"] = [{k: old_detail.get(k) for k in detail}, {k: selectors.plain(v) for k, v in detail.items()}]
    if workers is not None and old_workers != [
        {"name": w.get("name"), "trade": w.get("trade") or "", "cert_no": w.get("cert_no") or ""} for w in workers
    ]:
        changes["workers"] = [[w["name"] for w in old_workers], [w.get("name") for w in workers]]
    if not changes:
        return permit
    _write_children(permit, detail, workers)
    from_state = permit.state
    now = timezone.now()
    if from_state in (S.SUBMITTED, S.APPROVED):
        voided = _void_signatures(permit, now)
        permit.state, permit.approved_at = S.SUBMITTED, None
        set_extra_approval(permit)  # the risk point may have changed: so may the approval chain
        check_conflicts(permit)
        if voided:
            audit_record(actor=actor.user, action=PermitEvent.APPROVALS_RESET.value, obj=permit,
                         enterprise=permit.enterprise_id, from_state=from_state, to_state=permit.state,
                         reason="批准后变更作业内容、地点、范围或人员，须重新审批", payload={"voided": voided})
    permit.save()
    audit_record(actor=actor.user, action=PermitEvent.UPDATE.value, obj=permit, enterprise=permit.enterprise_id,
                 changes=changes, from_state=from_state, to_state=permit.state)
    return permit
