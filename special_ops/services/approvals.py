"""The approval phase of a permit (GB 30871-2022; DOMAIN.md §4 "Approval chain"): submit, sign a
step, reject, confirm the safety measures, sign the safety briefing (安全交底).

Each service locks the permit, checks its state (409 ``invalid_transition``), applies the rules of
:mod:`special_ops.rules.approvals` and appends an audit event in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.core.actors import Actor
from backend.core.errors import Conflict, FieldError, Forbidden
from backend.notifications.services import notify_regulator_of
from special_ops import selectors
from special_ops.error_codes import PermitErrorCode as E
from special_ops.error_codes import PermitEvent
from special_ops.models import PermitApproval, PermitMeasureCheck, WorkPermit
from special_ops.rules import approvals as approval_rules
from special_ops.rules import prework as prework_rules
from special_ops.rules.calendar import DayType, window_day_types
from special_ops.rules.types import PREPARATION_STATES, PermitAction, PermitState
from special_ops.services.assessment import assess_stored, check_conflicts, set_extra_approval
from special_ops.services.common import (
    acting,
    display_name,
    is_applicant_or_work_leader,
    permit_lock,
    record,
    require_state,
    role_label,
    signer,
    target_of,
)

S = PermitState
#: States in which a step may be signed: the approval chain while submitted, the pre-start checks
#: (e.g. the hot-work shift leader's check) while approved.
SIGNING_STATES = frozenset({S.SUBMITTED, S.APPROVED})


@transaction.atomic
def permit_submit(*, actor: Actor, permit: WorkPermit) -> WorkPermit:
    """draft → submitted. Re-runs the assessment, checks conflicts (409 naming the other permit) and
    fixes the approval chain (one more step when the risk point is 重大/较大)."""
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    from_state, target = permit.state, target_of(permit, PermitAction.SUBMIT, actor)
    assess_stored(permit)
    check_conflicts(permit)
    set_extra_approval(permit)
    permit.state, permit.submitted_at = target, timezone.now()
    permit.save()
    record(actor, permit, PermitEvent.SUBMIT, from_state, chain=[s.code for s in selectors.chain_of(permit)])
    return permit


def prework_table() -> tuple[prework_rules.PreworkRule, ...]:
    """The 作业前报告 table: the ``PREWORK_REPORT_TABLE`` setting, else the default (一级 and above)."""
    return prework_rules.table_from_config(getattr(settings, "PREWORK_REPORT_TABLE", None))


def prework_reasons_of(permit: WorkPermit) -> tuple[str, ...]:
    """Why ``permit`` is reported before work (codes of :data:`special_ops.rules.prework.REASON_LABELS`;
    empty: not reported): the table by type × level × enterprise kind, an outside contractor, a
    window touching a public holiday."""
    return prework_rules.prework_reasons(
        permit_type=permit.type, level=permit.level or "", kind=permit.enterprise.kind,
        contractor=permit.work_unit_kind == WorkPermit.UnitKind.CONTRACTOR,
        holiday=DayType.HOLIDAY in window_day_types(permit.planned_start, permit.planned_end).values(),
        table=prework_table())


def needs_prework_report(permit: WorkPermit) -> bool:
    """Whether the approved ``permit`` is reported to the regulator before work (:func:`prework_reasons_of`)."""
    return bool(prework_reasons_of(permit))


def _check_signer(actor: Actor, permit: WorkPermit, step: approval_rules.ApprovalStep) -> None:
    if actor.role != step.role:
        raise Forbidden(f"“{step.name}”须由“{role_label(step.role)}”签署。", code=E.ROLE_NOT_ALLOWED)
    if step.code == "work_leader":
        if permit.work_leader_user_id and permit.work_leader_user_id != actor.user_id:
            raise Forbidden("作业负责人确认须由作业负责人本人签署。", code=E.NOT_WORK_LEADER)
        return
    if is_applicant_or_work_leader(actor, permit):
        # Whoever signed as work leader acts as the work leader, even for a contractor's named leader.
        raise Forbidden("审批人不能是申请人或作业负责人。", code=E.SEPARATION_OF_DUTIES)


def _report_prework(permit: WorkPermit, reasons: tuple[str, ...]) -> None:
    """Write the 作业前报告 through the outbox to the jurisdiction's regulator and mark the permit
    (``prework_reported_at``, ``prework_reasons``: the regulators' feed ``audit/prework-reports``)."""
    local = timezone.localtime(permit.planned_start)
    end = timezone.localtime(permit.planned_end)
    tags = "、".join(t for t, on in (("检维修", permit.is_maintenance),
                                    ("外包", permit.work_unit_kind == WorkPermit.UnitKind.CONTRACTOR)) if on)
    why = "；".join(prework_rules.REASON_LABELS[r] for r in reasons)
    notify_regulator_of(
        enterprise=permit.enterprise, key=f"permit:{permit.pk}:prework", kind="permit_prework",
        title=f"作业前报告：{permit.enterprise.name} {permit.get_type_display()} {permit.number}",
        body=f"{permit.get_type_display()}（{permit.get_level_display() or '—'}）{permit.location}"
             f"{'（' + tags + '）' if tags else ''}，作业单位 {permit.work_unit}，"
             f"计划 {local:%Y-%m-%d %H:%M} 至 {end:%Y-%m-%d %H:%M}。报告原因：{why}。",
        payload={"permit_id": permit.pk, "number": permit.number, "type": permit.type, "level": permit.level,
                 "planned_start": permit.planned_start.isoformat(), "planned_end": permit.planned_end.isoformat(),
                 "maintenance": permit.is_maintenance,
                 "contractor": permit.work_unit_kind == WorkPermit.UnitKind.CONTRACTOR,
                 "enterprise_kind": permit.enterprise.kind, "reasons": list(reasons)},
    )
    permit.prework_reported_at, permit.prework_reasons = timezone.now(), list(reasons)
    permit.save(update_fields=["prework_reported_at", "prework_reasons", "updated_at"])


@transaction.atomic
def permit_approve_step(*, actor: Actor, permit: WorkPermit, step: str, opinion: str = "") -> WorkPermit:
    """Sign ``step``, which must be the permit's current step (approval phase while submitted;
    pre-start checks such as the hot-work shift-leader check while approved).

    The signer holds the step's role and is never the applicant or the work leader (except the work
    leader's own confirmation). Signing the final approval step needs every safety measure confirmed
    and the briefing signed, moves the permit to ``approved`` and, when :func:`prework_reasons_of`
    gives a reason (the table, 外包, a holiday), writes the 作业前报告 to the regulator (same transaction).
    Raises Conflict 409 ``step_already_signed`` (lost race), ``step_out_of_order``,
    ``invalid_transition``; Forbidden 403 ``role_not_allowed``/``separation_of_duties``/
    ``not_work_leader``; FieldError 400 ``unknown_step``, ``measures_unconfirmed``, ``briefing_missing``.
    """
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    require_state(permit, PermitAction.APPROVE, SIGNING_STATES, f"“{permit.get_state_display()}”状态不能签署审批。")
    chain = selectors.chain_of(permit)
    if step not in {s.code for s in chain}:
        raise FieldError("该作业票没有此审批步骤。", code=E.UNKNOWN_STEP, field="step")
    signed = selectors.signed_steps(permit)
    if step in signed:
        raise Conflict("该步骤已由他人签署，请刷新后查看。", code=E.STEP_ALREADY_SIGNED)
    current = selectors.current_step(permit, signed)
    if current is None or current.code != step:
        raise Conflict(f"当前应签署“{current.name if current else '无'}”。", code=E.STEP_OUT_OF_ORDER)
    _check_signer(actor, permit, current)
    now = timezone.now()
    final = current.phase == approval_rules.PHASE_APPROVAL and current == approval_rules.final_approval_step(chain)
    if final:
        confirmed = selectors.confirmed_measures(permit)
        missing = [m.text for m in selectors.measures_of(permit) if m.code not in confirmed]
        if missing:
            raise FieldError(f"安全措施尚未逐项确认：{missing[0]}等 {len(missing)} 项。", code=E.MEASURES_UNCONFIRMED,
                             field="step")
        if not permit.briefed_at:
            raise FieldError("尚未完成安全交底签字。", code=E.BRIEFING_MISSING, field="step")
    try:
        with transaction.atomic():
            PermitApproval.objects.create(permit=permit, step=current.code, step_name=current.name, role=current.role,
                                          signer=signer(actor), signer_name=display_name(actor), opinion=opinion, signed_at=now)
    except IntegrityError:
        raise Conflict("该步骤已由他人签署，请刷新后查看。", code=E.STEP_ALREADY_SIGNED) from None
    from_state = permit.state
    if final:
        permit.state, permit.approved_at = target_of(permit, PermitAction.APPROVE, actor), now
        permit.save()
        reasons = prework_reasons_of(permit)
        if reasons:
            _report_prework(permit, reasons)
    record(actor, permit, PermitEvent.APPROVE, from_state, step=current.code, opinion=opinion)
    return permit


@transaction.atomic
def permit_reject(*, actor: Actor, permit: WorkPermit, reason: str) -> WorkPermit:
    """submitted → rejected, by a user holding the role of the current step (or a safety officer).
    Raises FieldError ``required`` (``reason``), Forbidden, Conflict ``invalid_transition``."""
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    from_state, target = permit.state, target_of(permit, PermitAction.REJECT, actor)
    if not reason.strip():
        raise FieldError("驳回须说明理由。", code=E.REQUIRED, field="reason")
    step = selectors.current_step(permit)
    role = actor.role
    if role != approval_rules.ROLE_SAFETY_OFFICER and (step is None or role != step.role):
        raise Forbidden("无权驳回该作业票。", code=E.ROLE_NOT_ALLOWED)
    permit.state, permit.closed_reason = target, reason[:200]
    permit.save()
    record(actor, permit, PermitEvent.REJECT, from_state, reason=reason)
    return permit


@transaction.atomic
def permit_confirm_measures(*, actor: Actor, permit: WorkPermit, measure_codes: list[str],
                            not_applicable: list[str] | tuple[str, ...] = ()) -> WorkPermit:
    """Confirm safety measures item by item, or mark them 不涉及 (not applicable), by the caller, now
    (submitted permits, before the final approval); the printed permit shows 是否涉及. Items already
    answered are kept (idempotent). A measure the standard makes mandatory for the type cannot be
    不涉及 (rules.approvals.MANDATORY_MEASURES). Raises FieldError ``unknown_measure``
    (``measures``/``not_applicable``), ``measure_mandatory`` (``not_applicable``)."""
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    require_state(permit, "confirm_measures", PREPARATION_STATES, "只有已提交、待审批的作业票可确认安全措施。")
    table = {m.code: m for m in selectors.measures_of(permit)}
    for field, codes in (("measures", measure_codes), ("not_applicable", not_applicable)):
        unknown = [c for c in codes if c not in table]
        if unknown:
            raise FieldError(f"未知的安全措施：{unknown[0]}。", code=E.UNKNOWN_MEASURE, field=field)
    if not measure_codes and not not_applicable:
        raise FieldError("未知的安全措施：（空）。", code=E.UNKNOWN_MEASURE, field="measures")
    both = set(measure_codes) & set(not_applicable)
    if both:
        raise FieldError(f"同一措施不能既确认又标记不涉及：{sorted(both)[0]}。", code=E.UNKNOWN_MEASURE,
                         field="not_applicable")
    mandatory = [c for c in not_applicable if table[c].mandatory]
    if mandatory:
        raise FieldError(f"该措施为标准规定必须落实的措施，不能标记为不涉及：{table[mandatory[0]].text}。",
                         code=E.MEASURE_MANDATORY, field="not_applicable")
    done = selectors.confirmed_measures(permit)
    now = timezone.now()
    answers = {**{c: True for c in measure_codes}, **{c: False for c in not_applicable}}
    new = {c: a for c, a in answers.items() if c not in done}
    PermitMeasureCheck.objects.bulk_create([
        PermitMeasureCheck(permit=permit, measure_code=c, measure_text=table[c].text, applicable=a,
                           confirmed_by=signer(actor), confirmed_by_name=display_name(actor), confirmed_at=now)
        for c, a in new.items()
    ])
    record(actor, permit, PermitEvent.CONFIRM_MEASURES, permit.state, measures=[c for c, a in new.items() if a],
           not_applicable=[c for c, a in new.items() if not a])
    return permit


@transaction.atomic
def permit_brief(*, actor: Actor, permit: WorkPermit, briefed_names: list[str]) -> WorkPermit:
    """Sign the safety briefing (安全交底): the caller briefs; every worker and the guardian must be
    among ``briefed_names``. Raises FieldError ``briefing_incomplete`` naming who is missing."""
    actor = acting(actor, permit)
    permit = permit_lock(permit)
    require_state(permit, "brief", PREPARATION_STATES, "只有已提交、待审批的作业票可进行安全交底。")
    names = [n.strip() for n in briefed_names if n and n.strip()]
    required = [w.name for w in permit.workers.all()] + [permit.guardian_name]
    missing = [n for n in required if n not in names]
    if missing:
        raise FieldError(f"以下人员未接受安全交底：{'、'.join(missing)}。", code=E.BRIEFING_INCOMPLETE,
                         field="briefed_names")
    permit.briefer_name, permit.briefer_user, permit.briefed_names = display_name(actor), signer(actor), list(dict.fromkeys(names))
    permit.briefed_at = timezone.now()
    permit.save()
    record(actor, permit, PermitEvent.BRIEF, permit.state, briefed=permit.briefed_names)
    return permit
