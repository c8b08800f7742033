"""Writes of hidden dangers (隐患排查治理): filing, reporting, ordering, the rectification plan and
the lifecycle transitions. DOMAIN.md §3.

Every transition locks the hazard row (``SELECT … FOR UPDATE``), checks state and role against
the one table :data:`compliance.rules.hazard_states.MACHINE` (409 ``invalid_transition`` — also
for a lost race or a stale client —, 403 ``role_not_allowed``), then the guards that need more
facts (:func:`compliance.rules.hazard_states.check_blockers`), writes an audit event with
``from_state``/``to_state``/``reason`` and changes the state — all in one transaction.

Other hazard writes live beside this module: major-hazard judgement (``major_hazard``), deadline
extensions (``extensions``), 挂牌督办 (``supervision``), photos (``photos``), ledger import
(``ledger_import``). Services take ``actor`` (a :class:`backend.core.actors.Actor`; a User is
accepted and converted during the migration).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Enterprise
from backend.audit.services import audit_record
from backend.audit.updates import model_update
from backend.core.actors import Actor, actor_of, covers, require_enterprise_member, require_regulator
from backend.core.errors import FieldError, Forbidden, from_rule
from backend.core.rules import RuleError
from backend.core.time import SHANGHAI, local_today
from compliance.error_codes import HazardErrorCode as Code
from compliance.error_codes import HazardEvent
from compliance.models import Hazard, HazardNumberCounter, RiskPoint
from compliance.rules.deadlines import check_date_in_range, deadline_end, deadline_within_horizon
from compliance.rules.hazard_codes import HazardGrade, HazardSource, HazardTreatment
from compliance.rules.hazard_states import (
    ACTION_ROLES,
    PLAN_STATES,
    REASON_REQUIRED_ACTIONS,
    EnterpriseRole,
    HazardState,
    check_blockers,
    check_state,
    check_transition,
)
from compliance.rules.reassessment import REASSESSMENT_TRIGGER, needs_reassessment
from compliance.services.common import (
    hazard_commitments,
    hazard_lock,
    hazard_member,
    hazard_record,
    notify_major,
)

#: Writable descriptive fields of a hazard (filing / reporting input).
HAZARD_FIELDS = (
    "title", "description", "location", "risk_point", "control_measure", "source", "source_detail", "hazard_type",
    "cause", "grade", "treatment", "found_on", "responsible_person", "responsible_name", "measures", "funds_yuan",
    "deadline", "contingency_plan",
)
#: What an employee's report may set (grading and assignment come with confirmation).
REPORT_FIELDS = ("title", "description", "location", "risk_point", "control_measure", "hazard_type", "cause", "found_on")
#: Fields of the rectification plan (the five commitments and the measures) an enterprise keeps up to date.
PLAN_FIELDS = ("measures", "responsible_person", "responsible_name", "funds_yuan", "contingency_plan", "deadline")

_REASON_MESSAGES = {"reject": "驳回须说明理由。", "fail_acceptance": "验收不通过须说明理由。"}
_NOT_FOUND = "隐患不存在。"


# --- helpers --------------------------------------------------------------------------------
def _deadline_at(day: Any) -> Any:
    return deadline_end(day) if day else None


def hazard_number_allocate(*, enterprise_id: int, year: int) -> str:
    """Next ``YH-<year>-<5 digits>`` of the enterprise; the counter row is locked meanwhile.
    Must run inside the caller's transaction."""
    HazardNumberCounter.objects.get_or_create(enterprise_id=enterprise_id, year=year)
    counter = HazardNumberCounter.objects.select_for_update().get(enterprise_id=enterprise_id, year=year)
    counter.last += 1
    HazardNumberCounter.objects.filter(pk=counter.pk).update(last=counter.last)
    return f"YH-{year}-{counter.last:05d}"


def hazard_numbers_allocate(*, enterprise_id: int, year: int, count: int) -> list[str]:
    """The next ``count`` numbers of :func:`hazard_number_allocate`, in order, with one update of the
    locked counter row (bulk imports). Must run inside the caller's transaction."""
    if count <= 0:
        return []
    HazardNumberCounter.objects.get_or_create(enterprise_id=enterprise_id, year=year)
    counter = HazardNumberCounter.objects.select_for_update().get(enterprise_id=enterprise_id, year=year)
    first = counter.last + 1
    HazardNumberCounter.objects.filter(pk=counter.pk).update(last=counter.last + count)
    return [f"YH-{year}-{n:05d}" for n in range(first, first + count)]


