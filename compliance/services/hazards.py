"""Writes of hidden dangers (隐患排查治理): filing, the lifecycle transitions, major-hazard
judgement, deadline extensions, regulator sign-off and photos. DOMAIN.md §3.

Every transition service locks the hazard row (``SELECT … FOR UPDATE``), checks the source state
against :data:`compliance.rules.hazards.TRANSITIONS` (a lost race or a stale client gets 409
``state_conflict``), checks the actor's role (403 ``role_not_allowed``), writes an audit event
with ``from_state``/``to_state``/``reason`` and changes the state — all in one transaction.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import filetype
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Enterprise, Membership, Role
from backend.accounts.selectors import regulator_covers
from backend.audit.services import audit_record
from backend.core.clock import local_today
from backend.core.errors import Conflict, FieldError, Forbidden, NotFound, PayloadTooLarge
from backend.notifications.services import notify_regulator_of
from compliance.models import Hazard, HazardExtension, HazardNumberCounter, HazardPhoto, RiskPoint
from compliance.rules import hazards as rules
from compliance.rules.assessment import RuleError
from compliance.rules.hazards import HazardGrade, HazardState, HazardTreatment
from compliance.services.supervision import hazard_regulator_signoff, hazard_supervise  # noqa: F401  (moved)

#: Writable descriptive fields of a hazard (filing / reporting input).
HAZARD_FIELDS = (
    "title", "description", "location", "risk_point", "control_measure", "source", "source_detail", "hazard_type",
    "cause", "grade", "treatment", "found_on", "responsible_person", "responsible_name", "measures", "funds_yuan",
    "deadline", "contingency_plan",
)
MANAGER_ROLES = frozenset({Role.ADMIN, Role.SAFETY_OFFICER, Role.PRINCIPAL})

#: Photo upload cap (DOMAIN.md §3 [config]: 10 MB each) and the accepted sniffed types.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic", "image/heif": "heic"}


# --- helpers --------------------------------------------------------------------------------
def _membership(actor: Any) -> Membership | None:
    try:
        return actor.membership
    except (Membership.DoesNotExist, AttributeError):
        return None


def actor_role(actor: Any, enterprise_id: int) -> str:
    """The actor's enterprise role in ``enterprise_id``; 404 when the actor is not a member there."""
    m = _membership(actor)
    if m is None or m.enterprise_id != enterprise_id:
        raise NotFound("隐患不存在。", code="not_found")
    return m.role


def _deadline_at(day: date | None):
    return rules.deadline_end(day) if day else None


def hazard_number_allocate(*, enterprise_id: int, year: int) -> str:
    """Next ``YH-<year>-<5 digits>`` of the enterprise; the counter row is locked meanwhile.
    Must run inside the caller's transaction."""
    HazardNumberCounter.objects.get_or_create(enterprise_id=enterprise_id, year=year)
    counter = HazardNumberCounter.objects.select_for_update().get(enterprise_id=enterprise_id, year=year)
    counter.last += 1
    HazardNumberCounter.objects.filter(pk=counter.pk).update(last=counter.last)
    return f"YH-{year}-{counter.last:05d}"


def _lock(hazard: Hazard | int) -> Hazard:
    pk = getattr(hazard, "pk", hazard)
    try:
        return Hazard.objects.select_for_update().get(pk=pk)
    except Hazard.DoesNotExist:
        raise NotFound("隐患不存在。", code="not_found")


def _check(action: str, hazard: Hazard, role: str) -> HazardState:
    """Target state of ``action``; 403 role_not_allowed / 409 state_conflict."""
    try:
        rules.check_transition(action, hazard.state, role, grade=hazard.grade)
    except rules.RoleNotAllowed:
        if action == "accept" and hazard.grade == HazardGrade.MAJOR and role in MANAGER_ROLES:
            raise Forbidden("重大隐患须由企业主要负责人验收。", code="principal_required")
        raise Forbidden(f"角色「{Role(role).label}」无权执行此操作。", code="role_not_allowed")
    except rules.InvalidTransition:
        raise Conflict(f"隐患当前状态为「{HazardState(hazard.state).label}」，不能执行该操作。", code="state_conflict")
    except RuleError as exc:  # unknown role (e.g. inspector)
        raise Forbidden(exc.message, code="role_not_allowed")
    return rules.TRANSITIONS[action].to_state


