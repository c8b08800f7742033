"""Writes of special-operation permits (GB 30871-2022; DOMAIN.md §4).

Every service is keyword-only and atomic; transitions lock the permit (``select_for_update``),
check the source state against :data:`special_ops.rules.types.TRANSITIONS` (a lost race or a wrong
state is a coded 409 ``invalid_transition``) and append an audit event. The rules themselves live in
:mod:`special_ops.rules` (pure functions); here they are applied to database rows and their
``RuleError`` is mapped onto the API's coded errors: 400 for a refused input or gate
(``hot_work_level_below_computed``, ``gas_test_stale`` …), 409 for a conflict with another permit
(``guardian_overlap`` …, naming the other permit's number) or with the current state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from backend.accounts.models import Enterprise, Membership
from backend.audit.services import audit_record, diff
from backend.core.errors import Conflict, DomainError, FieldError, Forbidden
from backend.notifications.services import notify_regulator_of
from special_ops.models import (
    DETAIL_ACCESSORS,
    DETAIL_MODELS,
    GasTest,
    PermitApproval,
    PermitMeasureCheck,
    PermitWorker,
    WorkPermit,
    detail_of,
)
from special_ops.rules import approvals as approval_rules
from special_ops.rules import gas as gas_rules
from special_ops.rules.calendar import DayType, window_day_types
from special_ops.rules.conflicts import PermitConflict, PermitSnapshot, assert_no_conflicts
from special_ops.rules.errors import RuleError
from special_ops.rules.levels import (
    LEVELS_BY_TYPE,
    HotWorkLevel,
    PermitLevel,
    check_declared_level,
    height_level_from_facts,
    hot_work_level,
    lifting_level,
    parse_declared_level,
    stricter,
)
from special_ops.rules.types import (
    CONFLICT_STATES,
    TRANSITIONS,
    InvalidTransition,
    PermitAction,
    PermitState,
    PermitType,
    next_state,
)
from special_ops.rules.validity import check_validity
from special_ops.rules.windows import require_window

S = PermitState
#: States the expiry sweep may leave (rules.types.TRANSITIONS[EXPIRE]).
TRANSITIONS_EXPIRE = TRANSITIONS[PermitAction.EXPIRE][0]

#: Fields of WorkPermit a create/update may set (people are names + optional user links).
PERMIT_FIELDS = (
    "level_declared", "applicant_name", "applicant_user", "applicant_unit", "work_unit", "work_unit_kind",
    "work_content", "location", "lon", "lat", "risk_point", "planned_start", "planned_end", "related_numbers",
    "risk_identification", "work_leader_name", "work_leader_phone", "work_leader_user", "guardian_name",
    "guardian_cert_no", "guardian_user", "gas_analyst_name",
)
#: States in which the permit's content may still be edited; an edit of a submitted/approved permit
#: voids its signatures and sends it back to ``submitted`` (DOMAIN.md §4: "Any change … after approval
#: needs a new approval").
EDITABLE_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.APPROVED})
#: Rule codes → request field named in the 400.
RULE_FIELDS = {
    "hot_work_level_below_computed": "level_declared",
    "height_level_below_computed": "level_declared",
    "lifting_level_below_computed": "level_declared",
    "level_unknown": "level_declared",
    "height_below_2m_no_permit": "height_m",
    "lifting_below_10t_no_permit": "load_t",
    "invalid_height_m": "height_m",
    "invalid_load_t": "load_t",
    "height_hazard_factor_unknown": "hazard_factors",
    "validity_exceeded": "planned_end",
    "invalid_window": "planned_end",
    "certificate_missing": "workers",
}
#: Risk-point levels that add one approval step (DOMAIN.md §4 [config]).
EXTRA_APPROVAL_RISK_LEVELS = frozenset({"major", "high"})
#: A sample may be recorded with a clock this far ahead of the server (handheld detectors drift).
GAS_CLOCK_TOLERANCE = timedelta(minutes=5)


def rule_error(exc: RuleError) -> DomainError:
    """Map a pure-rule error onto the API error: conflicts 409, everything else 400 (field named)."""
    if isinstance(exc, PermitConflict):
        return Conflict(exc.message, code=exc.code)
    return FieldError(exc.message, code=exc.code, field=RULE_FIELDS.get(exc.code))


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


# --- levels, validity, certificates ------------------------------------------------------------
@dataclass(frozen=True)
class Assessment:
    """What the rules say about a permit's declared facts: levels as API codes ('' = none)."""

    declared: str
    computed: str
    level: str
    reasons: list[str]


def level_enum(permit_type: str, code: str) -> PermitLevel | None:
    """The rules' level enum for a stored level code ('' → None)."""
    cls = LEVELS_BY_TYPE.get(PermitType(permit_type))
    return cls(code) if cls and code else None