def _transition(action: str, hazard: Hazard, actor: Actor) -> HazardState:
    """Target state of ``action`` for this actor and hazard (rules.hazard_states.check_transition)."""
    hazard_member(actor, hazard)
    try:
        return check_transition(action, hazard.state, actor.role or "", grade=hazard.grade)
    except RuleError as exc:
        raise from_rule(exc) from exc


def _require_reason(action: str, reason: str) -> None:
    if action in REASON_REQUIRED_ACTIONS and not (reason or "").strip():
        raise FieldError(_REASON_MESSAGES.get(action, "须说明理由。"), code=Code.REQUIRED, field="reason")


def risk_point_feedback(*, point: RiskPoint | None) -> bool:
    """Flag ``point`` for reassessment when it has ≥ REASSESSMENT_TRIGGER hazards in the window.

    Returns whether the point is (now) flagged. DOMAIN.md §3 / rules.reassessment [config]."""
    if point is None:
        return False
    trigger = REASSESSMENT_TRIGGER
    today = local_today()
    window_start = today - timedelta(days=trigger["window_days"] - 1)
    # Only the dates inside the window are read (an indexed range), so a busy point stays cheap.
    dates = list(Hazard.objects.filter(risk_point=point, found_on__gte=window_start, found_on__lte=today)
                 .exclude(state=HazardState.REJECTED).values_list("found_on", flat=True)[: trigger["count"]])
    if not needs_reassessment(dates, timezone.now()):
        return False
    if not point.needs_reassessment:
        from compliance.error_codes import RegisterEvent

        reason = f"{trigger['window_days']}天内发现隐患{trigger['count']}次及以上，需重新评估风险"
        RiskPoint.objects.filter(pk=point.pk).update(needs_reassessment=True, reassessment_reason=reason)
        point.needs_reassessment, point.reassessment_reason = True, reason
        audit_record(actor=None, action=RegisterEvent.RISK_POINT_FLAG_REASSESSMENT, obj=point,
                     enterprise=point.enterprise_id, reason=reason)
    return True


def _clean_values(enterprise: Enterprise, values: dict[str, Any]) -> dict[str, Any]:
    """The hazard fields of ``values``, checked against the enterprise and the date rules.

    400s: ``does_not_exist``/``mismatch`` (risk point, measure, responsible person of another
    enterprise), ``future_date``/``date_out_of_range`` (found_on), ``invalid_deadline``/
    ``deadline_too_far`` (deadline), ``invalid`` (negative funds)."""
    data = {k: v for k, v in values.items() if k in HAZARD_FIELDS}
    point, measure = data.get("risk_point"), data.get("control_measure")
    if point is not None and point.enterprise_id != enterprise.pk:
        raise FieldError("风险点不存在。", code=Code.DOES_NOT_EXIST, field="risk_point")
    if measure is not None:
        if measure.enterprise_id != enterprise.pk:
            raise FieldError("管控措施不存在。", code=Code.DOES_NOT_EXIST, field="control_measure")
        if point is None:
            data["risk_point"] = measure.risk_event.risk_point
        elif measure.risk_event.risk_point_id != point.pk:
            raise FieldError("管控措施不属于该风险点。", code=Code.MISMATCH, field="control_measure")
    person = data.get("responsible_person")
    if person is not None:
        if actor_of(person).enterprise_id != enterprise.pk:
            raise FieldError("整改责任人须为本企业人员。", code=Code.DOES_NOT_EXIST, field="responsible_person")
        if not data.get("responsible_name"):
            data["responsible_name"] = str(person)
    data.setdefault("found_on", local_today())
    if data.get("treatment") == HazardTreatment.IMMEDIATE:
        data["deadline"] = data["found_on"]
    try:
        check_date_in_range(data["found_on"], "found_on")
        check_date_in_range(data.get("deadline"), "deadline")
    except RuleError as exc:
        raise from_rule(exc) from exc
    if data["found_on"] > local_today():
        raise FieldError("排查日期不能晚于今天。", code=Code.FUTURE_DATE, field="found_on")
    if data.get("deadline") and data["deadline"] < data["found_on"]:
        raise FieldError("整改期限不能早于排查日期。", code=Code.INVALID_DEADLINE, field="deadline")
    if data.get("deadline") and not deadline_within_horizon(data["deadline"], local_today()):
        raise FieldError("整改期限过远（不得超过五年）。", code=Code.DEADLINE_TOO_FAR, field="deadline")
    if data.get("funds_yuan") is not None and Decimal(data["funds_yuan"]) < 0:
        raise FieldError("整改资金不能为负数。", code=Code.NEGATIVE_FUNDS, field="funds_yuan")
    return data