def _record(actor: Any, hazard: Hazard, action: str, *, from_state: str = "", to_state: str = "", reason: str = "",
            changes: dict | None = None, payload: dict | None = None) -> None:
    audit_record(actor=actor, action=f"hazard.{action}", obj=hazard, enterprise=hazard.enterprise_id,
                 from_state=from_state, to_state=to_state, reason=reason, changes=changes, payload=payload)


def _notify_major(hazard: Hazard) -> None:
    """Outbox row to the enterprise's regulator(s), in the caller's transaction (安全生产法 2021 §41)."""
    notify_regulator_of(
        enterprise=hazard.enterprise, key=f"hazard:{hazard.pk}:major", kind="hazard.major",
        title=f"重大事故隐患报告：{hazard.enterprise.name} {hazard.number}",
        body=f"{hazard.title}（部位：{hazard.location or '—'}；整改期限：{hazard.deadline or '—'}）",
        payload={"hazard_id": hazard.pk, "number": hazard.number, "enterprise_id": hazard.enterprise_id},
    )


def risk_point_feedback(*, point: RiskPoint | None) -> bool:
    """Flag ``point`` for reassessment when it has ≥ REASSESSMENT_TRIGGER hazards in the window.

    Returns whether the point is (now) flagged. DOMAIN.md §3 / rules.REASSESSMENT_TRIGGER [config]."""
    if point is None:
        return False
    trigger = rules.REASSESSMENT_TRIGGER
    today = timezone.localdate()
    window_start = today - timedelta(days=trigger["window_days"] - 1)
    # Only the dates inside the window are read (an indexed range), so a busy point stays cheap.
    dates = list(Hazard.objects.filter(risk_point=point, found_on__gte=window_start, found_on__lte=today)
                 .exclude(state=HazardState.REJECTED).values_list("found_on", flat=True)[: trigger["count"]])
    if not rules.needs_reassessment(dates, timezone.now()):
        return False
    if not point.needs_reassessment:
        reason = f"{trigger['window_days']}天内发现隐患{trigger['count']}次及以上，需重新评估风险"
        RiskPoint.objects.filter(pk=point.pk).update(needs_reassessment=True, reassessment_reason=reason)
        point.needs_reassessment, point.reassessment_reason = True, reason
        audit_record(actor=None, action="risk_point.flag_reassessment", obj=point, enterprise=point.enterprise_id,
                     reason=reason)
    return True


def _clean_values(enterprise: Enterprise, values: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in values.items() if k in HAZARD_FIELDS}
    point, measure = data.get("risk_point"), data.get("control_measure")
    if point is not None and point.enterprise_id != enterprise.pk:
        raise FieldError("风险点不存在。", code="does_not_exist", field="risk_point")
    if measure is not None:
        if measure.enterprise_id != enterprise.pk:
            raise FieldError("管控措施不存在。", code="does_not_exist", field="control_measure")
        if point is None:
            data["risk_point"] = measure.risk_event.risk_point
        elif measure.risk_event.risk_point_id != point.pk:
            raise FieldError("管控措施不属于该风险点。", code="mismatch", field="control_measure")
    person = data.get("responsible_person")
    if person is not None:
        m = _membership(person)
        if m is None or m.enterprise_id != enterprise.pk:
            raise FieldError("整改责任人须为本企业人员。", code="does_not_exist", field="responsible_person")
        data.setdefault("responsible_name", str(person))
        if not data.get("responsible_name"):
            data["responsible_name"] = str(person)
    data.setdefault("found_on", local_today())
    if data.get("treatment") == HazardTreatment.IMMEDIATE:
        data["deadline"] = data["found_on"]
    if data.get("found_on") and data["found_on"] > local_today():
        raise FieldError("排查日期不能晚于今天。", code="future_date", field="found_on")
    if data.get("deadline") and data["deadline"] < data["found_on"]:
        raise FieldError("整改期限不能早于排查日期。", code="invalid_deadline", field="deadline")
    if data.get("deadline") and not rules.deadline_within_horizon(data["deadline"], local_today()):
        raise FieldError("整改期限过远（不得超过五年）。", code="deadline_too_far", field="deadline")
    if data.get("funds_yuan") is not None and Decimal(data["funds_yuan"]) < 0:
        raise FieldError("整改资金不能为负数。", code="invalid", field="funds_yuan")
    return data