def assess(
    *, permit_type: str, facts: Mapping[str, Any], planned_start: datetime, planned_end: datetime,
    level_declared: str | None, workers: Iterable[Mapping[str, Any]],
) -> Assessment:
    """Compute the level from the facts and check declared level, validity and certificates.

    Sources: rules.levels (GB 30871-2022 §5.2/§5.5/§5.6), rules.validity, rules.approvals
    (certificates). Raises FieldError 400 with the rule's code, e.g. ``height_below_2m_no_permit``
    (field ``height_m``), ``lifting_below_10t_no_permit``, ``hot_work_level_below_computed``
    (field ``level_declared``), ``validity_exceeded`` (``planned_end``), ``certificate_missing``.
    """
    facts = {k: _plain(v) for k, v in facts.items()}
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
        check_declared_level(ptype, declared, computed)
        effective = stricter(declared, computed)
        check_validity(ptype, effective, planned_start, planned_end)
        approval_rules.check_certificates(list(workers))
    except RuleError as exc:
        raise rule_error(exc) from None
    return Assessment(
        declared.value if declared else "", computed.value if computed else "", effective.value if effective else "", reasons
    )


def facts_of(permit: WorkPermit) -> dict[str, Any]:
    """The type-specific facts of a stored permit in the rules' JSON shape (floats, not Decimals)."""
    detail = detail_of(permit)
    if detail is None:
        return {}
    out = {f.name: _plain(getattr(detail, f.name)) for f in detail._meta.concrete_fields if f.name != "permit"}
    if permit.type == PermitType.BLINDING:
        out["pipeline_id"] = detail.pipeline_id
    return out


def workers_of(permit: WorkPermit) -> list[dict[str, Any]]:
    return [{"name": w.name, "trade": w.trade, "cert_no": w.cert_no} for w in permit.workers.all()]


# --- people ----------------------------------------------------------------------------------
def _check_risk_point(enterprise: Enterprise, risk_point: Any) -> None:
    """400 ``does_not_exist`` on ``risk_point`` unless it is one of ``enterprise``'s."""
    if risk_point is not None and risk_point.enterprise_id != enterprise.pk:
        raise FieldError("风险点不存在。", code="does_not_exist", field="risk_point")


def _set_extra_approval(permit: WorkPermit) -> None:
    """One more approval step when the permit's risk point is 重大/较大 (DOMAIN.md §4 [config])."""
    permit.extra_approval = bool(permit.risk_point_id and permit.risk_point.level in EXTRA_APPROVAL_RISK_LEVELS)


def _check_member(enterprise: Enterprise, user: Any, field: str) -> None:
    if user is not None and not Membership.objects.filter(user=user, enterprise=enterprise).exists():
        raise FieldError("该用户不是本企业成员。", code="not_a_member", field=field)


def _role_of(user: Any) -> str | None:
    m = Membership.objects.filter(user=user).only("role", "enterprise_id").first()
    return m.role if m else None


def _display_name(user: Any) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "username", "")).strip()


def _same_person(user: Any, linked: Any, name: str) -> bool:
    """Whether ``user`` is the person named on the permit: compare users when the person is linked,
    else compare names (contractors have no accounts)."""
    if linked is not None:
        return linked.pk == user.pk
    return bool(name.strip()) and name.strip() == _display_name(user)


# --- numbers -----------------------------------------------------------------------------------
def _allocate_number(enterprise: Enterprise, permit_type: str, planned_start: datetime) -> str:
    prefix = f"{PermitType(permit_type).number_prefix}-{timezone.localtime(planned_start):%Y%m%d}-"
    existing = WorkPermit.objects.filter(enterprise=enterprise, number__startswith=prefix).values_list("number", flat=True)
    seqs = [int(n[len(prefix):]) for n in existing if n[len(prefix):].isdigit()]
    return f"{prefix}{max(seqs, default=0) + 1:02d}"


def _check_number(enterprise: Enterprise, permit_type: str, number: str, exclude: int | None = None) -> None:
    prefix = PermitType(permit_type).number_prefix + "-"
    if not number.startswith(prefix):
        raise FieldError(f"作业票编号须以“{prefix}”开头。", code="number_prefix", field="permit_no")
    if WorkPermit.objects.filter(enterprise=enterprise, number=number).exclude(pk=exclude).exists():
        raise FieldError("作业票编号已存在。", code="duplicate", field="permit_no")


# --- create / update -----------------------------------------------------------------------------
def _write_children(permit: WorkPermit, detail: Mapping[str, Any] | None, workers: list[Mapping[str, Any]] | None) -> None:
    if detail is not None:
        model = DETAIL_MODELS[permit.type]
        model.objects.update_or_create(permit=permit, defaults=dict(detail))
        for accessor in DETAIL_ACCESSORS:  # drop the cached reverse one-to-one
            permit._state.fields_cache.pop(accessor, None)
    if workers is not None:
        permit.workers.all().delete()
        PermitWorker.objects.bulk_create(
            [PermitWorker(permit=permit, **{k: w.get(k) or ("" if k != "user" else None) for k in ("name", "trade", "cert_type", "cert_no", "user")})
             for w in workers]
        )