def _create(*, actor: Actor, enterprise: Enterprise, state: HazardState, event: HazardEvent, **values: Any) -> Hazard:
    data = _clean_values(enterprise, values)
    if state is HazardState.CONFIRMED and data.get("treatment", HazardTreatment.DEADLINE) == HazardTreatment.DEADLINE \
            and not data.get("deadline"):
        raise FieldError("限期整改的隐患须填写整改期限。", code=Code.REQUIRED, field="deadline")
    number = hazard_number_allocate(enterprise_id=enterprise.pk, year=data["found_on"].year)
    hazard = Hazard.objects.create(enterprise=enterprise, number=number, state=state, reporter=actor.user,
                                   deadline_at=_deadline_at(data.get("deadline")), **data)
    hazard_record(actor, hazard, event, to_state=state,
                  changes={k: [None, getattr(v, "pk", v)] for k, v in data.items()}, payload={"number": number})
    if hazard.grade == HazardGrade.MAJOR:
        notify_major(hazard)
    risk_point_feedback(point=hazard.risk_point)
    return hazard


# --- filing ---------------------------------------------------------------------------------
@transaction.atomic
def hazard_report(*, actor: Actor | Any, enterprise: Enterprise, source: str = HazardSource.EMPLOYEE_REPORT.value,
                  **values: Any) -> Hazard:
    """An employee reports a hidden danger they found (职工查身边隐患) → state ``reported``.

    Any enterprise member may report (404 for anyone else); grading, deadline and responsible
    person are set when a safety officer confirms it. Inputs: ``title`` (required),
    ``description``, ``location``, ``risk_point``/``control_measure`` (own enterprise's, else 400),
    ``hazard_type``, ``cause``, ``found_on`` (not after today, not before 2000-01-01);
    ``source`` defaults to ``employee_report`` (an investigation task passes its own source).
    The grade is always ``general`` here (a checklist tick makes it major later)."""
    actor = actor_of(actor)
    require_enterprise_member(actor, enterprise.pk, ACTION_ROLES["report"], not_found=_NOT_FOUND)
    values = {k: v for k, v in values.items() if k in REPORT_FIELDS}
    return _create(actor=actor, enterprise=enterprise, state=HazardState.REPORTED, event=HazardEvent.REPORT,
                   source=source, **values)


@transaction.atomic
def hazard_file(*, actor: Actor | Any, enterprise: Enterprise, **values: Any) -> Hazard:
    """A safety officer (or admin/principal) files a graded hazard → state ``confirmed``.

    ``treatment=deadline`` needs ``deadline`` (400 ``required``); ``immediate`` sets it to the found
    date. A major hazard notifies the regulator in this transaction. 403 ``role_not_allowed`` for
    an employee (who reports instead), 404 for a non-member. Other 400s: see ``_clean_values``."""
    actor = actor_of(actor)
    require_enterprise_member(actor, enterprise.pk, not_found=_NOT_FOUND)
    if actor.role not in ACTION_ROLES["create"]:
        raise Forbidden("仅安全管理人员可登记隐患，职工请使用隐患上报。", code=Code.ROLE_NOT_ALLOWED)
    return _create(actor=actor, enterprise=enterprise, state=HazardState.CONFIRMED, event=HazardEvent.FILE, **values)


@transaction.atomic
def hazard_order(*, actor: Actor | Any, enterprise: Enterprise, source: str = HazardSource.INSPECTOR.value,
                 **values: Any) -> Hazard:
    """A regulator member orders rectification at ``enterprise`` (责令限期整改) → a ``confirmed`` hazard.

    ``source`` is ``inspector`` or ``whistleblower``; ``deadline`` (the ordered date) is required
    (400 ``required``). 403 ``regulator_only`` for a non-regulator, 403 ``outside_jurisdiction``
    when the actor's regulator does not cover the enterprise. A major hazard notifies the
    regulator in this transaction, like :func:`hazard_file`."""
    actor = actor_of(actor)
    require_regulator(actor)
    if not covers(actor, enterprise.division_code):
        raise Forbidden("该企业不在本部门管辖范围内。", code=Code.OUTSIDE_JURISDICTION)
    if not values.get("deadline"):
        raise FieldError("责令限期整改须指定整改期限。", code=Code.REQUIRED, field="deadline")
    return _create(actor=actor, enterprise=enterprise, state=HazardState.CONFIRMED, event=HazardEvent.ORDER,
                   source=source, **{**values, "treatment": HazardTreatment.DEADLINE.value})