def _create(*, actor: Any, enterprise: Enterprise, state: HazardState, action: str, extra: dict | None = None,
            **values: Any) -> Hazard:
    data = _clean_values(enterprise, values)
    if state is HazardState.CONFIRMED and data.get("treatment", HazardTreatment.DEADLINE) == HazardTreatment.DEADLINE \
            and not data.get("deadline"):
        raise FieldError("限期整改的隐患须填写整改期限。", code="required", field="deadline")
    number = hazard_number_allocate(enterprise_id=enterprise.pk, year=data["found_on"].year)
    hazard = Hazard.objects.create(
        enterprise=enterprise, number=number, state=state, reporter=actor if getattr(actor, "pk", None) else None,
        deadline_at=_deadline_at(data.get("deadline")), **data, **(extra or {}),
    )
    _record(actor, hazard, action, to_state=state, changes={k: [None, getattr(v, "pk", v)] for k, v in data.items()},
            payload={"number": number})
    if hazard.grade == HazardGrade.MAJOR:
        _notify_major(hazard)
    risk_point_feedback(point=hazard.risk_point)
    return hazard


# --- filing ---------------------------------------------------------------------------------
@transaction.atomic
def hazard_report(*, actor: Any, enterprise: Enterprise, source: str = rules.HazardSource.EMPLOYEE_REPORT.value,
                  **values: Any) -> Hazard:
    """An employee reports a hidden danger they found (职工查身边隐患) → state ``reported``.

    Any enterprise member may report; grading, deadline and responsible person are set when a
    safety officer confirms it. Inputs: ``title`` (required), ``description``, ``location``,
    ``risk_point``/``control_measure`` (own enterprise's, else 400), ``hazard_type``, ``found_on``;
    ``source`` defaults to ``employee_report`` (an investigation task passes its own source).
    The grade is always ``general`` here (a checklist tick makes it major later)."""
    actor_role(actor, enterprise.pk)
    values = {k: v for k, v in values.items() if k in ("title", "description", "location", "risk_point",
                                                        "control_measure", "hazard_type", "cause", "found_on")}
    return _create(actor=actor, enterprise=enterprise, state=HazardState.REPORTED, action="report",
                   source=source, **values)


@transaction.atomic
def hazard_file(*, actor: Any, enterprise: Enterprise, **values: Any) -> Hazard:
    """A safety officer (or admin/principal) files a graded hazard → state ``confirmed``.

    ``treatment=deadline`` needs ``deadline`` (400 ``required``); ``immediate`` sets it to the found
    date. A major hazard notifies the regulator in this transaction. Raises 403 for other roles."""
    role = actor_role(actor, enterprise.pk)
    if role not in MANAGER_ROLES:
        raise Forbidden("仅安全管理人员可登记隐患，职工请使用隐患上报。", code="role_not_allowed")
    return _create(actor=actor, enterprise=enterprise, state=HazardState.CONFIRMED, action="file", **values)