@transaction.atomic
def permit_create(
    *, actor: Any, enterprise: Enterprise, type: str, detail: Mapping[str, Any], workers: list[Mapping[str, Any]],
    number: str = "", **values: Any,
) -> WorkPermit:
    """Create a draft permit with its type detail and workers.

    ``detail``: the per-type fields (validated by the type's serializer); ``workers``: [{name, trade,
    cert_type, cert_no, user}]; ``number``: the permit number (allocated as
    ``<prefix>-<yyyymmdd of planned start>-<nn>`` when blank). Runs :func:`assess` (coded 400s).
    Raises FieldError ``duplicate``/``number_prefix`` (``permit_no``), ``not_a_member``.
    """
    data = {k: v for k, v in values.items() if k in PERMIT_FIELDS}
    _check_risk_point(enterprise, data.get("risk_point"))
    for field in ("applicant_user", "work_leader_user", "guardian_user"):
        _check_member(enterprise, data.get(field), field)
    for i, w in enumerate(workers):
        _check_member(enterprise, w.get("user"), f"workers[{i}].user")
    result = assess(permit_type=type, facts=detail, planned_start=data["planned_start"], planned_end=data["planned_end"],
                    level_declared=data.get("level_declared"), workers=workers)
    if number:
        _check_number(enterprise, type, number)
    else:
        number = _allocate_number(enterprise, type, data["planned_start"])
    data.update(level_declared=result.declared, level_computed=result.computed, level=result.level, level_reasons=result.reasons)
    try:
        with transaction.atomic():
            permit = WorkPermit.objects.create(enterprise=enterprise, number=number, type=type, created_by=actor, **data)
    except IntegrityError:
        raise FieldError("作业票编号已存在。", code="duplicate", field="permit_no") from None
    _write_children(permit, detail, workers)
    audit_record(actor=actor, action="permit.create", obj=permit, enterprise=enterprise, to_state=permit.state,
                 changes={k: [None, getattr(v, "pk", v)] for k, v in {**data, "number": number, "type": type}.items()},
                 payload={"detail": {k: _plain(v) for k, v in detail.items()}, "workers": [w.get("name") for w in workers]})
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
    *, actor: Any, permit: WorkPermit, detail: Mapping[str, Any] | None = None,
    workers: list[Mapping[str, Any]] | None = None, **values: Any,
) -> WorkPermit:
    """Edit a draft, submitted or approved permit (content, place, window, scope, people, facts).

    A change to a submitted or approved permit voids every signature (approvals, measure checks,
    briefing) and puts it back to ``submitted``; conflicts are checked again. Type and number do not
    change. Raises Conflict ``not_editable`` (409) in other states; the :func:`assess` 400s.
    """
    permit = _lock(permit)
    if permit.state not in EDITABLE_STATES:
        raise Conflict(f"“{S(permit.state).label}”状态的作业票不能修改。", code="not_editable")
    data = {k: v for k, v in values.items() if k in PERMIT_FIELDS}
    if "risk_point" in data:
        _check_risk_point(permit.enterprise, data["risk_point"])
    for field in ("applicant_user", "work_leader_user", "guardian_user"):
        if field in data:
            _check_member(permit.enterprise, data[field], field)
    merged_detail = {**facts_of(permit), **(detail or {})}
    merged_workers = workers if workers is not None else workers_of(permit)
    start, end = data.get("planned_start", permit.planned_start), data.get("planned_end", permit.planned_end)
    declared = data.get("level_declared", permit.level_declared)
    result = assess(permit_type=permit.type, facts=merged_detail, planned_start=start, planned_end=end,
                    level_declared=declared, workers=merged_workers)
    data.update(level_declared=result.declared, level_computed=result.computed, level=result.level, level_reasons=result.reasons)
    changes = diff(permit, data)
    changes = {k: [getattr(a, "pk", a), getattr(b, "pk", b)] for k, (a, b) in changes.items()}
    old_detail = facts_of(permit)
    if detail is not None and any(old_detail.get(k) != _plain(v) for k, v in detail.items()):
        changes["detail"] = [{k: old_detail.get(k) for k in detail}, {k: _plain(v) for k, v in detail.items()}]
    if workers is not None and workers_of(permit) != [{"name": w.get("name"), "trade": w.get("trade") or "", "cert_no": w.get("cert_no") or ""} for w in workers]:
        changes["workers"] = [[w["name"] for w in workers_of(permit)], [w.get("name") for w in workers]]
    if not changes:
        return permit
    for k, v in data.items():
        setattr(permit, k, v)
    _write_children(permit, detail, workers)
    from_state = permit.state
    now = timezone.now()
    if from_state in (S.SUBMITTED, S.APPROVED):
        voided = _void_signatures(permit, now)
        permit.state, permit.approved_at = S.SUBMITTED, None
        _set_extra_approval(permit)  # the risk point may have changed: so may the approval chain
        _assert_no_conflicts(permit)
        if voided:
            audit_record(actor=actor, action="permit.approvals_reset", obj=permit, enterprise=permit.enterprise_id,
                         from_state=from_state, to_state=permit.state, reason="批准后变更作业内容、地点、范围或人员，须重新审批",
                         payload={"voided": voided})
    permit.save()
    audit_record(actor=actor, action="permit.update", obj=permit, enterprise=permit.enterprise_id, changes=changes,
                 from_state=from_state, to_state=permit.state)
    return permit