@transaction.atomic
def hazard_update_plan(*, actor: Actor | Any, hazard: Hazard | int, **values: Any) -> Hazard:
    """Set the rectification plan of a ``confirmed`` or ``rectifying`` hazard: measures, responsible
    person, funds (yuan), contingency plan — the five commitments of a major hazard (DOMAIN.md §3).

    ``deadline`` may only be set when the hazard has none (a set deadline moves only through an
    approved extension: 400 ``deadline_locked``). Managers only (403); other states 409
    ``invalid_transition``."""
    actor = actor_of(actor)
    hazard = hazard_lock(hazard)
    hazard_member(actor, hazard, ACTION_ROLES["plan"])
    try:
        check_state("plan", hazard.state, PLAN_STATES)
    except RuleError as exc:
        raise from_rule(exc) from exc
    data = {k: v for k, v in values.items() if k in PLAN_FIELDS}
    if "deadline" in data and hazard.deadline and data["deadline"] != hazard.deadline:
        raise FieldError("整改期限已确定，请通过延期申请调整。", code=Code.DEADLINE_LOCKED, field="deadline")
    data = {k: v for k, v in _clean_values(hazard.enterprise, {"found_on": hazard.found_on, **data}).items()
            if k in PLAN_FIELDS}
    hazard, changes = model_update(instance=hazard, data={**data, "deadline_at": _deadline_at(data.get(
        "deadline", hazard.deadline))})
    if changes:
        changes.pop("deadline_at", None)
        hazard_record(actor, hazard, HazardEvent.UPDATE_PLAN, changes=changes)
    return hazard


# --- transitions ----------------------------------------------------------------------------
@transaction.atomic
def hazard_confirm(*, actor: Actor | Any, hazard: Hazard | int, **values: Any) -> Hazard:
    """reported → confirmed: a safety officer grades and assigns it (deadline, responsible person, …).

    A deadline treatment without a deadline is 400 ``required``; a hazard graded major here
    notifies the regulator in this transaction."""
    actor = actor_of(actor)
    hazard = hazard_lock(hazard)
    to = _transition("confirm", hazard, actor)
    data = _clean_values(hazard.enterprise, {"found_on": hazard.found_on, **{
        k: v for k, v in values.items() if k in HAZARD_FIELDS and k not in ("found_on", "source")}})
    data.pop("found_on", None)
    treatment = data.get("treatment", hazard.treatment)
    if treatment == HazardTreatment.DEADLINE and not (data.get("deadline") or hazard.deadline):
        raise FieldError("限期整改的隐患须填写整改期限。", code=Code.REQUIRED, field="deadline")
    if treatment == HazardTreatment.IMMEDIATE:
        data["deadline"] = hazard.found_on
    was_major = hazard.grade == HazardGrade.MAJOR
    from_state = hazard.state
    data["deadline_at"] = _deadline_at(data.get("deadline", hazard.deadline))
    hazard, changes = model_update(instance=hazard, data={**data, "state": to.value})
    changes.pop("state", None)
    changes.pop("deadline_at", None)
    hazard_record(actor, hazard, HazardEvent.CONFIRM, from_state=from_state, to_state=to, changes=changes)
    if hazard.grade == HazardGrade.MAJOR and not was_major:
        notify_major(hazard)
    return hazard


@transaction.atomic
def hazard_reject(*, actor: Actor | Any, hazard: Hazard | int, reason: str) -> Hazard:
    """reported → rejected (not a hazard); ``reason`` required (400 ``required``)."""
    _require_reason("reject", reason)
    actor = actor_of(actor)
    hazard = hazard_lock(hazard)
    to = _transition("reject", hazard, actor)
    from_state, hazard.state, hazard.reject_reason = hazard.state, to, reason
    hazard.save(update_fields=("state", "reject_reason", "updated_at"))
    hazard_record(actor, hazard, HazardEvent.REJECT, from_state=from_state, to_state=to, reason=reason)
    return hazard


@transaction.atomic
def hazard_start_rectification(*, actor: Actor | Any, hazard: Hazard | int) -> Hazard:
    """confirmed → rectifying. A major hazard needs its five commitments first (400
    ``five_commitments_incomplete`` naming the first missing field; DOMAIN.md §3). An employee may
    start only a hazard assigned to them (403 ``not_responsible``)."""
    actor = actor_of(actor)
    hazard = hazard_lock(hazard)
    to = _transition("start_rectification", hazard, actor)
    if actor.role == EnterpriseRole.EMPLOYEE and hazard.responsible_person_id != actor.user_id:
        raise Forbidden("只有整改责任人可以开始整改。", code=Code.NOT_RESPONSIBLE)
    try:
        check_blockers("start_rectification", grade=hazard.grade, commitments=hazard_commitments(hazard))
    except RuleError as exc:
        raise from_rule(exc) from exc
    from_state, hazard.state = hazard.state, to
    hazard.save(update_fields=("state", "updated_at"))
    hazard_record(actor, hazard, HazardEvent.START_RECTIFICATION, from_state=from_state, to_state=to)
    return hazard