@transaction.atomic
def hazard_order(*, actor: Any, enterprise: Enterprise, source: str = rules.HazardSource.INSPECTOR.value,
                 **values: Any) -> Hazard:
    """A regulator member orders rectification at ``enterprise`` (责令限期整改) → a ``confirmed`` hazard.

    ``source`` is ``inspector`` or ``whistleblower``; ``deadline`` (the ordered date) is required
    (400 ``required``). The actor must belong to a regulator whose jurisdiction covers the
    enterprise (403 ``outside_jurisdiction``). A major hazard notifies the regulator in this
    transaction, like :func:`hazard_file`."""
    m = _membership(actor)
    if m is None or m.regulator_id is None:
        raise Forbidden("只有监管部门人员可以责令整改。", code="not_regulator")
    if not regulator_covers(m.regulator, enterprise):
        raise Forbidden("该企业不在本部门管辖范围内。", code="outside_jurisdiction")
    if not values.get("deadline"):
        raise FieldError("责令限期整改须指定整改期限。", code="required", field="deadline")
    return _create(actor=actor, enterprise=enterprise, state=HazardState.CONFIRMED, action="order",
                   source=source, treatment=HazardTreatment.DEADLINE.value, **values)


#: Fields of the rectification plan (the five commitments and the measures) an enterprise keeps up to date.
PLAN_FIELDS = ("measures", "responsible_person", "responsible_name", "funds_yuan", "contingency_plan", "deadline")


@transaction.atomic
def hazard_update_plan(*, actor: Any, hazard: Hazard, **values: Any) -> Hazard:
    """Set the rectification plan of a ``confirmed`` or ``rectifying`` hazard: measures, responsible
    person, funds (yuan), contingency plan — the five commitments of a major hazard (DOMAIN.md §3).

    ``deadline`` may only be set when the hazard has none (a set deadline moves only through an
    approved extension: 400 ``deadline_locked``). Managers only (403); other states 409 ``state_conflict``."""
    hazard = _lock(hazard)
    role = actor_role(actor, hazard.enterprise_id)
    if role not in MANAGER_ROLES:
        raise Forbidden("仅安全管理人员可修改整改方案。", code="role_not_allowed")
    if hazard.state not in (HazardState.CONFIRMED, HazardState.RECTIFYING):
        raise Conflict("只有已确认或整改中的隐患可以修改整改方案。", code="state_conflict")
    data = {k: v for k, v in values.items() if k in PLAN_FIELDS}
    if "deadline" in data and hazard.deadline and data["deadline"] != hazard.deadline:
        raise FieldError("整改期限已确定，请通过延期申请调整。", code="deadline_locked", field="deadline")
    data = {k: v for k, v in _clean_values(hazard.enterprise, {"found_on": hazard.found_on, **data}).items()
            if k in PLAN_FIELDS}
    changes = {}
    for k, v in data.items():
        if getattr(hazard, k) != v:
            changes[k] = [getattr(getattr(hazard, k), "pk", getattr(hazard, k)), getattr(v, "pk", v)]
            setattr(hazard, k, v)
    if changes:
        hazard.deadline_at = _deadline_at(hazard.deadline)
        hazard.save()
        _record(actor, hazard, "update_plan", changes=changes)
    return hazard


# --- transitions ----------------------------------------------------------------------------
@transaction.atomic
def hazard_confirm(*, actor: Any, hazard: Hazard, **values: Any) -> Hazard:
    """reported → confirmed: a safety officer grades and assigns it (deadline, responsible person, …)."""
    hazard = _lock(hazard)
    to = _check("confirm", hazard, actor_role(actor, hazard.enterprise_id))
    data = _clean_values(hazard.enterprise, {"found_on": hazard.found_on, **{
        k: v for k, v in values.items() if k in HAZARD_FIELDS and k not in ("found_on", "source")}})
    data.pop("found_on", None)
    treatment = data.get("treatment", hazard.treatment)
    if treatment == HazardTreatment.DEADLINE and not (data.get("deadline") or hazard.deadline):
        raise FieldError("限期整改的隐患须填写整改期限。", code="required", field="deadline")
    if treatment == HazardTreatment.IMMEDIATE:
        data["deadline"] = hazard.found_on
    was_major = hazard.grade == HazardGrade.MAJOR
    changes = {}
    for k, v in data.items():
        if getattr(hazard, k) != v:
            changes[k] = [getattr(getattr(hazard, k), "pk", getattr(hazard, k)), getattr(v, "pk", v)]
            setattr(hazard, k, v)
    hazard.deadline_at = _deadline_at(hazard.deadline)
    from_state, hazard.state = hazard.state, to
    hazard.save()
    _record(actor, hazard, "confirm", from_state=from_state, to_state=to, changes=changes)
    if hazard.grade == HazardGrade.MAJOR and not was_major:
        _notify_major(hazard)
    return hazard