# --- conflicts -----------------------------------------------------------------------------------
def snapshot_of(permit: WorkPermit) -> PermitSnapshot:
    """The permit as the conflict rules see it (guardian identity: linked user, else certificate
    number, else name; area: the risk point's name, else the location text)."""
    detail = detail_of(permit)
    guardian = (f"user:{permit.guardian_user_id}" if permit.guardian_user_id
                else permit.guardian_cert_no.strip() or f"name:{permit.guardian_name.strip()}")
    space = getattr(detail, "space_name", "") or getattr(detail, "confined_space_name", "") or None
    return PermitSnapshot(
        id=permit.pk, number=permit.number, type=permit.type, state=permit.state,
        start=timezone.localtime(permit.planned_start), end=timezone.localtime(permit.planned_end), guardian=guardian,
        pipeline=getattr(detail, "pipeline_id", None) if permit.type == PermitType.BLINDING else None,
        location=permit.location, lon=_plain(permit.lon), lat=_plain(permit.lat),
        fire_explosion_area=bool(getattr(detail, "in_fire_explosion_area", False)),
        area_name=permit.risk_point.name if permit.risk_point_id else permit.location,
        confined_space_name=space, related_numbers=tuple(permit.related_numbers or ()),
    )


def _assert_no_conflicts(permit: WorkPermit) -> None:
    """Raise Conflict (409, code of the first conflict, message naming the other permit)."""
    others = (
        WorkPermit.objects.filter(enterprise_id=permit.enterprise_id, state__in=[s.value for s in CONFLICT_STATES],
                                  planned_start__lt=permit.planned_end, planned_end__gt=permit.planned_start)
        .exclude(pk=permit.pk).select_related("risk_point", *DETAIL_ACCESSORS)
    )
    try:
        assert_no_conflicts(snapshot_of(permit), [snapshot_of(o) for o in others])
    except RuleError as exc:
        raise rule_error(exc) from None


# --- transitions ---------------------------------------------------------------------------------
def _lock(permit: WorkPermit) -> WorkPermit:
    return WorkPermit.objects.select_for_update(of=("self",)).select_related("enterprise", "risk_point").get(pk=permit.pk)


def _target(permit: WorkPermit, action: PermitAction) -> PermitState:
    try:
        return next_state(action, permit.state)
    except InvalidTransition as exc:
        raise Conflict(exc.message, code=exc.code) from None


def _record(actor: Any, permit: WorkPermit, action: str, from_state: str, reason: str = "", **payload: Any) -> None:
    audit_record(actor=actor, action=f"permit.{action}", obj=permit, enterprise=permit.enterprise_id,
                 from_state=from_state, to_state=permit.state, reason=reason, payload=payload)


def chain_of(permit: WorkPermit) -> tuple[approval_rules.ApprovalStep, ...]:
    """The permit's signature steps (type, managed level, risk-point raise)."""
    return approval_rules.approval_chain(permit.type, level_enum(permit.type, permit.level), permit.extra_approval)


def measures_of(permit: WorkPermit) -> tuple[approval_rules.SafetyMeasure, ...]:
    return approval_rules.SAFETY_MEASURES[PermitType(permit.type)]


def _signed_steps(permit: WorkPermit) -> set[str]:
    return set(PermitApproval.objects.filter(permit=permit, voided_at__isnull=True).values_list("step", flat=True))


def current_step(permit: WorkPermit, signed: set[str] | None = None) -> approval_rules.ApprovalStep | None:
    """The next unsigned step of the phase the permit is in (approval while submitted, pre-start
    checks while approved, acceptance while completed), or None."""
    phase = {S.SUBMITTED: approval_rules.PHASE_APPROVAL, S.APPROVED: approval_rules.PHASE_PRE_START,
             S.COMPLETED: approval_rules.PHASE_ACCEPTANCE}.get(S(permit.state))
    signed = _signed_steps(permit) if signed is None else signed
    return next((s for s in chain_of(permit) if s.phase == phase and s.code not in signed), None)