@transaction.atomic
def hazard_submit_for_acceptance(*, actor: Actor | Any, hazard: Hazard | int, note: str = "") -> Hazard:
    """rectifying → pending_acceptance; the actor is recorded as the rectifier (整改人). An employee
    may submit only a hazard assigned to them (403 ``not_responsible``)."""
    actor = actor_of(actor)
    hazard = hazard_lock(hazard)
    to = _transition("submit_for_acceptance", hazard, actor)
    if actor.role == EnterpriseRole.EMPLOYEE and hazard.responsible_person_id != actor.user_id:
        raise Forbidden("只有整改责任人可以提交验收。", code=Code.NOT_RESPONSIBLE)
    from_state, hazard.state = hazard.state, to
    hazard.rectified_by, hazard.completed_on = actor.user, local_today()
    hazard.save(update_fields=("state", "rectified_by", "completed_on", "updated_at"))
    hazard_record(actor, hazard, HazardEvent.SUBMIT_FOR_ACCEPTANCE, from_state=from_state, to_state=to, reason=note)
    return hazard


@transaction.atomic
def hazard_accept(*, actor: Actor | Any, hazard: Hazard | int, comment: str = "") -> Hazard:
    """pending_acceptance → accepted. A major hazard is accepted by the principal (403
    ``principal_required``, from the rule's grade override); the acceptor may not be the rectifier
    (403 ``acceptor_is_rectifier``). DOMAIN.md §3."""
    actor = actor_of(actor)
    hazard = hazard_lock(hazard)
    to = _transition("accept", hazard, actor)
    if hazard.rectified_by_id is not None and hazard.rectified_by_id == actor.user_id:
        raise Forbidden("验收人不能是整改人。", code=Code.ACCEPTOR_IS_RECTIFIER)
    now = timezone.now()
    from_state, hazard.state = hazard.state, to
    hazard.acceptor, hazard.acceptor_name, hazard.accepted_at = actor.user, str(actor.user), now
    hazard.accepted_on, hazard.acceptance_comment = now.astimezone(SHANGHAI).date(), comment
    hazard.save()
    hazard_record(actor, hazard, HazardEvent.ACCEPT, from_state=from_state, to_state=to, reason=comment)
    return hazard


@transaction.atomic
def hazard_fail_acceptance(*, actor: Actor | Any, hazard: Hazard | int, reason: str) -> Hazard:
    """pending_acceptance → rectifying with ``reason`` (required, 400); not by the rectifier (403)."""
    _require_reason("fail_acceptance", reason)
    actor = actor_of(actor)
    hazard = hazard_lock(hazard)
    to = _transition("fail_acceptance", hazard, actor)
    if hazard.rectified_by_id is not None and hazard.rectified_by_id == actor.user_id:
        raise Forbidden("验收人不能是整改人。", code=Code.ACCEPTOR_IS_RECTIFIER)
    from_state, hazard.state, hazard.acceptance_comment = hazard.state, to, reason
    hazard.save(update_fields=("state", "acceptance_comment", "updated_at"))
    hazard_record(actor, hazard, HazardEvent.FAIL_ACCEPTANCE, from_state=from_state, to_state=to, reason=reason)
    return hazard


@transaction.atomic
def hazard_close(*, actor: Actor | Any, hazard: Hazard | int, comment: str = "") -> Hazard:
    """accepted → closed (销号). A supervised (挂牌督办) hazard needs the regulator's sign-off first
    (409 ``regulator_signoff_required``), whatever its grade now (rules.hazard_states)."""
    actor = actor_of(actor)
    hazard = hazard_lock(hazard)
    to = _transition("close", hazard, actor)
    try:
        check_blockers("close", grade=hazard.grade, regulator_supervised=hazard.supervised,
                       regulator_signed_off=hazard.regulator_signed_off_at is not None)
    except RuleError as exc:
        raise from_rule(exc) from exc
    from_state, hazard.state, hazard.closed_at = hazard.state, to, timezone.now()
    hazard.save(update_fields=("state", "closed_at", "updated_at"))
    hazard_record(actor, hazard, HazardEvent.CLOSE, from_state=from_state, to_state=to, reason=comment)
    return hazard