@transaction.atomic
def hazard_reject(*, actor: Any, hazard: Hazard, reason: str) -> Hazard:
    """reported → rejected (not a hazard); ``reason`` required (400)."""
    if not (reason or "").strip():
        raise FieldError("驳回须说明理由。", code="required", field="reason")
    hazard = _lock(hazard)
    to = _check("reject", hazard, actor_role(actor, hazard.enterprise_id))
    from_state, hazard.state, hazard.reject_reason = hazard.state, to, reason
    hazard.save(update_fields=("state", "reject_reason", "updated_at"))
    _record(actor, hazard, "reject", from_state=from_state, to_state=to, reason=reason)
    return hazard


def _commitments(hazard: Hazard) -> dict[str, Any]:
    return {
        "measures": hazard.measures,
        "responsible_person": hazard.responsible_person_id or hazard.responsible_name,
        "funds_yuan": hazard.funds_yuan,
        "deadline": hazard.deadline,
        "contingency_plan": hazard.contingency_plan,
    }


@transaction.atomic
def hazard_start_rectification(*, actor: Any, hazard: Hazard) -> Hazard:
    """confirmed → rectifying. A major hazard needs its five commitments first (400
    ``five_commitments_missing`` naming the first missing field; DOMAIN.md §3). An employee may
    start only a hazard assigned to them."""
    hazard = _lock(hazard)
    role = actor_role(actor, hazard.enterprise_id)
    to = _check("start_rectification", hazard, role)
    if role == Role.EMPLOYEE and hazard.responsible_person_id != actor.pk:
        raise Forbidden("只有整改责任人可以开始整改。", code="not_responsible")
    if hazard.grade == HazardGrade.MAJOR:
        missing = rules.missing_commitments(_commitments(hazard))
        if missing:
            label = dict(rules.FIVE_COMMITMENTS)[missing[0]]
            raise FieldError(f"重大隐患须落实“五落实”后方可整改，缺少：{label}。", code="five_commitments_missing",
                             field=missing[0])
    from_state, hazard.state = hazard.state, to
    hazard.save(update_fields=("state", "updated_at"))
    _record(actor, hazard, "start_rectification", from_state=from_state, to_state=to)
    return hazard


@transaction.atomic
def hazard_submit_for_acceptance(*, actor: Any, hazard: Hazard, note: str = "") -> Hazard:
    """rectifying → pending_acceptance; the actor is recorded as the rectifier (整改人)."""
    hazard = _lock(hazard)
    role = actor_role(actor, hazard.enterprise_id)
    to = _check("submit_for_acceptance", hazard, role)
    if role == Role.EMPLOYEE and hazard.responsible_person_id != actor.pk:
        raise Forbidden("只有整改责任人可以提交验收。", code="not_responsible")
    from_state, hazard.state = hazard.state, to
    hazard.rectified_by, hazard.completed_on = actor, local_today()
    hazard.save(update_fields=("state", "rectified_by", "completed_on", "updated_at"))
    _record(actor, hazard, "submit_for_acceptance", from_state=from_state, to_state=to, reason=note)
    return hazard