@transaction.atomic
def permit_submit(*, actor: Any, permit: WorkPermit) -> WorkPermit:
    """draft → submitted. Re-runs :func:`assess`, checks conflicts (409 naming the other permit) and
    fixes the approval chain (one more step when the risk point is 重大/较大)."""
    permit = _lock(permit)
    from_state, target = permit.state, _target(permit, PermitAction.SUBMIT)
    assess(permit_type=permit.type, facts=facts_of(permit), planned_start=permit.planned_start,
           planned_end=permit.planned_end, level_declared=permit.level_declared, workers=workers_of(permit))
    _assert_no_conflicts(permit)
    _set_extra_approval(permit)
    permit.state, permit.submitted_at = target, timezone.now()
    permit.save()
    _record(actor, permit, "submit", from_state, chain=[s.code for s in chain_of(permit)])
    return permit


def needs_prework_report(permit: WorkPermit) -> bool:
    """特级 hot work, or any permit whose window touches a public holiday (DOMAIN.md §4 [config])."""
    if permit.type == PermitType.HOT_WORK and permit.level == HotWorkLevel.SPECIAL:
        return True
    return DayType.HOLIDAY in window_day_types(permit.planned_start, permit.planned_end).values()


def _check_signer(actor: Any, permit: WorkPermit, step: approval_rules.ApprovalStep) -> None:
    if _role_of(actor) != step.role:
        raise Forbidden(f"“{step.name}”须由“{_role_label(step.role)}”签署。", code="role_not_allowed")
    if step.code == "work_leader":
        if permit.work_leader_user_id and permit.work_leader_user_id != actor.pk:
            raise Forbidden("作业负责人确认须由作业负责人本人签署。", code="not_work_leader")
        return
    signed_as_leader = PermitApproval.objects.filter(permit=permit, step="work_leader", voided_at__isnull=True,
                                                     signer=actor).exists()
    if signed_as_leader or _same_person(actor, permit.applicant_user, permit.applicant_name) or _same_person(
        actor, permit.work_leader_user, permit.work_leader_name
    ):
        # Whoever signed as work leader acts as the work leader, even for a contractor's named leader.
        raise Forbidden("审批人不能是申请人或作业负责人。", code="separation_of_duties")


@transaction.atomic
def permit_approve_step(*, actor: Any, permit: WorkPermit, step: str, opinion: str = "") -> WorkPermit:
    """Sign ``step``, which must be the permit's current step (approval phase while submitted;
    pre-start checks such as the hot-work shift-leader check while approved).

    The signer holds the step's role and is never the applicant or the work leader (except the work
    leader's own confirmation). Signing the final approval step needs every safety measure confirmed
    and the briefing signed, moves the permit to ``approved`` and, for 特级 hot work or a window on a
    public holiday, writes the pre-work report to the regulator (same transaction).
    Raises Conflict 409 ``step_already_signed`` (lost race), ``step_out_of_order``,
    ``invalid_transition``; Forbidden 403 ``role_not_allowed``/``separation_of_duties``/
    ``not_work_leader``; FieldError 400 ``unknown_step``, ``measures_unconfirmed``, ``briefing_missing``.
    """
    permit = _lock(permit)
    if permit.state not in (S.SUBMITTED, S.APPROVED):
        raise Conflict(f"“{S(permit.state).label}”状态不能签署审批。", code="invalid_transition")
    chain = chain_of(permit)
    if step not in {s.code for s in chain}:
        raise FieldError("该作业票没有此审批步骤。", code="unknown_step", field="step")
    signed = _signed_steps(permit)
    if step in signed:
        raise Conflict("该步骤已由他人签署，请刷新后查看。", code="step_already_signed")
    current = current_step(permit, signed)
    if current is None or current.code != step:
        raise Conflict(f"当前应签署“{current.name if current else '无'}”。", code="step_out_of_order")
    _check_signer(actor, permit, current)
    now = timezone.now()
    final = current.phase == approval_rules.PHASE_APPROVAL and current == approval_rules.final_approval_step(chain)
    if final:
        confirmed = set(PermitMeasureCheck.objects.filter(permit=permit, voided_at__isnull=True).values_list("measure_code", flat=True))
        missing = [m.text for m in measures_of(permit) if m.code not in confirmed]
        if missing:
            raise FieldError(f"安全措施尚未逐项确认：{missing[0]}等 {len(missing)} 项。", code="measures_unconfirmed", field="step")
        if not permit.briefed_at:
            raise FieldError("尚未完成安全交底签字。", code="briefing_missing", field="step")
    try:
        with transaction.atomic():
            PermitApproval.objects.create(permit=permit, step=current.code, step_name=current.name, role=current.role,
                                          signer=actor, signer_name=_display_name(actor), opinion=opinion, signed_at=now)
    except IntegrityError:
        raise Conflict("该步骤已由他人签署，请刷新后查看。", code="step_already_signed") from None
    from_state = permit.state
    if final:
        permit.state, permit.approved_at = _target(permit, PermitAction.APPROVE), now
        permit.save()
        if needs_prework_report(permit):
            local = timezone.localtime(permit.planned_start)
            notify_regulator_of(
                enterprise=permit.enterprise, key=f"permit:{permit.pk}:prework", kind="permit_prework",
                title=f"作业前报告：{permit.enterprise.name} {permit.get_type_display()} {permit.number}",
                body=f"{permit.get_type_display()}（{permit.get_level_display() or '—'}）{permit.location}，计划 {local:%Y-%m-%d %H:%M} 开始。",
                payload={"permit_id": permit.pk, "number": permit.number, "type": permit.type, "level": permit.level,
                         "planned_start": permit.planned_start.isoformat(), "planned_end": permit.planned_end.isoformat()},
            )
    _record(actor, permit, "approve", from_state, step=current.code, opinion=opinion)
    return permit


@transaction.atomic
def permit_reject(*, actor: Any, permit: WorkPermit, reason: str) -> WorkPermit:
    """submitted → rejected, by a user holding the role of the current step (or a safety officer).
    Raises FieldError ``required`` (``reason``), Forbidden, Conflict ``invalid_transition``."""
    permit = _lock(permit)
    from_state, target = permit.state, _target(permit, PermitAction.REJECT)
    if not reason.strip():
        raise FieldError("驳回须说明理由。", code="required", field="reason")
    step = current_step(permit)
    role = _role_of(actor)
    if role != approval_rules.ROLE_SAFETY_OFFICER and (step is None or role != step.role):
        raise Forbidden("无权驳回该作业票。", code="role_not_allowed")
    permit.state, permit.closed_reason = target, reason[:200]
    permit.save()
    _record(actor, permit, "reject", from_state, reason=reason)
    return permit


@transaction.atomic
def permit_confirm_measures(*, actor: Any, permit: WorkPermit, measure_codes: list[str]) -> WorkPermit:
    """Confirm safety measures item by item (submitted permits, before the final approval).
    Already confirmed items are kept (idempotent). Raises FieldError ``unknown_measure``."""
    permit = _lock(permit)
    if permit.state != S.SUBMITTED:
        raise Conflict("只有已提交、待审批的作业票可确认安全措施。", code="invalid_transition")
    table = {m.code: m for m in measures_of(permit)}
    unknown = [c for c in measure_codes if c not in table]
    if unknown or not measure_codes:
        raise FieldError(f"未知的安全措施：{unknown[0] if unknown else '（空）'}。", code="unknown_measure", field="measures")
    done = set(PermitMeasureCheck.objects.filter(permit=permit, voided_at__isnull=True).values_list("measure_code", flat=True))
    now = timezone.now()
    new = [c for c in dict.fromkeys(measure_codes) if c not in done]
    PermitMeasureCheck.objects.bulk_create([
        PermitMeasureCheck(permit=permit, measure_code=c, measure_text=table[c].text, confirmed_by=actor,
                           confirmed_by_name=_display_name(actor), confirmed_at=now) for c in new
    ])
    _record(actor, permit, "confirm_measures", permit.state, measures=new)
    return permit


@transaction.atomic
def permit_brief(*, actor: Any, permit: WorkPermit, briefed_names: list[str]) -> WorkPermit:
    """Sign the safety briefing (安全交底): the caller briefs; every worker and the guardian must be
    among ``briefed_names``. Raises FieldError ``briefing_incomplete`` naming who is missing."""
    permit = _lock(permit)
    if permit.state != S.SUBMITTED:
        raise Conflict("只有已提交、待审批的作业票可进行安全交底。", code="invalid_transition")
    names = [n.strip() for n in briefed_names if n and n.strip()]
    required = [w.name for w in permit.workers.all()] + [permit.guardian_name]
    missing = [n for n in required if n not in names]
    if missing:
        raise FieldError(f"以下人员未接受安全交底：{'、'.join(missing)}。", code="briefing_incomplete", field="briefed_names")
    permit.briefer_name, permit.briefer_user, permit.briefed_names = _display_name(actor), actor, list(dict.fromkeys(names))
    permit.briefed_at = timezone.now()
    permit.save()
    _record(actor, permit, "brief", permit.state, briefed=permit.briefed_names)
    return permit


def gas_readings(permit: WorkPermit) -> list[dict[str, Any]]:
    """The permit's samples in the rules' JSON shape."""
    return [
        {"sampled_at": t.sampled_at, "o2_pct_vol": _plain(t.o2_pct_vol), "flammable": t.flammable, "toxic": t.toxic}
        for t in GasTest.objects.filter(permit=permit).order_by("sampled_at", "id")
    ]


def _check_start_gas(permit: WorkPermit, at: datetime) -> None:
    try:
        gas_rules.check_start_gas(permit.type, level_enum(permit.type, permit.level), gas_readings(permit), at, facts_of(permit))
    except RuleError as exc:
        raise rule_error(exc) from None