@transaction.atomic
def hazard_accept(*, actor: Any, hazard: Hazard, comment: str = "") -> Hazard:
    """pending_acceptance → accepted. The acceptor may not be the rectifier (403
    ``acceptor_is_rectifier``); a major hazard is accepted by the principal (403
    ``principal_required``). DOMAIN.md §3."""
    hazard = _lock(hazard)
    to = _check("accept", hazard, actor_role(actor, hazard.enterprise_id))
    if hazard.rectified_by_id == actor.pk:
        raise Forbidden("验收人不能是整改人。", code="acceptor_is_rectifier")
    now = timezone.now()
    from_state, hazard.state = hazard.state, to
    hazard.acceptor, hazard.acceptor_name, hazard.accepted_at = actor, str(actor), now
    hazard.accepted_on, hazard.acceptance_comment = timezone.localdate(now, timezone=rules.SHANGHAI), comment
    hazard.save()
    _record(actor, hazard, "accept", from_state=from_state, to_state=to, reason=comment)
    return hazard


@transaction.atomic
def hazard_fail_acceptance(*, actor: Any, hazard: Hazard, reason: str) -> Hazard:
    """pending_acceptance → rectifying with ``reason`` (required, 400)."""
    if not (reason or "").strip():
        raise FieldError("验收不通过须说明理由。", code="required", field="reason")
    hazard = _lock(hazard)
    to = _check("fail_acceptance", hazard, actor_role(actor, hazard.enterprise_id))
    if hazard.rectified_by_id == actor.pk:
        raise Forbidden("验收人不能是整改人。", code="acceptor_is_rectifier")
    from_state, hazard.state, hazard.acceptance_comment = hazard.state, to, reason
    hazard.save(update_fields=("state", "acceptance_comment", "updated_at"))
    _record(actor, hazard, "fail_acceptance", from_state=from_state, to_state=to, reason=reason)
    return hazard


@transaction.atomic
def hazard_close(*, actor: Any, hazard: Hazard, comment: str = "") -> Hazard:
    """accepted → closed (销号). A supervised (挂牌督办) hazard needs the regulator's sign-off first
    (409 ``regulator_signoff_required``)."""
    hazard = _lock(hazard)
    to = _check("close", hazard, actor_role(actor, hazard.enterprise_id))
    if hazard.supervised and hazard.regulator_signed_off_at is None:
        raise Conflict("挂牌督办的隐患须经监管部门确认后方可销号。", code="regulator_signoff_required")
    from_state, hazard.state, hazard.closed_at = hazard.state, to, timezone.now()
    hazard.save(update_fields=("state", "closed_at", "updated_at"))
    _record(actor, hazard, "close", from_state=from_state, to_state=to, reason=comment)
    return hazard


# --- major-hazard judgement -----------------------------------------------------------------
@transaction.atomic
def hazard_tick_checklist(*, actor: Any, hazard: Hazard, checklist: str, items: list[int | str]) -> Hazard:
    """Tick items of a major-hazard judgement checklist (e.g. ``chem-2017``, 安监总管三〔2017〕121号).

    Any ticked item makes the hazard major (recording the items, the checklist and its version)
    and notifies the regulator in this transaction; a hazard in rectification without its five
    commitments goes back to ``confirmed`` until they are set. 400 ``unknown_item`` / ``unknown_choice``
    naming ``items``/``checklist``; 409 for a hazard already closed/rejected/accepted."""
    hazard = _lock(hazard)
    role = actor_role(actor, hazard.enterprise_id)
    if role not in MANAGER_ROLES:
        raise Forbidden(f"角色「{Role(role).label}」无权执行此操作。", code="role_not_allowed")
    if hazard.state not in (HazardState.REPORTED, HazardState.CONFIRMED, HazardState.RECTIFYING):
        raise Conflict("隐患已验收或关闭，不能再判定。", code="state_conflict")
    try:
        is_major, ticked = rules.judge_major(checklist, items)
    except RuleError as exc:
        raise FieldError(exc.message, code=exc.code, field="checklist" if exc.field == "checklist" else "items")
    if not is_major:
        raise FieldError("请至少勾选一项。", code="required", field="items")
    if hazard.checklist_code and hazard.checklist_code != checklist:
        raise FieldError("该隐患已按其他判定标准判定。", code="checklist_mismatch", field="checklist")
    spec = rules.MAJOR_HAZARD_CHECKLISTS[checklist]
    old_items, was_major = list(hazard.checklist_items), hazard.grade == HazardGrade.MAJOR
    hazard.checklist_items = sorted(set(old_items) | {i.no for i in ticked})
    hazard.checklist_code, hazard.checklist_version, hazard.grade = checklist, spec.version, HazardGrade.MAJOR.value
    hazard.major_basis = "；".join(f"{spec.source}第{i}项" for i in hazard.checklist_items)
    from_state = hazard.state
    if hazard.state == HazardState.RECTIFYING and rules.missing_commitments(_commitments(hazard)):
        # Judged major mid-rectification without its five commitments (DOMAIN.md §3): the judgement
        # stands and is reported, and rectification goes back to confirmed until they are set.
        hazard.state = HazardState.CONFIRMED.value
    hazard.save()
    _record(actor, hazard, "tick_checklist", from_state=from_state if hazard.state != from_state else "",
            to_state=hazard.state if hazard.state != from_state else "",
            reason="判定为重大隐患，须落实“五落实”后继续整改" if hazard.state != from_state else "",
            changes={"checklist_items": [old_items, hazard.checklist_items],
                     **({"grade": ["general", "major"]} if not was_major else {})},
            payload={"checklist": checklist, "version": spec.version})
    if not was_major:
        _notify_major(hazard)
    return hazard


# --- deadline extensions --------------------------------------------------------------------
@transaction.atomic
def hazard_request_extension(*, actor: Any, hazard: Hazard, new_deadline: date, reason: str) -> HazardExtension:
    """The responsible person asks for a later deadline (403 ``not_responsible`` for anyone else).

    409 ``state_conflict`` unless confirmed/rectifying; 409 ``extension_pending`` when one is
    pending; 400 naming ``new_deadline`` when it is not after the current deadline."""
    hazard = _lock(hazard)
    actor_role(actor, hazard.enterprise_id)
    if hazard.responsible_person_id != actor.pk:
        raise Forbidden("只有整改责任人可以申请延期。", code="not_responsible")
    if hazard.state not in (HazardState.CONFIRMED, HazardState.RECTIFYING):
        raise Conflict("当前状态不能申请延期。", code="state_conflict")
    if not (reason or "").strip():
        raise FieldError("请说明延期理由。", code="required", field="reason")
    if hazard.deadline and new_deadline <= hazard.deadline:
        raise FieldError("新期限须晚于原整改期限。", code="invalid_deadline", field="new_deadline")
    if not rules.deadline_within_horizon(new_deadline, local_today()):
        raise FieldError("整改期限过远（不得超过五年）。", code="deadline_too_far", field="new_deadline")
    if HazardExtension.objects.filter(hazard=hazard, status=HazardExtension.Status.PENDING).exists():
        raise Conflict("已有待审批的延期申请。", code="extension_pending")
    ext = HazardExtension.objects.create(hazard=hazard, requested_by=actor, old_deadline=hazard.deadline,
                                         new_deadline=new_deadline, reason=reason)
    _record(actor, hazard, "request_extension", reason=reason,
            payload={"extension_id": ext.pk, "old": hazard.deadline, "new": new_deadline})
    return ext