@transaction.atomic
def permit_start(*, actor: Any, permit: WorkPermit) -> WorkPermit:
    """approved → in_progress, now, inside the planned window, with the pre-start checks signed,
    a passing gas test ≤ 30 min old where the type needs one, and no conflict.
    Raises FieldError ``outside_window``, ``pre_start_check_missing``, the gas codes
    (``gas_test_missing``, ``gas_test_stale``, ``o2_out_of_range`` …); Conflict 409 conflicts."""
    permit = _lock(permit)
    from_state, target = permit.state, _target(permit, PermitAction.START)
    now = timezone.now()
    if not permit.planned_start <= now < permit.planned_end:
        raise FieldError("不在作业票的计划作业时间内。", code="outside_window", field="planned_start")
    step = current_step(permit)
    if step is not None:
        raise FieldError(f"作业前须完成“{step.name}”。", code="pre_start_check_missing", field="step")
    _check_start_gas(permit, now)
    _assert_no_conflicts(permit)
    permit.state, permit.started_at = target, now
    permit.save()
    _record(actor, permit, "start", from_state)
    return permit


@transaction.atomic
def permit_suspend(*, actor: Any, permit: WorkPermit, reason: str = "", now: datetime | None = None) -> WorkPermit:
    """in_progress → suspended (work stopped; the interruption clock starts)."""
    permit = _lock(permit)
    from_state, target = permit.state, _target(permit, PermitAction.SUSPEND)
    permit.state, permit.suspended_at, permit.suspend_reason = target, now or timezone.now(), reason[:200]
    permit.save()
    _record(actor, permit, "suspend", from_state, reason=reason)
    return permit


@transaction.atomic
def permit_resume(*, actor: Any, permit: WorkPermit) -> WorkPermit:
    """suspended → in_progress, inside the window. Where the type needs gas tests: after an
    interruption longer than the limit (hot work 特级/一级 30 min, 二级 60 min; confined space
    60 min) or a lapsed monitoring interval, a passing test taken after the stop is required.
    Raises FieldError ``gas_retest_required``, the failure codes, ``outside_window``."""
    permit = _lock(permit)
    from_state, target = permit.state, _target(permit, PermitAction.RESUME)
    now = timezone.now()
    if now >= permit.planned_end:
        raise FieldError("作业票已超过计划结束时间。", code="outside_window", field="planned_end")
    if gas_rules.gas_test_required(permit.type, facts_of(permit)):
        level = level_enum(permit.type, permit.level)
        tests = [t for t in gas_readings(permit) if t["sampled_at"] <= now]
        last = tests[-1] if tests else None
        paused = permit.suspended_at or now
        due = last is None or gas_rules.retest_due(permit.type, level, last["sampled_at"], now, paused_at=paused) or (
            gas_rules.retest_due(permit.type, level, last["sampled_at"], now))
        if due:
            raise FieldError("中断时间超过规定或检测已过期，恢复作业前须重新进行气体分析。", code="gas_retest_required",
                             field="gas_tests")
        if last["sampled_at"] >= paused:
            verdict = gas_rules.evaluate_gas_test(permit.type, last, facts_of(permit).get("oxygen_enriched_declared") is True)
            if not verdict.passed:
                raise FieldError(verdict.failures[0].message, code=verdict.failures[0].code, field="gas_tests")
    permit.state, permit.suspended_at = target, None
    permit.save()
    _record(actor, permit, "resume", from_state)
    return permit


@transaction.atomic
def permit_complete(*, actor: Any, permit: WorkPermit) -> WorkPermit:
    """in_progress → completed (work finished on site)."""
    permit = _lock(permit)
    from_state, target = permit.state, _target(permit, PermitAction.COMPLETE)
    permit.state, permit.completed_at = target, timezone.now()
    permit.save()
    _record(actor, permit, "complete", from_state)
    return permit


@transaction.atomic
def permit_accept(*, actor: Any, permit: WorkPermit, opinion: str = "") -> WorkPermit:
    """completed → accepted: the caller signs the completion-acceptance step(s) (完工验收) and must hold
    their role. Raises Forbidden ``role_not_allowed``; Conflict ``invalid_transition``."""
    permit = _lock(permit)
    from_state, target = permit.state, _target(permit, PermitAction.ACCEPT)
    now = timezone.now()
    signed = _signed_steps(permit)
    for step in chain_of(permit):
        if step.phase != approval_rules.PHASE_ACCEPTANCE or step.code in signed:
            continue
        if _role_of(actor) != step.role:
            raise Forbidden(f"“{step.name}”须由“{_role_label(step.role)}”签署。", code="role_not_allowed")
        PermitApproval.objects.create(permit=permit, step=step.code, step_name=step.name, role=step.role, signer=actor,
                                      signer_name=_display_name(actor), opinion=opinion, signed_at=now)
    permit.state, permit.accepted_at = target, now
    permit.save()
    _record(actor, permit, "accept", from_state, opinion=opinion)
    return permit


@transaction.atomic
def permit_cancel(*, actor: Any, permit: WorkPermit, reason: str) -> WorkPermit:
    """draft/submitted/approved/suspended → cancelled (never deleted). Raises FieldError ``required``."""
    permit = _lock(permit)
    from_state, target = permit.state, _target(permit, PermitAction.CANCEL)
    if not reason.strip():
        raise FieldError("取消须说明理由。", code="required", field="reason")
    permit.state, permit.closed_reason = target, reason[:200]
    permit.save()
    _record(actor, permit, "cancel", from_state, reason=reason)
    return permit