@transaction.atomic
def hazard_decide_extension(*, actor: Any, extension: HazardExtension, approve: bool, comment: str = "") -> HazardExtension:
    """Approve or refuse a pending extension.

    The decider is not the requester (403 ``approver_is_requester``) and is an enterprise manager,
    or a regulator member covering the enterprise (whose approval counts as regulator approval).
    Approval is capped by ``rules.EXTENSION_CAPS`` (general once; major never without the
    regulator) → 409 ``extension_cap_reached``. 409 ``state_conflict`` when already decided."""
    ext = HazardExtension.objects.select_for_update(of=("self",)).select_related("hazard__enterprise").get(pk=extension.pk)
    hazard = _lock(ext.hazard_id)
    m = _membership(actor)
    regulator = m is not None and m.regulator_id is not None and regulator_covers(m.regulator, hazard.enterprise)
    if not regulator:
        role = actor_role(actor, hazard.enterprise_id)
        if role not in MANAGER_ROLES:
            raise Forbidden(f"角色「{Role(role).label}」无权审批延期。", code="role_not_allowed")
    if ext.status != HazardExtension.Status.PENDING:
        raise Conflict("该申请已审批。", code="state_conflict")
    if ext.requested_by_id == actor.pk:
        raise Forbidden("审批人不能是申请人。", code="approver_is_requester")
    if approve:
        if not rules.extension_allowed(hazard.grade, hazard.extension_count, regulator_approved=regulator):
            raise Conflict("延期次数已达上限（重大隐患延期须经监管部门批准）。", code="extension_cap_reached")
        old = hazard.deadline
        hazard.deadline, hazard.deadline_at = ext.new_deadline, _deadline_at(ext.new_deadline)
        hazard.extension_count += 1
        hazard.save(update_fields=("deadline", "deadline_at", "extension_count", "updated_at"))
        changes = {"deadline": [old, ext.new_deadline]}
    else:
        changes = {}
    ext.status = HazardExtension.Status.APPROVED if approve else HazardExtension.Status.REJECTED
    ext.decided_by, ext.decided_at, ext.decision_comment, ext.regulator_approved = actor, timezone.now(), comment, regulator
    ext.save()
    _record(actor, hazard, "approve_extension" if approve else "reject_extension", reason=comment, changes=changes,
            payload={"extension_id": ext.pk})
    return ext


# --- photos ---------------------------------------------------------------------------------
_UNSAFE = re.compile(r"[^\w.\- ()\u4e00-\u9fff]")


def sanitize_filename(name: str) -> str:
    """The base name of an uploaded file, for display only: no path, no control chars, ≤ 100 chars."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", "".join(c for c in name if unicodedata.category(c)[0] != "C")).strip(" .")
    return name[-100:] or "upload"


@transaction.atomic
def hazard_photo_add(*, actor: Any, hazard: Hazard, kind: str, upload: Any) -> HazardPhoto:
    """Store a before/after photo of ``hazard``.

    ``upload`` is a Django UploadedFile. Over ``PHOTO_MAX_BYTES`` → 413 ``file_too_large``; content
    not JPEG/PNG/WebP/HEIC by its magic bytes → 400 ``unsupported_file_type`` (field ``file``).
    Stored as ``hazards/<enterprise_id>/<uuid>.<ext>``; the client's name is kept sanitised."""
    actor_role(actor, hazard.enterprise_id)
    if kind not in HazardPhoto.Kind.values:
        raise FieldError("照片类别无效。", code="invalid_choice", field="kind")
    if hazard.state in (HazardState.CLOSED, HazardState.REJECTED):
        raise Conflict("隐患已关闭，不能再上传照片。", code="state_conflict")
    if upload.size > PHOTO_MAX_BYTES:
        raise PayloadTooLarge(f"照片不能超过 {PHOTO_MAX_BYTES // (1024 * 1024)} MB。", code="file_too_large", field="file")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind_guess = filetype.guess(head)
    mime = kind_guess.mime if kind_guess else ""
    if mime not in PHOTO_TYPES:
        raise FieldError("仅支持 JPEG、PNG、WebP、HEIC 格式的图片。", code="unsupported_file_type", field="file")
    name = default_storage.save(f"hazards/{hazard.enterprise_id}/{uuid.uuid4().hex}.{PHOTO_TYPES[mime]}", upload)
    photo = HazardPhoto.objects.create(hazard=hazard, kind=kind, file=name, content_type=mime, size=upload.size,
                                       original_name=sanitize_filename(getattr(upload, "name", "")), uploaded_by=actor)
    _record(actor, hazard, "photo_add", payload={"photo_id": photo.pk, "kind": kind, "file": name})
    return photo