@transaction.atomic
def gas_test_record(*, actor: Any, permit: WorkPermit, **values: Any) -> GasTest:
    """Record one sample on a filed, open permit and judge it (rules.gas.evaluate_gas_test).

    ``values``: sampled_at (aware), sample_point, analyst_name, analyst_user, o2_pct_vol (%vol),
    flammable [{medium, lel_pct_vol, reading_pct_vol}], toxic [{gas, formula, reading_ppm}].
    Raises FieldError ``sampled_in_future`` (``sampled_at``); Conflict ``invalid_transition``.
    """
    permit = _lock(permit)
    if permit.state not in (S.SUBMITTED, S.APPROVED, S.IN_PROGRESS, S.SUSPENDED):
        raise Conflict(f"“{S(permit.state).label}”状态不能录入气体分析。", code="invalid_transition")
    if values["sampled_at"] > timezone.now() + GAS_CLOCK_TOLERANCE:
        raise FieldError("取样时间不能晚于当前时间。", code="sampled_in_future", field="sampled_at")
    _check_member(permit.enterprise, values.get("analyst_user"), "analyst_user")
    reading = {"o2_pct_vol": _plain(values.get("o2_pct_vol")), "flammable": values.get("flammable") or [],
               "toxic": values.get("toxic") or []}
    try:
        verdict = gas_rules.evaluate_gas_test(permit.type, reading, facts_of(permit).get("oxygen_enriched_declared") is True)
    except RuleError as exc:
        raise rule_error(exc) from None
    test = GasTest.objects.create(
        permit=permit, sampled_at=values["sampled_at"], sample_point=values["sample_point"],
        analyst_name=values["analyst_name"], analyst_user=values.get("analyst_user"), o2_pct_vol=values.get("o2_pct_vol"),
        flammable=reading["flammable"], toxic=reading["toxic"], passed=verdict.passed,
        failures=[{"code": f.code, "message": f.message} for f in verdict.failures], recorded_by=actor,
    )
    audit_record(actor=actor, action="permit.gas_test", obj=permit, enterprise=permit.enterprise_id,
                 payload={"gas_test": test.pk, "sampled_at": test.sampled_at.isoformat(), "passed": test.passed,
                          "failures": test.failures})
    return test


# --- sweeps (scheduled by the worker) -------------------------------------------------------------
def permits_expire(*, now: datetime) -> list[int]:
    """Set ``expired`` on permits whose planned end passed before completion (submitted, approved,
    in progress, suspended with ``planned_end <= now``). One transaction per permit; returns ids."""
    done = []
    candidates = WorkPermit.objects.filter(
        state__in=[s.value for s in TRANSITIONS_EXPIRE], planned_end__lte=now).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            permit = WorkPermit.objects.select_for_update().get(pk=pk)
            if permit.state not in TRANSITIONS_EXPIRE or permit.planned_end > now:
                continue  # changed meanwhile
            from_state = permit.state
            permit.state = S.EXPIRED
            permit.save()
            _record(None, permit, "expire", from_state, reason="作业票有效期已过，未完工")
            done.append(pk)
    return done


def permits_suspend_stale_gas(*, now: datetime) -> list[int]:
    """Suspend in-progress permits whose required re-test window lapsed (rules.gas.retest_due: e.g.
    confined space without a reading for > 2 h). Returns the suspended ids."""
    done = []
    # Only types that can need a gas test are read and locked (blinding, lifting, … never do).
    gas_types = [t.value for t, condition in gas_rules.GAS_TEST_REQUIRED.items() if condition != "never"]
    for pk in list(WorkPermit.objects.filter(state=S.IN_PROGRESS, type__in=gas_types).values_list("pk", flat=True)):
        with transaction.atomic():
            permit = WorkPermit.objects.select_for_update().get(pk=pk)
            if permit.state != S.IN_PROGRESS or not gas_rules.gas_test_required(permit.type, facts_of(permit)):
                continue
            last = GasTest.objects.filter(permit=permit, sampled_at__lte=now).aggregate(m=Max("sampled_at"))["m"]
            if last is not None and not gas_rules.retest_due(permit.type, level_enum(permit.type, permit.level), last, now):
                continue
            from_state = permit.state
            permit.state, permit.suspended_at, permit.suspend_reason = S.SUSPENDED, now, "气体检测超过规定间隔，自动暂停"
            permit.save()
            _record(None, permit, "suspend", from_state, reason=permit.suspend_reason, automatic=True)
            done.append(pk)
    return done


def _role_label(role: str) -> str:
    """Chinese name of an enterprise role code (管理员, 安全管理员, 主要负责人, 职工)."""
    from backend.accounts.models import Role

    try:
        return str(Role(role).label)
    except ValueError:
        return role
